"""Every change to topics and voting rounds, each in one write transaction under the rules that
guard it: proposing, editing, merging and archiving topics; creating, opening and closing rounds;
casting votes; freezing a closed round's results.

Results that are final stay final: the transaction that closes a round (by hand, or the first one
after its end time, see `finalize_due_rounds`) writes the tally into RoundResult, and nothing
changes a closed round afterwards. In an anonymous round the same transaction deletes the ballots
and their votes and keeps only who took part (RoundParticipant): from then on nothing stored links
a person to their points.

Locking: every vote holds its round's row FOR SHARE (PostgreSQL) for its whole transaction, closing
and merging hold it FOR UPDATE; so a vote in flight either lands before the tally is frozen or
sees the round closed, and a merge sees the ballots as they are. On SQLite `write_transaction()`
(BEGIN IMMEDIATE) serialises all of this already.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from peewee import fn

from .. import audit
from ..changes import EditConflict, Refused, create_once, locked, parse_version, reason, update_versioned
from ..db import is_sqlite, utcnow, write_transaction
from ..meetings.models import Body
from ..notifications import audiences
from ..notifications.workflow import notify
from ..people.models import Person
from ..permissions import can
from . import voting
from .models import (
    ARCHIVED,
    DOTS,
    MERGED,
    PROPOSED,
    RANKING,
    Ballot,
    RoundParticipant,
    RoundResult,
    RoundTopic,
    Topic,
    Vote,
    VotingRound,
)


def _shared(query):
    """Rows held against change, but not against others who hold them the same way (many voters
    of one round at once); a close or merge (FOR UPDATE) waits for them, and they for it."""
    return query if is_sqlite() else query.for_update("FOR SHARE")


def _held(query):
    """Topic rows held for a change of their own columns (FOR NO KEY UPDATE): unlike FOR UPDATE this
    does not block the key-share lock a vote's foreign key takes on its topic, so a voter holding
    the round and a merge holding the topics cannot deadlock."""
    return query if is_sqlite() else query.for_update("FOR NO KEY UPDATE")


def _lock_round(round_id: int) -> VotingRound | None:
    return locked(VotingRound.select().where(VotingRound.id == round_id)).get_or_none()


# --- topics -----------------------------------------------------------------------------------

def propose_topic(*, title: str, description: str = "", body_id: int | None = None, proposer,
                  token: str | None = None, source_output=None) -> Topic:
    """The one way a topic comes into being: proposed on the topics page or grown from a workshop
    output. The same form token sent again returns the first topic."""

    def create() -> Topic:
        topic = Topic.create(title=title, description=description, body=body_id, proposed_by=proposer,
                             source_output=source_output)
        audit.record("topic.proposed", topic, actor=proposer, title=title,
                     **({"source_output": source_output.id} if source_output is not None else {}))
        return topic

    return create_once(token, Topic, create)


def _topic_facts(topic: Topic) -> list[tuple[str, str]]:
    """What the conflict panel shows of a stored topic (the form's labels, the body's name)."""
    body = Body.get_or_none(Body.id == topic.body_id) if topic.body_id else None
    return [(str(_l("Thema")), topic.title), (str(_l("Beschreibung")), topic.description),
            (str(_l("Welches Gremium soll daran arbeiten?")), body.name if body else str(_l("– offen –")))]


IN_A_ROUND = reason("topics.in_a_round", _l(
    "Eine Abstimmung enthält dieses Thema inzwischen. Titel und Beschreibung ändert jetzt nur noch die "
    "Netzwerkkoordination."))


def update_topic(topic: Topic, expected_version, *, title: str, description: str, body_id: int | None,
                 actor) -> dict:
    with write_transaction():
        current = locked(Topic.select().where(Topic.id == topic.id)).get()
        # A round may have taken the topic up since the page was shown: then only the coordination edits.
        if not can("topic.edit", current, person=actor):
            raise Refused(IN_A_ROUND)
        try:
            changed = update_versioned(topic, expected_version,
                                       {"title": title, "description": description, "body_id": body_id})
        except EditConflict as conflict:
            raise EditConflict(conflict.current, saved=_topic_facts(conflict.current)) from None
        if changed:
            audit.record("topic.updated", topic, actor=actor, changes=sorted(changed))
    return changed


MERGED_TOPIC = reason("topics.merged", _l(
    "Dieses Thema ist mit einem anderen zusammengeführt und kann nicht mehr archiviert werden."))


def toggle_archived(topic: Topic, expected_version, actor) -> str:
    """Archive a current topic or bring an archived one back; `expected_version` is the version the
    button was shown for, so a stale click cannot undo what someone else just did."""
    with write_transaction():
        current = _held(Topic.select().where(Topic.id == topic.id)).get()
        if current.is_merged:
            raise Refused(MERGED_TOPIC)
        if current.version != parse_version(expected_version):
            raise EditConflict(current)
        new_state = PROPOSED if current.is_archived else ARCHIVED
        update_versioned(current, expected_version, {"state": new_state})
        audit.record("topic.archived" if new_state == ARCHIVED else "topic.restored", current, actor=actor)
    return new_state


NOT_CURRENT = reason("topics.not_current", _l("Nur aktuelle Themen können zusammengeführt werden."))
MERGE_TARGET = reason("topics.merge_target", _l("Bitte ein anderes, aktuelles Thema wählen."))
MERGE_OVER_MAXIMUM = reason("topics.merge_over_maximum", _l(
    "Die Themen können jetzt nicht zusammengeführt werden: In der laufenden Abstimmung „%(round)s“ hätten "
    "%(count)d Stimmzettel danach mehr als %(max)d Punkte auf einem Thema. Führen Sie die Themen nach dem "
    "Ende der Abstimmung zusammen."))
MERGE_RANKED_BOTH = reason("topics.merge_ranked_both", _l(
    "Die Themen können jetzt nicht zusammengeführt werden: In der laufenden Abstimmung „%(round)s“ haben "
    "%(count)d Personen beiden Themen einen Platz gegeben. Führen Sie die Themen nach dem Ende der "
    "Abstimmung zusammen."))


def merge_topics(duplicate: Topic, survivor: Topic, actor) -> None:
    """`duplicate` becomes part of `survivor`: in planned and open rounds its place on the ballot and
    its votes move over, unless that would break a ballot's rules (refused, nothing changes).
    Closed rounds are not touched: their results were frozen when they closed."""
    if duplicate.id == survivor.id:
        raise Refused(MERGE_TARGET)
    with write_transaction():
        pair = {t.id: t for t in _held(Topic.select().where(Topic.id.in_([duplicate.id, survivor.id]))
                                       .order_by(Topic.id))}
        duplicate, survivor = pair[duplicate.id], pair[survivor.id]
        if not duplicate.is_current:
            raise Refused(NOT_CURRENT)
        if not survivor.is_current:
            raise Refused(MERGE_TARGET)
        round_ids = [link.round_id for link in RoundTopic.select(RoundTopic.round).where(RoundTopic.topic == duplicate)]
        moved = []
        for round_ in locked(VotingRound.select().where(VotingRound.id.in_(round_ids)).order_by(VotingRound.id)):
            if round_.is_closed:
                if not round_.is_final:  # ended by time, not yet frozen: freeze it as it stood
                    _finalize(round_, trigger="merge")
                continue
            _merge_in_round(round_, duplicate, survivor)
            moved.append(round_.id)
        Topic.update(state=MERGED, merged_into=survivor, version=Topic.version + 1).where(
            Topic.id == duplicate.id).execute()
        audit.record("topic.merged", duplicate, actor=actor, into=survivor.id, rounds=moved)


def _merge_in_round(round_: VotingRound, duplicate: Topic, survivor: Topic) -> None:
    """Move `duplicate`'s votes and ballot place to `survivor` in a planned or open round (its row
    locked by the caller, so no vote changes meanwhile)."""
    moving = list(Vote.select().join(Ballot).where(Ballot.round == round_, Vote.topic == duplicate))
    twins = {v.ballot_id: v for v in Vote.select().join(Ballot).where(Ballot.round == round_, Vote.topic == survivor)}
    # A ballot's total stays the same when two of its topics become one, so the budget holds;
    # what can break is the per-topic maximum, and a ranking that places both topics.
    if round_.method == RANKING:
        both = [v for v in moving if v.rank and twins.get(v.ballot_id) and twins[v.ballot_id].rank]
        if both:
            raise Refused(MERGE_RANKED_BOTH, round=round_.title, count=len(both))
    else:
        over = [v for v in moving if v.ballot_id in twins and twins[v.ballot_id].points + v.points > round_.max_per_topic]
        if over:
            raise Refused(MERGE_OVER_MAXIMUM, round=round_.title, count=len(over), max=round_.max_per_topic)
    for vote in moving:
        twin = twins.get(vote.ballot_id)
        if twin is None:
            Vote.update(topic=survivor).where(Vote.id == vote.id).execute()
        else:  # dots: both within the maximum (checked); ranking: at most one of them has a place
            Vote.update(points=twin.points + vote.points, rank=twin.rank or vote.rank).where(Vote.id == twin.id).execute()
            Vote.delete().where(Vote.id == vote.id).execute()
    if RoundTopic.select().where(RoundTopic.round == round_, RoundTopic.topic == survivor).exists():
        RoundTopic.delete().where(RoundTopic.round == round_, RoundTopic.topic == duplicate).execute()
    else:
        RoundTopic.update(topic=survivor).where(RoundTopic.round == round_, RoundTopic.topic == duplicate).execute()


# --- rounds -----------------------------------------------------------------------------------

ROUND_TOPICS = reason("rounds.topics", _l(
    "Mindestens ein gewähltes Thema ist inzwischen archiviert oder zusammengeführt. Bitte prüfen Sie die Auswahl."))
NOT_PLANNED = reason("rounds.not_planned", _l("Die Abstimmung ist bereits geöffnet oder beendet."))
ALREADY_CLOSED = reason("rounds.already_closed", _l("Die Abstimmung ist bereits beendet; das Ergebnis steht fest."))


def create_round(*, title: str, method: str, budget: int, max_per_topic: int, rank_limit: int, body_id: int,
                 opens_at, closes_at, results: str, anonymous: bool, topic_ids: list[int], creator,
                 token: str | None = None) -> VotingRound:
    topic_ids = sorted(set(topic_ids))

    def create() -> VotingRound:
        # Held against a merge or archive until the round lists them (voters may still vote on them).
        current = list(_shared(Topic.select().where(Topic.id.in_(topic_ids)).order_by(Topic.id)))
        if len(current) != len(topic_ids) or not all(t.is_current for t in current):
            raise Refused(ROUND_TOPICS)
        round_ = VotingRound.create(title=title, method=method, budget=budget, max_per_topic=max_per_topic,
                                    rank_limit=rank_limit, body=body_id, opens_at=opens_at, closes_at=closes_at,
                                    results=results, anonymous=anonymous, created_by=creator)
        RoundTopic.insert_many([{"round": round_.id, "topic": topic_id} for topic_id in topic_ids]).execute()
        audit.record("round.created", round_, actor=creator, title=title, method=method, topics=topic_ids)
        if round_.is_open:
            _tell_opened(round_, creator)
        return round_

    return create_once(token, VotingRound, create)


def open_round(round_: VotingRound, actor) -> None:
    with write_transaction():
        current = _lock_round(round_.id)
        if not current.is_planned:
            raise Refused(NOT_PLANNED)
        current.opens_at = utcnow()
        VotingRound.update(opens_at=current.opens_at).where(VotingRound.id == current.id).execute()
        audit.record("round.opened", current, actor=actor)
        _tell_opened(current, actor)


def _tell_opened(round_: VotingRound, actor) -> None:
    notify("round.opened", object_type="VotingRound", object_id=round_.id, title=round_.title,
           people=audiences.body_members(round_.body_id), actor=actor, may_read=("round.vote", round_))


def close_round(round_: VotingRound, actor) -> VotingRound:
    """End the round now (if its time has not run out already) and freeze its results."""
    with write_transaction():
        current = _lock_round(round_.id)
        if current.is_final:
            raise Refused(ALREADY_CLOSED)
        if not current.is_closed:
            now = utcnow()
            current.opens_at, current.closes_at = min(current.opens_at, now), now
            VotingRound.update(opens_at=current.opens_at, closes_at=now).where(VotingRound.id == current.id).execute()
        audit.record("round.closed", current, actor=actor)
        _finalize(current, trigger="closed", actor=actor)
    return current


def finalize_due_rounds() -> list[int]:
    """Freeze every round whose end time has passed. Runs before each request (see round_views):
    one small query when there is nothing to do."""
    due = [r.id for r in VotingRound.select(VotingRound.id)
           .where(VotingRound.finalized_at.is_null(), VotingRound.closes_at <= utcnow())]
    for round_id in due:
        finalize(round_id)
    return due


def finalize(round_id: int) -> VotingRound | None:
    """Freeze one round's results if it has closed and they are not frozen yet (idempotent)."""
    with write_transaction():
        current = _lock_round(round_id)
        if current is not None and current.is_closed and not current.is_final:
            _finalize(current, trigger="end_time")
    return current


def _finalize(round_: VotingRound, *, trigger: str, actor=None) -> None:
    """In the transaction that closes the round (its row locked): store the final tally, and for
    an anonymous round cut every link between people and points."""
    final = voting.tally(round_)
    voted, eligible = voting.count_participation(round_)
    if final:
        RoundResult.insert_many([
            {"round": round_.id, "topic": r.topic_id, "title": r.title, "position": position, "score": r.score,
             "rank": r.rank, "tied": r.tied, "voters": r.voters}
            for position, r in enumerate(final, start=1)]).execute()
    if round_.anonymous:
        took_part = [b.person_id for b in Ballot.select(Ballot.person).join(Vote)
                     .where(Ballot.round == round_, (Vote.points > 0) | Vote.rank.is_null(False)).distinct()]
        if took_part:
            RoundParticipant.insert_many([{"round": round_.id, "person": person_id}
                                          for person_id in took_part]).execute()
        ballots = Ballot.select(Ballot.id).where(Ballot.round == round_)
        Vote.delete().where(Vote.ballot.in_(ballots)).execute()
        Ballot.delete().where(Ballot.round == round_).execute()
    round_.finalized_at, round_.voters, round_.eligible = utcnow(), voted, eligible
    VotingRound.update(finalized_at=round_.finalized_at, voters=voted, eligible=eligible).where(
        VotingRound.id == round_.id).execute()
    audit.record("round.results_frozen", round_, trigger=trigger, voters=voted, eligible=eligible,
                 anonymous=round_.anonymous)
    notify("round.results", object_type="VotingRound", object_id=round_.id, title=round_.title,
           people=audiences.body_members(round_.body_id), actor=actor, may_read=("round.results", round_))


# --- voting -----------------------------------------------------------------------------------

VOTING_CLOSED = reason("voting.closed", _l("Die Abstimmung ist nicht geöffnet; es wurde nichts geändert."))
NOT_ELIGIBLE = reason("voting.not_eligible", _l("Sie gehören nicht zu den Abstimmenden dieser Runde."))
NOT_IN_ROUND = reason("voting.not_in_round", _l("Dieses Thema gehört nicht zu dieser Abstimmung."))
BUDGET = reason("voting.budget", _l("Alle Ihre Punkte sind vergeben. Nehmen Sie erst woanders einen Punkt zurück."))
MAX_PER_TOPIC = reason("voting.max_per_topic", _l("Mehr Punkte gehen auf dieses Thema nicht."))
NOTHING_TO_TAKE = reason("voting.nothing_to_take", _l(
    "Auf diesem Thema haben Sie keinen Punkt, der zurückgenommen werden könnte."))
RANKS = reason("voting.ranks", _l("Jeder Platz darf nur einmal vergeben werden."))
METHOD = reason("voting.method", _l("Diese Abstimmung arbeitet mit einem anderen Verfahren."))


def _round_for_voting(round_id: int, person, topic_ids, method: str) -> VotingRound:
    """Inside the vote's transaction: the round as it is now, held so it cannot close or change
    its topics before the vote is stored."""
    # One statement: the round and whether the person may vote in it.
    wanted = {topic_id for topic_id in topic_ids if topic_id is not None}
    may_vote = voting.eligible_voters(VotingRound).where(Person.id == person.id).select(fn.COUNT(Person.id))
    current = _shared(VotingRound.select(VotingRound, may_vote.alias("may_vote_now"))
                      .where(VotingRound.id == round_id)).get()
    if current.method != method:
        raise Refused(METHOD)
    if not current.is_open:
        raise Refused(VOTING_CLOSED)
    current.__dict__.setdefault("_may_vote", {})[person.id] = bool(current.may_vote_now)
    if not current.may_vote_now:
        raise Refused(NOT_ELIGIBLE)
    # Read after the round is held, never in the statement that waited for it: on PostgreSQL that
    # statement's subqueries still see the round's topics as they were before a merge that held the
    # round meanwhile, and a point would land on a topic the merge had just moved away.
    found = RoundTopic.select().where(RoundTopic.round == current.id, RoundTopic.topic.in_(wanted or {0})).count()
    if len(wanted) != len(list(topic_ids)) or found != len(wanted):
        raise Refused(NOT_IN_ROUND)
    return current


def _ballot(round_: VotingRound, person) -> tuple[Ballot, bool]:
    """The person's ballot, locked (it serialises one voter's parallel clicks), and whether it is new."""
    mine = Ballot.select().where(Ballot.round == round_.id, Ballot.person == person.id)
    ballot = locked(mine).get_or_none()
    if ballot is not None:
        return ballot, False
    # A parallel first click of the same person may insert it at the same moment (PostgreSQL): the
    # insert is then ignored and returns no id. (SQLite holds the write lock: nobody came between.)
    created = Ballot.insert(round=round_.id, person=person.id, updated_at=utcnow()).on_conflict_ignore().execute()
    return locked(mine).get(), bool(created)


def change_points(round_: VotingRound, person, topic_id: int | None, delta: int) -> voting.BallotState:
    """Give (+1) or take back (-1) a point. Budget, per-topic maximum and round state hold under
    any number of parallel clicks: the person's ballot row is locked for the read-check-write."""
    if delta not in (1, -1):
        raise Refused(METHOD)
    with write_transaction():
        current = _round_for_voting(round_.id, person, [topic_id], DOTS)
        ballot, fresh = _ballot(current, person)
        votes = {v.topic_id: v for v in Vote.select().where(Vote.ballot == ballot)}
        used = sum(v.points for v in votes.values())
        had = votes[topic_id].points if topic_id in votes else 0
        new = had + delta
        if delta > 0 and used + delta > current.budget:
            raise Refused(BUDGET)
        if new > current.max_per_topic:
            raise Refused(MAX_PER_TOPIC)
        if new < 0:
            raise Refused(NOTHING_TO_TAKE)
        if topic_id in votes:
            Vote.update(points=new).where(Vote.id == votes[topic_id].id).execute()
        else:
            Vote.create(ballot=ballot, topic=topic_id, points=new)
        Ballot.update(updated_at=utcnow()).where(Ballot.id == ballot.id).execute()
        _audit_vote(current, person, fresh, topic=topic_id, delta=delta)
    # The ballot as it now stands, from what this transaction read and wrote.
    points = {tid: vote.points for tid, vote in votes.items() if vote.points}
    points[topic_id] = new
    points = {tid: given for tid, given in points.items() if given}
    return voting.BallotState(points, sum(points.values()), current.budget)


def set_ranking(round_: VotingRound, person, ranks: dict[int, int]) -> voting.BallotState:
    """Replace the person's ranking: {topic id: rank}, ranks 1..rank_limit, each used once."""
    with write_transaction():
        current = _round_for_voting(round_.id, person, ranks.keys(), RANKING)
        places = list(ranks.values())
        if len(places) != len(set(places)) or any(not 1 <= r <= current.rank_limit for r in places):
            raise Refused(RANKS)
        ballot, fresh = _ballot(current, person)
        Vote.delete().where(Vote.ballot == ballot).execute()
        if ranks:
            Vote.insert_many([{"ballot": ballot.id, "topic": topic_id, "rank": rank, "points": 0}
                              for topic_id, rank in ranks.items()]).execute()
        Ballot.update(updated_at=utcnow()).where(Ballot.id == ballot.id).execute()
        _audit_vote(current, person, fresh, ranks=ranks)
    return voting.ballot_state(current, person)


def _audit_vote(round_: VotingRound, person, new_ballot: bool, **details) -> None:
    # Anonymous rounds: the audit trail notes once that someone voted, never for what nor how often
    # (a count of clicks would hint at points).
    if not round_.anonymous:
        audit.record("vote.changed", round_, actor=person, **details)
    elif new_ballot:
        audit.record("vote.changed", round_, actor=person)
