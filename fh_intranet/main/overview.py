"""What the start page shows under "Seit Ihrem letzten Besuch": each block only with what the
person may read (the permission rules decide, as on the pages the entries link to)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..agreements.models import CONSULTATION, Agreement, Comment
from ..db import utcnow
from ..meetings.models import ActionItem, Body, BodyMember, Meeting, MinutesRevision
from ..meetings.queries import open_actions
from ..permissions import can
from ..topics import voting
from ..topics.models import PROPOSED, Topic, VotingRound

# Someone who never opened the start page sees what happened in this many days.
FIRST_VISIT_LOOKBACK = timedelta(days=14)
# New minutes or topics listed at first: a block of the start page, not a register; past it, a link
# shows all of them since the same boundary.
SHOWN = 20


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


def consultations(person) -> list[Consultation] | None:
    """Open consultations with their deadline and whether the person commented; None when the
    person does not take part in consultations (partners)."""
    if not can("agreement.read_consultation", person=person):
        return None
    now = utcnow()
    is_open = (Agreement.state == CONSULTATION) & (Agreement.comment_deadline > now)
    open_ones = Agreement.select().where(is_open).order_by(Agreement.comment_deadline)
    # Only the open ones: a person's comments of all years would grow with every year.
    mine = {row.agreement_id for row in Comment.select(Comment.agreement).distinct().where(
        Comment.author == person.id, Comment.agreement.in_(Agreement.select(Agreement.id).where(is_open)))}
    return [Consultation(agreement, agreement.id in mine) for agreement in open_ones]


def new_minutes(person, since: datetime, shown: int | None = SHOWN) -> tuple[list[tuple[MinutesRevision, Meeting]], bool]:
    """Minutes published (revision 1) or corrected (later revisions) since the boundary, the newest
    `shown` of them (None: all), and whether there are more; only published minutes have
    revisions, and everyone may read those."""
    rows, more = _newest(MinutesRevision.select(MinutesRevision.id, MinutesRevision.number, MinutesRevision.created_at,
                                                Meeting.id, Meeting.title, Meeting.state).join(Meeting)
                         .where(MinutesRevision.created_at > since).order_by(MinutesRevision.created_at.desc()), shown)
    return [(revision, revision.meeting) for revision in rows
            if can("meeting.read_minutes", revision.meeting, person=person)], more


def running_rounds(person) -> list[RunningRound] | None:
    """Rounds open now, with the person's vote and budget left; None for those who never see a
    running round (partners see rounds once closed)."""
    if not can("topics.view", person=person):
        return None
    now = utcnow()
    found = []
    for round_ in (VotingRound.select().where(VotingRound.opens_at <= now, VotingRound.closes_at > now)
                   .order_by(VotingRound.closes_at)):
        if not can("round.read", round_, person=person):
            continue
        state = voting.ballot_state(round_, person.id)
        found.append(RunningRound(round_, voting.may_vote(round_, person), state.used > 0, state.remaining,
                                  state.budget))
    return found


def my_actions(person) -> list[ActionItem]:
    return open_actions(ActionItem.person == person.id)


def upcoming_meetings(person, limit: int = 5) -> list[Meeting]:
    my_bodies = BodyMember.select(BodyMember.body).where(BodyMember.person == person.id)
    return list(Meeting.select(Meeting, Body).join(Body)
                .where(Meeting.body.in_(my_bodies), Meeting.ends_at >= utcnow())
                .order_by(Meeting.starts_at).limit(limit))


def new_topics(person, since: datetime, shown: int | None = SHOWN) -> tuple[list[Topic], bool] | None:
    """Topics proposed since the boundary, the newest `shown` of them (None: all), and whether there are more."""
    if not can("topics.view", person=person):
        return None
    return _newest(Topic.select().where(Topic.state == PROPOSED, Topic.created_at > since)
                   .order_by(Topic.created_at.desc()), shown)


def _newest(query, shown: int | None) -> tuple[list, bool]:
    """The first `shown` rows of `query` (None: all) and whether there are more: one row more is read."""
    rows = list(query if shown is None else query.limit(shown + 1))
    return rows[:shown], shown is not None and len(rows) > shown
