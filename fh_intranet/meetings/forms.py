from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..forms import (
    FORMATTED_TEXT_HINT,
    REQUIRED,
    TOO_LONG,
    DateField,
    DateTimeLocalField,
    OnceForm,
    SelectMultipleField,
    VersionedForm,
    bounded_version,
    choices,
)
from .models import BODY_KINDS, MEETING_KINDS

PRIVACY = _l("Keine Daten über Familien oder Kinder eintragen.")
NOTES_MAX = 50_000  # an agenda item's notes, also when corrected
DECISION_MAX = 2000  # a decision's text, also when corrected
INCOMPLETE = _l("Das Formular ist unvollständig. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.")


class EditForm(VersionedForm):
    """An edit form that must say which version it was loaded with.

    Without the version a save could not tell a stale form from a fresh one; such a request is
    refused as incomplete (422) rather than guessed at. The message goes to the form's errors,
    as the hidden field has no place of its own on the page.
    """

    version = HiddenField(validators=[InputRequired(INCOMPLETE)], filters=[bounded_version])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        self.form_errors.extend(self.version.errors)
        return valid


# --- bodies -----------------------------------------------------------------------------------

class BodyFields:
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)])
    kind = SelectField(_l("Art"), choices=choices(BODY_KINDS))
    description = TextAreaField(_l("Aufgabenbereich"), validators=[Optional(), Length(max=2000, message=TOO_LONG)])


class BodyCreateForm(BodyFields, OnceForm):
    pass


class BodyForm(BodyFields, EditForm):
    pass


class MembersForm(EditForm):
    """Members and chair together; the version is the body's (the chair is one of its fields)."""

    members = SelectMultipleField(_l("Mitglieder"), coerce=int, validate_choice=True)
    chair = SelectField(_l("Vorsitz"), validators=[Optional()])


# --- meetings ---------------------------------------------------------------------------------

class MeetingFields:
    title = StringField(_l("Titel"), validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)])
    kind = SelectField(_l("Art"), choices=choices(MEETING_KINDS))
    starts_at = DateTimeLocalField(_l("Beginn"), validators=[InputRequired(REQUIRED)], format="%Y-%m-%dT%H:%M")
    ends_at = DateTimeLocalField(_l("Ende"), validators=[InputRequired(REQUIRED)], format="%Y-%m-%dT%H:%M")
    place = StringField(_l("Ort"), validators=[Optional(), Length(max=300, message=TOO_LONG)])

    def validate_ends_at(self, field):
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("Das Ende muss nach dem Beginn liegen."))


class MeetingCreateForm(MeetingFields, OnceForm):
    pass


class MeetingForm(MeetingFields, EditForm):
    pass


class AttendanceForm(EditForm):
    """The whole attendance list at once (radio buttons `status-<person id>`, read by the view);
    the version is the meeting's attendance_version."""


# --- agenda, decisions, action items ----------------------------------------------------------

class AgendaItemForm(OnceForm):
    title = StringField(_l("Tagesordnungspunkt"), validators=[DataRequired(REQUIRED), Length(max=300, message=TOO_LONG)])


class AgendaItemEditForm(EditForm):
    title = StringField(_l("Titel"), validators=[DataRequired(REQUIRED), Length(max=300, message=TOO_LONG)])
    notes = TextAreaField(_l("Notizen"), validators=[Optional(), Length(max=NOTES_MAX, message=TOO_LONG)],
                          description=FORMATTED_TEXT_HINT, render_kw={"rows": 8})


class DecisionFields:
    text = TextAreaField(_l("Beschluss"), validators=[DataRequired(REQUIRED), Length(max=DECISION_MAX, message=TOO_LONG)],
                         render_kw={"rows": 2})


class DecisionForm(DecisionFields, OnceForm):
    pass


class DecisionEditForm(DecisionFields, EditForm):
    pass


class ActionItemFields:
    what = StringField(_l("Aufgabe"), validators=[DataRequired(REQUIRED), Length(max=1000, message=TOO_LONG)])
    person = SelectField(_l("Wer"), validators=[DataRequired(REQUIRED)])
    due_on = DateField(_l("Bis"), validators=[Optional()], format="%Y-%m-%d")


class ActionItemForm(ActionItemFields, OnceForm):
    pass


class ActionItemEditForm(ActionItemFields, EditForm):
    pass


class TickForm(EditForm):
    """The tick button ("Als erledigt abhaken" / "Wieder öffnen"): the wanted state and the
    version of the action item it was shown with."""

    erledigt = HiddenField()
    zurueck = HiddenField()


# --- attendance, guests, comments, corrections ----------------------------------------------------

class GuestForm(OnceForm):
    name = StringField(_l("Name des Gastes"), validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200, message=TOO_LONG)])


class MinutesCommentForm(OnceForm):
    body = TextAreaField(_l("Anmerkung zum Entwurf"), validators=[DataRequired(REQUIRED), Length(max=5000, message=TOO_LONG)],
                         description=PRIVACY, render_kw={"rows": 3})


NOTES_TOO_LONG = _l("Die Notizen eines Tagesordnungspunkts sind zu lang: bitte höchstens %(max)d Zeichen.")
DECISION_TOO_LONG = _l("Ein Beschluss ist zu lang: bitte höchstens %(max)d Zeichen.")


class CorrectionForm(EditForm):
    """`version` is the number of the latest revision the correction is based on.

    The corrected texts come per item (`notes-<agenda item id>`, `decision-<decision id>`, written
    by the template and read by the view); they are held to the limits of the forms that first
    wrote them, so a correction cannot publish what the edit forms would have refused.
    """

    reason = TextAreaField(_l("Grund der Korrektur"),
                           validators=[DataRequired(_l("Bitte geben Sie einen Grund für die Korrektur an.")),
                                       Length(max=2000, message=TOO_LONG)],
                           description=_l("Der Grund ist für alle Lesenden sichtbar."), render_kw={"rows": 2})

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        super().process(formdata, obj, data=data, extra_filters=extra_filters, **kwargs)
        self.sent = self.meta.wrap_formdata(self, formdata) or {}

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for prefix, limit, message in (("notes-", NOTES_MAX, NOTES_TOO_LONG),
                                       ("decision-", DECISION_MAX, DECISION_TOO_LONG)):
            pairs = self.sent.items(multi=True) if hasattr(self.sent, "getlist") else self.sent.items()
            if any(len(value) > limit for key, value in pairs if key.startswith(prefix)):
                self.form_errors.append(message % {"max": limit})
                valid = False
        return valid
