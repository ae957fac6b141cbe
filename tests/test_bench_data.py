"""seed-bench: a small network of several years that keeps the app's rules."""
from collections import Counter, defaultdict

from fh_intranet.agreements.models import ADOPTED, SUPERSEDED, Agreement, Comment, Signature
from fh_intranet.agreements.sections import split
from fh_intranet.audit import AuditEvent
from fh_intranet.db import utcnow
from fh_intranet.meetings.models import Decision, Meeting, MinutesRevision
from fh_intranet.people.models import Person
from fh_intranet.topics.models import DOTS, Ballot, RoundResult, Vote, VotingRound
from tests.conftest import reset_database, submit


def test_seed_bench_fills_an_empty_database_within_the_rules(app):
    result = app.test_cli_runner().invoke(args=["seed-bench", "--years", "3", "--scale", "0.1"])
    assert result.exit_code == 0, result.output
    assert "koordination@bench.example" in result.output

    # Decisions of published minutes are numbered 1, 2, 3 … per year, without gaps.
    numbers = defaultdict(list)
    for decision in Decision.select().where(Decision.number.is_null(False)):
        numbers[decision.year].append(decision.number)
    assert len(numbers) >= 2
    for year_numbers in numbers.values():
        assert sorted(year_numbers) == list(range(1, len(year_numbers) + 1))
    # Every published meeting has revision 1; drafts none.
    for meeting in Meeting.select():
        revisions = [r.number for r in MinutesRevision.select().where(MinutesRevision.meeting == meeting)]
        assert (1 in revisions) == meeting.is_published
        assert sorted(revisions) == list(range(1, len(revisions) + 1))
    assert MinutesRevision.select().where(MinutesRevision.number == 2).exists()

    # Ballots within budget and per-topic maximum.
    for round_ in VotingRound.select().where(VotingRound.method == DOTS):
        for ballot in Ballot.select().where(Ballot.round == round_):
            points = [v.points for v in Vote.select().where(Vote.ballot == ballot)]
            assert sum(points) <= round_.budget and max(points) <= round_.max_per_topic
    closed = VotingRound.select().where(VotingRound.finalized_at.is_null(False))
    assert closed.count() >= 1
    assert RoundResult.select().where(RoundResult.round.in_(closed)).exists()

    # Signatures only on adopted (perhaps since superseded) agreements; comments on real sections.
    for signature in Signature.select():
        assert Agreement.get_by_id(signature.agreement_id).state in (ADOPTED, SUPERSEDED)
    for comment in Comment.select().limit(200):
        assert comment.section_anchor in {s.anchor for s in split(comment.version.text)}
        if comment.parent_id:
            assert Comment.get_by_id(comment.parent_id).parent_id is None

    # nothing is written in the future: the change log began with the drafts of coming meetings
    assert not AuditEvent.select().where(AuditEvent.created_at > utcnow()).exists()
    actions = Counter(e.action for e in AuditEvent.select(AuditEvent.action))
    for action in ("minutes.published", "decision.added", "comment.added", "round.results_frozen"):
        assert actions[action] > 0, action

    # The rows went in without the writers: the output says how to make them searchable.
    assert "search-reindex" in result.output

    # The logins work with the printed password.
    response = submit(app.test_client(), "/anmelden",
                      {"email": "mitglied@bench.example", "password": "netzwerk-bench-2026"})
    assert response.status_code == 303


def test_seed_bench_refuses_a_database_with_people(app, people):
    result = app.test_cli_runner().invoke(args=["seed-bench", "--years", "1", "--scale", "0.1"])
    assert result.exit_code != 0
    assert "not empty" in result.output
    assert Person.select().count() == len(people)
    assert not Meeting.select().exists()


def test_seed_bench_sizes_grow_with_the_years(app):
    assert app.test_cli_runner().invoke(args=["seed-bench", "--years", "1", "--scale", "0.5"]).exit_code == 0
    one = Decision.select().count()
    reset_database()
    assert app.test_cli_runner().invoke(args=["seed-bench", "--years", "4", "--scale", "0.5"]).exit_code == 0
    assert Decision.select().count() > 2.5 * one
