from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..forms import REQUIRED, TOO_LONG, DateField, EmailAddress, Form, OnceForm, VersionedForm, choices, with_placeholder
from .models import ROLE_LABELS, Organisation


def organisation_choices():
    return choices([("", _l("– keine –"))] + [
        (str(org.id), org.name) for org in Organisation.select().order_by(Organisation.name)
    ])


ROLE_HINT = _l("Netzwerkpartner:innen lesen nur Veröffentlichtes; Mitglieder der Steuerungsgruppe kommentieren "
               "und stimmen ab; die Netzwerkkoordination verwaltet alles.")


ROLE_MISSING = _l("Bitte wählen Sie die Rolle der Person.")


class PersonFields:
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)],
                       render_kw={"autocomplete": "off"})
    email = EmailField(_l("E-Mail-Adresse"),
                       validators=[DataRequired(REQUIRED), EmailAddress()],
                       render_kw={"autocomplete": "off"})
    organisation = SelectField(_l("Organisation"), validators=[Optional()])
    function = StringField(_l("Funktion"), validators=[Optional(), Length(max=200, message=TOO_LONG)],
                           description=_l("z. B. Familienhebamme, Leitung Familienzentrum"))
    # Radio buttons: three roles read whole (a select on a phone showed „Mitglied der Steuerung…“).
    role = RadioField(_l("Rolle"), choices=choices(ROLE_LABELS), description=ROLE_HINT)

    def load_choices(self):
        self.organisation.choices = organisation_choices()
        return self


class InviteForm(PersonFields, OnceForm):
    # Chosen every time, never preselected: the first role is the coordination's, with every right.
    role = RadioField(_l("Rolle"), choices=choices(ROLE_LABELS), description=ROLE_HINT,
                      validators=[InputRequired(ROLE_MISSING)], invalid_choice_message=ROLE_MISSING)


class PersonForm(PersonFields, VersionedForm):
    pass


class AnonymiseForm(Form):
    """The second look before anonymising: a box to tick, so a stray click changes nothing."""
    confirm = BooleanField(
        _l("Ich habe verstanden, dass Name und Kontaktdaten endgültig gelöscht werden."),
        validators=[InputRequired(_l("Bitte bestätigen Sie, dass die Person anonymisiert werden soll."))])


class OrganisationFields:
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)])
    sector = SelectField(_l("Bereich"), validators=[DataRequired(REQUIRED)],
                         description=_l("Nach den Partnern, die § 3 Abs. 2 KKG für Netzwerke Frühe Hilfen nennt."))
    district = StringField(_l("Sozialraum / Ort"), validators=[Optional(), Length(max=100, message=TOO_LONG)],
                           description=_l("Wie in der Liste vorgeschlagen schreiben, damit das Partnerregister "
                                          "gleiche Sozialräume zusammenzählt."),
                           render_kw={"list": "district-options", "autocomplete": "off"})
    joined_on = DateField(_l("Im Netzwerk seit"), validators=[Optional()], format="%Y-%m-%d")
    left_on = DateField(_l("Ausgeschieden am"), validators=[Optional()], format="%Y-%m-%d",
                        description=_l("Leer lassen, solange die Organisation Partner ist. Ab diesem Tag "
                                       "zählt sie nicht mehr als aktiver Partner."))
    address = TextAreaField(_l("Anschrift"), validators=[Optional(), Length(max=1000, message=TOO_LONG)])
    contact_name = StringField(_l("Ansprechperson"), validators=[Optional(), Length(max=200, message=TOO_LONG)])
    contact_email = EmailField(_l("E-Mail für Kontakt"),
                               validators=[Optional(), EmailAddress()])
    contact_phone = StringField(_l("Telefon"), validators=[Optional(), Length(max=60, message=TOO_LONG)])


    def load_choices(self, current_sector: str | None = None):
        """The active sectors, and the organisation's own even if it was deactivated since."""
        from ..register.models import all_sectors

        self.sector.choices = choices(with_placeholder([
            (sector.key, sector.display_label) for sector in all_sectors()
            if sector.active or sector.key == current_sector]))
        return self

    def validate_left_on(self, field):
        if field.data and self.joined_on.data and field.data < self.joined_on.data:
            raise ValidationError(_l("Das Datum des Ausscheidens liegt vor dem Beitritt."))


class OrganisationCreateForm(OrganisationFields, OnceForm):
    pass


class OrganisationForm(OrganisationFields, VersionedForm):
    pass
