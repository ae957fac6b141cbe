"""Offerings, update rounds and the confirmations each organisation gives in a round."""
import uuid
from datetime import timedelta

import peewee
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..db import BaseModel, DateField, DateTimeField, utcnow
from ..people.models import Organisation, Person
from ..timezones import berlin_today

# Who an offering is for: a fixed list, stored as keys (the export's `audience` carries the labels).
TARGET_GROUPS = {
    "pregnancy": _l("Schwangerschaft"),
    "age_0_1": _l("0–1 Jahr"),
    "age_1_3": _l("1–3 Jahre"),
    "age_3_6": _l("3–6 Jahre"),
    "parents": _l("Eltern"),
    "fathers": _l("Väter"),
    "single_parents": _l("Alleinerziehende"),
    "migration": _l("Familien mit Migrationsgeschichte"),
    "disability": _l("Familien mit Kindern mit Behinderung"),
    "young_parents": _l("Junge Eltern"),
    "professionals": _l("Fachkräfte"),
}

FREE, FEE = "free", "fee"
COSTS = {FREE: _l("kostenfrei"), FEE: _l("mit Kosten")}


def new_uid() -> str:
    return str(uuid.uuid4())


def pack_groups(keys) -> str:
    """Target groups as stored: ",key,key," – so a filter finds one key with LIKE '%,key,%'."""
    kept = [key for key in TARGET_GROUPS if key in set(keys or ())]
    return f",{','.join(kept)}," if kept else ""


class Offering(BaseModel):
    # The id used in exports: never reused, whatever happens to the row numbers.
    uid = peewee.CharField(max_length=36, unique=True, default=new_uid)
    organisation = peewee.ForeignKeyField(Organisation, backref="offerings", on_delete="CASCADE")
    title = peewee.CharField(max_length=200)
    description = peewee.TextField(default="")
    target_groups = peewee.CharField(max_length=300, default="")
    languages = peewee.CharField(max_length=200, default="")
    cost = peewee.CharField(max_length=10, default=FREE)
    cost_note = peewee.CharField(max_length=300, default="")
    accessibility = peewee.TextField(default="")
    outreach = peewee.BooleanField(default=False)
    address = peewee.TextField(default="")
    district = peewee.CharField(max_length=100, default="", index=True)
    phone = peewee.CharField(max_length=60, default="")
    email = peewee.CharField(max_length=254, default="")
    hours = peewee.CharField(max_length=300, default="")
    registration_required = peewee.BooleanField(default=False)
    valid_until = DateField(null=True)
    published = peewee.BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    # Saving an entry confirms it, and so does "Angaben sind aktuell" for the organisation.
    confirmed_at = DateTimeField(default=utcnow, index=True)
    confirmed_by = peewee.ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    version = peewee.IntegerField(default=1)

    @property
    def groups(self) -> list[str]:
        return [key for key in self.target_groups.strip(",").split(",") if key in TARGET_GROUPS]

    @property
    def group_labels(self) -> list[str]:
        return [str(TARGET_GROUPS[key]) for key in self.groups]

    @property
    def cost_label(self):
        return COSTS.get(self.cost, self.cost)

    @property
    def language_list(self) -> list[str]:
        return [part.strip() for part in self.languages.split(",") if part.strip()]

    @property
    def is_stale(self) -> bool:
        return self.confirmed_at < stale_before()

    @property
    def is_expired(self) -> bool:
        return self.valid_until is not None and self.valid_until < berlin_today()

    def __str__(self):
        return self.title


def stale_before():
    """Entries last confirmed before this moment are stale (OFFERINGS_STALE_DAYS)."""
    return utcnow() - timedelta(days=current_app.config["OFFERINGS_STALE_DAYS"])


class UpdateRound(BaseModel):
    """An Aktualisierungsrunde: every organisation with offerings is asked to confirm or change them."""
    title = peewee.CharField(max_length=200)
    deadline = DateField()
    opened_at = DateTimeField(default=utcnow)
    opened_by = peewee.ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    reminded_at = DateTimeField(null=True)

    @property
    def is_open(self) -> bool:
        return self.deadline >= berlin_today()


class RoundConfirmation(BaseModel):
    """One organisation asked in one round: when it was told, reminded, and when it confirmed."""
    round = peewee.ForeignKeyField(UpdateRound, backref="confirmations", on_delete="CASCADE")
    organisation = peewee.ForeignKeyField(Organisation, backref="+", on_delete="CASCADE")
    notified_at = DateTimeField(default=utcnow)
    reminded_at = DateTimeField(null=True)
    confirmed_at = DateTimeField(null=True)
    confirmed_by = peewee.ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")

    class Meta:
        indexes = ((("round", "organisation"), True),)
