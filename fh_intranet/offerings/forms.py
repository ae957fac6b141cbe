"""The offering form (create and edit) and the form that opens an update round."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..forms import REQUIRED, TOO_LONG, DateField, EmailAddress, OnceForm, SelectMultipleField, VersionedForm, choices
from .models import COSTS, FREE, TARGET_GROUPS


def _length(limit):
    return Length(max=limit, message=TOO_LONG)


class OfferingFields:
    title = StringField(_l("Titel des Angebots"), validators=[DataRequired(REQUIRED), _length(200)])
    description = TextAreaField(_l("Kurzbeschreibung"), validators=[Optional(), _length(2000)],
                                description=_l("Zwei, drei Sätze: Was erwartet die Familien?"))
    target_groups = SelectMultipleField(_l("Zielgruppen"), choices=choices(TARGET_GROUPS),
                                        validators=[DataRequired(_l("Bitte mindestens eine Zielgruppe wählen."))])
    languages = StringField(_l("Sprachen"), validators=[Optional(), _length(200)],
                            description=_l("Mit Komma getrennt, z. B. „Deutsch, Türkisch, Arabisch“."))
    cost = RadioField(_l("Kosten"), choices=choices(COSTS), default=FREE,
                      validators=[InputRequired(REQUIRED)])
    cost_note = StringField(_l("Hinweis zu den Kosten"), validators=[Optional(), _length(300)],
                            description=_l("Zum Beispiel „5 € pro Termin, Ermäßigung möglich“."))
    accessibility = TextAreaField(_l("Barrierefreiheit"), validators=[Optional(), _length(1000)],
                                  description=_l("Zugang mit Rollstuhl oder Kinderwagen, Gebärdensprache, "
                                                 "Leichte Sprache …"))
    outreach = BooleanField(_l("Aufsuchend (wir kommen zu den Familien)"))
    address = TextAreaField(_l("Ort (Anschrift)"), validators=[Optional(), _length(500)])
    district = StringField(_l("Sozialraum / Ort"), validators=[DataRequired(REQUIRED), _length(100)],
                           description=_l("Wo das Angebot stattfindet, z. B. „Altstadt“ oder „Nordstadt“."))
    phone = StringField(_l("Telefon"), validators=[Optional(), _length(60)], render_kw={"autocomplete": "off"})
    email = EmailField(_l("E-Mail"), validators=[Optional(), EmailAddress()])
    hours = StringField(_l("Sprechzeiten / Termine"), validators=[Optional(), _length(300)])
    registration_required = BooleanField(_l("Anmeldung erforderlich"))
    valid_until = DateField(_l("Gültig bis"), validators=[Optional()],
                            description=_l("Leer lassen, wenn das Angebot dauerhaft besteht."))
    published = BooleanField(_l("Im Verzeichnis veröffentlichen"), default=True,
                             description=_l("Nur veröffentlichte Angebote erscheinen in den Exporten und im "
                                            "öffentlichen Verzeichnis. Telefon und E-Mail des Angebots werden "
                                            "dort mit veröffentlicht."))


class OfferingCreateForm(OnceForm, OfferingFields):
    pass


class OfferingForm(VersionedForm, OfferingFields):
    pass


class RoundForm(OnceForm):
    title = StringField(_l("Titel der Runde"), validators=[DataRequired(REQUIRED), _length(200)],
                        description=_l("Zum Beispiel „Familienwegweiser 2027“."))
    deadline = DateField(_l("Frist"), validators=[InputRequired(REQUIRED)])
