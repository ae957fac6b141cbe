"""The report's figures for one year, as plain data (numbers, strings, ids): what the page, PDF and
CSV show, and what a finalised report keeps as its snapshot (JSON).

Counting rules (a year is the calendar year in Berlin):
- a partner is active at the year's end when it joined on or before 31 December (or has no joining
  date) and has not left by then (no leaving date, or one after 31 December), as in the register;
- a meeting was held in the year when it is published and starts in the year; attendance counts the
  people marked present, by the sector of their organisation;
- an agreement is in force at the year's end when it was adopted on or before 31 December and is
  still adopted, or was superseded by one adopted after 31 December; a missing signature is an active
  partner without a signature (signed by 31 December) on an agreement in force;
- decisions are those numbered in the year (the register's year); action items were opened when
  recorded, done when ticked, overdue when due before 31 December and not done by then;
- topic priorities are the final results (places 1–3) of voting rounds that closed in the year;
- offerings are the published ones created by the year's end and not expired before it began.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime

from flask_babel import gettext as _
from peewee import JOIN, Case, fn

from ..agreements.models import ADOPTED, SUPERSEDED, Agreement, Signature, takes_signatures
from ..db import utcnow
from ..meetings.models import PUBLISHED, ActionItem, Attendance, Body, Decision, Meeting, decision_label
from ..offerings.models import TARGET_GROUPS, Offering
from ..people.models import Organisation, Person
from ..register import queries as register_queries
from ..register.models import all_sectors, sector_label
from ..timezones import berlin_to_utc, utc_to_berlin
from ..topics.models import RoundResult, VotingRound
from ..workshops.models import Output, Workshop

FIRST_YEAR, LAST_YEAR = 2000, 2100
TOP_PLACES = 3
NO_SECTOR = ""  # attendance of people without an organisation


def bounds(year: int) -> tuple[date, date, datetime, datetime]:
    """First and last day of the year, and its start and the next year's start as naive UTC."""
    return (date(year, 1, 1), date(year, 12, 31), berlin_to_utc(datetime(year, 1, 1)),
            berlin_to_utc(datetime(year + 1, 1, 1)))


def build(year: int) -> dict:
    """Every figure in a fixed number of statements, whatever the year holds (no query per agreement,
    round or Fachtag)."""
    first, last, start, end = bounds(year)
    organisations = list(Organisation.select(Organisation.id, Organisation.name, Organisation.sector,
                                             Organisation.joined_on, Organisation.left_on)
                         .order_by(Organisation.name))
    return {
        "year": year,
        "built_at": utcnow().isoformat(timespec="seconds"),
        "partners": _partners(organisations, first, last),
        "coverage": _coverage(last),
        "meetings": _meetings(start, end),
        "agreements": _agreements(organisations, first, last),
        "decisions": _decisions(year),
        "actions": _actions(last, start, end),
        "priorities": _priorities(start, end),
        "fachtage": _fachtage(start, end),
        "offerings": _offerings(first, end),
    }


def _is_active(organisation, day: date) -> bool:
    """Whether a partner was active on `day` (see the counting rules above)."""
    return (organisation.joined_on is None or organisation.joined_on <= day) and not organisation.has_left(day)


def _partners(organisations: list, first: date, last: date) -> dict:
    joined_in_year = [row for row in organisations if row.joined_on is not None and first <= row.joined_on <= last]
    left_in_year = [row for row in organisations if row.left_on is not None and first <= row.left_on <= last]
    active = Counter(row.sector for row in organisations if _is_active(row, last))
    joined = Counter(row.sector for row in joined_in_year)
    left = Counter(row.sector for row in left_in_year)
    rows, known = [], set()
    for sector in all_sectors():
        known.add(sector.key)
        if sector.active or active[sector.key] or joined[sector.key] or left[sector.key]:
            rows.append({"key": sector.key, "label": sector.display_label, "kkg": sector.counts_for_kkg,
                         "active": active[sector.key], "joined": joined[sector.key], "left": left[sector.key]})
    for key in sorted((set(active) | set(joined) | set(left)) - known):
        rows.append({"key": key, "label": sector_label(key), "kkg": False, "active": active[key],
                     "joined": joined[key], "left": left[key]})
    return {"rows": rows, "active": sum(active.values()), "joined": sum(joined.values()),
            "left": sum(left.values()),
            "joined_names": [row.name for row in joined_in_year], "left_names": [row.name for row in left_in_year]}


def _coverage(last: date) -> dict:
    """The register's coverage, as at the year's end."""
    coverage = register_queries.coverage(today=last)
    return {"missing": [row.sector.display_label for row in coverage.with_status(register_queries.MISSING)],
            "weak": [[row.sector.display_label, row.total] for row in coverage.with_status(register_queries.WEAK)],
            "gaps": [[row.sector.display_label, row.missing_in] for row in coverage.gaps]}


def _held(start: datetime, end: datetime):
    return (Meeting.state == PUBLISHED) & (Meeting.starts_at >= start) & (Meeting.starts_at < end)


def _meetings(start: datetime, end: datetime) -> dict:
    held = Counter()
    names = {}
    for meeting in Meeting.select(Meeting.body, Body.name).join(Body).where(_held(start, end)).namedtuples():
        held[meeting.body] += 1
        names[meeting.body] = meeting.name
    present = defaultdict(Counter)
    # Counted by the database: a year's attendance is a thousand rows and more.
    rows = (Attendance.select(Meeting.body, Organisation.sector, fn.COUNT(Attendance.id).alias("present"))
            .join(Meeting).switch(Attendance).join(Person).join(Organisation, JOIN.LEFT_OUTER)
            .where(_held(start, end), Attendance.status == "present")
            .group_by(Meeting.body, Organisation.sector).namedtuples())
    for row in rows:
        present[row.body][row.sector or NO_SECTOR] += row.present
    used = set().union(*present.values()) if present else set()
    columns = [sector.key for sector in all_sectors() if sector.key in used]
    columns += sorted(used - set(columns) - {NO_SECTOR}) + ([NO_SECTOR] if NO_SECTOR in used else [])
    bodies = sorted(held, key=lambda body_id: names[body_id].lower())
    return {
        "columns": [{"key": key, "label": sector_label(key) if key else _("ohne Organisation")} for key in columns],
        "rows": [{"body_id": body_id, "body": names[body_id], "meetings": held[body_id],
                  "present": sum(present[body_id].values()),
                  "by_sector": [present[body_id][key] for key in columns]} for body_id in bodies],
        "total": sum(held.values()),
        "present": sum(sum(counter.values()) for counter in present.values()),
    }


def _agreements(organisations: list, first: date, last: date) -> dict:
    """Agreements in force at the year's end with their signatures, and those adopted in the year.
    In force: adopted by the year's end and still adopted, or superseded by one adopted after it."""
    successor = Agreement.alias()
    adopted_by_then = list(
        Agreement.select(Agreement.id, Agreement.title, Agreement.kind, Agreement.state, Agreement.adopted_on,
                         successor.adopted_on.alias("successor_adopted_on"))
        .join(successor, JOIN.LEFT_OUTER, on=(Agreement.superseded_by == successor.id))
        .where(Agreement.adopted_on <= last, Agreement.state.in_((ADOPTED, SUPERSEDED)))
        .order_by(Agreement.adopted_on, Agreement.id).namedtuples())
    in_force = [row for row in adopted_by_then if row.state == ADOPTED or (
        row.successor_adopted_on is None or row.successor_adopted_on > last)]
    signed = defaultdict(set)
    signatures_in_year = 0
    for signature in Signature.select(Signature.agreement, Signature.organisation, Signature.signed_on).where(
            Signature.signed_on <= last).namedtuples():
        signed[signature.agreement].add(signature.organisation)
        signatures_in_year += signature.signed_on >= first
    partners = {row.id: row.name for row in organisations if _is_active(row, last)}
    partner_ids = set(partners)
    rows = []
    for agreement in in_force:
        signing = takes_signatures(agreement.kind)  # a row, not the model: asked by its kind
        missing = sorted((name for organisation_id, name in partners.items()
                          if signing and organisation_id not in signed[agreement.id]), key=str.lower)
        rows.append({"id": agreement.id, "title": agreement.title, "adopted_on": agreement.adopted_on.isoformat(),
                     "signatures": len(signed[agreement.id] & partner_ids), "missing": len(missing),
                     "missing_names": missing, "takes_signatures": signing})
    adopted = [{"id": row.id, "title": row.title, "adopted_on": row.adopted_on.isoformat()}
               for row in adopted_by_then if row.adopted_on >= first]
    return {"in_force": rows, "adopted": adopted, "signatures_in_year": signatures_in_year,
            "missing": sum(row["missing"] for row in rows)}


def _decisions(year: int) -> dict:
    rows = (Decision.select(Decision.year, Decision.number, Decision.text, Body.id.alias("body_id"),
                            Body.name.alias("body"))
            .join(Meeting).join(Body).where(Decision.year == year).order_by(Decision.number).namedtuples())
    items = [{"label": decision_label(row.year, row.number), "text": row.text, "body": row.body,
              "body_id": row.body_id} for row in rows]
    return {"count": len(items), "entries": items}


def _actions(last: date, start: datetime, end: datetime) -> dict:
    def number_where(condition):
        return fn.COALESCE(fn.SUM(Case(None, [(condition, 1)], 0)), 0)

    opened, done, overdue = ActionItem.select(
        number_where((ActionItem.created_at >= start) & (ActionItem.created_at < end)),
        number_where((ActionItem.done_at >= start) & (ActionItem.done_at < end)),
        number_where((ActionItem.created_at < end) & (ActionItem.due_on < last)
                     & (ActionItem.done_at.is_null() | (ActionItem.done_at >= end)))).tuples().get()
    return {"opened": int(opened), "done": int(done), "overdue": int(overdue)}


def _priorities(start: datetime, end: datetime) -> list[dict]:
    """The top places of each round closed in the year, read with the rounds (a round without results too)."""
    rows = (VotingRound.select(VotingRound.id, VotingRound.title, VotingRound.closes_at, RoundResult.rank,
                               RoundResult.title.alias("result_title"), RoundResult.score)
            .join(RoundResult, JOIN.LEFT_OUTER, on=((RoundResult.round == VotingRound.id)
                                                    & (RoundResult.rank <= TOP_PLACES)))
            .where(VotingRound.finalized_at.is_null(False), VotingRound.closes_at >= start, VotingRound.closes_at < end)
            .order_by(VotingRound.closes_at, VotingRound.id, RoundResult.position).namedtuples())
    found = {}
    for row in rows:
        round_ = found.get(row.id)
        if round_ is None:
            round_ = found[row.id] = {"id": row.id, "title": row.title,
                                      "closed_on": utc_to_berlin(row.closes_at).date().isoformat(), "top": []}
        if row.rank is not None:
            round_["top"].append({"rank": row.rank, "title": row.result_title, "score": row.score})
    return list(found.values())


def _fachtage(start: datetime, end: datetime) -> dict:
    fachtage = (Meeting.select(Meeting.id, Meeting.title, Meeting.starts_at,
                               fn.COUNT(fn.DISTINCT(Workshop.id)).alias("workshops"), fn.COUNT(Output.id).alias("outputs"))
                .join(Workshop, JOIN.LEFT_OUTER).join(Output, JOIN.LEFT_OUTER)
                .where(_held(start, end), Meeting.kind == "fachtag")
                .group_by(Meeting.id, Meeting.title, Meeting.starts_at).order_by(Meeting.starts_at).namedtuples())
    rows = [{"id": meeting.id, "title": meeting.title, "on": utc_to_berlin(meeting.starts_at).date().isoformat(),
             "workshops": meeting.workshops, "outputs": meeting.outputs} for meeting in fachtage]
    return {"rows": rows, "outputs": sum(row["outputs"] for row in rows)}


def current_offerings(first: date, end: datetime):
    return Offering.select().where(Offering.published, Offering.created_at < end,
                                   Offering.valid_until.is_null() | (Offering.valid_until >= first))


def _offerings(first: date, end: datetime) -> dict:
    counts = Counter()
    total = 0
    for offering in current_offerings(first, end):
        total += 1
        counts.update(offering.groups)
    return {"rows": [{"key": key, "label": str(label), "count": counts[key]} for key, label in TARGET_GROUPS.items()],
            "total": total}

