"""Topic priorities: voting rules via htmx and plain forms, Borda and ties, anonymity, merging,
final results, edit conflicts and double submits."""
import re
import threading
import time
from datetime import timedelta

import pytest

from bench.queries import counting
from fh_intranet.audit import AuditEvent
from fh_intranet.changes import Refused
from fh_intranet.db import current_schema, database, table_names, utcnow
from fh_intranet.meetings.models import BodyMember
from fh_intranet.topics import voting, workflow
from fh_intranet.topics.models import (
    RANKING,
    Ballot,
    RoundParticipant,
    RoundResult,
    RoundTopic,
    Topic,
    Vote,
    VotingRound,
)

from .conftest import csrf_from, submit
from .html_forms import form_posting_to
from .topic_fixtures import end_by_time, form_data, hidden, make_round, results_table

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
    assert refused.status_code == 409 and f"Mehr Punkte gehen auf „{topics[0].title}“ nicht." in refused.get_data(as_text=True)
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


def test_after_the_end_the_ballot_says_what_was_given_not_what_is_left(client_as, rounds, topics, people):
    round_ = rounds["open"]
    click(client_as("member"), round_, topics[0])
    click(client_as("member"), round_, topics[1])
    workflow.close_round(round_, people["coordinator"])
    voter = client_as("member").get(f"/abstimmungen/{round_.id}").get_data(as_text=True)
    assert "Sie haben 2 von 5 Punkten vergeben." in voter and "zu vergeben" not in voter
    abstainer = client_as("coordinator").get(f"/abstimmungen/{round_.id}").get_data(as_text=True)
    assert "Sie haben in dieser Runde keine Punkte vergeben." in abstainer and "zu vergeben" not in abstainer


@pytest.mark.parametrize("delta", ["5", "100", "+1", "abc", "", "-2"])
def test_a_click_gives_or_takes_one_point_and_nothing_else(client_as, rounds, topics, people, delta):
    """Was: anything but "1" took a point back (answered 200)."""
    client = client_as("member")
    assert click(client, rounds["open"], topics[0]).status_code == 200
    response = click(client, rounds["open"], topics[0], delta)
    assert response.status_code == 400
    assert "Ein Klick gibt einen Punkt (1) oder nimmt einen zurück (-1)." in response.get_data(as_text=True)
    assert my_points(rounds["open"], people["member"]) == {topics[0].id: 1}


def test_points_by_plain_form_redirect(client_as, rounds, topics, people):
    client = client_as("member")
    response = click(client, rounds["open"], topics[0], htmx=False)
    # back to the topic's row on the ballot, not to the top of the page
    assert response.status_code == 303
    assert response.location == f"/abstimmungen/{rounds['open'].id}#ballot-topic-{topics[0].id}"
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
        workflow.change_points(rounds["open"], people["partner"], topics[0].id, 1)  # partner is a body member, still no vote
    assert not Vote.select().exists()


def test_only_members_of_the_round_body_vote(client_as, make_person, app, rounds, topics):
    outsider = make_person("member")
    with pytest.raises(Refused):
        workflow.change_points(rounds["open"], outsider, topics[0].id, 1)


def test_results_hidden_until_close_when_chosen(client_as, body, people, topics):
    round_ = make_round(body, people["coordinator"], topics, results="after_close")
    workflow.change_points(round_, people["member"], topics[0].id, 1)
    page = client_as("coordinator").get(f"/abstimmungen/{round_.id}").get_data(as_text=True)
    assert 'id="results"' not in page and "nach dem Ende" in page
    assert client_as("coordinator").get(f"/abstimmungen/{round_.id}/ergebnis.csv").status_code == 403


def test_polling_stops_when_the_round_closes(client_as, rounds):
    client = client_as("member")
    running = client.get(f"/abstimmungen/{rounds['open'].id}/ergebnis", headers=HX)
    assert running.status_code == 200 and 'hx-trigger="every 3s"' in running.get_data(as_text=True)
    closed = client.get(f"/abstimmungen/{rounds['closed'].id}/ergebnis", headers=HX)
    assert closed.status_code == 286 and "hx-trigger" not in closed.get_data(as_text=True)


def test_polling_swaps_in_results_only_when_they_changed(client_as, rounds, topics, people):
    """The poll sends back the mark of what it shows: nothing new answers 204 (htmx swaps nothing
    in, and a screen reader reading the table keeps its place), a new vote the new results."""
    import re

    client = client_as("member")
    url = f"/abstimmungen/{rounds['open'].id}/ergebnis"
    shown = client.get(url, headers=HX).get_data(as_text=True)
    polled = re.search(r'hx-get="([^"]+)"', shown).group(1).replace("&amp;", "&")
    assert "stand=" in polled
    assert client.get(polled, headers=HX).status_code == 204
    workflow.change_points(rounds["open"], people["coordinator"], topics[0].id, 1)
    changed = client.get(polled, headers=HX)
    assert changed.status_code == 200 and "Beteiligung: 1 von" in changed.get_data(as_text=True)
    assert re.search(r'hx-get="([^"]+)"', changed.get_data(as_text=True)).group(1) != polled


def test_dot_results_with_ties_and_participation(rounds, topics, people, make_person, body):
    round_ = rounds["open"]
    for person, picks in [(people["member"], [0, 0, 1]), (people["coordinator"], [1, 1, 0, 2])]:
        for index in picks:
            workflow.change_points(round_, person, topics[index].id, 1)
    result = {r.title: (r.rank, r.score, r.tied) for r in voting.results(round_)}
    assert result == {"Väter einbeziehen": (1, 3, True), "Einfache Sprache": (1, 3, True),
                      "Übergang Klinik": (3, 1, False), "Wartezeiten": (4, 0, False)}
    assert voting.participation(round_) == (2, 2)  # partner in the body does not count


def test_borda_count_on_a_hand_computed_example(rounds, topics, people, make_person, body):
    from fh_intranet.meetings.models import BodyMember

    round_ = rounds["ranking"]  # 3 places: 3, 2, 1 points
    third = make_person("member")
    BodyMember.create(body=body, person=third)
    a, b, c, d = (t.id for t in topics)
    workflow.set_ranking(round_, people["member"], {a: 1, b: 2, c: 3})       # a3 b2 c1
    workflow.set_ranking(round_, people["coordinator"], {b: 1, a: 2})        # b3 a2
    workflow.set_ranking(round_, third, {c: 1, d: 2, b: 3})                  # c3 d2 b1
    scores = {r.topic_id: (r.score, r.rank, r.tied) for r in voting.results(round_)}
    assert scores == {b: (6, 1, False), a: (5, 2, False), c: (4, 3, False), d: (2, 4, False)}
    with pytest.raises(Refused):
        workflow.set_ranking(round_, third, {a: 1, b: 1})  # a place twice
    with pytest.raises(Refused):
        workflow.set_ranking(round_, third, {a: 4})  # beyond the places
    assert voting.ballot_state(round_, third).points == {c: 1, d: 2, b: 3}


def test_ranking_by_form_and_htmx(client_as, rounds, topics, people):
    round_ = rounds["ranking"]
    client = client_as("member")
    page = client.get(f"/abstimmungen/{round_.id}").get_data(as_text=True)
    assert f'<label class="kern-label" for="rank-{topics[0].id}">Platz für „Väter einbeziehen“</label>' in page
    plain = submit(client, f"/abstimmungen/{round_.id}",
                   {f"rank-{topics[0].id}": "2", f"rank-{topics[1].id}": "1", "teilweise": "1"},
                   action=f"/abstimmungen/{round_.id}/rangfolge")
    assert plain.status_code == 303
    token = csrf_from(page)
    twice = client.post(f"/abstimmungen/{round_.id}/rangfolge", data={f"rank-{topics[0].id}": "1", f"rank-{topics[1].id}": "1"},
                        headers={**HX, "X-CSRFToken": token})
    assert twice.status_code == 422 and "Platz 1 ist mehrfach vergeben." in twice.get_data(as_text=True)
    assert voting.ballot_state(round_, people["member"]).points == {topics[0].id: 2, topics[1].id: 1}


@pytest.mark.parametrize("via", ["plain", "htmx"])
def test_a_refused_ranking_keeps_every_choice_and_marks_the_field(client_as, rounds, topics, people, via):
    """Two topics on place 1: the answer shows all three choices as given, the message at both
    fields, and stores nothing; an incomplete ranking needs "Nur einen Teil" ticked."""
    round_ = rounds["ranking"]
    client = client_as("member")
    a, b, c = (t.id for t in topics[:3])
    token = csrf_from(client.get(f"/abstimmungen/{round_.id}").get_data(as_text=True))
    headers = {**HX, "X-CSRFToken": token} if via == "htmx" else {}
    answer = client.post(f"/abstimmungen/{round_.id}/rangfolge", headers=headers,
                         data={"csrf_token": token, f"rank-{a}": "1", f"rank-{b}": "1", f"rank-{c}": "2"})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422
    for topic_id, place in ((a, 1), (b, 1), (c, 2)):
        chosen = rf'<select[^>]*id="rank-{topic_id}"[^>]*>(?:(?!</select>).)*<option value="{place}" selected>'
        assert re.search(chosen, text, re.S), topic_id
    assert f'aria-describedby="rank-{a}-error"' in text and f'aria-describedby="rank-{b}-error"' in text
    assert f'id="rank-{c}-error"' not in text
    assert not Vote.select().exists()

    incomplete = client.post(f"/abstimmungen/{round_.id}/rangfolge", headers=headers,
                             data={"csrf_token": token, f"rank-{b}": "1"})
    assert incomplete.status_code == 422 and "1 von 3 Plätzen" in incomplete.get_data(as_text=True)
    assert not Vote.select().exists()
    partial = client.post(f"/abstimmungen/{round_.id}/rangfolge", headers=headers,
                          data={"csrf_token": token, f"rank-{b}": "1", "teilweise": "1"})
    assert partial.status_code in (200, 303)
    assert voting.ballot_state(round_, people["member"]).points == {b: 1}


def test_anonymous_rounds_never_reveal_who_gave_what(client_as, body, people, topics):
    round_ = make_round(body, people["coordinator"], topics, anonymous=True)
    workflow.change_points(round_, people["member"], topics[0].id, 1)
    workflow.change_points(round_, people["member"], topics[1].id, 1)  # the trail notes the voter once
    VotingRound.update(closes_at=utcnow()).where(VotingRound.id == round_.id).execute()
    member_name = people["member"].name
    for role in ("coordinator", "member", "partner"):
        client = client_as(role)
        for url in (f"/abstimmungen/{round_.id}", f"/abstimmungen/{round_.id}/ergebnis.csv"):
            content = client.get(url).get_data(as_text=True).split("<main", 1)[-1]  # not the login name in the header
            assert member_name not in content, (role, url)
        assert member_name not in client.get(f"/abstimmungen/{round_.id}/ergebnis", headers=HX).get_data(as_text=True)
    # no trace in the change log either (the participants list says who took part)
    assert not AuditEvent.select().where(AuditEvent.actor == people["member"].id,
                                         AuditEvent.object_type == "VotingRound").exists()


@pytest.mark.parametrize("anonymous", [False, True], ids=["named", "anonymous"])
def test_the_change_log_does_not_name_voters_with_the_time_of_their_clicks(client_as, body, people, topics,
                                                                           anonymous):
    """The change log named each voter with the time of their click (in a named round with topic and
    points): beside the live tally the coordinator saw who gave what, in an open named round and
    in an anonymous one at all."""
    round_ = make_round(body, people["coordinator"], topics, anonymous=anonymous)
    workflow.change_points(round_, people["member"], topics[0].id, 1)
    ranking = make_round(body, people["coordinator"], topics, method=RANKING, anonymous=anonymous)
    workflow.set_ranking(ranking, people["member"], {topics[0].id: 1})
    log = client_as("coordinator").get("/protokoll/export.csv").get_data(as_text=True)
    assert people["member"].name not in log
    assert not AuditEvent.select().where(AuditEvent.actor == people["member"].id).exists()


def test_named_rounds_show_who_gave_what_after_closing(client_as, body, people, topics):
    round_ = make_round(body, people["coordinator"], topics)
    workflow.change_points(round_, people["member"], topics[0].id, 1)
    VotingRound.update(closes_at=utcnow()).where(VotingRound.id == round_.id).execute()
    page = client_as("member").get(f"/abstimmungen/{round_.id}").get_data(as_text=True)
    assert "Wer hat wie abgestimmt" in page and people["member"].name in page
    # partners see the totals only (tests/test_visibility.py covers who sees names)
    assert "Wer hat wie abgestimmt" not in client_as("partner").get(f"/abstimmungen/{round_.id}").get_data(as_text=True)


def test_csv_results_for_excel(client_as, rounds, topics, people):
    round_ = rounds["closed"]
    response = client_as("partner").get(f"/abstimmungen/{round_.id}/ergebnis.csv")
    text = response.data.decode("utf-8-sig")
    assert response.data.startswith("\ufeff".encode())
    assert text.splitlines()[0] == "Platz;Thema;Punkte;Gleichstand;Abgestimmt haben;Stimmberechtigte"
    assert "Übergang Klinik" in text and "Beteiligung" not in text  # participation is in its columns
    assert all(line.endswith(";0;2") for line in text.splitlines()[1:])


def test_merge_moves_votes_and_links(rounds, topics, people, client_as):
    round_ = rounds["open"]
    workflow.change_points(round_, people["member"], topics[0].id, 1)
    workflow.change_points(round_, people["member"], topics[1].id, 1)
    workflow.change_points(round_, people["coordinator"], topics[1].id, 1)
    workflow.merge_topics(topics[1], topics[0], people["coordinator"])
    merged = Topic.get_by_id(topics[1].id)
    assert merged.state == "merged" and merged.merged_into_id == topics[0].id
    # planned and open rounds now list the survivor only; the closed round stays as it was
    assert [link.round_id for link in RoundTopic.select().where(RoundTopic.topic == topics[1])] == [rounds["closed"].id]
    assert voting.ballot_state(round_, people["member"]).points == {topics[0].id: 2}
    assert voting.ballot_state(round_, people["coordinator"]).points == {topics[0].id: 1}
    totals = {r.topic_id: r.score for r in voting.results(round_)}
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
    submit(client, f"/abstimmungen/{round_.id}", {"bestaetigt": "1"}, action=f"/abstimmungen/{round_.id}/schliessen")
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
    response = submit(client, f"/abstimmungen/{rounds['ranking'].id}",
                      {f"rank-{topics[0].id}": "²", "rank-²": "1", "teilweise": "1"},
                      action=f"/abstimmungen/{rounds['ranking'].id}/rangfolge")
    assert response.status_code == 303


def test_csv_cells_cannot_become_formulas(client_as, rounds, topics):
    Topic.update(title="=HYPERLINK(\"http://evil\")").where(Topic.id == topics[0].id).execute()
    text = client_as("partner").get(f"/abstimmungen/{rounds['closed'].id}/ergebnis.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ";=HYPERLINK" not in text


# --- results that are final stay final ----------------------------------------------------------

def _give(round_, person, *indexes, topics):
    for index in indexes:
        workflow.change_points(round_, person, topics[index].id, 1)


def test_closed_results_stay_as_announced_after_merge_rename_and_archive(client_as, body, people, topics):
    round_ = make_round(body, people["coordinator"], topics, title="Jahresplanung")
    make_round(body, people["coordinator"], topics[:2], title="Noch offen")  # the merge has an open round to move
    _give(round_, people["member"], 0, 0, 1, topics=topics)
    _give(round_, people["coordinator"], 1, 1, 2, topics=topics)
    coordinator = client_as("coordinator")
    closed = coordinator.post(f"/abstimmungen/{round_.id}/schliessen",
                              data=form_data(coordinator, f"/abstimmungen/{round_.id}", fields=("csrf_token",),
                                             bestaetigt="1"))
    assert closed.status_code == 303 and VotingRound.get_by_id(round_.id).is_final
    page_before = results_table(coordinator.get(f"/abstimmungen/{round_.id}").get_data(as_text=True))
    csv_before = coordinator.get(f"/abstimmungen/{round_.id}/ergebnis.csv").data.decode("utf-8-sig")
    assert csv_before.splitlines()[1:5] == ["1;Einfache Sprache;3;;2;2", "2;Väter einbeziehen;2;;2;2",
                                            "3;Übergang Klinik;1;;2;2", "4;Wartezeiten;0;;2;2"]

    # Afterwards: "Einfache Sprache" merged into "Väter einbeziehen", which is renamed; one archived.
    merge = coordinator.post(f"/themen/{topics[1].id}/zusammenfuehren",
                             data=form_data(coordinator, f"/themen/{topics[1].id}", fields=("csrf_token",),
                                            into=str(topics[0].id), bestaetigt="1"))
    assert merge.status_code == 303 and Topic.get_by_id(topics[1].id).state == "merged"
    renamed = coordinator.post(f"/themen/{topics[0].id}/bearbeiten", data=form_data(
        coordinator, f"/themen/{topics[0].id}/bearbeiten", title="Väter und Mütter einbeziehen", description="", body=""))
    assert renamed.status_code == 303
    archived = coordinator.post(f"/themen/{topics[2].id}/archivieren",
                                data=form_data(coordinator, f"/themen/{topics[2].id}", fields=("csrf_token", "version")))
    assert archived.status_code == 303 and Topic.get_by_id(topics[2].id).state == "archived"

    page_after = coordinator.get(f"/abstimmungen/{round_.id}").get_data(as_text=True)
    assert results_table(page_after) == page_before
    assert coordinator.get(f"/abstimmungen/{round_.id}/ergebnis.csv").data.decode("utf-8-sig") == csv_before
    # the topics' pages cite the same final places
    assert "Platz 1 mit 3 Punkten" in coordinator.get(f"/themen/{topics[1].id}").get_data(as_text=True)
    assert "Platz 2 mit 2 Punkten" in coordinator.get(f"/themen/{topics[0].id}").get_data(as_text=True)
    # the closed round's votes were not moved
    assert Vote.select().join(Ballot).where(Ballot.round == round_, Vote.topic == topics[1]).count() == 2


def test_a_round_ended_by_time_is_frozen_before_a_merge_can_touch_it(body, people, topics):
    round_ = make_round(body, people["coordinator"], topics)
    _give(round_, people["member"], 1, 1, 0, topics=topics)
    end_by_time(round_)  # nobody opened a page since: the results are not frozen yet
    assert not VotingRound.get_by_id(round_.id).is_final
    workflow.merge_topics(topics[1], topics[0], people["coordinator"])
    frozen = VotingRound.get_by_id(round_.id)
    assert frozen.is_final
    assert [(r.title, r.score) for r in voting.results(frozen)][:2] == [("Einfache Sprache", 2), ("Väter einbeziehen", 1)]
    assert voting.participation(frozen) == (1, 2)


def test_the_first_request_after_the_end_time_freezes_the_results(client_as, body, people, topics):
    round_ = make_round(body, people["coordinator"], topics)
    _give(round_, people["member"], 2, topics=topics)
    end_by_time(round_)
    client_as("partner").get("/abstimmungen/")  # the rounds list (and the topic pages) look every time
    assert RoundResult.select().where(RoundResult.round == round_).count() == 4
    Topic.update(title="Umbenannt").where(Topic.id == topics[2].id).execute()
    assert voting.results(VotingRound.get_by_id(round_.id))[0].title == "Übergang Klinik"


def test_any_page_freezes_a_round_once_its_known_end_time_has_passed(client_as, body, people, topics):
    """Other pages cost no query for it: they look only once an end time this app process knows
    of has passed (a round made here is known at once)."""
    now = utcnow()
    round_ = workflow.create_round(title="Kurz", method="dots", budget=5, max_per_topic=3, rank_limit=3,
                                   body_id=body.id, opens_at=now - timedelta(hours=1),
                                   closes_at=now + timedelta(seconds=1.5), results="live", anonymous=True,
                                   topic_ids=[t.id for t in topics], creator=people["coordinator"])
    workflow.change_points(round_, people["member"], topics[0].id, 1)
    partner = client_as("partner")
    partner.get("/")
    assert not VotingRound.get_by_id(round_.id).is_final  # still open
    while utcnow() <= round_.closes_at:
        time.sleep(0.1)
    with counting() as counter:
        assert partner.get("/").status_code == 200
    assert VotingRound.get_by_id(round_.id).is_final
    assert not Ballot.select().where(Ballot.round == round_).exists()
    assert any("voting_round" in statement for statement in counter.statements)
    # from then on the next end time is known: other pages ask nothing about rounds
    with counting() as counter:
        partner.get("/")
    assert not any("voting_round" in statement for statement in counter.statements), counter.statements


def test_a_round_made_by_another_app_process_is_frozen_within_the_recheck_time(app, client_as, body, people, topics):
    partner = client_as("partner")
    partner.get("/")
    round_ = make_round(body, people["coordinator"], topics)  # as another process would: this one does not know
    _give(round_, people["member"], 1, topics=topics)
    end_by_time(round_)
    app.config["ROUND_END_RECHECK_SECONDS"] = 0  # as if the minute had passed
    try:
        partner.get("/")
        assert VotingRound.get_by_id(round_.id).is_final
        assert RoundResult.select().where(RoundResult.round == round_).count() == 4
    finally:
        del app.config["ROUND_END_RECHECK_SECONDS"]


def test_merge_refused_where_it_would_break_the_per_topic_maximum(client_as, rounds, topics, people):
    round_ = rounds["open"]  # at most 3 points on a topic
    _give(round_, people["member"], 0, 0, 1, 1, topics=topics)
    _give(round_, people["coordinator"], 1, topics=topics)
    coordinator = client_as("coordinator")
    refused = coordinator.post(f"/themen/{topics[1].id}/zusammenfuehren", follow_redirects=True,
                               data=form_data(coordinator, f"/themen/{topics[1].id}", fields=("csrf_token",),
                                              into=str(topics[0].id), bestaetigt="1"))
    text = refused.get_data(as_text=True)
    assert "können jetzt nicht zusammengeführt werden" in text
    assert "„Runde dots open“ lägen danach mehr als 3 Punkte auf einem Thema (Stimmzettel: 1)" in text
    # nothing changed
    assert Topic.get_by_id(topics[1].id).state == "proposed"
    assert voting.ballot_state(round_, people["member"]).points == {topics[0].id: 2, topics[1].id: 2}
    assert RoundTopic.select().where(RoundTopic.topic == topics[1]).count() == 4
    # once the member takes a point back, the merge adds the points up within the maximum
    workflow.change_points(round_, people["member"], topics[0].id, -1)
    workflow.merge_topics(topics[1], topics[0], people["coordinator"])
    assert voting.ballot_state(round_, people["member"]).points == {topics[0].id: 3}
    assert voting.ballot_state(round_, people["coordinator"]).points == {topics[0].id: 1}
    assert {r.topic_id: r.score for r in voting.results(round_)}[topics[0].id] == 4


def test_merge_refused_when_a_ranking_places_both_topics(rounds, topics, people):
    round_ = rounds["ranking"]
    workflow.set_ranking(round_, people["member"], {topics[0].id: 1, topics[1].id: 2})
    workflow.set_ranking(round_, people["coordinator"], {topics[1].id: 1})
    with pytest.raises(Refused) as refused:
        workflow.merge_topics(topics[1], topics[0], people["coordinator"])
    assert refused.value.code == "topics.merge_ranked_both"
    assert "haben Abstimmende beiden Themen einen Platz gegeben (Stimmzettel: 1)" in refused.value.message
    assert voting.ballot_state(round_, people["member"]).points == {topics[0].id: 1, topics[1].id: 2}
    # without the double placement the place moves over
    workflow.set_ranking(round_, people["member"], {topics[0].id: 1})
    workflow.merge_topics(topics[1], topics[0], people["coordinator"])
    assert voting.ballot_state(round_, people["coordinator"]).points == {topics[0].id: 1}


@pytest.mark.parametrize("into_state", ["merged", "archived"])
def test_merge_needs_two_current_topics(client_as, topics, people, into_state):
    Topic.update(state=into_state).where(Topic.id == topics[0].id).execute()
    with pytest.raises(Refused) as into_old:
        workflow.merge_topics(topics[1], topics[0], people["coordinator"])
    assert into_old.value.code == "topics.merge_target" and "aktuelles Thema" in into_old.value.message
    with pytest.raises(Refused) as from_old:
        workflow.merge_topics(topics[0], topics[1], people["coordinator"])
    assert from_old.value.message == "Nur aktuelle Themen können zusammengeführt werden."
    with pytest.raises(Refused):
        workflow.merge_topics(topics[1], topics[1], people["coordinator"])


# --- anonymous rounds are anonymous in the database ---------------------------------------------

def _tables_linking_people_and_rounds() -> dict[str, set[str]]:
    """Every table with a column pointing at a person and one (directly) at a round: {table: columns}."""
    db, schema = database.obj, current_schema(database.obj)
    found = {}
    for table in table_names(db):
        targets = {fk.dest_table for fk in db.get_foreign_keys(table, schema=schema)}
        if "person" in targets and targets & {"voting_round", "ballot"}:
            found[table] = {c.name for c in db.get_columns(table, schema=schema)}
    return found


@pytest.mark.parametrize("closing", ["by hand", "by time"])
def test_after_an_anonymous_round_closes_nothing_links_a_person_to_points(client_as, body, people, topics, closing):
    round_ = make_round(body, people["coordinator"], topics, anonymous=True)
    named = make_round(body, people["coordinator"], topics, title="Namentlich")
    _give(round_, people["member"], 0, 0, 3, topics=topics)
    _give(round_, people["coordinator"], 1, topics=topics)
    _give(named, people["member"], 2, topics=topics)
    assert Ballot.select().where(Ballot.round == round_).count() == 2  # while open: the budget needs the ballot
    coordinator = client_as("coordinator")
    if closing == "by hand":
        coordinator.post(f"/abstimmungen/{round_.id}/schliessen",
                         data=form_data(coordinator, f"/abstimmungen/{round_.id}", fields=("csrf_token",),
                                        bestaetigt="1"))
    else:
        end_by_time(round_)
        client_as("partner").get("/abstimmungen/")

    # The tables that could join a person to this round: ballots are gone, the participants
    # list has no points, the results have no person.
    assert _tables_linking_people_and_rounds() == {"ballot": {"id", "round_id", "person_id", "updated_at"},
                                                   "round_participant": {"id", "round_id", "person_id"}}
    assert not Ballot.select().where(Ballot.round == round_).exists()
    assert not Vote.select().join(Ballot).where(Ballot.round == round_).exists()
    assert "person_id" not in {c.name for c in database.obj.get_columns("round_result", schema=current_schema(database.obj))}
    assert {p.person_id for p in RoundParticipant.select().where(RoundParticipant.round == round_)} == {
        people["member"].id, people["coordinator"].id}
    for event in AuditEvent.select().where(AuditEvent.object_type == "VotingRound", AuditEvent.object_id == round_.id):
        assert not {"topic", "delta", "ranks", "points"} & set(event.details_dict), event.action
    # the result stands, the named round keeps who gave what
    assert [(r.title, r.score) for r in voting.results(VotingRound.get_by_id(round_.id))][:2] == [
        ("Väter einbeziehen", 2), ("Einfache Sprache", 1)]
    assert voting.participation(VotingRound.get_by_id(round_.id)) == (2, 2)
    assert voting.ballot_state(named, people["member"]).points == {topics[2].id: 1}
    page = client_as("member").get(f"/abstimmungen/{round_.id}").get_data(as_text=True)
    assert "Sie haben teilgenommen." in page and "Beteiligung: 2 von 2" in page


def test_named_round_keeps_its_ballots_after_closing(client_as, body, people, topics):
    round_ = make_round(body, people["coordinator"], topics)
    _give(round_, people["member"], 0, topics=topics)
    workflow.close_round(round_, people["coordinator"])
    assert voting.named_votes(VotingRound.get_by_id(round_.id)) == [(people["member"].name, {topics[0].id: 1})]
    assert not RoundParticipant.select().exists()


def test_namesakes_keep_their_own_rows_of_named_votes(body, people, topics, make_person):
    namesake = make_person("member", name=people["member"].name)
    BodyMember.create(body=body, person=namesake)
    round_ = make_round(body, people["coordinator"], topics)
    _give(round_, people["member"], 0, topics=topics)
    _give(round_, namesake, 1, 1, topics=topics)
    workflow.close_round(round_, people["coordinator"])
    assert voting.named_votes(VotingRound.get_by_id(round_.id)) == [
        (people["member"].name, {topics[0].id: 1}), (people["member"].name, {topics[1].id: 2})]


# --- refusals carry their message ----------------------------------------------------------------

def test_vote_refusals_name_their_reason(rounds, topics, people, make_person):
    cases = [
        (lambda: workflow.change_points(rounds["ranking"], people["member"], topics[0].id, 1), "voting.method",
         "anderen Verfahren"),
        (lambda: workflow.set_ranking(rounds["open"], people["member"], {topics[0].id: 1}), "voting.method",
         "anderen Verfahren"),
        (lambda: workflow.change_points(rounds["open"], people["member"], 99999, 1), "voting.not_in_round",
         "gehört nicht zu dieser Abstimmung"),
        (lambda: workflow.change_points(rounds["open"], make_person("member"), topics[0].id, 1), "voting.not_eligible",
         "nicht zu den Abstimmenden"),
        (lambda: workflow.change_points(rounds["closed"], people["member"], topics[0].id, 1), "voting.closed",
         "nicht geöffnet"),
    ]
    for action, code, words in cases:
        with pytest.raises(Refused) as refused:
            action()
        assert refused.value.code == code and words in refused.value.message
    assert not Vote.select().exists() and not Ballot.select().exists()


def test_opening_and_closing_twice_is_refused_with_a_message(client_as, rounds):
    coordinator = client_as("coordinator")
    planned = f"/abstimmungen/{rounds['planned'].id}"
    data = form_data(coordinator, planned, fields=("csrf_token",))
    assert coordinator.post(f"{planned}/oeffnen", data=data).status_code == 303
    assert VotingRound.get_by_id(rounds["planned"].id).is_open
    again = coordinator.post(f"{planned}/oeffnen", data=data, follow_redirects=True)
    assert "Die Abstimmung ist bereits geöffnet oder beendet." in again.get_data(as_text=True)
    assert coordinator.post(f"{planned}/schliessen", data={**data, "bestaetigt": "1"}).status_code == 303
    twice = coordinator.post(f"{planned}/schliessen", data=data, headers={**HX, "X-CSRFToken": data["csrf_token"]})
    assert twice.status_code == 409 and "bereits beendet" in twice.get_data(as_text=True)
    assert RoundResult.select().where(RoundResult.round == rounds["planned"].id).count() == 4  # frozen once


def test_round_with_a_topic_archived_meanwhile_is_refused(client_as, body, topics, people):
    client = client_as("coordinator")
    data = form_data(client, "/abstimmungen/neu", fields=("csrf_token", "form_token"), title="Runde",
                     topics=[str(topics[0].id), str(topics[1].id)], body=str(body.id), method="dots", budget="5",
                     max_per_topic="3", rank_limit="3", opens_at="2026-01-01T10:00", closes_at="2099-01-01T10:00",
                     results="live")
    workflow.toggle_archived(topics[0], 1, people["coordinator"])
    refused = client.post("/abstimmungen/neu", data=data)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "inzwischen archiviert oder zusammengeführt" in text
    assert "Väter einbeziehen (archiviert)" in text and not VotingRound.select().exists()


# --- edit conflicts --------------------------------------------------------------------------------

def test_two_editors_of_a_topic_the_second_sees_the_first(client_as, topics):
    url = f"/themen/{topics[0].id}/bearbeiten"
    alice, bob = client_as("coordinator"), client_as("coordinator")
    form_a = form_data(alice, url, fields=("csrf_token", "version"), description="", body="")
    form_b = form_data(bob, url, fields=("csrf_token", "version"), description="Bobs Text", body="")
    assert alice.post(url, data={**form_a, "title": "Fassung von A"}).status_code == 303
    stale = bob.post(url, data={**form_b, "title": "Fassung von B"})
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "Inzwischen gespeicherte Fassung" in html and "<dd>Fassung von A</dd>" in html
    assert 'value="Fassung von B"' in html and "Bobs Text" in html  # B's input stays
    assert Topic.get_by_id(topics[0].id).title == "Fassung von A"
    retry = bob.post(url, data={**form_b, "version": "2", "title": "Fassung von B"})
    assert retry.status_code == 303 and Topic.get_by_id(topics[0].id).title == "Fassung von B"


def test_stale_archive_click_is_refused_not_undone(client_as, topics):
    page = f"/themen/{topics[0].id}"
    alice, bob = client_as("coordinator"), client_as("coordinator")
    form_a = form_data(alice, page, fields=("csrf_token", "version"))
    form_b = form_data(bob, page, fields=("csrf_token", "version"))
    assert alice.post(f"{page}/archivieren", data=form_a).status_code == 303
    stale = bob.post(f"{page}/archivieren", data=form_b)  # B's page still said "Archivieren"
    assert stale.status_code == 409 and "jetzt: archiviert" in stale.get_data(as_text=True)
    assert Topic.get_by_id(topics[0].id).state == "archived"


def test_a_merged_topic_cannot_be_archived(client_as, topics, people):
    workflow.merge_topics(topics[1], topics[0], people["coordinator"])
    client = client_as("coordinator")
    response = client.post(f"/themen/{topics[1].id}/archivieren", follow_redirects=True,
                           data={"csrf_token": csrf_from(client.get(f"/themen/{topics[0].id}").get_data(as_text=True)),
                                 "version": "2"})
    assert "kann nicht mehr archiviert werden" in response.get_data(as_text=True)
    assert Topic.get_by_id(topics[1].id).state == "merged"


# --- double submits ---------------------------------------------------------------------------------

def at_once(*actions):
    """Run the actions in threads released at the same moment; each thread has its own connection."""
    start = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        start.wait()
        try:
            outcomes[index] = action()
        except Exception as exc:  # the test looks at it
            outcomes[index] = exc
        finally:
            database.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_six_identical_proposals_at_once_make_one_topic(client_as):
    clients = [client_as("member") for _ in range(6)]
    token = hidden(clients[0].get("/themen/neu").get_data(as_text=True), "form_token")
    payloads = [form_data(client, "/themen/neu", fields=("csrf_token",), form_token=token, title="Babylotsen",
                          description="Mehr Lotsen.", body="") for client in clients]
    responses = at_once(*[lambda c=client, d=data: c.post("/themen/neu", data=d) for client, data in zip(clients, payloads, strict=True)])
    assert [r.status_code for r in responses] == [303] * 6, responses
    assert len({r.location for r in responses}) == 1
    assert Topic.select().where(Topic.title == "Babylotsen").count() == 1
    assert AuditEvent.select().where(AuditEvent.action == "topic.proposed").count() == 1


def test_round_form_sent_twice_creates_one_round(client_as, body, topics):
    client = client_as("coordinator")
    data = form_data(client, "/abstimmungen/neu", fields=("csrf_token", "form_token"), title="Doppelt",
                     topics=[str(topics[0].id), str(topics[1].id)], body=str(body.id), method="dots", budget="5",
                     max_per_topic="3", rank_limit="3", opens_at="2026-01-01T10:00", closes_at="2099-01-01T10:00",
                     results="live")
    first, second = client.post("/abstimmungen/neu", data=data), client.post("/abstimmungen/neu", data=data)
    assert first.status_code == second.status_code == 303 and first.location == second.location
    assert VotingRound.select().count() == 1 and RoundTopic.select().count() == 2


def test_concurrent_votes_and_close_agree_with_the_frozen_result(body, people, topics, make_person):
    """Votes racing the close either count in the frozen result or are refused, never lost in between."""
    voters = [make_person("member") for _ in range(6)]
    for voter in voters:
        BodyMember.create(body=body, person=voter)
    round_ = make_round(body, people["coordinator"], topics, anonymous=True)

    def vote(voter):
        accepted = 0
        for topic in topics[:2]:
            try:
                workflow.change_points(round_, voter, topic.id, 1)
                accepted += 1
            except Refused:
                pass
        return accepted

    outcomes = at_once(*[lambda v=voter: vote(v) for voter in voters],
                       lambda: workflow.close_round(round_, people["coordinator"]))
    assert not any(isinstance(outcome, Exception) for outcome in outcomes), outcomes
    final = voting.results(VotingRound.get_by_id(round_.id))
    assert sum(r.score for r in final) == sum(outcomes[:-1])
    assert not Ballot.select().where(Ballot.round == round_).exists()


def test_concurrent_votes_and_merge_lose_nothing_and_never_deadlock(body, people, topics, make_person):
    voters = [make_person("member") for _ in range(6)]
    for voter in voters:
        BodyMember.create(body=body, person=voter)
    round_ = make_round(body, people["coordinator"], topics, max_per_topic=5)

    def vote(voter):
        accepted = 0
        for topic in (topics[1], topics[0], topics[1]):
            try:
                workflow.change_points(round_, voter, topic.id, 1)
                accepted += 1
            except Refused as refused:
                assert refused.code == "voting.not_in_round"  # the duplicate left the ballot meanwhile
        return accepted

    outcomes = at_once(*[lambda v=voter: vote(v) for voter in voters],
                       lambda: workflow.merge_topics(topics[1], topics[0], people["coordinator"]))
    assert not any(isinstance(outcome, Exception) for outcome in outcomes), outcomes
    assert not Vote.select().where(Vote.topic == topics[1]).exists()
    scores = {r.topic_id: r.score for r in voting.results(round_)}
    assert scores[topics[0].id] == sum(outcomes[:-1]) and topics[1].id not in scores


def test_a_new_round_starts_with_nothing_ticked_and_can_select_all(client_as, topics, body):
    """A round is a choice: no topic is ticked at first. "Alle Themen auswählen" ticks every
    current topic and keeps what was typed (a plain form, no JavaScript)."""
    client = client_as("coordinator")
    page = client.get("/abstimmungen/neu").get_data(as_text=True)
    assert 'name="topics"' in page and " checked" not in page.split("<legend>")[1].split("</fieldset>")[0]
    form = form_posting_to(page, "/abstimmungen/neu", "/abstimmungen/neu")
    answer = client.post("/abstimmungen/neu", data=form.data(title="Schwerpunkte 2027", alle_waehlen="1"))
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and 'value="Schwerpunkte 2027"' in text
    for topic in topics:
        if topic.is_current:
            assert f'id="topic-{topic.id}" value="{topic.id}" checked' in text
    assert not VotingRound.select().where(VotingRound.title == "Schwerpunkte 2027").exists()


def test_the_proposer_edits_their_topic_until_a_round_includes_it(client_as, people, body, make_person):
    """The member who proposed a topic (e.g. from a workshop output) fixes its title and description
    until a round takes it up; another member may not; a round created meanwhile refuses the save."""
    topic = Topic.create(title="Vaeter einbeziehn", proposed_by=people["member"])
    member = client_as("member")
    page = member.get(f"/themen/{topic.id}").get_data(as_text=True)
    assert "Titel und Beschreibung bearbeiten" in page
    form = form_posting_to(member.get(f"/themen/{topic.id}/bearbeiten").get_data(as_text=True),
                           f"/themen/{topic.id}/bearbeiten", f"/themen/{topic.id}/bearbeiten")
    saved = member.post(f"/themen/{topic.id}/bearbeiten", data=form.data(title="Väter einbeziehen"))
    assert saved.status_code == 303 and Topic.get_by_id(topic.id).title == "Väter einbeziehen"

    other = client_as(make_person("member"))
    assert other.get(f"/themen/{topic.id}/bearbeiten").status_code == 403

    stale = form_posting_to(member.get(f"/themen/{topic.id}/bearbeiten").get_data(as_text=True),
                            f"/themen/{topic.id}/bearbeiten", f"/themen/{topic.id}/bearbeiten")
    make_round(body, people["coordinator"], [topic, Topic.create(title="Zweites", proposed_by=people["member"])])
    late = member.post(f"/themen/{topic.id}/bearbeiten", data=stale.data(title="Noch einmal anders"))
    assert late.status_code == 403  # the rule is checked again before the form is read
    assert Topic.get_by_id(topic.id).title == "Väter einbeziehen"
    assert member.get(f"/themen/{topic.id}/bearbeiten").status_code == 403
    assert "Titel und Beschreibung bearbeiten" not in member.get(f"/themen/{topic.id}").get_data(as_text=True)


def test_a_round_taking_up_the_topic_during_the_save_refuses_it(people, body):
    from fh_intranet.changes import Refused
    from fh_intranet.topics import workflow as topics_workflow

    topic = Topic.create(title="Frühe Sprache", proposed_by=people["member"])
    make_round(body, people["coordinator"], [topic, Topic.create(title="Zweites", proposed_by=people["member"])])
    with pytest.raises(Refused) as refused:
        topics_workflow.update_topic(topic, topic.version, title="Anders", description="", body_id=None,
                                     actor=people["member"])
    assert refused.value.code == "topics.in_a_round"
