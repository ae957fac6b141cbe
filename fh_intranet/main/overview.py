"""What the start page shows under "Seit Ihrem letzten Besuch": each block only with what the
person may read (the permission rules decide, as on the pages the entries link to)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..agreements.models import CONSULTATION, Agreement, Comment
from ..db import Prepared, utcnow
from ..meetings.models import ActionItem, Body, BodyMember, Meeting, MinutesRevision
from ..meetings.queries import open_actions_of
from ..permissions import can
from ..topics import voting
from ..topics.models import PROPOSED, Topic, VotingRound

# Someone who never opened the start page sees what happened in this many days.
FIRST_VISIT_LOOKBACK = timedelta(days=14)
# New minutes or topics listed at first: a block of the start page, not a register; past it, a link
# shows all of them since the same boundary.
SHOWN = 20
# Every query below runs on every start page; their SQL is built once per process (db.Prepared):
# peewee took three times as long to write them out as the database took to answer them.
EVERY = 2**31 - 1  # a LIMIT that leaves nothing out


@dataclass
class Consultation:
    agreement: Agreement
    commented: bool


@dataclass
class RunningRound:
    round: VotingRound
    may_vote: bool
    voted: bool
    remaining: int
    budget: int


def since_boundary(seen_until: datetime | None) -> datetime:
    return seen_until or utcnow() - FIRST_VISIT_LOOKBACK


def _open(now):
    return (Agreement.state == CONSULTATION) & (Agreement.comment_deadline > now)


_OPEN_CONSULTATIONS = Prepared(lambda now: Agreement.select().where(_open(now)).order_by(Agreement.comment_deadline))
# Only the open ones: a person's comments of all years would grow with every year.
_COMMENTED_OPEN = Prepared(lambda person_id, now: Comment.select(Comment.agreement).distinct().where(
    Comment.author == person_id, Comment.agreement.in_(Agreement.select(Agreement.id).where(_open(now)))))


def consultations(person) -> list[Consultation] | None:
    """Open consultations with their deadline and whether the person commented; None when the
    person does not take part in consultations (partners)."""
    if not can("agreement.read_consultation", person=person):
        return None
    now = utcnow()
    mine = {row.agreement_id for row in _COMMENTED_OPEN.rows(person.id, now)}
    return [Consultation(agreement, agreement.id in mine) for agreement in _OPEN_CONSULTATIONS.rows(now)]


_MINUTES_SINCE = Prepared(lambda since, limit: (
    MinutesRevision.select(MinutesRevision.id, MinutesRevision.number, MinutesRevision.created_at,
                           Meeting.id, Meeting.title, Meeting.state).join(Meeting)
    .where(MinutesRevision.created_at > since).order_by(MinutesRevision.created_at.desc()).limit(limit)))


def new_minutes(person, since: datetime, shown: int | None = SHOWN) -> tuple[list[tuple[MinutesRevision, Meeting]], bool]:
    """Minutes published (revision 1) or corrected (later revisions) since the boundary, the newest
    `shown` of them (None: all), and whether there are more; only published minutes have
    revisions, and everyone may read those."""
    rows, more = _newest(_MINUTES_SINCE, since, shown)
    return [(revision, revision.meeting) for revision in rows
            if can("meeting.read_minutes", revision.meeting, person=person)], more


_RUNNING_ROUNDS = Prepared(lambda now: VotingRound.select().where(VotingRound.opens_at <= now, VotingRound.closes_at > now)
                           .order_by(VotingRound.closes_at))


def running_rounds(person) -> list[RunningRound] | None:
    """Rounds open now, with the person's vote and budget left; None for those who never see a
    running round (partners see rounds once closed)."""
    if not can("topics.view", person=person):
        return None
    found = []
    for round_ in _RUNNING_ROUNDS.rows(utcnow()):
        if not can("round.read", round_, person=person):
            continue
        state = voting.ballot_state(round_, person.id)
        found.append(RunningRound(round_, voting.may_vote(round_, person), state.used > 0, state.remaining,
                                  state.budget))
    return found


def my_actions(person) -> list[ActionItem]:
    return open_actions_of(person)


_UPCOMING = Prepared(lambda person_id, now, limit: (
    Meeting.select(Meeting, Body).join(Body)
    .where(Meeting.body.in_(BodyMember.select(BodyMember.body).where(BodyMember.person == person_id)),
           Meeting.ends_at >= now)
    .order_by(Meeting.starts_at).limit(limit)))


def upcoming_meetings(person, limit: int = 5) -> list[Meeting]:
    return _UPCOMING.rows(person.id, utcnow(), limit)


_TOPICS_SINCE = Prepared(lambda since, limit: Topic.select().where(Topic.state == PROPOSED, Topic.created_at > since)
                         .order_by(Topic.created_at.desc()).limit(limit))


def new_topics(person, since: datetime, shown: int | None = SHOWN) -> tuple[list[Topic], bool] | None:
    """Topics proposed since the boundary, the newest `shown` of them (None: all), and whether there are more."""
    if not can("topics.view", person=person):
        return None
    return _newest(_TOPICS_SINCE, since, shown)


def _newest(prepared: Prepared, since: datetime, shown: int | None) -> tuple[list, bool]:
    """The first `shown` rows since the boundary (None: all) and whether there are more: one row more is read."""
    rows = prepared.rows(since, EVERY if shown is None else shown + 1)
    return rows[:shown], shown is not None and len(rows) > shown
