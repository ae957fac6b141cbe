from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import FORMATTED_TEXT_HINT, REQUIRED, TOO_LONG, Form, OnceForm, VersionedForm


class _WorkshopFields(Form):
    title = StringField(_l("Thementisch"), validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)])
    host = SelectField(_l("Moderation"), validators=[Optional()],
                       description=_l("Zur Wahl stehen alle, die das Ergebnis des Thementischs eintragen können: "
                                      "die Koordination und die Mitglieder der Steuerungsgruppe."))


class WorkshopForm(_WorkshopFields, OnceForm):
    """A new Thementisch; its one-time token makes a double submit add it once."""


class WorkshopEditForm(_WorkshopFields, VersionedForm):
    """Renaming a Thementisch or changing its host: carries the version it was loaded with."""


class _OutputFields(Form):
    text = TextAreaField(_l("Ergebnis"), validators=[Optional(), Length(max=20_000, message=TOO_LONG)],
                         description=FORMATTED_TEXT_HINT, render_kw={"rows": 8})
    files = MultipleFileField(_l("Fotos oder PDF (optional)"),
                              description=_l("JPEG, PNG, WebP oder PDF, je Datei höchstens %(mb)d MB. "
                                             "Ortsangaben und Kameradaten werden aus Fotos entfernt; eine "
                                             "PDF-Datei wird weitergegeben, wie sie ist (mit Verfasser und "
                                             "eingebetteten Bildern)."),
                              render_kw={"accept": "image/jpeg,image/png,image/webp,application/pdf", "multiple": True})


class NewOutputForm(_OutputFields, OnceForm):
    """A new output; its one-time token makes a double submit store it once."""


class OutputForm(_OutputFields, VersionedForm):
    """Editing an output: carries the version it was loaded with."""


class ToTopicForm(OnceForm):
    """The button that proposes an output as a topic."""
