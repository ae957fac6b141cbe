"""The log's period filter, read as every date field of the app is read (forms.DateField)."""
from flask_babel import lazy_gettext as _l
from wtforms.validators import Optional

from ..forms import DateField, Form

NOT_A_DAY = _l("Dieses Datum ist nicht lesbar. Bitte als TT.MM.JJJJ angeben.")


def _day(label):
    # ISO as the date input sends it; TT.MM.JJJJ as typed where a browser shows a text field.
    return DateField(label, validators=[Optional()], format=["%Y-%m-%d", "%d.%m.%Y"], invalid_value_message=NOT_A_DAY)


class LogPeriod(Form):
    """`von`/`bis` of /protokoll/. A half-typed, unreadable or impossible day is named beside its
    field: dropped without a word, the log listed every change as if no period had been asked for."""

    class Meta:
        csrf = False  # a GET filter changes nothing

    von = _day(_l("von (Datum)"))
    bis = _day(_l("bis (Datum)"))
