"""Every change to the sector list (the coordinator's): one write transaction each, audited."""
from __future__ import annotations

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from peewee import IntegrityError, fn

from .. import audit
from ..changes import EditConflict, Refused, create_once, locked, parse_version, reason, update_versioned
from ..db import serialize, write_transaction
from ..people.models import Person
from .models import Sector, forget_sectors, ordered_sectors

LABEL_TAKEN = reason("sectors.label_taken", _l("Einen Bereich mit dieser Bezeichnung gibt es schon."))
SECTOR_GONE = reason("sectors.gone", _l("Diesen Bereich gibt es nicht mehr."))

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def key_for(label: str, taken: set[str]) -> str:
    """A stable key from the first label: lower-case ASCII words joined by "_", unique."""
    folded = unicodedata.normalize("NFKD", label.lower().translate(_UMLAUTS))
    base = re.sub(r"[^a-z0-9]+", "_", folded.encode("ascii", "ignore").decode()).strip("_")[:34] or "bereich"
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}_{number}"
    return key


def _refuse_taken_label(label: str, except_id=None) -> None:
    serialize("sector.label")
    query = Sector.select().where(fn.LOWER(Sector.label) == label.lower())
    if except_id is not None:
        query = query.where(Sector.id != except_id)
    if query.exists():
        raise Refused(LABEL_TAKEN)


def create_sector(*, label: str, counts_for_kkg: bool, actor: Person, token: str | None) -> Sector:
    label = " ".join(label.split())

    def create() -> Sector:
        _refuse_taken_label(label)
        taken = {row.key for row in Sector.select(Sector.key)}
        last = Sector.select(fn.MAX(Sector.position)).scalar() or 0
        sector = Sector.create(key=key_for(label, taken), label=label, counts_for_kkg=counts_for_kkg,
                               position=last + 1)
        audit.record("sector.created", sector, actor=actor, label=label, counts_for_kkg=counts_for_kkg)
        return sector

    try:
        sector = create_once(token, Sector, create)
    except IntegrityError:
        raise Refused(LABEL_TAKEN) from None
    forget_sectors()
    return sector


def update_sector(sector: Sector, expected_version, *, label: str, counts_for_kkg: bool, active: bool,
                  actor: Person) -> Sector:
    """Rename, mark as § 3 KKG or not, (de)activate; raises EditConflict when someone saved in between.
    The key stays: organisations keep their sector whatever it is called."""
    label = " ".join(label.split())
    with write_transaction():
        current = locked(Sector.select().where(Sector.id == sector.id)).get_or_none()
        if current is None:
            raise Refused(SECTOR_GONE)
        if current.version != parse_version(expected_version):
            raise EditConflict(current)
        _refuse_taken_label(label, except_id=current.id)
        changed = update_versioned(current, expected_version,
                                   {"label": label, "counts_for_kkg": counts_for_kkg, "active": active})
        if changed:
            audit.record("sector.updated", current, actor=actor, changes=changed)
    forget_sectors()
    return current


def move_sector(sector: Sector, step: int, *, actor: Person) -> None:
    """One place up (-1) or down (+1); positions are renumbered 1..n."""
    with write_transaction():
        sectors = list(locked(ordered_sectors()))
        index = next((i for i, other in enumerate(sectors) if other.id == sector.id), None)
        if index is None:
            raise Refused(SECTOR_GONE)
        target = index + step
        if not 0 <= target < len(sectors):
            return
        sectors[index], sectors[target] = sectors[target], sectors[index]
        for position, row in enumerate(sectors, start=1):
            if row.position != position:
                Sector.update(position=position).where(Sector.id == row.id).execute()
        audit.record("sector.moved", sector, actor=actor, to=target + 1)
    forget_sectors()
