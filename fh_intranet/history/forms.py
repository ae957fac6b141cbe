"""The log's typed filters: its period, read as every date field of the app is read
(forms.DateField), and an object's number."""
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Optional, Regexp

from ..forms import DateField, Form

NOT_A_NUMBER = _l("Bitte die Nummer eines Objekts in Ziffern angeben, zum Beispiel 12.")


def _day(label):
    return DateField(label, validators=[Optional()])


class LogFilterForm(Form):
    """`objekt`, `von` and `bis` of /protokoll/. What cannot be read (a half-typed or impossible
    day, letters for a number) is named beside its field: dropped without a word, the log listed
    every change as if nothing had been asked for. A period given the wrong way round is read the
    right way round."""

    class Meta:
        csrf = False  # a GET filter changes nothing

    # an id as the database holds them: 1 to 999,999,999 ("0" and longer numbers named, not dropped)
    objekt = StringField(_l("Objekt-Nr."), validators=[Optional(), Regexp(r"^\s*[1-9]\d{0,8}\s*$", message=NOT_A_NUMBER)],
                         render_kw={"inputmode": "numeric", "autocomplete": "off"})
    von = _day(_l("von (Datum)"))
    bis = _day(_l("bis (Datum)"))
