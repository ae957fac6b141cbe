"""The log's typed filters: its period, read as every date field of the app is read
(forms.DateField), and an object's number."""
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Optional, Regexp

from ..forms import DateField, Form

NOT_A_DAY = _l("Dieses Datum ist nicht lesbar. Bitte als TT.MM.JJJJ angeben.")
NOT_A_NUMBER = _l("Bitte nur die Nummer in Ziffern angeben, zum Beispiel 12.")


def _day(label):
    # ISO as the date input sends it; TT.MM.JJJJ as typed where a browser shows a text field.
    return DateField(label, validators=[Optional()], format=["%Y-%m-%d", "%d.%m.%Y"], invalid_value_message=NOT_A_DAY)


class LogFilterForm(Form):
    """`objekt`, `von` and `bis` of /protokoll/. What cannot be read (a half-typed or impossible
    day, letters for a number) is named beside its field: dropped without a word, the log listed
    every change as if nothing had been asked for. A period given the wrong way round is read the
    right way round."""

    class Meta:
        csrf = False  # a GET filter changes nothing

    objekt = StringField(_l("Objekt-Nr."), validators=[Optional(), Regexp(r"^\s*\d{1,9}\s*$", message=NOT_A_NUMBER)],
                         render_kw={"inputmode": "numeric", "autocomplete": "off"})
    von = _day(_l("von (Datum)"))
    bis = _day(_l("bis (Datum)"))
