from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from ..auth.forms import EMAIL_INVALID
from ..forms import REQUIRED, Form, OnceForm, VersionedForm, choices
from .models import ROLE_LABELS, SECTORS, Organisation

TOO_LONG = _l("Bitte höchstens %(max)d Zeichen.")


def organisation_choices():
    return choices([("", _l("– keine –"))] + [
        (str(org.id), org.name) for org in Organisation.select().order_by(Organisation.name)
    ])


class PersonFields:
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)],
                       render_kw={"autocomplete": "off"})
    email = EmailField(_l("E-Mail-Adresse"),
                       validators=[DataRequired(REQUIRED), Email(EMAIL_INVALID, check_deliverability=False),
                                   Length(max=254, message=TOO_LONG)],
                       render_kw={"autocomplete": "off"})
    organisation = SelectField(_l("Organisation"), validators=[Optional()])
    function = StringField(_l("Funktion"), validators=[Optional(), Length(max=200, message=TOO_LONG)],
                           description=_l("z. B. Familienhebamme, Leitung Familienzentrum"))
    role = SelectField(_l("Rolle"), choices=choices(ROLE_LABELS),
                       description=_l("Netzwerkpartner:innen lesen nur Veröffentlichtes; Mitglieder der "
                                      "Steuerungsgruppe kommentieren und stimmen ab; die Netzwerkkoordination "
                                      "verwaltet alles."))

    def load_choices(self):
        self.organisation.choices = organisation_choices()
        return self


class InviteForm(PersonFields, OnceForm):
    pass


class PersonForm(PersonFields, VersionedForm):
    pass


class AnonymiseForm(Form):
    """The second look before anonymising: a box to tick, so a stray click changes nothing."""
    confirm = BooleanField(
        _l("Ich habe verstanden, dass Name und Kontaktdaten endgültig gelöscht werden."),
        validators=[InputRequired(_l("Bitte bestätigen Sie, dass die Person anonymisiert werden soll."))])


class OrganisationFields:
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)])
    sector = SelectField(_l("Bereich"), choices=choices(SECTORS),
                         description=_l("Nach den Partnern, die § 3 Abs. 2 KKG für Netzwerke Frühe Hilfen nennt."))
    address = TextAreaField(_l("Anschrift"), validators=[Optional(), Length(max=1000, message=TOO_LONG)])
    contact_name = StringField(_l("Ansprechperson"), validators=[Optional(), Length(max=200, message=TOO_LONG)])
    contact_email = EmailField(_l("E-Mail für Kontakt"),
                               validators=[Optional(), Email(EMAIL_INVALID, check_deliverability=False),
                                           Length(max=254, message=TOO_LONG)])
    contact_phone = StringField(_l("Telefon"), validators=[Optional(), Length(max=60, message=TOO_LONG)])


class OrganisationCreateForm(OrganisationFields, OnceForm):
    pass


class OrganisationForm(OrganisationFields, VersionedForm):
    pass
