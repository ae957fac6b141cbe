"""The start page "Seit Ihrem letzten Besuch": role-aware blocks, each saying plainly when it is
empty, and a boundary that moves on with each visit (not with each reload)."""
from datetime import date, timedelta

import pytest

from fh_intranet.agreements import workflow as agreements
from fh_intranet.db import utcnow
from fh_intranet.main import overview
from fh_intranet.meetings import workflow as meetings
from fh_intranet.meetings.models import MinutesRevision
from fh_intranet.notifications.models import StartPageVisit
from fh_intranet.topics import workflow as rounds

from .agreement_fixtures import make_agreement
from .meeting_fixtures import make_meeting
from .topic_fixtures import make_round

EMPTY = {
    "unread": "Sie haben keine ungelesenen Benachrichtigungen.",
    "consultations": "Zurzeit ist keine Vereinbarung in Kommentierung.",
    "minutes": "Seit Ihrem letzten Besuch wurde kein Protokoll veröffentlicht oder korrigiert.",
    "rounds": "Zurzeit läuft keine Abstimmung.",
    "actions": "Sie haben keine offenen Aufgaben.",
    "meetings": "Keine kommenden Termine.",
    "topics": "Seit Ihrem letzten Besuch wurde kein Thema vorgeschlagen.",
}
STEERING_ONLY = ("consultations", "rounds", "topics")


@pytest.mark.parametrize("role", ["coordinator", "member", "partner"])
def test_without_news_every_block_says_it_is_empty(client_as, people, role):
    page = client_as(role).get("/").get_data(as_text=True)
    assert "Seit Ihrem letzten Besuch" in page
    assert "zum ersten Mal auf der Startseite" in page
    for block, message in EMPTY.items():
        if role == "partner" and block in STEERING_ONLY:
            assert message not in page, block  # partners take no part in these
        else:
            assert message in page, block


@pytest.fixture
def news(people, body, topics):
    coordinator, member, partner = people["coordinator"], people["member"], people["partner"]
    consultation = make_agreement(coordinator, "consultation", title="Vereinbarung Willkommensbesuche")
    version = agreements.latest_version(consultation)
    agreements.add_comment(consultation, version, anchor="s-1-ziele", heading="§ 1 Ziele", body="Gut so.",
                           author=member)
    make_agreement(coordinator, "consultation", title="Vereinbarung Lotsendienst")
    round_ = make_round(body, coordinator, topics)
    published = make_meeting(body, "Frühjahrssitzung", starts=utcnow() - timedelta(days=3), actor=coordinator)
    item = meetings.add_agenda_item(published, "Berichte")
    meetings.add_action(item, "Flyer verteilen", partner, date.today() - timedelta(days=1), actor=coordinator)
    meetings.add_action(item, "Protokoll gegenlesen", member, date.today() + timedelta(days=5), actor=coordinator)
    meetings.publish(published, coordinator)
    make_meeting(body, "Sommersitzung", starts=utcnow() + timedelta(days=20), actor=coordinator)
    rounds.propose_topic(title="Sprachförderung ab Geburt", proposer=member)
    return {"round": round_, "published": published}


def test_a_member_sees_consultations_commented_or_not_votes_minutes_actions_meetings_and_topics(client_as, news):
    page = client_as("member").get("/").get_data(as_text=True)
    assert "Vereinbarung Willkommensbesuche" in page and "Sie haben kommentiert." in page
    assert "Vereinbarung Lotsendienst" in page and "Sie haben noch nicht kommentiert." in page
    assert "Sie haben noch nicht abgestimmt (5 frei)." in page
    assert "Protokoll veröffentlicht am" in page and "Frühjahrssitzung" in page
    assert "Protokoll gegenlesen" in page  # own open action item
    assert "Sommersitzung" in page and "/sitzungen/" in page and "termin.ics" in page
    assert "Sprachförderung ab Geburt" in page  # proposed by the member, new all the same
    assert "Neue Sitzung: Sommersitzung" in page  # unread notification
    for block in ("consultations", "minutes", "rounds", "actions", "meetings", "topics", "unread"):
        assert EMPTY[block] not in page, block


def test_a_partner_sees_published_minutes_and_own_actions_but_no_drafts_or_running_votes(client_as, news):
    page = client_as("partner").get("/").get_data(as_text=True)
    assert "Protokoll veröffentlicht am" in page and "Flyer verteilen" in page and "überfällig" in page
    for hidden in ("Willkommensbesuche", "Lotsendienst", "Laufende Abstimmungen", "Sprachförderung"):
        assert hidden not in page, hidden


def test_action_items_in_draft_minutes_reach_the_steering_group_but_not_partners(client_as, people, body):
    """The start page's SQL is built once per process (db.Prepared): one text for those who read
    draft minutes, one for those who do not; a member's page drawn first must not hand its text to
    the partner's."""
    draft = make_meeting(body, "Entwurfssitzung", starts=utcnow() - timedelta(days=1), actor=people["coordinator"])
    item = meetings.add_agenda_item(draft, "Berichte")
    meetings.add_action(item, "Entwurfsaufgabe Mitglied", people["member"], None, actor=people["coordinator"])
    meetings.add_action(item, "Entwurfsaufgabe Partner", people["partner"], None, actor=people["coordinator"])
    for _ in range(2):
        assert "Entwurfsaufgabe Mitglied" in client_as("member").get("/").get_data(as_text=True)
        assert "Entwurfsaufgabe Partner" not in client_as("partner").get("/").get_data(as_text=True)


def test_voting_shows_the_budget_left(client_as, people, news):
    client = client_as("member")
    from fh_intranet.topics.models import RoundTopic

    topic_id = RoundTopic.select().where(RoundTopic.round == news["round"].id).first().topic_id
    with client.application.test_request_context():
        for _ in range(2):
            rounds.change_points(news["round"], people["member"], topic_id, 1)
    assert "Sie haben abgestimmt; noch 3 von 5 frei." in client.get("/").get_data(as_text=True)


def test_the_boundary_moves_with_each_visit_but_not_with_a_reload(client_as, people, body):
    """Times are moved back in the database instead of waiting: first visit three hours ago,
    minutes published two hours ago, then two more visits."""
    member, person = client_as("member"), people["member"]
    member.get("/")
    member.get("/")  # a reload: the same visit
    assert StartPageVisit.get(StartPageVisit.person == person.id).seen_until is None
    three_hours_ago, two_hours_ago = utcnow() - timedelta(hours=3), utcnow() - timedelta(hours=2)
    StartPageVisit.update(last_view_at=three_hours_ago).execute()
    meeting = make_meeting(body, "Frühjahrssitzung", starts=utcnow() - timedelta(days=3))
    meetings.publish(meeting, people["coordinator"])
    MinutesRevision.update(created_at=two_hours_ago).execute()

    page = member.get("/").get_data(as_text=True)  # a new visit: news since three hours ago
    assert StartPageVisit.get(StartPageVisit.person == person.id).seen_until == three_hours_ago
    assert "Ihr letzter Besuch der Startseite" in page
    assert "Protokoll veröffentlicht am" in page and "Frühjahrssitzung" in page
    assert "Protokoll veröffentlicht am" in member.get("/").get_data(as_text=True)  # a reload keeps it

    StartPageVisit.update(last_view_at=utcnow() - timedelta(hours=1)).execute()  # the visit ended an hour ago
    page = member.get("/").get_data(as_text=True)
    assert EMPTY["minutes"] in page  # seen on the previous visit: no longer new


def test_past_twenty_new_minutes_or_topics_a_link_shows_them_all(client_as, people, body):
    member = client_as("member")
    for number in range(overview.SHOWN):
        rounds.propose_topic(title=f"Thema {number:02d}", proposer=people["member"])
    page = member.get("/").get_data(as_text=True)
    assert "Thema 19" in page and "Alle neuen Themenvorschläge zeigen" not in page
    rounds.propose_topic(title="Thema 20", proposer=people["member"])
    page = member.get("/").get_data(as_text=True)
    assert "Thema 20" in page and "Thema 00" not in page, "the newest twenty"
    assert 'href="/?alle=themen#topics-heading">Alle neuen Themenvorschläge zeigen</a>' in page
    every_topic = member.get("/?alle=themen").get_data(as_text=True)
    assert all(f"Thema {number:02d}" in every_topic for number in range(overview.SHOWN + 1))

    for number in range(overview.SHOWN + 1):
        meetings.publish(make_meeting(body, f"Sitzung {number:02d}"), people["coordinator"])
    page = member.get("/").get_data(as_text=True)
    minutes = page[page.index('id="minutes-heading"'):page.index('id="rounds-heading"')]
    assert minutes.count("Protokoll veröffentlicht am") == overview.SHOWN and "Sitzung 00" not in minutes
    assert 'href="/?alle=protokolle#minutes-heading">Alle neuen und korrigierten Protokolle zeigen</a>' in minutes
    page = member.get("/?alle=protokolle").get_data(as_text=True)
    every_minutes = page[page.index('id="minutes-heading"'):page.index('id="rounds-heading"')]
    assert every_minutes.count("Protokoll veröffentlicht am") == overview.SHOWN + 1
    assert "Thema 00" not in page, "the other block keeps its newest twenty"
