"""What the partner register reads: the filtered list, the signatures, the coverage by sector and
district. Plain reads; the writers are in workflow.py."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from peewee import fn

from ..agreements.models import ADOPTED, SUPERSEDED, UNSIGNED_KINDS, Agreement, Signature
from ..people.models import Organisation
from ..timezones import berlin_today
from .models import Sector, all_sectors

# A § 3 KKG sector with fewer active partners than this in the whole network is "weakly present".
WEAK_BELOW = 2

# The filter values as they travel in the query string (German, since people read the address).
ACTIVE, LEFT, ALL = "aktiv", "ausgeschieden", "alle"
STATUSES = (ACTIVE, LEFT, ALL)
SIGNED, NOT_SIGNED = "ja", "nein"
NO_DISTRICT = "-"  # the filter value for organisations without a district


def active_condition(today: date | None = None):
    today = today or berlin_today()
    return Organisation.left_on.is_null() | (Organisation.left_on > today)


def districts() -> list[str]:
    """Every district an organisation names, for the filter and the form's suggestions."""
    rows = (Organisation.select(Organisation.district).where(Organisation.district != "")
            .distinct().order_by(Organisation.district))
    return [row.district for row in rows]


def signable_agreements():
    """The agreements organisations sign: adopted ones (in force) and superseded ones (signed once)."""
    return (Agreement.select().where(Agreement.state.in_((ADOPTED, SUPERSEDED)), Agreement.kind.not_in(UNSIGNED_KINDS))
            .order_by(Agreement.adopted_on.desc(), Agreement.id.desc()))


@dataclass
class Filters:
    sector: str = ""
    district: str = ""
    signed: str = ""
    agreement: int | None = None  # None: any agreement in force (adopted)
    status: str = ACTIVE

    @classmethod
    def from_args(cls, args, agreements: list[Agreement]) -> Filters:
        keys = {sector.key for sector in all_sectors()}
        sector = args.get("bereich", "")
        district = " ".join(args.get("sozialraum", "").split())
        signed = args.get("unterzeichnet", "")
        status = args.get("status", ACTIVE)
        agreement = args.get("vereinbarung", "")
        agreement_ids = {a.id for a in agreements}
        return cls(sector=sector if sector in keys else "",
                   district=district[:100],
                   signed=signed if signed in (SIGNED, NOT_SIGNED) else "",
                   agreement=int(agreement) if agreement.isdigit() and int(agreement) in agreement_ids else None,
                   status=status if status in STATUSES else ACTIVE)

    def as_args(self) -> dict:
        args = {"bereich": self.sector, "sozialraum": self.district, "unterzeichnet": self.signed,
                "vereinbarung": self.agreement or "", "status": self.status}
        return {name: value for name, value in args.items() if value not in ("", None)}


def _signers(filters: Filters):
    query = Signature.select(Signature.organisation)
    if filters.agreement is not None:
        return query.where(Signature.agreement == filters.agreement)
    return query.join(Agreement).where(Agreement.state == ADOPTED)


def register_query(filters: Filters, today: date | None = None):
    """The organisations the filters select, by name (id last, so that paging is stable)."""
    query = Organisation.select()
    if filters.sector:
        query = query.where(Organisation.sector == filters.sector)
    if filters.district == NO_DISTRICT:
        query = query.where(Organisation.district == "")
    elif filters.district:
        query = query.where(Organisation.district == filters.district)
    if filters.signed == SIGNED:
        query = query.where(Organisation.id.in_(_signers(filters)))
    elif filters.signed == NOT_SIGNED:
        query = query.where(Organisation.id.not_in(_signers(filters)))
    if filters.status == ACTIVE:
        query = query.where(active_condition(today))
    elif filters.status == LEFT:
        query = query.where(~active_condition(today))
    return query.order_by(Organisation.name, Organisation.id)


def signatures_by_organisation(organisation_ids, *conditions) -> dict[int, list[Signature]]:
    """The signatures of these organisations with their agreements (one query), those that meet
    `conditions` if given."""
    found = defaultdict(list)
    if not organisation_ids:
        return found
    # What the register and an organisation's page show of them: a model object per joined row and
    # column cost the register (40 partners, 560 signatures at ten years) a third of its time.
    rows = (Signature.select(Signature.id, Signature.organisation, Signature.kind, Signature.signer_name,
                             Signature.signer_function, Signature.signed_on, Agreement.id, Agreement.title,
                             Agreement.state)
            .join(Agreement)
            .where(Signature.organisation.in_(list(organisation_ids)), *conditions)
            .order_by(Signature.signed_on, Signature.id))
    for signature in rows:
        found[signature.organisation_id].append(signature)
    return found


def register_signatures(organisation_ids, also: int | None = None) -> tuple[dict[int, list[Signature]], dict[int, int]]:
    """What the register's rows show: each organisation's signatures of agreements in force (and
    of `also`, the agreement the list is filtered by), and how many superseded ones it signed
    besides (its own page and the CSV list them). All of them were 560 links at ten years, most of
    them to texts no longer in force, and a third of the register's time."""
    if not organisation_ids:
        return {}, {}
    ids = list(organisation_ids)
    in_force = signatures_by_organisation(ids, (Agreement.state == ADOPTED) | (Agreement.id == (also or 0)))
    superseded = dict(Signature.select(Signature.organisation, fn.COUNT(Signature.id)).join(Agreement)
                      .where(Signature.organisation.in_(ids), Agreement.state == SUPERSEDED, Agreement.id != (also or 0))
                      .group_by(Signature.organisation).tuples())
    return in_force, superseded


def signatures_of(organisation: Organisation) -> list[Signature]:
    return signatures_by_organisation([organisation.id])[organisation.id]


# --- coverage ---------------------------------------------------------------------------------------

PRESENT, WEAK, MISSING = "present", "weak", "missing"


@dataclass
class SectorCoverage:
    sector: Sector
    by_district: dict[str, int]
    total: int
    status: str  # PRESENT, WEAK or MISSING; only § 3 KKG sectors have one that matters
    missing_in: list[str] = field(default_factory=list)  # districts without an active partner


@dataclass
class Coverage:
    districts: list[str]  # the districts of active partners; "" for those without one, last
    rows: list[SectorCoverage]
    district_totals: dict[str, int]
    total: int

    @property
    def kkg_rows(self):
        return [row for row in self.rows if row.sector.counts_for_kkg]

    @property
    def other_rows(self):
        return [row for row in self.rows if not row.sector.counts_for_kkg]

    def with_status(self, status):
        return [row for row in self.kkg_rows if row.status == status]

    @property
    def gaps(self):
        """§ 3 KKG sectors present in the network but missing in a district."""
        return [row for row in self.kkg_rows if row.total and row.missing_in]


def coverage(today: date | None = None) -> Coverage:
    """Active partners per sector × district (on `today` if given: joined by then and not yet left),
    and for each § 3 KKG sector whether it is present, weakly present (fewer than WEAK_BELOW partners)
    or missing, and in which districts it is missing. Active sectors are listed; an inactive one only
    while an active partner still carries it."""
    counts = defaultdict(dict)
    members = active_condition(today)
    if today is not None:  # as on a past day (the annual report): who had joined by then
        members &= Organisation.joined_on.is_null() | (Organisation.joined_on <= today)
    for row in (Organisation.select(Organisation.sector, Organisation.district,
                                    fn.COUNT(Organisation.id).alias("n"))
                .where(members)
                .group_by(Organisation.sector, Organisation.district).namedtuples()):
        counts[row.sector][row.district] = row.n
    named = sorted({district for by_district in counts.values() for district in by_district if district})
    has_unnamed = any("" in by_district for by_district in counts.values())
    columns = named + ([""] if has_unnamed else [])
    rows = []
    known = set()
    for sector in all_sectors():
        known.add(sector.key)
        by_district = counts.get(sector.key, {})
        if not sector.active and not by_district:
            continue
        rows.append(_row(sector, by_district, named))
    for key in sorted(set(counts) - known):  # a key no sector row names (should not happen): still counted
        rows.append(_row(Sector(key=key, label=key), counts[key], named))
    totals = {district: sum(c.get(district, 0) for c in counts.values()) for district in columns}
    return Coverage(districts=columns, rows=rows, district_totals=totals, total=sum(totals.values()))


def _row(sector, by_district, named) -> SectorCoverage:
    total = sum(by_district.values())
    status = MISSING if total == 0 else WEAK if total < WEAK_BELOW else PRESENT
    return SectorCoverage(sector=sector, by_district=by_district, total=total, status=status,
                          missing_in=[district for district in named if not by_district.get(district)])
