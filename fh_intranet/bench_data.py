"""A network of N years for benchmarks and query-count tests: `flask --app fh_intranet seed-bench`.

For ten years it holds what a busy network gathers (150 people, 160 meetings with 1,300 agenda
items, 3,000 decisions, 5,000 action items, 30 agreements × 15 versions of ~3,000 words with
18,000 comments, 200 workshop outputs, 60 rounds with 15,000 votes, ~42,000 audit events: votes
write none).

The request path would take an hour for that, so the rows are built in memory with the ids they
will get (the database is empty) and inserted in batches, one transaction per batch. They follow
the rules the workflows enforce: minutes published in date order with decisions numbered per
year in agenda order, revisions with a snapshot and a reason, ballots within budget and the
per-topic maximum, rounds closed through the app's own `finalize`, comments only on agreements
that went through consultation, signatures only on adopted (later perhaps superseded) ones, and
an audit event for every change.
"""
import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import peewee

from . import bench_text as text
from . import markdown
from .agreements import sections as agreement_sections
from .agreements.models import (
    ADOPTED,
    CONSULTATION,
    DRAFT,
    SECTION_HEADING_OFFSET,
    SUPERSEDED,
    Agreement,
    AgreementVersion,
    Comment,
    Signature,
    StateChange,
)
from .audit import AuditEvent
from .auth.passwords import hash_password
from .db import database, utcnow, write_transaction
from .meetings import workflow as meetings
from .meetings.models import (
    NOTES_HEADING_OFFSET,
    PUBLISHED,
    ActionItem,
    AgendaItem,
    Attendance,
    Body,
    BodyMember,
    Decision,
    Meeting,
    MinutesRevision,
)
from .notifications.models import Notification
from .people.models import COORDINATOR, MEMBER, PARTNER, SECTORS, Organisation, Person
from .timezones import berlin_to_utc, utc_to_berlin
from .topics import workflow as topics
from .topics.models import DOTS, RANKING, Ballot, RoundTopic, Topic, Vote, VotingRound
from .workshops.models import OUTPUT_HEADING_OFFSET, Output, Workshop

PASSWORD = "netzwerk-bench-2026"
LOGINS = {COORDINATOR: "koordination@bench.example", MEMBER: "mitglied@bench.example",
          PARTNER: "partner@bench.example"}
ORGANISATION_KINDS = ["Familienzentrum", "Beratungsstelle", "Kinderarztpraxis", "Kita", "Jugendhilfe", "Klinik"]
BATCH = 500  # rows per INSERT: below SQLite's limit of host parameters for our widest table
FRESH_VOTERS = 8  # members without a ballot in the open round (one per benchmark connection)

# Per year of a ten-year network (the sizes divided by ten).
PER_YEAR = {
    "people": 15, "organisations": 4, "meetings": 16, "agreements": 3, "versions": 15, "words": 3000,
    "comments_per_agreement": 600, "outputs": 20, "rounds": 6, "ballots_per_round": 68,
}


class NotEmpty(RuntimeError):
    pass


@dataclass
class Rows:
    """Rows per model with the ids they will get, inserted in foreign-key order at the end."""
    tables: dict = field(default_factory=lambda: defaultdict(list))
    audit_rows: list = field(default_factory=list)

    first_ids: dict = field(default_factory=dict)
    later: list = field(default_factory=list)  # updates of rows that existed before

    def add(self, model, **values) -> int:
        if model not in self.first_ids:  # after rows a migration made (the Steuerungsgruppe)
            self.first_ids[model] = (model.select(peewee.fn.MAX(model.id)).scalar() or 0) + 1
        rows = self.tables[model]
        values["id"] = self.first_ids[model] + len(rows)
        rows.append(values)
        return values["id"]

    def get(self, model, row_id) -> dict:
        return self.tables[model][row_id - self.first_ids[model]]

    def audit(self, action: str, model, object_id, at: datetime, actor: int | None, *, context=(None, None),
              **details):
        """`context`: (model, id) of the object whose history shows this event too (audit.record
        takes it from the row's `audit_context`)."""
        context_model, context_id = context
        self.audit_rows.append({"created_at": at, "actor": actor, "action": action, "object_type": model.__name__,
                                "object_id": object_id, "context_type": context_model.__name__ if context_model else "",
                                "context_id": context_id,
                                "details": json.dumps(details, ensure_ascii=False, sort_keys=True, default=str)})


def sizes(years: int, scale: float) -> dict:
    factor = years * scale
    return {
        "people": max(12, round(PER_YEAR["people"] * factor)),
        "organisations": max(4, round(PER_YEAR["organisations"] * factor)),
        "meetings": max(4, round(PER_YEAR["meetings"] * factor)),
        "agreements": max(3, round(PER_YEAR["agreements"] * factor)),
        "versions": max(2, round(PER_YEAR["versions"] * min(1.0, scale * 2))),
        "words": max(300, round(PER_YEAR["words"] * min(1.0, scale * 2))),
        "comments_per_agreement": max(6, round(PER_YEAR["comments_per_agreement"] * scale)),
        "outputs": max(3, round(PER_YEAR["outputs"] * factor)),
        "rounds": max(3, round(PER_YEAR["rounds"] * factor)),
        "ballots_per_round": max(3, round(PER_YEAR["ballots_per_round"] * min(1.0, scale * 1.2))),
    }


def seed(years: int, scale: float = 1.0, *, seed_value: int = 18) -> dict:
    """Fill an empty database; returns the counts of what was made."""
    if Person.select().exists() or Organisation.select().exists():
        raise NotEmpty("The database is not empty; seed-bench only fills an empty one.")
    rng = random.Random(seed_value)
    size = sizes(years, scale)
    now = utcnow()
    start = now - timedelta(days=365 * years)
    rows = Rows()
    people = _people(rows, rng, size, start)
    bodies = _bodies(rows, people, start)
    meeting_ids = _meetings(rows, rng, size, people, bodies, start, now)
    _agreements(rows, rng, size, people, start, now)
    _topics_and_rounds(rows, rng, size, people, bodies, start, now)
    _workshops(rows, rng, size, people, meeting_ids, start, now)
    _insert(rows)
    _snapshots_and_corrections(rows, rng, people)
    closed = [r["id"] for r in rows.tables[VotingRound] if r["closes_at"] <= now]
    for round_id in closed:
        topics.finalize(round_id)  # the app's own tally, frozen as at the round's end
    counts = {model.__name__: len(values) for model, values in rows.tables.items()}
    counts["AuditEvent"] = AuditEvent.select().count()
    return counts


def _spread(rng, start: datetime, end: datetime) -> datetime:
    return start + timedelta(seconds=rng.randrange(max(1, int((end - start).total_seconds()))))


# --- people ------------------------------------------------------------------------------------------

def _people(rows, rng, size, start) -> dict:
    sectors = list(SECTORS)
    organisations = []
    for number in range(1, size["organisations"] + 1):
        place = text.PLACES[number % len(text.PLACES)]
        kind = ORGANISATION_KINDS[number % len(ORGANISATION_KINDS)]
        organisations.append(rows.add(
            Organisation, name=f"{kind} {place} {number}", sector=sectors[number % len(sectors)],
            address=f"Hauptstraße {number}\n3599{number % 10} {place}", created_at=start))
    password_hash = hash_password(PASSWORD)
    by_role = defaultdict(list)
    members = max(4, size["people"] * 52 // 100)
    for number in range(1, size["people"] + 1):
        if number <= len(LOGINS):
            role = list(LOGINS)[number - 1]
            email = LOGINS[role]
        else:
            role = COORDINATOR if number == 4 else MEMBER if number <= members else PARTNER
            email = f"person{number}@bench.example"
        active = number <= len(LOGINS) or rng.random() > 0.08
        person_id = rows.add(Person, name=text.person_name(rng), email=email,
                             organisation=organisations[number % len(organisations)],
                             function=rng.choice(["Fachkraft", "Leitung", "Koordination", "Beratung"]), role=role,
                             password_hash=password_hash, active=active, created_at=start,
                             deactivated_at=None if active else start + timedelta(days=200))
        rows.audit("person.created_by_bench", Person, person_id, start, None, role=role)
        if active:
            by_role[role].append(person_id)
    return {"organisations": organisations, **by_role,
            "voters": by_role[COORDINATOR] + by_role[MEMBER],
            "everyone": by_role[COORDINATOR] + by_role[MEMBER] + by_role[PARTNER]}


def _bodies(rows, people, start) -> dict:
    coordinator = people[COORDINATOR][0]
    plan = [("Steuerungsgruppe", "steering_group", people["voters"]),
            ("Netzwerkkonferenz Frühe Hilfen", "conference", people["everyone"]),
            ("AG Übergang Klinik – Zuhause", "working_group", people["everyone"][::4] + [coordinator]),
            ("AG Familienbildung", "working_group", people["everyone"][1::4] + [coordinator])]
    bodies = {}
    for name, kind, members in plan:
        members = sorted(set(members))
        existing = Body.get_or_none(Body.name == name)  # the migrations make the Steuerungsgruppe
        if existing is not None:
            body_id = existing.id
            rows.later.append(Body.update(chair=members[0]).where(Body.id == body_id))
        else:
            body_id = rows.add(Body, name=name, kind=kind, chair=members[0], created_at=start)
        for person_id in members:
            rows.add(BodyMember, body=body_id, person=person_id)
        rows.audit("body.created", Body, body_id, start, coordinator, name=name)
        rows.audit("body.members_changed", Body, body_id, start, coordinator, added=members, removed=[])
        bodies[kind if kind != "working_group" else name] = (body_id, members)
    return bodies


# --- meetings and minutes -----------------------------------------------------------------------

def _meetings(rows, rng, size, people, bodies, start, now) -> list[int]:
    coordinator = people[COORDINATOR][0]
    span = (now + timedelta(days=60) - start).total_seconds()
    numbers_per_year = defaultdict(int)
    body_list = list(bodies.values())
    published_ids = []
    for index in range(size["meetings"]):
        body_id, members = body_list[0] if index % 3 else body_list[index // 3 % len(body_list)]
        day = utc_to_berlin(start + timedelta(seconds=span * (index + 0.5) / size["meetings"])).date()
        starts_at = berlin_to_utc(datetime(day.year, day.month, day.day, 14))
        published = starts_at + timedelta(days=14) < now
        meeting_id = rows.add(Meeting, body=body_id, kind="conference" if index % 10 == 5 else "session",
                              title=f"{index + 1}. Sitzung", starts_at=starts_at,
                              ends_at=starts_at + timedelta(hours=2), place="Kreishaus, Raum 2.14",
                              state=PUBLISHED if published else "draft",
                              published_at=starts_at + timedelta(days=10) if published else None,
                              created_at=min(starts_at - timedelta(days=30), now))
        rows.audit("meeting.created", Meeting, meeting_id, min(starts_at - timedelta(days=30), now), coordinator,
                   title=f"{index + 1}. Sitzung", body=body_id)
        past = starts_at < now
        for person_id in members:
            status = (rng.choice(["present"] * 6 + ["excused", "absent"]) if past else None)
            rows.add(Attendance, meeting=meeting_id, person=person_id, status=status)
        if past:
            rows.audit("meeting.attendance_recorded", Meeting, meeting_id, starts_at, coordinator, changes=[])
        _agenda(rows, rng, meeting_id, starts_at, published, numbers_per_year, members, coordinator, now)
        if published:
            published_ids.append(meeting_id)
            at = starts_at + timedelta(days=10)
            for person_id in members:
                rows.add(Notification, person=person_id, kind="minutes.published", object_type="Meeting",
                         object_id=meeting_id, text=f"{index + 1}. Sitzung", created_at=at,
                         read_at=at + timedelta(days=1) if at < now - timedelta(days=30) else None)
            rows.audit("minutes.published", Meeting, meeting_id, at, coordinator)
    return published_ids


def _agenda(rows, rng, meeting_id, starts_at, published, numbers_per_year, members, coordinator, now):
    year = utc_to_berlin(starts_at).year
    # Never after today: a coming meeting's agenda, decisions and items are drafted before it.
    created = min(starts_at - timedelta(days=20), now)
    written = min(starts_at, now)
    for position in range(1, rng.randint(6, 10) + 1):
        notes = text.paragraph(rng, rng.randint(1, 4)) if published else ""
        item_id = rows.add(AgendaItem, meeting=meeting_id, position=position,
                           title=f"TOP: {rng.choice(text.TOPIC_WORDS)}", notes=notes,
                           notes_html=markdown.keep(notes, heading_offset=NOTES_HEADING_OFFSET))
        rows.audit("agenda_item.added", AgendaItem, item_id, created, coordinator, context=(Meeting, meeting_id),
                   meeting=meeting_id)
        for _ in range(rng.choice([1, 2, 2, 3, 3, 4]) if published else rng.randint(0, 1)):
            number = None
            if published:
                numbers_per_year[year] += 1
                number = numbers_per_year[year]
            decision_id = rows.add(Decision, meeting=meeting_id, agenda_item=item_id, text=text.short(rng),
                                   year=year if published else None, number=number, created_at=written)
            rows.audit("decision.added", Decision, decision_id, written, coordinator, context=(Meeting, meeting_id),
                       meeting=meeting_id)
        for _ in range(rng.choice([2, 3, 4, 4, 5, 6]) if published else rng.randint(0, 1)):
            person_id = rng.choice(members)
            due = (starts_at + timedelta(days=rng.randint(14, 120))).date()
            done = published and (rng.random() < 0.65 or due < (now - timedelta(days=720)).date())
            done_at = min(now, starts_at + timedelta(days=rng.randint(10, 100))) if done else None
            action_id = rows.add(ActionItem, meeting=meeting_id, agenda_item=item_id, what=text.short(rng),
                                 person=person_id, due_on=due, done_at=done_at, done_by=person_id if done else None,
                                 created_at=written)
            rows.audit("action_item.added", ActionItem, action_id, written, coordinator, context=(Meeting, meeting_id),
                       meeting=meeting_id, person=person_id)
            if done:
                rows.audit("action_item.done", ActionItem, action_id, done_at, person_id, context=(Meeting, meeting_id),
                           meeting=meeting_id)


def _snapshots_and_corrections(rows, rng, people) -> None:
    """Revision 1 of each published meeting holds the app's own snapshot; every fifth was corrected
    once through the app's own correction (a new revision with a reason, an audit event)."""
    coordinator = Person.get_by_id(people[COORDINATOR][0])
    published = list(Meeting.select().where(Meeting.state == PUBLISHED).order_by(Meeting.starts_at))
    revisions = [{"meeting": m.id, "number": 1, "reason": "", "snapshot": meetings.snapshot(m),
                  "author": coordinator.id, "created_at": m.published_at} for m in published]
    _insert_batches(MinutesRevision, revisions)
    for meeting in published[::5]:
        first = AgendaItem.select().where(AgendaItem.meeting == meeting).order_by(AgendaItem.position).first()
        notes = {first.id: first.notes + " " + text.sentence(rng)}
        meetings.correct(meeting, coordinator, "Ergänzung nach Hinweis aus der Steuerungsgruppe", notes, {})


# --- agreements ----------------------------------------------------------------------------------

def _agreements(rows, rng, size, people, start, now) -> None:
    coordinators, everyone = people[COORDINATOR], people["everyone"]
    span = (now - start) / size["agreements"]
    previous_adopted = None
    for index in range(size["agreements"]):
        created = start + span * index
        last = index >= size["agreements"] - 2
        state = (DRAFT if index == size["agreements"] - 1 else CONSULTATION) if last else ADOPTED
        deadline = now + timedelta(days=21) if state == CONSULTATION else None
        adopted_on = (created + span * 0.8).date() if state == ADOPTED else None
        agreement_id = rows.add(Agreement, title=f"Kooperationsvereinbarung {utc_to_berlin(created).year} ({index + 1})",
                                kind="cooperation" if index % 3 else "quality", state=state,
                                comment_deadline=deadline, adopted_on=adopted_on, created_by=coordinators[0],
                                created_at=created, review_by=(created + timedelta(days=700)).date())
        rows.audit("agreement.created", Agreement, agreement_id, created, coordinators[0], title="", kind="")
        sections = text.agreement_sections(rng, size["words"])
        version_ids = []
        for number in range(1, size["versions"] + 1):
            at = created + span * 0.5 * number / size["versions"]
            version_text = text.agreement_text(sections)
            version_ids.append(rows.add(AgreementVersion, agreement=agreement_id, number=number, text=version_text,
                                        rendered=markdown.keep_sections(agreement_sections.split(version_text),
                                                                        heading_offset=SECTION_HEADING_OFFSET),
                                        author=rng.choice(coordinators),
                                        change_note=f"Fassung {number}", created_at=at))
            rows.audit("agreement.version_saved", Agreement, agreement_id, at, coordinators[0], number=number)
            final_sections = sections
            sections = text.revise(rng, sections)
        if state != DRAFT:
            _state_change(rows, agreement_id, DRAFT, CONSULTATION, created + span * 0.1, coordinators[0])
            _comments(rows, rng, size, agreement_id, version_ids, final_sections, everyone, coordinators,
                      created + span * 0.1, created + span * 0.7 if state == ADOPTED else now,
                      resolved_share=0.9 if state == ADOPTED else 0.5)
        if state == ADOPTED:
            _state_change(rows, agreement_id, CONSULTATION, ADOPTED, created + span * 0.8, coordinators[0])
            for organisation_id in people["organisations"][: rng.randint(1, len(people["organisations"]))]:
                at = created + span * 0.85
                rows.add(Signature, agreement=agreement_id, organisation=organisation_id, version=version_ids[-1],
                         signer_name=text.person_name(rng), signer_function="Leitung", signed_on=at.date(),
                         recorded_by=coordinators[0], created_at=at)
                rows.audit("agreement.signed", Agreement, agreement_id, at, coordinators[0],
                           organisation=organisation_id, kind="signature", version=len(version_ids))
            if previous_adopted is not None:  # the newer adopted agreement replaces the one before
                old = rows.get(Agreement, previous_adopted)
                old.update(state=SUPERSEDED, superseded_by=agreement_id)
                _state_change(rows, previous_adopted, ADOPTED, SUPERSEDED, created + span * 0.9, coordinators[0])
            previous_adopted = agreement_id


def _state_change(rows, agreement_id, source, target, at, actor):
    rows.add(StateChange, agreement=agreement_id, from_state=source, to_state=target, actor=actor, created_at=at)
    rows.audit("agreement.state_changed", Agreement, agreement_id, at, actor, from_state=source, to_state=target)


def _comments(rows, rng, size, agreement_id, version_ids, sections, everyone, coordinators, opened, closed, *,
              resolved_share: float):
    anchors = agreement_sections.split(text.agreement_text(sections))
    roots = []
    for index in range(size["comments_per_agreement"]):
        section = rng.choice(anchors)
        at = opened + (closed - opened) * (index + 1) / (size["comments_per_agreement"] + 1)
        parent = rng.choice(roots[-20:]) if roots and rng.random() < 0.45 else None
        author = rng.choice(everyone)
        if parent is not None:
            section_anchor, heading = parent["section_anchor"], parent["section_heading"]
        else:
            section_anchor, heading = section.anchor, section.heading
        body = text.short(rng)
        comment_id = rows.add(Comment, agreement=agreement_id, version=version_ids[-1], section_anchor=section_anchor,
                              section_heading=heading, parent=parent["id"] if parent else None, author=author,
                              body=body, body_html=markdown.keep(body), created_at=at)
        rows.audit("comment.added", Comment, comment_id, at, author, context=(Agreement, agreement_id),
                   agreement=agreement_id, section=section_anchor)
        if parent is None:
            roots.append(rows.tables[Comment][-1])
    # The older threads are done: nearly all of them by the time an agreement is adopted.
    for root in roots[: int(len(roots) * resolved_share)]:
        root.update(resolved_at=closed, resolved_by=coordinators[0], revision=2)
        rows.audit("comment.resolved", Comment, root["id"], closed, coordinators[0], context=(Agreement, agreement_id))


# --- topics and rounds ------------------------------------------------------------------------------

def _topics_and_rounds(rows, rng, size, people, bodies, start, now) -> None:
    steering_id, _ = bodies["steering_group"]
    voters = people["voters"]
    topic_ids = []
    for number in range(1, size["rounds"] * 3 + 1):
        at = _spread(rng, start, now)
        proposer = rng.choice(people["everyone"])
        topic_ids.append(rows.add(Topic, title=text.topic_title(rng, number), description=text.paragraph(rng, 2),
                                  body=steering_id, proposed_by=proposer, created_at=at,
                                  state="archived" if number % 7 == 0 else "proposed"))
        rows.audit("topic.proposed", Topic, topic_ids[-1], at, proposer, title="")
    span = (now - start) / size["rounds"]
    for index in range(size["rounds"]):
        opens = start + span * index + timedelta(days=3)
        closes = now + timedelta(days=10) if index == size["rounds"] - 1 else opens + timedelta(days=14)
        method = RANKING if index % 4 == 3 and index != size["rounds"] - 1 else DOTS  # the open one: dots
        round_id = rows.add(VotingRound, title=f"Schwerpunkte {utc_to_berlin(opens).year} ({index + 1})",
                            method=method, budget=5, max_per_topic=3, rank_limit=3, body=steering_id,
                            opens_at=opens, closes_at=closes, created_by=people[COORDINATOR][0],
                            created_at=opens - timedelta(days=2))
        rows.audit("round.created", VotingRound, round_id, opens - timedelta(days=2), people[COORDINATOR][0])
        chosen = rng.sample(topic_ids, min(len(topic_ids), rng.randint(6, 10)))
        for topic_id in chosen:
            rows.add(RoundTopic, round=round_id, topic=topic_id)
        # In the open round some members have not voted yet: the benchmark's vote clicks have budget.
        ballot_people = [p for p in voters if p not in people[MEMBER][:FRESH_VOTERS] or index < size["rounds"] - 1]
        for person_id in rng.sample(ballot_people, min(len(ballot_people), size["ballots_per_round"])):
            _ballot(rows, rng, round_id, method, chosen, person_id, opens, min(closes, now))


def _ballot(rows, rng, round_id, method, topic_ids, person_id, opens, closes):
    at = _spread(rng, opens, closes)
    ballot_id = rows.add(Ballot, round=round_id, person=person_id, updated_at=at)
    if method == RANKING:
        for rank, topic_id in enumerate(rng.sample(topic_ids, 3), start=1):
            rows.add(Vote, ballot=ballot_id, topic=topic_id, rank=rank, points=0)
        return
    points, left = defaultdict(int), 5
    while left:
        topic_id = rng.choice(topic_ids)
        if points[topic_id] < 3:  # max_per_topic
            points[topic_id] += 1
            left -= 1
    for topic_id, given in points.items():
        rows.add(Vote, ballot=ballot_id, topic=topic_id, points=given)


# --- workshops ---------------------------------------------------------------------------------------

def _workshops(rows, rng, size, people, meeting_ids, start, now) -> None:
    per_workshop = 4
    hosts = people["voters"]
    for index in range(max(1, size["outputs"] // per_workshop)):
        meeting_id = meeting_ids[index * len(meeting_ids) // max(1, size["outputs"] // per_workshop)]
        meeting = rows.get(Meeting, meeting_id)
        at = meeting["starts_at"]
        workshop_id = rows.add(Workshop, meeting=meeting_id, title=f"Thementisch {index + 1}: "
                               f"{rng.choice(text.TOPIC_WORDS)}", host=rng.choice(hosts), position=index, created_at=at)
        rows.audit("workshop.created", Workshop, workshop_id, at, people[COORDINATOR][0], context=(Meeting, meeting_id),
                   meeting=meeting_id)
        for _ in range(per_workshop):
            author = rng.choice(people["everyone"])
            output_text = text.bullet_list(rng, rng.randint(2, 5))
            output_id = rows.add(Output, workshop=workshop_id, text=output_text,
                                 text_html=markdown.keep(output_text, heading_offset=OUTPUT_HEADING_OFFSET),
                                 author=author, created_at=at)
            rows.audit("output.added", Output, output_id, at, author, context=(Meeting, meeting_id), workshop=workshop_id)


# --- writing ---------------------------------------------------------------------------------------------

ORDER = (Organisation, Person, Body, BodyMember, Meeting, Attendance, AgendaItem, Decision, ActionItem,
         Notification, Agreement, AgreementVersion, StateChange, Comment, Signature, Workshop, Output, Topic,
         VotingRound, RoundTopic, Ballot, Vote)


def _insert(rows: Rows) -> None:
    agreements = rows.tables[Agreement]
    successors = {row["id"]: row.pop("superseded_by", None) for row in agreements}
    for model in ORDER:
        _insert_batches(model, rows.tables.get(model, []))
    with write_transaction():  # the self-reference once every agreement exists
        for query in rows.later:
            query.execute()
        for agreement_id, successor in successors.items():
            if successor:
                Agreement.update(superseded_by=successor).where(Agreement.id == agreement_id).execute()
    rows.audit_rows.sort(key=lambda row: row["created_at"])
    _insert_batches(AuditEvent, rows.audit_rows)
    _reset_sequences()


def _insert_batches(model, values: list[dict]) -> None:
    for offset in range(0, len(values), BATCH):
        with write_transaction():
            model.insert_many(values[offset:offset + BATCH]).execute()


def _reset_sequences() -> None:
    """PostgreSQL: the rows came with their ids, so each id sequence moves past them."""
    if isinstance(database.obj, peewee.SqliteDatabase):
        return
    for model in ORDER + (AuditEvent,):
        table = model._meta.table_name
        database.execute_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                             f"COALESCE((SELECT MAX(id) FROM {table}), 1))")
