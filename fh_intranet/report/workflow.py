"""Every change to an annual report: one write transaction each, audited."""
from __future__ import annotations

import json

from flask_babel import lazy_gettext as _l
from peewee import IntegrityError

from .. import audit
from ..changes import EditConflict, Refused, locked, parse_version, reason, update_versioned
from ..db import serialize, utcnow, write_transaction
from ..people.models import Person
from . import queries
from .models import AnnualReport

ALREADY_FINAL = reason("report.final", _l("Dieser Bericht ist bereits abgeschlossen und kann nicht mehr "
                                            "geändert werden."))


def report_for(year: int) -> AnnualReport | None:
    return AnnualReport.get_or_none(AnnualReport.year == year)


def _stored_or_new(year: int) -> AnnualReport:
    """The year's row, locked; a new one at version 0 (what an edit form of a year without text carries)."""
    serialize(f"report.{year}")
    report = locked(AnnualReport.select().where(AnnualReport.year == year)).get_or_none()
    if report is None:
        report = AnnualReport.create(year=year, version=0)
    return report


def save_texts(year: int, expected_version, *, introduction: str, outlook: str, actor: Person) -> AnnualReport:
    """The coordinator's text blocks; raises EditConflict when someone saved in between."""
    try:
        with write_transaction():
            report = _stored_or_new(year)
            if report.is_final:
                raise Refused(ALREADY_FINAL)
            if report.version != parse_version(expected_version):
                raise EditConflict(report)
            changed = update_versioned(report, expected_version,
                                       {"introduction": introduction, "outlook": outlook})
            audit.record("report.texts_saved", report, actor=actor, year=year, changed=sorted(changed))
    except IntegrityError:  # created by someone else at the same moment
        raise EditConflict(report_for(year)) from None
    return report


def finalise(year: int, *, actor: Person) -> AnnualReport:
    """Freeze the year's figures: the snapshot is what the page, PDF and CSV show from now on."""
    with write_transaction():
        report = _stored_or_new(year)
        if report.is_final:
            raise Refused(ALREADY_FINAL)
        snapshot = json.dumps(queries.build(year), ensure_ascii=False, sort_keys=True)
        AnnualReport.update(snapshot=snapshot, finalised_at=utcnow(), finalised_by=actor,
                            version=AnnualReport.version + 1).where(AnnualReport.id == report.id).execute()
        audit.record("report.finalised", report, actor=actor, year=year)
    return AnnualReport.get_by_id(report.id)
