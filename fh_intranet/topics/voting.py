"""Reading a round: who may vote, a voter's ballot, the tally and the results.

Casting votes and closing rounds are changes and live in `workflow`. A closed round's results
are read from the rows frozen when it closed (RoundResult), never counted again from the votes.
"""
from dataclasses import dataclass

from peewee import Case, fn

from ..db import Prepared
from ..meetings.models import BodyMember
from ..people.models import COORDINATOR, MEMBER, Person
from .models import RANKING, Ballot, RoundParticipant, RoundResult, RoundTopic, Topic, Vote, VotingRound


def eligible_voters(round_):
    """Who may vote in `round_`: a round, or the VotingRound model itself for a subquery that
    refers to the round of the outer query."""
    body = VotingRound.body if round_ is VotingRound else round_.body_id
    return (Person.select().join(BodyMember, on=(BodyMember.person == Person.id))
            .where(BodyMember.body == body, Person.active, Person.role.in_([COORDINATOR, MEMBER])))


# Asked on every start page and ballot: SQL built once per process (db.Prepared).
_ELIGIBLE = Prepared(lambda body_id, person_id: Person.select(Person.id).join(BodyMember, on=(BodyMember.person == Person.id))
                     .where(BodyMember.body == body_id, Person.id == person_id, Person.active,
                            Person.role.in_([COORDINATOR, MEMBER])).limit(1))


def may_vote(round_: VotingRound, person) -> bool:
    """Asked by several rules while one page is drawn: answered once per round object and person
    (a round object lives for one request; a write re-reads the round and asks afresh). The same
    rule as `eligible_voters`."""
    known = round_.__dict__.setdefault("_may_vote", {})
    if person.id not in known:
        known[person.id] = _ELIGIBLE.first(round_.body_id, person.id) is not None
    return known[person.id]


def round_topics(round_: VotingRound) -> list[Topic]:
    """The round's topics by title, read once per round object."""
    if "_topics" not in round_.__dict__:
        round_.__dict__["_topics"] = list(Topic.select().join(RoundTopic).where(RoundTopic.round == round_)
                                          .order_by(Topic.title))
    return round_.__dict__["_topics"]


@dataclass
class BallotState:
    points: dict[int, int]  # topic id -> points (dots) or rank (ranking)
    used: int
    budget: int
    # After a stored vote: the round as the vote's transaction read it, with its topics, the voter's
    # eligibility and the number of eligible voters kept on it (the answer draws from them).
    round: VotingRound | None = None

    @property
    def remaining(self) -> int:
        return self.budget - self.used


_BALLOT_VOTES = Prepared(lambda round_id, person_id: Vote.select(Vote.topic, Vote.points, Vote.rank).join(Ballot)
                         .where(Ballot.round == round_id, Ballot.person == person_id))


def ballot_state(round_: VotingRound, person) -> BallotState:
    """The voter's points (or ranks) and what they used; `person` is a Person or its id."""
    votes = _BALLOT_VOTES.rows(round_.id, getattr(person, "id", person))
    if round_.method == RANKING:
        points = {v.topic_id: v.rank for v in votes if v.rank}
        return BallotState(points, len(points), round_.rank_limit)
    points = {v.topic_id: v.points for v in votes if v.points}
    return BallotState(points, sum(points.values()), round_.budget)


def took_part(round_: VotingRound, person) -> bool:
    """For a closed anonymous round: did `person` vote (what they gave is no longer stored)."""
    return RoundParticipant.select().where(RoundParticipant.round == round_,
                                           RoundParticipant.person == person).exists()


def has_votes(round_: VotingRound) -> bool:
    """Whether anyone has voted in the round yet: a ballot exists (a point given and taken back
    counts too). From then on the round's topics stay as they are."""
    return Ballot.select().where(Ballot.round == round_).exists()


def has_ballot(round_: VotingRound, person) -> bool:
    """Whether `person` holds a ballot in the round: one they filled in (named rounds keep it), or
    the mark that they took part (anonymous rounds, once closed)."""
    return (Ballot.select().where(Ballot.round == round_, Ballot.person == person).exists()
            or took_part(round_, person))


# --- results ----------------------------------------------------------------------------------

@dataclass
class Result:
    topic_id: int | None
    title: str
    score: int
    rank: int
    tied: bool
    share: float  # of the highest score, 0..1, for the bar
    voters: int = 0


def _voted_in(round_id):
    """How many people took part: gave a point or a place (a point taken back again is none)."""
    return (Ballot.select(fn.COUNT(Ballot.id.distinct())).join(Vote)
            .where(Ballot.round == round_id, (Vote.points > 0) | Vote.rank.is_null(False)))


def _sums(round_id, given, counted):
    """Per topic: the score, how many gave it something, and (on every row) who took part."""
    return (Vote.select(Vote.topic, fn.SUM(given), fn.COUNT(counted), _voted_in(round_id))
            .join(Ballot).where(Ballot.round == round_id).group_by(Vote.topic).tuples())


# Built once per process: every vote click answers with the tally (see db.Prepared).
_DOTS_SUMS = Prepared(lambda round_id: _sums(round_id, Vote.points, Case(None, [(Vote.points != 0, 1)], None)))
# Borda: the first of N places scores N, the last 1 (`places` is N + 1).
_RANKING_SUMS = Prepared(lambda round_id, places: _sums(
    round_id, Case(None, [(Vote.rank.is_null(False) & (Vote.rank != 0), places - Vote.rank)], 0),
    Case(None, [(Vote.rank != 0, 1)], None)))


def tally(round_: VotingRound) -> list[Result]:
    """Count the votes as they stand now: the live view of an open round, and what closing freezes.
    Summed per topic by the database (one statement): every vote click answers with the tally,
    and reading a round's votes row by row took longer than the rest of the click."""
    topics = round_topics(round_)
    rows = (_RANKING_SUMS.rows(round_.id, round_.rank_limit + 1) if round_.method == RANKING
            else _DOTS_SUMS.rows(round_.id))
    scores = {t.id: 0 for t in topics}
    supporters = {t.id: 0 for t in topics}
    voted = 0
    for topic_id, score, count, took_part_count in rows:
        voted = took_part_count  # the same on every row
        if topic_id in scores:
            scores[topic_id], supporters[topic_id] = int(score or 0), count
    round_.__dict__["_voted"] = voted
    ordered = sorted(topics, key=lambda t: (-scores[t.id], t.title))
    top = max(scores.values(), default=0) or 1
    counts = {}
    for score in scores.values():
        counts[score] = counts.get(score, 0) + 1
    result, rank = [], 0
    for index, topic in enumerate(ordered):
        score = scores[topic.id]
        if index == 0 or score != scores[ordered[index - 1].id]:
            rank = index + 1  # ties share a rank: 1, 2, 2, 4
        result.append(Result(topic.id, topic.title, score, rank, counts[score] > 1, score / top, supporters[topic.id]))
    return result


def _frozen(row: RoundResult, top: int) -> Result:
    return Result(row.topic_id, row.title, row.score, row.rank, row.tied, row.score / (top or 1), row.voters)


def results(round_: VotingRound) -> list[Result]:
    """The frozen final results of a finalised round, else the current tally."""
    if not round_.is_final:
        return tally(round_)
    rows = list(RoundResult.select().where(RoundResult.round == round_).order_by(RoundResult.position))
    top = max((row.score for row in rows), default=0)
    return [_frozen(row, top) for row in rows]


def frozen_results_of(topic_id: int, rounds: list[VotingRound]) -> dict[int, Result]:
    """The topic's frozen result in each of these finalised rounds (one statement), by round id."""
    if not rounds:
        return {}
    other = RoundResult.alias()
    top = other.select(fn.MAX(other.score)).where(other.round == RoundResult.round)
    rows = (RoundResult.select(RoundResult, top.alias("top"))
            .where(RoundResult.round.in_([r.id for r in rounds]), RoundResult.topic == topic_id))
    return {row.round_id: _frozen(row, row.top) for row in rows}


def result_for(round_: VotingRound, topic_id: int) -> Result | None:
    return next((r for r in results(round_) if r.topic_id == topic_id), None)


def count_participation(round_: VotingRound) -> tuple[int, int]:
    """(people who voted, people who may vote), in one statement."""
    eligible = eligible_voters(round_).select(fn.COUNT(Person.id))
    row = VotingRound.select(_voted_in(round_.id).alias("voted"), eligible.alias("eligible")).where(
        VotingRound.id == round_.id).namedtuples().first()
    return (row.voted or 0, row.eligible or 0) if row else (0, 0)


def participation(round_: VotingRound) -> tuple[int, int]:
    """(people who voted, people who may vote): as frozen at the close once the round is final."""
    if round_.is_final:
        return round_.voters or 0, round_.eligible or 0
    if "_voted" in round_.__dict__ and "_eligible" in round_.__dict__:  # a vote's answer: counted already
        return round_.__dict__["_voted"], round_.__dict__["_eligible"]
    return count_participation(round_)


def named_votes(round_: VotingRound) -> list[tuple[str, dict[int, int]]]:
    """Who gave what, for named rounds only: [(name, {topic id: points or rank})]."""
    if round_.anonymous:
        return []
    by_person: dict[tuple[str, int], dict[int, int]] = {}  # by name and id: two people may share a name
    given = Vote.rank if round_.method == RANKING else Vote.points
    # Plain tuples: a round's few hundred votes built as three models each cost more than the table.
    rows = (Vote.select(Person.name, Person.id, Vote.topic, given).join(Ballot)
            .join(Person, on=(Ballot.person == Person.id)).where(Ballot.round == round_).tuples())
    for name, person_id, topic_id, value in rows:
        if value:
            by_person.setdefault((name, person_id), {})[topic_id] = value
    return [(name, values) for (name, _id), values in sorted(by_person.items())]
