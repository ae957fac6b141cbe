"""A round's topics can be changed until its first vote (issue 15, item 6): by the coordination,
with a plain form or htmx, against stale forms (conflict page) and against votes arriving at the
same moment (the round's row is held as a vote holds it)."""
import pytest

from fh_intranet.audit import AuditEvent
from fh_intranet.changes import Refused
from fh_intranet.meetings.models import BodyMember
from fh_intranet.topics import workflow
from fh_intranet.topics.models import Ballot, RoundTopic, Topic, Vote, VotingRound

from .html_forms import form_posting_to
from .test_voting import at_once
from .topic_fixtures import make_round

HX = {"HX-Request": "true"}


def included(round_) -> set[int]:
    return {link.topic_id for link in RoundTopic.select().where(RoundTopic.round == round_)}


def edit_form(client, round_):
    url = f"/abstimmungen/{round_.id}/themen"
    return form_posting_to(client.get(url).get_data(as_text=True), url, url)


def test_the_coordinator_changes_an_open_rounds_topics_until_the_first_vote(client_as, rounds, topics, people):
    round_ = rounds["open"]
    coordinator = client_as("coordinator")
    detail = coordinator.get(f"/abstimmungen/{round_.id}").get_data(as_text=True)
    assert f'href="/abstimmungen/{round_.id}/themen"' in detail and "Themen ändern" in detail
    new = Topic.create(title="Familienzentren", proposed_by=people["member"])
    page = coordinator.get(f"/abstimmungen/{round_.id}/themen").get_data(as_text=True)
    for topic in topics:  # what the round includes is ticked, a current topic outside it is offered
        assert f'id="topic-{topic.id}" value="{topic.id}" checked' in page
    assert f'id="topic-{new.id}" value="{new.id}">' in page
    form = edit_form(coordinator, round_)
    saved = coordinator.post(f"/abstimmungen/{round_.id}/themen",
                             data=form.data(topics=[str(topics[0].id), str(topics[1].id), str(new.id)]))
    assert saved.status_code == 303 and saved.location.endswith(f"/abstimmungen/{round_.id}")
    assert included(round_) == {topics[0].id, topics[1].id, new.id}
    event = AuditEvent.get(AuditEvent.action == "round.topics_changed")
    assert event.actor_id == people["coordinator"].id and event.object_id == round_.id
    assert event.details_dict == {"added": [new.id], "removed": [topics[2].id, topics[3].id]}
    ballot = client_as("member").get(f"/abstimmungen/{round_.id}").get_data(as_text=True)
    assert "Familienzentren" in ballot and topics[3].title not in ballot

    # the first vote fixes the topics: no link, the page and a stale form say why
    stale = edit_form(coordinator, round_)
    workflow.change_points(round_, people["member"], new.id, 1)
    assert f"/abstimmungen/{round_.id}/themen" not in coordinator.get(f"/abstimmungen/{round_.id}").get_data(as_text=True)
    shown = coordinator.get(f"/abstimmungen/{round_.id}/themen")
    assert shown.status_code == 409 and "Es wurde bereits abgestimmt." in shown.get_data(as_text=True)
    refused = coordinator.post(f"/abstimmungen/{round_.id}/themen",
                               data=stale.data(topics=[str(topics[0].id), str(topics[1].id)]))
    assert refused.status_code == 409
    text = refused.get_data(as_text=True)
    assert "Die Themen dieser Abstimmung können nicht mehr geändert werden: Es wurde bereits abgestimmt." in text
    assert 'name="topics"' not in text  # no form to send again
    assert included(round_) == {topics[0].id, topics[1].id, new.id}


def test_by_htmx_the_saved_change_loads_the_round_and_a_refusal_answers_in_place(client_as, rounds, topics, people):
    round_ = rounds["planned"]
    coordinator = client_as("coordinator")
    form = edit_form(coordinator, round_)
    saved = coordinator.post(f"/abstimmungen/{round_.id}/themen", headers=HX,
                             data=form.data(topics=[str(topics[1].id), str(topics[2].id)]))
    assert saved.status_code == 204 and f'"/abstimmungen/{round_.id}"' in saved.headers["HX-Location"]
    assert included(round_) == {topics[1].id, topics[2].id}
    too_few = coordinator.post(f"/abstimmungen/{round_.id}/themen", headers=HX,
                               data=edit_form(coordinator, round_).data(topics=[str(topics[1].id)]))
    assert too_few.status_code == 422 and "Bitte mindestens zwei Themen wählen." in too_few.get_data(as_text=True)
    assert included(round_) == {topics[1].id, topics[2].id}


def test_select_all_ticks_every_current_topic_and_saves_nothing(client_as, rounds, topics, people):
    round_ = rounds["open"]
    Topic.update(state="archived").where(Topic.id == topics[3].id).execute()  # stays in the round
    other = Topic.create(title="Frühe Sprache", proposed_by=people["member"])
    coordinator = client_as("coordinator")
    form = edit_form(coordinator, round_)
    answer = coordinator.post(f"/abstimmungen/{round_.id}/themen",
                              data=form.data(topics=[str(topics[0].id)], alle_waehlen="1"))
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200
    for topic in (*topics, other):
        assert f'id="topic-{topic.id}" value="{topic.id}" checked' in text
    assert "(archiviert)" in text
    assert included(round_) == {t.id for t in topics}


def test_only_current_topics_can_be_added(client_as, rounds, topics, people):
    round_ = make_round(rounds["open"].body, people["coordinator"], topics[:2])
    coordinator = client_as("coordinator")
    form = edit_form(coordinator, round_)
    Topic.update(state="archived").where(Topic.id.in_([topics[1].id, topics[2].id])).execute()
    # topics[1] stays although archived meanwhile; topics[2] cannot come in any more
    refused = coordinator.post(f"/abstimmungen/{round_.id}/themen",
                               data=form.data(topics=[str(t.id) for t in topics[:3]]))
    assert refused.status_code == 409
    assert "inzwischen archiviert oder zusammengeführt" in refused.get_data(as_text=True)
    assert included(round_) == {topics[0].id, topics[1].id}
    kept = coordinator.post(f"/abstimmungen/{round_.id}/themen",
                            data=form.data(topics=[str(topics[0].id), str(topics[1].id), str(topics[3].id)]))
    assert kept.status_code == 303 and included(round_) == {topics[0].id, topics[1].id, topics[3].id}


def test_a_closed_rounds_topics_stay(client_as, rounds, topics):
    round_ = rounds["closed"]
    coordinator = client_as("coordinator")
    shown = coordinator.get(f"/abstimmungen/{round_.id}/themen")
    assert shown.status_code == 409 and "Die Abstimmung ist beendet" in shown.get_data(as_text=True)
    assert f"/abstimmungen/{round_.id}/themen" not in coordinator.get(f"/abstimmungen/{round_.id}").get_data(as_text=True)
    with pytest.raises(Refused) as refused:
        workflow.change_round_topics(round_, workflow.topics_version(included(round_)), [topics[0].id, topics[1].id],
                                     None)
    assert refused.value.code == "rounds.ended"
    assert len(included(round_)) == 4


def test_members_cannot_change_a_rounds_topics(client_as, rounds):
    member = client_as("member")
    assert member.get(f"/abstimmungen/{rounds['open'].id}/themen").status_code == 403
    assert "/themen\"" not in member.get(f"/abstimmungen/{rounds['open'].id}").get_data(as_text=True)


def test_a_vote_on_a_topic_taken_out_is_refused_and_one_on_a_new_topic_counts(rounds, topics, people):
    round_ = rounds["open"]
    workflow.change_round_topics(round_, workflow.topics_version(included(round_)), [t.id for t in topics[:3]],
                                 people["coordinator"])
    with pytest.raises(Refused) as refused:
        workflow.change_points(round_, people["member"], topics[3].id, 1)
    assert refused.value.code == "voting.not_in_round"
    assert not Ballot.select().where(Ballot.round == round_).exists()  # the refused click left nothing
    state = workflow.change_points(round_, people["member"], topics[2].id, 1)
    assert state.points == {topics[2].id: 1}


@pytest.mark.parametrize("attempt", range(4))
def test_votes_racing_a_topic_change_never_leave_a_vote_outside_the_round(body, people, topics, make_person, attempt):
    """Voters click the topic the coordinator takes out at the same moment: either the votes come
    first and the change is refused, or the change comes first and the votes are refused; never
    a vote on a topic that is no longer in the round."""
    voters = [make_person("member") for _ in range(5)]
    for voter in voters:
        BodyMember.create(body=body, person=voter)
    round_ = make_round(body, people["coordinator"], topics)
    version = workflow.topics_version(included(round_))

    def vote(voter):
        try:
            workflow.change_points(round_, voter, topics[3].id, 1)
            return "voted"
        except Refused as refused:
            return refused.code

    def change():
        try:
            workflow.change_round_topics(round_, version, [t.id for t in topics[:3]], people["coordinator"])
            return "changed"
        except Refused as refused:
            return refused.code

    outcomes = at_once(*[lambda v=voter: vote(v) for voter in voters], change)
    assert not any(isinstance(outcome, Exception) for outcome in outcomes), outcomes
    *votes, changed = outcomes
    in_round = included(round_)
    outside = Vote.select().join(Ballot).where(Ballot.round == round_, Vote.topic.not_in(list(in_round)))
    assert not outside.exists(), (outcomes, in_round)
    if changed == "changed":
        assert in_round == {t.id for t in topics[:3]}
        assert set(votes) == {"voting.not_in_round"}
        assert not Ballot.select().where(Ballot.round == round_).exists()
    else:
        assert changed == "rounds.topics_fixed" and in_round == {t.id for t in topics}
        assert votes.count("voted") >= 1
        assert Vote.select().join(Ballot).where(Ballot.round == round_).count() == votes.count("voted")
    assert VotingRound.get_by_id(round_.id).is_open
