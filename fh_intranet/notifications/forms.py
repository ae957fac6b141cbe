from flask_babel import lazy_gettext as _l
from wtforms import RadioField

from ..forms import Form
from ..forms import choices as select_choices
from .kinds import KINDS
from .models import DIGEST, IMMEDIATE, OFF

# Short, to stand side by side on a phone; the page's introduction says that „täglich“ is a
# daily summary.
CHANNEL_CHOICES = [(IMMEDIATE, _l("sofort")), (DIGEST, _l("täglich")), (OFF, _l("aus"))]
CALENDAR_CHOICES = [(IMMEDIATE, _l("ja, als E-Mail mit .ics-Datei")), (OFF, _l("nein"))]


def preferences_form(person, channels: dict[str, str] | None = None) -> Form:
    """One choice per kind that can concern the person (a partner never votes, comments on
    drafts or reads the coordination's mail); `channels` fills it when the page is first shown.
    Radio buttons: two or three choices read whole, where a select on a phone cut off
    „tägliche Zusammenfas…“."""

    class PreferencesForm(Form):
        pass

    for code, kind in KINDS.items():
        if not kind.concerns(person):
            continue
        pairs = CALENDAR_CHOICES if code == "meeting.calendar" else CHANNEL_CHOICES
        setattr(PreferencesForm, field_name(code), RadioField(kind.label, choices=select_choices(pairs)))
    form = PreferencesForm(data={field_name(c): v for c, v in (channels or {}).items()} if channels else None)
    return form


def field_name(kind_code: str) -> str:
    return "kind_" + kind_code.replace(".", "_")


def chosen(form) -> dict[str, str]:
    return {code: form[field_name(code)].data for code in KINDS if field_name(code) in form}
