from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, DateTimeLocalField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import REQUIRED, VersionedForm, choices
from .models import KINDS

TOO_LONG = _l("Bitte höchstens %(max)d Zeichen.")
BAD_DATE = _l("Bitte ein Datum im Format TT.MM.JJJJ wählen.")
TEXT_HINT = _l("Markdown: Überschriften mit # beginnen (z. B. „# § 1 Ziele“); jede Überschrift beginnt einen "
               "Abschnitt, der einzeln kommentiert werden kann. Keine Daten über Familien oder Kinder.")


class AgreementDetailsForm(VersionedForm):
    title = StringField(_l("Titel"), validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)])
    kind = SelectField(_l("Art"), choices=choices(KINDS))
    review_by = DateField(_l("Überprüfung bis"), validators=[Optional()], format="%Y-%m-%d")


class NewAgreementForm(AgreementDetailsForm):
    text = TextAreaField(_l("Text"), validators=[DataRequired(REQUIRED), Length(max=200_000, message=TOO_LONG)],
                         description=TEXT_HINT, render_kw={"rows": 20})


class VersionForm(FlaskForm):
    base_number = HiddenField()
    text = TextAreaField(_l("Text"), validators=[DataRequired(REQUIRED), Length(max=200_000, message=TOO_LONG)],
                         description=TEXT_HINT, render_kw={"rows": 24})
    change_note = StringField(_l("Was wurde geändert?"), validators=[DataRequired(REQUIRED), Length(max=500, message=TOO_LONG)],
                              description=_l("Kurz, z. B. „§ 3 nach Kommentaren der AG Geburtskliniken ergänzt“."))


class ConsultationForm(FlaskForm):
    deadline = DateTimeLocalField(_l("Kommentierung bis"), validators=[DataRequired(REQUIRED)],
                                  format="%Y-%m-%dT%H:%M", description=_l("Datum und Uhrzeit (Ortszeit)."))


class AdoptionForm(FlaskForm):
    adopted_on = DateField(_l("Beschlossen am"), validators=[DataRequired(BAD_DATE)], format="%Y-%m-%d")


class SupersedeForm(FlaskForm):
    superseded_by = SelectField(_l("Abgelöst durch"), validators=[Optional()])


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Kommentar"), validators=[DataRequired(REQUIRED), Length(max=5000, message=TOO_LONG)],
                         description=_l("Bitte sachlich und ohne Daten über Familien oder Kinder."),
                         render_kw={"rows": 4})


class SignatureForm(FlaskForm):
    organisation = SelectField(_l("Organisation"), validators=[DataRequired(REQUIRED)])
    signer_name = StringField(_l("Unterschrieben von"), validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)])
    signer_function = StringField(_l("Funktion"), validators=[Optional(), Length(max=200, message=TOO_LONG)],
                                  description=_l("z. B. Geschäftsführung, Amtsleitung"))
    signed_on = DateField(_l("Datum"), validators=[DataRequired(BAD_DATE)], format="%Y-%m-%d")
    accession = BooleanField(_l("Beitritt (die Organisation tritt der beschlossenen Vereinbarung später bei)"))
