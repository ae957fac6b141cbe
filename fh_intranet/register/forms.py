from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from ..forms import REQUIRED, TOO_LONG, OnceForm, VersionedForm


class SectorFields:
    label = StringField(_l("Bezeichnung"), validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)])
    counts_for_kkg = BooleanField(
        _l("Zählt zu den Partnern nach § 3 Abs. 2 KKG"),
        description=_l("Die Übersicht „Abdeckung“ prüft diese Bereiche auf Lücken."))


class SectorCreateForm(SectorFields, OnceForm):
    pass


class SectorForm(SectorFields, VersionedForm):
    active = BooleanField(_l("Aktiv (für Organisationen auswählbar)"),
                          description=_l("Ein deaktivierter Bereich bleibt bei den Organisationen stehen, die ihn "
                                         "haben, wird aber nicht mehr angeboten."))
