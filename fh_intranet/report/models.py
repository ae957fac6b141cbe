"""One row per report year: the coordinator's text blocks and, once finalised, the frozen figures."""
import json

import peewee

from ..db import BaseModel, DateTimeField, utcnow
from ..people.models import Person


class AnnualReport(BaseModel):
    """The row appears when the coordinator first saves text for the year (version 0 means
    "nothing stored yet" to the edit form). `snapshot` is the JSON of every figure and table,
    written when the report is finalised; from then on the page, PDF and CSV show it."""

    year = peewee.IntegerField(unique=True)
    introduction = peewee.TextField(default="")
    outlook = peewee.TextField(default="")
    version = peewee.IntegerField(default=1)
    finalised_at = DateTimeField(null=True)
    finalised_by = peewee.ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    snapshot = peewee.TextField(null=True)
    created_at = DateTimeField(default=utcnow)

    @property
    def is_final(self) -> bool:
        return self.finalised_at is not None

    @property
    def figures(self) -> dict | None:
        return json.loads(self.snapshot) if self.snapshot else None
