"""Query counts stay flat: every page costs the same number of SQL statements with one year of
data as with ten, and at most 15. A vote click (a point given, one taken back, a ranking saved, by
htmx) costs at most 7 statements, the same at one and ten years: the login session with person and
organisation (1); on SQLite BEGIN IMMEDIATE (PostgreSQL's BEGIN does not pass through peewee's
execute_sql); the round held with the voter's eligibility and the number of eligible voters (1);
the ballot made or held in one upsert (1); the round's topics with the ballot's votes, read after
both are held (1); the vote written (1); and the live tally for the answer, which also counts the
participation (1). No audit event: the ballot is the record (topics.workflow, _NO_AUDIT_OF_VOTES).
Nothing is read twice, and the freezing of ended rounds asks nothing on a vote click (the click's
own transaction sees whether its round is open)."""

import pytest

from bench import cases
from bench.queries import counting
from fh_intranet.bench_data import LOGINS
from fh_intranet.people.models import COORDINATOR, MEMBER, Person
from fh_intranet.topics.models import RANKING, RoundTopic, Topic, VotingRound
from tests.conftest import csrf_from, reset_database
from tests.topic_fixtures import make_round

PAGE_LIMIT = 15
VOTE_LIMIT = 7  # see the module's docstring


def seeded(app, years: int):
    reset_database()
    result = app.test_cli_runner().invoke(args=["seed-bench", "--years", str(years), "--scale", "0.1"])
    assert result.exit_code == 0, result.output


def page_counts(app, role: str) -> dict[str, tuple[int, int]]:
    person = Person.get(Person.email == LOGINS[role])
    client = app.test_client(user=person)
    assert client.get("/kalender/").status_code == 200  # makes the calendar feed the list includes
    counts = {}
    for case in cases.pages(person):
        # Once before: what a first visit sets up is not what we count (nor a PDF's making: the
        # kept one is what every later download gets).
        client.get(case.url)
        with counting() as counter:
            response = client.get(case.url)
            response.get_data()
        counts[case.name] = (response.status_code, counter.count)
    return counts


def test_pages_cost_the_same_queries_at_one_and_ten_years(app):
    # One year at scale 0.1 has more events than csvexport.STREAM_CHUNK_ROWS, so the change-log
    # CSV streams at both sizes (a short export is answered at once, with a statement less).
    seeded(app, 1)
    small = {role: page_counts(app, role) for role in (MEMBER, COORDINATOR)}
    seeded(app, 10)
    large = {role: page_counts(app, role) for role in (MEMBER, COORDINATOR)}
    for role in (MEMBER, COORDINATOR):
        assert len(small[role]) >= 25
        for name, (status, count) in large[role].items():
            assert status == 200, (role, name)
            assert count <= PAGE_LIMIT, (role, name, count)
            assert small[role][name] == (status, count), (role, name, small[role][name], count)


@pytest.mark.parametrize("years", [1, 10])
def test_a_vote_click_takes_few_queries(app, years):
    seeded(app, years)
    person = Person.get(Person.email == LOGINS[MEMBER])
    client = app.test_client(user=person)
    ballot = next(c for c in cases.pages(person) if c.name == "ballot")
    page = client.get(ballot.url).get_data(as_text=True)
    round_id = int(ballot.url.rstrip("/").rsplit("/", 1)[1])
    topic_ids = [link.topic_id for link in RoundTopic.select().where(RoundTopic.round == round_id).order_by(RoundTopic.id)]
    headers = {"HX-Request": "true", "X-CSRFToken": csrf_from(page)}
    counts = {}
    for delta in ("1", "-1", "1", "-1"):  # the first click may make the ballot; count the later ones
        with counting() as counter:
            response = client.post(f"/abstimmungen/{round_id}/punkte", data={"topic": topic_ids[0], "delta": delta},
                                   headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        assert "Noch " in response.get_data(as_text=True)
        counts[f"point {delta}"] = counter
    # a ranking round of the same body over the same topics
    open_round = VotingRound.get_by_id(round_id)
    ranking = make_round(open_round.body, person, Topic.select().where(Topic.id.in_(topic_ids)), method=RANKING,
                         rank_limit=2)
    places = {f"rank-{topic_ids[0]}": "1", f"rank-{topic_ids[1]}": "2"}
    for order in (places, {**places, f"rank-{topic_ids[0]}": "2", f"rank-{topic_ids[1]}": "1"}):
        with counting() as counter:
            response = client.post(f"/abstimmungen/{ranking.id}/rangfolge", data=order, headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        assert "Ihre Rangfolge ist gespeichert." in response.get_data(as_text=True)
        counts["ranking"] = counter
    for name, counter in counts.items():
        assert counter.count <= VOTE_LIMIT, (name, counter.count, "\n".join(counter.statements))
