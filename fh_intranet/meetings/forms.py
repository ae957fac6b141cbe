from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeLocalField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..forms import REQUIRED, VersionedForm, choices
from .models import BODY_KINDS, MEETING_KINDS

TOO_LONG = _l("Bitte höchstens %(max)d Zeichen.")
BAD_DATE = _l("Bitte ein gültiges Datum wählen.")
PRIVACY = _l("Keine Daten über Familien oder Kinder eintragen.")


class BodyForm(VersionedForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)])
    kind = SelectField(_l("Art"), choices=choices(BODY_KINDS))
    description = TextAreaField(_l("Aufgabenbereich"), validators=[Optional(), Length(max=2000, message=TOO_LONG)])


class MembersForm(FlaskForm):
    members = SelectMultipleField(_l("Mitglieder"), coerce=int, validate_choice=True)
    chair = SelectField(_l("Vorsitz"), validators=[Optional()])


class MeetingForm(VersionedForm):
    title = StringField(_l("Titel"), validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)])
    kind = SelectField(_l("Art"), choices=choices(MEETING_KINDS))
    starts_at = DateTimeLocalField(_l("Beginn"), validators=[DataRequired(BAD_DATE)], format="%Y-%m-%dT%H:%M")
    ends_at = DateTimeLocalField(_l("Ende"), validators=[DataRequired(BAD_DATE)], format="%Y-%m-%dT%H:%M")
    place = StringField(_l("Ort"), validators=[Optional(), Length(max=300, message=TOO_LONG)])

    def validate_ends_at(self, field):
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("Das Ende muss nach dem Beginn liegen."))


class AgendaItemForm(FlaskForm):
    title = StringField(_l("Tagesordnungspunkt"), validators=[DataRequired(REQUIRED), Length(max=300, message=TOO_LONG)])


class AgendaItemEditForm(VersionedForm):
    title = StringField(_l("Titel"), validators=[DataRequired(REQUIRED), Length(max=300, message=TOO_LONG)])
    notes = TextAreaField(_l("Notizen (Markdown)"), validators=[Optional(), Length(max=50_000, message=TOO_LONG)],
                          description=PRIVACY, render_kw={"rows": 8})


class DecisionForm(FlaskForm):
    text = TextAreaField(_l("Beschluss"), validators=[DataRequired(REQUIRED), Length(max=2000, message=TOO_LONG)],
                         render_kw={"rows": 2})


class ActionItemForm(FlaskForm):
    what = StringField(_l("Aufgabe"), validators=[DataRequired(REQUIRED), Length(max=1000, message=TOO_LONG)])
    person = SelectField(_l("Wer"), validators=[DataRequired(REQUIRED)])
    due_on = DateField(_l("Bis"), validators=[Optional()], format="%Y-%m-%d")


class GuestForm(FlaskForm):
    name = StringField(_l("Name des Gastes"), validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200, message=TOO_LONG)])


class MinutesCommentForm(FlaskForm):
    body = TextAreaField(_l("Anmerkung zum Entwurf"), validators=[DataRequired(REQUIRED), Length(max=5000, message=TOO_LONG)],
                         description=PRIVACY, render_kw={"rows": 3})


class CorrectionForm(FlaskForm):
    reason = TextAreaField(_l("Grund der Korrektur"), validators=[DataRequired(_l("Bitte geben Sie einen Grund für die Korrektur an."))],
                           description=_l("Der Grund ist für alle Lesenden sichtbar."), render_kw={"rows": 2})
