"""The sectors (Bereiche) organisations belong to: a list the coordinator keeps."""

import peewee
from flask import g, has_app_context

from ..db import BaseModel
from ..people.models import SECTORS


class Sector(BaseModel):
    """One sector. `key` is what organisations store (stable; never changes when the label does),
    `counts_for_kkg` marks the partners § 3 Abs. 2 KKG names, which the coverage view checks.
    Sectors are never deleted: a sector no longer wanted is deactivated and then no longer offered
    for organisations, while those that carry it keep it."""

    key = peewee.CharField(max_length=40, unique=True)
    label = peewee.CharField(max_length=200)
    counts_for_kkg = peewee.BooleanField(default=False)
    position = peewee.IntegerField(default=0)
    active = peewee.BooleanField(default=True)
    version = peewee.IntegerField(default=1)

    @property
    def display_label(self) -> str:
        """The label as the coordinator wrote it; a built-in sector that was never renamed speaks the
        reader's language (its German label is the translation's source)."""
        default = SECTORS.get(self.key)
        if default is not None and default._args[0] == self.label:
            return str(default)
        return self.label

    def __str__(self):
        return self.display_label


def ordered_sectors():
    return Sector.select().order_by(Sector.position, Sector.id)


def all_sectors() -> list[Sector]:
    """Every sector in the coordinator's order, read once per request."""
    if not has_app_context():
        return list(ordered_sectors())
    if "sectors" not in g:
        g.sectors = list(ordered_sectors())
    return g.sectors


def forget_sectors() -> None:
    if has_app_context():
        g.pop("sectors", None)


def sector_label(key: str) -> str:
    for sector in all_sectors():
        if sector.key == key:
            return sector.display_label
    return str(SECTORS.get(key, key))
