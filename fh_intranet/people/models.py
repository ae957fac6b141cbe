"""Organisations and the people of the network."""
import secrets
from collections import Counter
from datetime import date

import peewee
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin

from ..db import BaseModel, DateField, DateTimeField, utcnow
from ..timezones import berlin_today

COORDINATOR = "coordinator"
MEMBER = "member"
PARTNER = "partner"
ROLES = (COORDINATOR, MEMBER, PARTNER)
ROLE_LABELS = {
    COORDINATOR: _l("Netzwerkkoordination"),
    MEMBER: _l("Mitglied der Steuerungsgruppe"),
    PARTNER: _l("Netzwerkpartner:in"),
}

# The partners that § 3 Abs. 2 KKG names for a network Frühe Hilfen.
SECTORS = {
    "youth_public": _l("Kinder- und Jugendhilfe (öffentlich)"),
    "youth_free": _l("Kinder- und Jugendhilfe (frei)"),
    "health_office": _l("Gesundheitsamt"),
    "maternity_clinic": _l("Geburtsklinik / Krankenhaus"),
    "paediatric_practice": _l("Kinder- und Jugendarztpraxis"),
    "midwives": _l("Hebammen und Familienhebammen (FGKiKP)"),
    "pregnancy_counselling": _l("Schwangerschafts(konflikt)beratung"),
    "early_intervention": _l("Frühförderung / SPZ"),
    "family_education": _l("Familienbildung / Familienzentrum"),
    "day_care": _l("Kindertagesbetreuung"),
    "counselling": _l("Beratungsstelle"),
    "social_services": _l("Sozialamt / Jobcenter / Familienkasse"),
    "school": _l("Schule"),
    "police": _l("Polizei / Ordnungsbehörde"),
    "family_court": _l("Familiengericht"),
    "violence_protection": _l("Gewaltschutz"),
    "migration": _l("Migration und Integration"),
    "multigenerational_house": _l("Mehrgenerationenhaus"),
    "other": _l("Sonstige"),
}
# The built-in sectors that § 3 Abs. 2 KKG names (the rest are further partners). The coordinator
# keeps the list in the `sector` table (fh_intranet/register): these are its defaults, and give
# the English labels of the defaults that were not renamed.
KKG_SECTORS = frozenset(SECTORS) - {"migration", "multigenerational_house", "other"}


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class Organisation(BaseModel):
    name = peewee.CharField(max_length=200, unique=True)
    sector = peewee.CharField(max_length=40, default="other")
    address = peewee.TextField(default="")
    contact_name = peewee.CharField(max_length=200, default="")
    contact_email = peewee.CharField(max_length=254, default="")
    contact_phone = peewee.CharField(max_length=60, default="")
    # The partner register: where the organisation works (Sozialraum / Ort, free text the register
    # groups by) and when it joined and (optionally) left the network.
    district = peewee.CharField(max_length=100, default="", index=True)
    joined_on = DateField(null=True)
    left_on = DateField(null=True)
    created_at = DateTimeField(default=utcnow)
    version = peewee.IntegerField(default=1)

    @property
    def sector_label(self):
        from ..register.models import sector_label

        return sector_label(self.sector)

    def has_left(self, today: date | None = None) -> bool:
        """Left the network: from the day `left_on` on, the organisation is no longer an active partner."""
        return self.left_on is not None and self.left_on <= (today or berlin_today())

    @property
    def is_active_partner(self) -> bool:
        return not self.has_left()

    def __str__(self):
        return self.name


class Person(UserMixin, BaseModel):
    name = peewee.CharField(max_length=200)
    email = peewee.CharField(max_length=254, unique=True)
    organisation = peewee.ForeignKeyField(
        Organisation, null=True, backref="people", on_delete="SET NULL"
    )
    function = peewee.CharField(max_length=200, default="")
    role = peewee.CharField(max_length=20, default=PARTNER)
    password_hash = peewee.CharField(max_length=255, null=True)
    active = peewee.BooleanField(default=True)
    locale = peewee.CharField(max_length=5, default="de")
    # Part of the login cookie: changing it logs the person out everywhere.
    session_token = peewee.CharField(max_length=64, default=new_session_token)
    created_at = DateTimeField(default=utcnow)
    last_login_at = DateTimeField(null=True)
    deactivated_at = DateTimeField(null=True)
    # Set when a departed person was anonymised (people.anonymisation): for good, never undone.
    anonymised_at = DateTimeField(null=True)
    version = peewee.IntegerField(default=1)

    # Flask-Login
    @property
    def is_active(self):
        return self.active and self.password_hash is not None

    def get_id(self):
        return f"{self.id}:{self.session_token}"

    def rotate_session_token(self):
        """Ends every session and remember-me cookie of this person."""
        self.session_token = new_session_token()

    @property
    def role_label(self):
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def is_coordinator(self):
        return self.role == COORDINATOR

    @property
    def is_anonymised(self):
        return self.anonymised_at is not None

    @property
    def has_accepted_invitation(self):
        return self.password_hash is not None

    def __str__(self):
        return self.name


def with_organisation_name(query):
    """`query` over people, with their organisation's name as `organisation_name` (for
    `choice_labels`): a column of its own, not a join, which would make peewee replace the
    person's organisation by a half-read one."""
    organisation = Organisation.alias()
    name = organisation.select(organisation.name).where(organisation.id == Person.organisation)
    return query.select_extend(name.alias("organisation_name"))


def choice_labels(people) -> list[tuple[int, str]]:
    """(id, label) for a select of people: the name, and where two share it, their organisation
    (or role) after it, then their function, then their number, until no two labels are alike; ten
    years of a network hold three Jan Köhlers. Give people read by `with_organisation_name`, with
    their function."""
    people = list(people)
    labels = {p.id: p.name for p in people}
    for shown in (1, 2, 3):  # how many of the details a label still alike takes on
        alike = Counter(labels.values())
        for p in people:
            if alike[labels[p.id]] > 1:
                details = [p.organisation_name or str(p.role_label), p.function, str(_l("Nr. %(id)d", id=p.id))]
                labels[p.id] = f"{p.name} ({', '.join(part for part in details[:shown] if part)})"
    return [(p.id, labels[p.id]) for p in people]
