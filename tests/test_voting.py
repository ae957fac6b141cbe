"""Topic priorities: voting rules via htmx and plain forms, Borda and ties, anonymity, merging."""
import pytest

from fh_intranet.audit import AuditEvent
from fh_intranet.changes import Refused
from fh_intranet.db import utcnow
from fh_intranet.topics import voting
from fh_intranet.topics.models import RANKING, Ballot, RoundTopic, Topic, Vote, VotingRound
from fh_intranet.topics.topic_views import merge_topics

from .conftest import csrf_from, submit
from .topic_fixtures import make_round

HX = {"HX-Request": "true"}


def click(client, round_, topic, delta="1", htmx=True):
    token = csrf_from(client.get(f"/abstimmungen/{round_.id}").get_data(as_text=True))
    headers = {**HX, "X-CSRFToken": token} if htmx else {}
    data = {"topic": str(topic.id), "delta": delta, **({} if htmx else {"csrf_token": token})}
    return client.post(f"/abstimmungen/{round_.id}/punkte", data=data, headers=headers)


def my_points(round_, person):
    return voting.ballot_state(round_, person).points


def test_points_budget_and_maximum_by_htmx(client_as, rounds, topics, people):
    client = client_as("member")
    round_ = rounds["open"]
    for _ in range(3):
        response = click(client, round_, topics[0])
        assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert text.lstrip().startswith('<section id="ballot"') and "Noch 2 von 5 Punkten" in text
    assert 'id="results"' in text and 'hx-swap-oob="true"' in text  # the live chart comes along
    refused = click(client, round_, topics[0])
    assert refused.status_code == 409 and "Mehr Punkte gehen auf dieses Thema nicht." in refused.get_data(as_text=True)
    click(client, round_, topics[1])
    click(client, round_, topics[1])
    spent = click(client, round_, topics[2])
    assert spent.status_code == 409 and "Alle Ihre Punkte sind vergeben" in spent.get_data(as_text=True)
    assert my_points(round_, people["member"]) == {topics[0].id: 3, topics[1].id: 2}
    assert click(client, round_, topics[1], "-1").status_code == 200
    assert click(client, round_, topics[2]).status_code == 200
    nothing = click(client, round_, topics[3], "-1")
    assert nothing.status_code == 409 and "keinen Punkt" in nothing.get_data(as_text=True)
    assert my_points(round_, people["member"]) == {topics[0].id: 3, topics[1].id: 1, topics[2].id: 1}


def test_points_by_plain_form_redirect(client_as, rounds, topics, people):
    client = client_as("member")
    response = click(client, rounds["open"], topics[0], htmx=False)
    assert response.status_code == 303 and response.location == f"/abstimmungen/{rounds['open'].id}"
    assert "Noch 4 von 5 Punkten" in client.get(response.location).get_data(as_text=True)


@pytest.mark.parametrize("state", ["planned", "closed"])
def test_no_votes_outside_the_open_time(client_as, rounds, topics, people, state):
    client = client_as("member")
    response = click(client, rounds[state], topics[0])
    assert response.status_code == 409 and "nicht geöffnet" in response.get_data(as_text=True)
    assert not Vote.select().exists()


def test_closing_time_applies_on_its_own(client_as, rounds, topics, people):
    round_ = rounds["open"]
    client = client_as("member")
    click(client, round_, topics[0])
    VotingRound.update(closes_at=utcnow()).where(VotingRound.id == round_.id).execute()
    assert click(client, round_, topics[0]).status_code == 409
    assert my_points(round_, people["member"]) == {topics[0].id: 1}


def test_partner_cannot_vote_or_see_unclosed_rounds(app, client_as, rounds, topics, body, people):
    app.config["WTF_CSRF_ENABLED"] = False
    partner = client_as("partner")
    assert partner.post(f"/abstimmungen/{rounds['open'].id}/punkte", data={"topic": topics[0].id, "delta": "1"}).status_code == 404
    listing = partner.get("/abstimmungen/").get_data(as_text=True)
    assert rounds["closed"].title in listing and rounds["open"].title not in listing and rounds["planned"].title not in listing
    with pytest.raises(Refused):
        voting.change_points(rounds["open"], people["partner"], topics[0].id, 1)  # partner is a body member, still no vote
    assert not Vote.select().exists()


def test_only_members_of_the_round_body_vote(client_as, make_person, app, rounds, topics):
    outsider = make_person("member")
    with pytest.raises(Refused):
        voting.change_points(rounds["open"], outsider, topics[0].id, 1)


def test_results_hidden_until_close_when_chosen(client_as, body, people, topics):
    round_ = make_round(body, people["coordinator"], topics, results="after_close")
    voting.change_points(round_, people["member"], topics[0].id, 1)
    page = client_as("coordinator").get(f"/abstimmungen/{round_.id}").get_data(as_text=True)
    assert 'id="results"' not in page and "nach dem Ende" in page
    assert client_as("coordinator").get(f"/abstimmungen/{round_.id}/ergebnis.csv").status_code == 403


def test_polling_stops_when_the_round_closes(client_as, rounds):
    client = client_as("member")
    running = client.get(f"/abstimmungen/{rounds['open'].id}/ergebnis", headers=HX)
    assert running.status_code == 200 and 'hx-trigger="every 3s"' in running.get_data(as_text=True)
    closed = client.get(f"/abstimmungen/{rounds['closed'].id}/ergebnis", headers=HX)
    assert closed.status_code == 286 and "hx-trigger" not in closed.get_data(as_text=True)


def test_dot_results_with_ties_and_participation(rounds, topics, people, make_person, body):
    round_ = rounds["open"]
    for person, picks in [(people["member"], [0, 0, 1]), (people["coordinator"], [1, 1, 0, 2])]:
        for index in picks:
            voting.change_points(round_, person, topics[index].id, 1)
    result = {r.topic.title: (r.rank, r.score, r.tied) for r in voting.results(round_)}
    assert result == {"Väter einbeziehen": (1, 3, True), "Einfache Sprache": (1, 3, True),
                      "Übergang Klinik": (3, 1, False), "Wartezeiten": (4, 0, False)}
    assert voting.participation(round_) == (2, 2)  # partner in the body does not count


def test_borda_count_on_a_hand_computed_example(rounds, topics, people, make_person, body):
    from fh_intranet.meetings.models import BodyMember

    round_ = rounds["ranking"]  # 3 places: 3, 2, 1 points
    third = make_person("member")
    BodyMember.create(body=body, person=third)
    a, b, c, d = (t.id for t in topics)
    voting.set_ranking(round_, people["member"], {a: 1, b: 2, c: 3})       # a3 b2 c1
    voting.set_ranking(round_, people["coordinator"], {b: 1, a: 2})        # b3 a2
    voting.set_ranking(round_, third, {c: 1, d: 2, b: 3})                  # c3 d2 b1
    scores = {r.topic.id: (r.score, r.rank, r.tied) for r in voting.results(round_)}
    assert scores == {b: (6, 1, False), a: (5, 2, False), c: (4, 3, False), d: (2, 4, False)}
    with pytest.raises(Refused):
        voting.set_ranking(round_, third, {a: 1, b: 1})  # a place twice
    with pytest.raises(Refused):
        voting.set_ranking(round_, third, {a: 4})  # beyond the places
    assert voting.ballot_state(round_, third).points == {c: 1, d: 2, b: 3}


def test_ranking_by_form_and_htmx(client_as, rounds, topics, people):
    round_ = rounds["ranking"]
    client = client_as("member")
    page = client.get(f"/abstimmungen/{round_.id}").get_data(as_text=True)
    assert f'<label for="rank-{topics[0].id}">Platz für „Väter einbeziehen“</label>' in page
    plain = submit(client, f"/abstimmungen/{round_.id}", {f"rank-{topics[0].id}": "2", f"rank-{topics[1].id}": "1"},
                   action=f"/abstimmungen/{round_.id}/rangfolge")
    assert plain.status_code == 303
    token = csrf_from(page)
    twice = client.post(f"/abstimmungen/{round_.id}/rangfolge", data={f"rank-{topics[0].id}": "1", f"rank-{topics[1].id}": "1"},
                        headers={**HX, "X-CSRFToken": token})
    assert twice.status_code == 409 and "nur einmal" in twice.get_data(as_text=True)
    assert voting.ballot_state(round_, people["member"]).points == {topics[0].id: 2, topics[1].id: 1}


def test_anonymous_rounds_never_reveal_who_gave_what(client_as, body, people, topics):
    round_ = make_round(body, people["coordinator"], topics, anonymous=True)
    voting.change_points(round_, people["member"], topics[0].id, 1)
    VotingRound.update(closes_at=utcnow()).where(VotingRound.id == round_.id).execute()
    member_name = people["member"].name
    for role in ("coordinator", "member", "partner"):
        client = client_as(role)
        for url in (f"/abstimmungen/{round_.id}", f"/abstimmungen/{round_.id}/ergebnis.csv"):
            content = client.get(url).get_data(as_text=True).split("<main", 1)[-1]  # not the login name in the header
            assert member_name not in content, (role, url)
        assert member_name not in client.get(f"/abstimmungen/{round_.id}/ergebnis", headers=HX).get_data(as_text=True)
    event = AuditEvent.get(AuditEvent.action == "vote.changed")
    assert event.details_dict == {}  # no topic, no points in the trail


def test_named_rounds_show_who_gave_what_after_closing(client_as, body, people, topics):
    round_ = make_round(body, people["coordinator"], topics)
    voting.change_points(round_, people["member"], topics[0].id, 1)
    VotingRound.update(closes_at=utcnow()).where(VotingRound.id == round_.id).execute()
    page = client_as("partner").get(f"/abstimmungen/{round_.id}").get_data(as_text=True)
    assert "Wer hat wie abgestimmt" in page and people["member"].name in page
    assert AuditEvent.get(AuditEvent.action == "vote.changed").details_dict == {"delta": 1, "topic": topics[0].id}


def test_csv_results_for_excel(client_as, rounds, topics, people):
    round_ = rounds["closed"]
    response = client_as("partner").get(f"/abstimmungen/{round_.id}/ergebnis.csv")
    text = response.data.decode("utf-8-sig")
    assert response.data.startswith("\ufeff".encode()) and text.splitlines()[0] == "Platz;Thema;Punkte;Gleichstand"
    assert "Übergang Klinik" in text and "Beteiligung;0 von 2" in text


def test_merge_moves_votes_and_links(rounds, topics, people, client_as):
    round_ = rounds["open"]
    voting.change_points(round_, people["member"], topics[0].id, 1)
    voting.change_points(round_, people["member"], topics[1].id, 1)
    voting.change_points(round_, people["coordinator"], topics[1].id, 1)
    merge_topics(topics[1], topics[0])
    merged = Topic.get_by_id(topics[1].id)
    assert merged.state == "merged" and merged.merged_into_id == topics[0].id
    assert not RoundTopic.select().where(RoundTopic.topic == topics[1]).exists()
    totals = {r.topic.id: r.score for r in voting.results(round_)}
    assert totals[topics[0].id] == 3 and topics[1].id not in totals
    page = client_as("member").get(f"/themen/{topics[1].id}").get_data(as_text=True)
    assert "Zusammengeführt mit" in page and topics[0].title in page


def test_topic_page_shows_its_history(client_as, rounds, topics, people):
    Ballot.create(round=rounds["closed"], person=people["member"])
    text = client_as("member").get(f"/themen/{topics[0].id}").get_data(as_text=True)
    assert rounds["closed"].title in text and "Platz 1" in text and "Gleichstand" in text


def test_coordinator_creates_and_closes_a_round(client_as, body, topics):
    client = client_as("coordinator")
    form = {"title": "Neue Runde", "topics": [str(topics[0].id), str(topics[1].id)], "body": str(body.id),
            "method": RANKING, "budget": "5", "max_per_topic": "3", "rank_limit": "2",
            "opens_at": "2026-01-01T10:00", "closes_at": "2099-01-01T10:00", "results": "live"}
    response = submit(client, "/abstimmungen/neu", form)
    assert response.status_code == 303
    round_ = VotingRound.get(VotingRound.title == "Neue Runde")
    assert round_.method == RANKING and round_.is_open and not round_.anonymous
    bad = submit(client, "/abstimmungen/neu", {**form, "topics": [str(topics[0].id)], "closes_at": "2025-01-01T10:00"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "mindestens zwei Themen" in text and "Das Ende muss nach dem Beginn liegen." in text
    submit(client, f"/abstimmungen/{round_.id}", action=f"/abstimmungen/{round_.id}/schliessen")
    assert VotingRound.get_by_id(round_.id).is_closed


def test_propose_topic(client_as, people):
    response = submit(client_as("member"), "/themen/neu", {"title": "Babylotsen", "description": "Mehr Lotsen."})
    assert response.status_code == 303
    assert Topic.get(Topic.title == "Babylotsen").proposed_by_id == people["member"].id


def test_polling_hidden_results_stops_quietly(client_as, body, people, topics):
    round_ = make_round(body, people["coordinator"], topics, results="after_close")
    response = client_as("member").get(f"/abstimmungen/{round_.id}/ergebnis", headers=HX)
    assert response.status_code == 286 and response.get_data(as_text=True) == ""


def test_odd_rank_values_are_ignored_not_fatal(client_as, rounds, topics):
    client = client_as("member")
    response = submit(client, f"/abstimmungen/{rounds['ranking'].id}", {f"rank-{topics[0].id}": "²", "rank-²": "1"},
                      action=f"/abstimmungen/{rounds['ranking'].id}/rangfolge")
    assert response.status_code == 303


def test_csv_cells_cannot_become_formulas(client_as, rounds, topics):
    Topic.update(title="=HYPERLINK(\"http://evil\")").where(Topic.id == topics[0].id).execute()
    text = client_as("partner").get(f"/abstimmungen/{rounds['closed'].id}/ergebnis.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ";=HYPERLINK" not in text
