"""Casting votes and counting them. The server enforces every rule, atomically."""
from dataclasses import dataclass

import peewee

from .. import audit
from ..changes import Refused
from ..db import database, is_sqlite, utcnow, write_transaction
from ..meetings.models import BodyMember
from ..people.models import COORDINATOR, MEMBER, Person
from .models import DOTS, RANKING, Ballot, RoundTopic, Topic, Vote, VotingRound


def eligible_voters(round_: VotingRound):
    return (Person.select().join(BodyMember, on=(BodyMember.person == Person.id))
            .where(BodyMember.body == round_.body_id, Person.active, Person.role.in_([COORDINATOR, MEMBER])))


def may_vote(round_: VotingRound, person) -> bool:
    return eligible_voters(round_).where(Person.id == person.id).exists()


def round_topics(round_: VotingRound) -> list[Topic]:
    return list(Topic.select().join(RoundTopic).where(RoundTopic.round == round_).order_by(Topic.title))


def _ballot(round_: VotingRound, person) -> Ballot:
    ballot = Ballot.get_or_none(Ballot.round == round_, Ballot.person == person)
    if ballot is None:
        try:
            with database.atomic():
                ballot = Ballot.create(round=round_, person=person)
        except peewee.IntegrityError:  # a parallel click of the same person made it first
            ballot = Ballot.get(Ballot.round == round_, Ballot.person == person)
    return ballot


def _lock(ballot: Ballot) -> None:
    if not is_sqlite():  # SQLite holds the write lock already (BEGIN IMMEDIATE)
        Ballot.select(Ballot.id).where(Ballot.id == ballot.id).for_update().get()


@dataclass
class BallotState:
    points: dict[int, int]  # topic id -> points (dots) or rank (ranking)
    used: int
    budget: int

    @property
    def remaining(self) -> int:
        return self.budget - self.used


def ballot_state(round_: VotingRound, person) -> BallotState:
    votes = (Vote.select(Vote.topic, Vote.points, Vote.rank).join(Ballot)
             .where(Ballot.round == round_, Ballot.person == person))
    if round_.method == RANKING:
        points = {v.topic_id: v.rank for v in votes if v.rank}
        return BallotState(points, len(points), round_.rank_limit)
    points = {v.topic_id: v.points for v in votes if v.points}
    return BallotState(points, sum(points.values()), round_.budget)


def _check_can_vote(round_: VotingRound, person, topic_ids) -> None:
    if not round_.is_open:
        raise Refused("closed")
    if not may_vote(round_, person):
        raise Refused("not_eligible")
    in_round = {rt.topic_id for rt in RoundTopic.select().where(RoundTopic.round == round_)}
    if not set(topic_ids) <= in_round:
        raise Refused("not_in_round")


def change_points(round_: VotingRound, person, topic_id: int, delta: int) -> BallotState:
    """Give (+1) or take back (-1) a point. Budget, per-topic maximum and round state hold under
    any number of parallel clicks: the person's ballot row is locked for the read-check-write."""
    if round_.method != DOTS or delta not in (1, -1):
        raise Refused("method")
    _check_can_vote(round_, person, [topic_id])
    ballot = _ballot(round_, person)
    with write_transaction():
        _lock(ballot)
        if VotingRound.get_by_id(round_.id).status() != "open":
            raise Refused("closed")
        votes = {v.topic_id: v for v in Vote.select().where(Vote.ballot == ballot)}
        used = sum(v.points for v in votes.values())
        current = votes[topic_id].points if topic_id in votes else 0
        new = current + delta
        if delta > 0 and used + delta > round_.budget:
            raise Refused("budget")
        if new > round_.max_per_topic:
            raise Refused("max_per_topic")
        if new < 0:
            raise Refused("nothing_to_take")
        if topic_id in votes:
            Vote.update(points=new).where(Vote.id == votes[topic_id].id).execute()
        else:
            Vote.create(ballot=ballot, topic=topic_id, points=new)
        Ballot.update(updated_at=utcnow()).where(Ballot.id == ballot.id).execute()
        _audit(round_, person, topic=topic_id, delta=delta)
    return ballot_state(round_, person)


def set_ranking(round_: VotingRound, person, ranks: dict[int, int]) -> BallotState:
    """Replace the person's ranking: {topic id: rank}, ranks 1..rank_limit, each used once."""
    if round_.method != RANKING:
        raise Refused("method")
    _check_can_vote(round_, person, ranks.keys())
    values = list(ranks.values())
    if len(values) != len(set(values)) or any(not 1 <= r <= round_.rank_limit for r in values):
        raise Refused("ranks")
    ballot = _ballot(round_, person)
    with write_transaction():
        _lock(ballot)
        if VotingRound.get_by_id(round_.id).status() != "open":
            raise Refused("closed")
        Vote.delete().where(Vote.ballot == ballot).execute()
        for topic_id, rank in ranks.items():
            Vote.create(ballot=ballot, topic=topic_id, rank=rank, points=0)
        Ballot.update(updated_at=utcnow()).where(Ballot.id == ballot.id).execute()
        _audit(round_, person, ranks=ranks)
    return ballot_state(round_, person)


def _audit(round_: VotingRound, person, **details) -> None:
    # Anonymous rounds: the audit trail notes that someone voted, never for what.
    audit.record("vote.changed", round_, actor=person, **({} if round_.anonymous else details))


# --- results ----------------------------------------------------------------------------------

@dataclass
class Result:
    topic: Topic
    score: int
    rank: int
    tied: bool
    share: float  # of the highest score, 0..1, for the bar


def results(round_: VotingRound) -> list[Result]:
    topics = round_topics(round_)
    scores = {t.id: 0 for t in topics}
    votes = Vote.select(Vote.topic, Vote.points, Vote.rank).join(Ballot).where(Ballot.round == round_)
    for vote in votes:
        if vote.topic_id not in scores:
            continue
        if round_.method == RANKING:
            if vote.rank:
                scores[vote.topic_id] += round_.rank_limit + 1 - vote.rank  # Borda
        else:
            scores[vote.topic_id] += vote.points
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
        result.append(Result(topic, score, rank, counts[score] > 1, score / top))
    return result


def participation(round_: VotingRound) -> tuple[int, int]:
    """(people who voted, people who may vote)."""
    voted = (Ballot.select().join(Vote).where(Ballot.round == round_, (Vote.points > 0) | Vote.rank.is_null(False))
             .distinct().count())
    return voted, eligible_voters(round_).count()


def named_votes(round_: VotingRound) -> list[tuple[str, dict[int, int]]]:
    """Who gave what, for named rounds only: [(name, {topic id: points or rank})]."""
    if round_.anonymous:
        return []
    by_person: dict[str, dict[int, int]] = {}
    votes = (Vote.select(Vote.topic, Vote.points, Vote.rank, Person.name).join(Ballot)
             .join(Person, on=(Ballot.person == Person.id)).where(Ballot.round == round_).order_by(Person.name))
    for vote in votes:
        value = vote.rank if round_.method == RANKING else vote.points
        if value:
            by_person.setdefault(vote.ballot.person.name, {})[vote.topic_id] = value
    return sorted(by_person.items())
