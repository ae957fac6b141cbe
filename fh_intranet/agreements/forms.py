from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..forms import REQUIRED, TOO_LONG, DateField, DateTimeLocalField, Form, OnceForm, VersionedForm, choices, optional_id
from ..timezones import berlin_to_utc
from .models import ADOPTED_ON, DEADLINE, KINDS, SUCCESSOR, TRANSITIONS

TEXT_HINT = _l("Überschriften beginnen mit # (z. B. „# § 1 Ziele“); jede Überschrift beginnt einen Abschnitt, "
               "der einzeln kommentiert werden kann. Keine Daten über Familien oder Kinder.")


class AgreementFields(Form):
    title = StringField(_l("Titel"), validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)])
    kind = SelectField(_l("Art"), choices=choices(KINDS))
    review_by = DateField(_l("Überprüfung bis"), validators=[Optional()], format="%Y-%m-%d")


class AgreementDetailsForm(AgreementFields, VersionedForm):
    pass


class NewAgreementForm(AgreementFields, OnceForm):
    text = TextAreaField(_l("Text"), validators=[DataRequired(REQUIRED), Length(max=200_000, message=TOO_LONG)],
                         description=TEXT_HINT, render_kw={"rows": 20})


class VersionForm(VersionedForm):
    """A new text version; `version` is the number of the version it was written on."""

    text = TextAreaField(_l("Text"), validators=[DataRequired(REQUIRED), Length(max=200_000, message=TOO_LONG)],
                         description=TEXT_HINT, render_kw={"rows": 24})
    change_note = StringField(_l("Was wurde geändert?"), validators=[DataRequired(REQUIRED), Length(max=500, message=TOO_LONG)],
                              description=_l("Kurz, z. B. „§ 3 nach Kommentaren der AG Geburtskliniken ergänzt“."))


class StateChangeForm(VersionedForm):
    """Every state change: `ziel` names the target (models.TRANSITIONS), `version` the agreement's
    version and `fassung` the newest text version the person saw. Of the fields below, the detail
    page shows and the workflow uses only the one the transition asks for (`Transition.asks`).

    The values parse when the form is built: a missing or garbled one (a date outside the years
    forms accept, an id no row can have) is None, and the workflow refuses it with the
    transition's own message.
    """

    ziel = HiddenField()
    fassung = HiddenField()
    deadline = DateTimeLocalField(_l("Kommentierung bis"), validators=[Optional()], format="%Y-%m-%dT%H:%M",
                                  description=_l("Datum und Uhrzeit (Ortszeit)."))
    adopted_on = DateField(_l("Beschlossen am"), validators=[Optional()], format="%Y-%m-%d")
    superseded_by = SelectField(_l("Abgelöst durch"), coerce=optional_id, validate_choice=False,
                                validators=[Optional()],
                                description=_l("Nur beschlossene Vereinbarungen, die später beschlossen wurden."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for step in TRANSITIONS:
            if step.asks is not None and step.required:
                self[step.asks].flags.required = True

    def values(self) -> dict:
        """What the person gave, by models.DEADLINE / ADOPTED_ON / SUCCESSOR (the workflow's keywords)."""
        deadline = self.deadline.data
        return {DEADLINE: berlin_to_utc(deadline) if deadline else None,
                ADOPTED_ON: self.adopted_on.data,
                SUCCESSOR: self.superseded_by.data}


class CommentFields(Form):
    body = TextAreaField(_l("Kommentar"), validators=[DataRequired(REQUIRED), Length(max=5000, message=TOO_LONG)],
                         description=_l("Bitte sachlich und ohne Daten über Familien oder Kinder."),
                         render_kw={"rows": 4})


class CommentForm(CommentFields, OnceForm):
    """A new comment or reply."""


class CommentEditForm(CommentFields, VersionedForm):
    """`version` is the comment's revision."""


class SignatureForm(OnceForm):
    organisation = SelectField(_l("Organisation"), validators=[DataRequired(REQUIRED)])
    signer_name = StringField(_l("Unterschrieben von"), validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)])
    signer_function = StringField(_l("Funktion"), validators=[Optional(), Length(max=200, message=TOO_LONG)],
                                  description=_l("z. B. Geschäftsführung, Amtsleitung"))
    signed_on = DateField(_l("Datum"), validators=[InputRequired(REQUIRED)], format="%Y-%m-%d")
    accession = BooleanField(_l("Beitritt (die Organisation tritt der beschlossenen Vereinbarung später bei)"))
