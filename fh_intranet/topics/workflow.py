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

import hashlib
import time

from flask_babel import lazy_gettext as _l
from peewee import EXCLUDED, JOIN, fn

from .. import audit
from ..changes import EditConflict, Refused, create_once, locked, parse_version, reason, update_versioned
from ..db import Prepared, is_sqlite, utcnow, write_transaction
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
    "Die Themen können jetzt nicht zusammengeführt werden: In der laufenden Abstimmung „%(round)s“ lägen "
    "danach mehr als %(max)d Punkte auf einem Thema (Stimmzettel: %(count)d). Führen Sie die Themen nach "
    "dem Ende der Abstimmung zusammen."))
MERGE_RANKED_BOTH = reason("topics.merge_ranked_both", _l(
    "Die Themen können jetzt nicht zusammengeführt werden: In der laufenden Abstimmung „%(round)s“ haben "
    "Abstimmende beiden Themen einen Platz gegeben (Stimmzettel: %(count)d). Führen Sie die Themen nach dem "
    "Ende der Abstimmung zusammen."))


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

    round_ = create_once(token, VotingRound, create)
    END_TIMES.forget()  # a new end time: read again, now that the round is committed
    return round_


TOPICS_FIXED = reason("rounds.topics_fixed", _l(
    "Die Themen dieser Abstimmung können nicht mehr geändert werden: Es wurde bereits abgestimmt. "
    "Bis zur ersten Stimme lassen sie sich ändern, danach nicht mehr, damit jede Stimme für die "
    "Themen zählt, unter denen sie abgegeben wurde."))
ROUND_ENDED = reason("rounds.ended", _l("Die Abstimmung ist beendet; ihre Themen bleiben, wie sie waren."))


def topics_version(topic_ids) -> str:
    """The version of a round's topic selection, for the edit form: it changes whenever the set
    changes (the round has no version column; the set itself is what an editor must not overwrite
    unseen)."""
    joined = ",".join(str(topic_id) for topic_id in sorted(set(topic_ids)))
    return "t" + hashlib.sha256(joined.encode()).hexdigest()[:16]


def change_round_topics(round_: VotingRound, expected_version, topic_ids: list[int], actor) -> dict:
    """Change which topics a planned or open round includes, as long as nobody has voted in it.

    Returns {"added": [...], "removed": [...]} (empty lists: nothing changed). Holds the round as
    closing and merging do (FOR UPDATE): a vote in flight holds it FOR SHARE, so it either committed
    before (its ballot refuses the change) or waits and then reads the new topics (and is refused
    when its topic left the round). The chosen topics are held first, as a merge holds them before
    the round, so a merge and a change wait for each other instead of deadlocking."""
    topic_ids = sorted(set(topic_ids))
    with write_transaction():
        chosen = {t.id: t for t in _shared(Topic.select().where(Topic.id.in_(topic_ids or [0])).order_by(Topic.id))}
        current = _lock_round(round_.id)
        if current.is_closed:
            raise Refused(ROUND_ENDED)
        if voting.has_votes(current):
            raise Refused(TOPICS_FIXED)
        before = [t.id for t in Topic.select(Topic.id).join(RoundTopic).where(RoundTopic.round == current.id)]
        if topics_version(before) != expected_version:
            titles = [t.title for t in Topic.select(Topic.title).where(Topic.id.in_(before or [0])).order_by(Topic.title)]
            raise EditConflict(current, saved=[(str(_l("Themen")), ", ".join(titles))], version=topics_version(before))
        added = sorted(set(topic_ids) - set(before))
        removed = sorted(set(before) - set(topic_ids))
        # Topics that stay may have been archived meanwhile; new ones must be current.
        if len(chosen) != len(topic_ids) or not all(chosen[topic_id].is_current for topic_id in added):
            raise Refused(ROUND_TOPICS)
        if removed:
            RoundTopic.delete().where(RoundTopic.round == current.id, RoundTopic.topic.in_(removed)).execute()
        if added:
            RoundTopic.insert_many([{"round": current.id, "topic": topic_id} for topic_id in added]).execute()
        if added or removed:
            audit.record("round.topics_changed", current, actor=actor, added=added, removed=removed)
    return {"added": added, "removed": removed}


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


class _EndTimes:
    """When this process has to look for ended rounds next: the earliest end time of the rounds not
    frozen yet, as last read, and when that was read. Other app processes may create rounds
    meanwhile; their end times are read at the latest `recheck` seconds later."""

    def __init__(self):
        self.next_end = None  # None: no round waits for its end
        self.read_at = None  # time.monotonic() of the last reading; None: read at the next chance
        self.generation = 0  # counts forget(): a reading that began before one is not kept

    def due(self, now, recheck: float) -> bool:
        return (self.read_at is None or time.monotonic() - self.read_at >= recheck
                or (self.next_end is not None and now >= self.next_end))

    def forget(self) -> None:
        self.generation += 1
        self.read_at = None


END_TIMES = _EndTimes()
RECHECK_SECONDS = 60


def finalize_due_rounds(*, cached: bool = False, recheck: float = RECHECK_SECONDS) -> list[int]:
    """Freeze every round whose end time has passed: one small query (the rounds not frozen yet),
    and a transaction per round to freeze. `cached`: only when an end time this process knows of
    has passed or it read them more than `recheck` seconds ago; otherwise no query at all."""
    now = utcnow()
    if cached and not END_TIMES.due(now, recheck):
        return []
    read_at, generation = time.monotonic(), END_TIMES.generation
    waiting = list(VotingRound.select(VotingRound.id, VotingRound.closes_at).where(VotingRound.finalized_at.is_null()))
    due = [r.id for r in waiting if r.closes_at <= now]
    for round_id in due:
        finalize(round_id)
    if END_TIMES.generation == generation:
        END_TIMES.next_end = min((r.closes_at for r in waiting if r.closes_at > now), default=None)
        END_TIMES.read_at = read_at
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
# Named by the topic: without JavaScript the message stands at the top of the page, not at its row.
MAX_PER_TOPIC = reason("voting.max_per_topic", _l("Mehr Punkte gehen auf „%(topic)s“ nicht."))
NOTHING_TO_TAKE = reason("voting.nothing_to_take", _l(
    "Auf „%(topic)s“ haben Sie keinen Punkt, der zurückgenommen werden könnte."))
RANKS = reason("voting.ranks", _l("Jeder Platz darf nur einmal vergeben werden."))
METHOD = reason("voting.method", _l("Diese Abstimmung arbeitet mit einem anderen Verfahren."))


# A vote's reads run at every click, while the voter holds the writer's turn: their SQL is built
# once per process (db.Prepared), not on every click.
_ROUND_FOR_VOTING = Prepared(lambda round_id, person_id: _shared(
    VotingRound.select(VotingRound,
                       voting.eligible_voters(VotingRound).where(Person.id == person_id)
                       .select(fn.COUNT(Person.id)).alias("may_vote_now"),
                       voting.eligible_voters(VotingRound).select(fn.COUNT(Person.id)).alias("eligible_now"))
    .where(VotingRound.id == round_id).limit(1)))
_TOPICS_AND_BALLOT = Prepared(lambda round_id, ballot_id: (
    Topic.select(Topic, Vote.id.alias("vote_id"), Vote.points.alias("vote_points"), Vote.rank.alias("vote_rank"))
    .join(RoundTopic, on=(RoundTopic.topic == Topic.id))
    .switch(Topic)
    .join(Vote, JOIN.LEFT_OUTER, on=((Vote.topic == Topic.id) & (Vote.ballot == ballot_id)))
    .where(RoundTopic.round == round_id).order_by(Topic.title, Topic.id).objects()))


def _round_for_voting(round_id: int, person, method: str) -> VotingRound:
    """Inside the vote's transaction: the round as it is now, held so it cannot close or change
    its topics before the vote is stored. One statement, which also asks whether the person may
    vote and how many may (for the participation the answer shows)."""
    current = _ROUND_FOR_VOTING.first(round_id, person.id)
    if current is None:
        raise Refused(VOTING_CLOSED)  # the view answers 404 for a round it cannot read
    if current.method != method:
        raise Refused(METHOD)
    if not current.is_open:
        raise Refused(VOTING_CLOSED)
    current.__dict__["_may_vote"] = {person.id: bool(current.may_vote_now)}
    current.__dict__["_eligible"] = current.eligible_now or 0
    if not current.may_vote_now:
        raise Refused(NOT_ELIGIBLE)
    return current


def _hold_ballot(round_: VotingRound, person) -> int:
    """The id of the person's ballot, made on their first vote; its row is written, which holds it
    until the transaction ends (PostgreSQL), so one voter's parallel clicks queue behind each other.
    One statement: a second click of the same person at the same moment waits for the first's
    insert and then updates it (ON CONFLICT … DO UPDATE). SQLite holds the write lock already."""
    inserted = (Ballot.insert(round=round_.id, person=person.id, updated_at=utcnow())
                .on_conflict(conflict_target=[Ballot.round, Ballot.person],
                             update={Ballot.updated_at: EXCLUDED.updated_at})
                .returning(Ballot.id).execute())
    return next(iter(inserted)).id


def _topics_and_ballot(round_: VotingRound, ballot_id: int) -> dict[int, Topic]:
    """The round's topics (by title, as the ballot lists them) with what the ballot gives each, read
    after the round and the ballot are held: never in the statement that waited for the round (on
    PostgreSQL its subqueries would still see the topics as they were before a merge or a change
    of the round's topics that held the round meanwhile, and a point could land on a topic that is
    no longer in the round). A ballot's votes are only ever on the round's topics: merging moves
    them along, and a round's topics change only while nobody has voted."""
    topics = _TOPICS_AND_BALLOT.rows(round_.id, ballot_id)
    round_.__dict__["_topics"] = topics  # what voting.round_topics() answers for this round object
    return {topic.id: topic for topic in topics}


def change_points(round_: VotingRound | int, person, topic_id: int | None, delta: int) -> voting.BallotState:
    """Give (+1) or take back (-1) a point. Budget, per-topic maximum and round state hold under
    any number of parallel clicks: the round is held against closing and changes, the person's
    ballot row for the read-check-write. The state returned carries the round as read here."""
    if delta not in (1, -1):
        raise Refused(METHOD)
    with write_transaction():
        current = _round_for_voting(getattr(round_, "id", round_), person, DOTS)
        ballot_id = _hold_ballot(current, person)
        topics = _topics_and_ballot(current, ballot_id)
        if topic_id not in topics:
            raise Refused(NOT_IN_ROUND)
        given = {tid: t.vote_points for tid, t in topics.items() if t.vote_id is not None}
        used = sum(given.values())
        new = given.get(topic_id, 0) + delta
        if delta > 0 and used + delta > current.budget:
            raise Refused(BUDGET)
        if new > current.max_per_topic:
            raise Refused(MAX_PER_TOPIC, topic=topics[topic_id].title)
        if new < 0:
            raise Refused(NOTHING_TO_TAKE, topic=topics[topic_id].title)
        if topic_id in given:
            Vote.update(points=new).where(Vote.id == topics[topic_id].vote_id).execute()
        else:
            Vote.insert(ballot=ballot_id, topic=topic_id, points=new).execute()
        # No audit event: the ballot is the record (see _NO_AUDIT_OF_VOTES).
    # The ballot as it now stands, from what this transaction read and wrote.
    given[topic_id] = new
    points = {tid: points for tid, points in given.items() if points}
    return voting.BallotState(points, sum(points.values()), current.budget, round=current)


def set_ranking(round_: VotingRound | int, person, ranks: dict[int, int] | None = None, *,
                choose=None) -> voting.BallotState:
    """Replace the person's ranking: {topic id: rank}, ranks 1..rank_limit, each used once.

    `choose(round, topics)`, instead of `ranks`, reads the person's input against the round as it
    stands in this transaction and returns the ranks, or raises Refused (the ranking form)."""
    with write_transaction():
        current = _round_for_voting(getattr(round_, "id", round_), person, RANKING)
        ballot_id = _hold_ballot(current, person)
        topics = _topics_and_ballot(current, ballot_id)
        if choose is not None:
            ranks = choose(current, list(topics.values()))
        if any(topic_id not in topics for topic_id in ranks):
            raise Refused(NOT_IN_ROUND)
        places = list(ranks.values())
        if len(places) != len(set(places)) or any(not 1 <= r <= current.rank_limit for r in places):
            raise Refused(RANKS)
        # One row per topic of the round, a place or none: the ranking is replaced in one statement.
        (Vote.insert_many([{"ballot": ballot_id, "topic": topic_id, "rank": ranks.get(topic_id), "points": 0}
                           for topic_id in topics])
         .on_conflict(conflict_target=[Vote.ballot, Vote.topic],
                      update={Vote.rank: EXCLUDED.rank, Vote.points: EXCLUDED.points})
         .execute())
        # No audit event: the ballot is the record (see _NO_AUDIT_OF_VOTES).
    return voting.BallotState(dict(ranks), len(ranks), current.rank_limit, round=current)


# _NO_AUDIT_OF_VOTES: a vote writes no audit event. The change log named the voter with the time
# of their click (and once, the topic and points); beside the live tally that tells the coordinator
# who gave what, in a named round before it closes (rule round.named_votes) and in an anonymous one
# ever. The ballot is the record of a named vote, `round_participant` of an anonymous one (m0036
# removed the events recorded before).
