"""Bodies, meetings and minutes: drafts hidden from partners, publishing, corrections, htmx, exports."""
import csv
import io
import logging
from datetime import date, datetime, timedelta

import pytest
from icalendar import Calendar

from fh_intranet.audit import AuditEvent
from fh_intranet.meetings import workflow
from fh_intranet.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Body,
    BodyMember,
    CalendarFeed,
    Decision,
    Meeting,
    MinutesRevision,
    Notification,
)
from fh_intranet.timezones import berlin_to_utc

from .conftest import csrf_from, submit
from .meeting_fixtures import make_meeting

HX = {"HX-Request": "true"}


def texts(client, *urls):
    return "".join(client.get(url).get_data(as_text=True) for url in urls)


# --- drafts stay with the steering group ---------------------------------------------------------

def test_partners_never_see_draft_minutes(client_as, meetings, people):
    partner = client_as("partner")
    draft = meetings["draft"]
    everything = texts(partner, f"/sitzungen/{draft.id}", "/sitzungen/", "/aufgaben/?status=alle", "/beschluesse/",
                       "/aufgaben.csv?status=alle", "/beschluesse.csv", f"/gremien/{draft.body_id}", "/")
    for secret in ("Geheimer Entwurfsbeschluss", "Entwurfsaufgabe", "Begrüßung"):
        assert secret not in everything
    assert "noch nicht veröffentlicht" in partner.get(f"/sitzungen/{draft.id}").get_data(as_text=True)
    for url in (f"/sitzungen/{draft.id}/druck", f"/sitzungen/{draft.id}/pdf"):
        assert partner.get(url).status_code == 403
    # published minutes are there for partners
    assert "Öffentlicher Beschluss" in texts(partner, f"/sitzungen/{meetings['published'].id}", "/beschluesse/")
    # members read the draft
    assert "Geheimer Entwurfsbeschluss" in client_as("member").get(f"/sitzungen/{draft.id}").get_data(as_text=True)


def test_partner_feed_holds_no_minutes(app, client, body, people, meetings):
    feed = CalendarFeed.create(person=people["partner"])
    upcoming = make_meeting(body, "Kommende Sitzung", starts=datetime.utcnow() + timedelta(days=3))
    workflow.add_decision(workflow.add_agenda_item(upcoming, "TOP"), "Nicht für Partner")
    text = client.get(f"/kalender/{feed.token}.ics").get_data(as_text=True)
    assert "Kommende Sitzung" in text and "Nicht für Partner" not in text


# --- agenda, decisions, action items via htmx and plain forms -----------------------------------

def agenda_titles(meeting):
    return [item.title for item in workflow.agenda(meeting)]


def test_build_agenda_with_htmx_fragments(client_as, meetings):
    meeting = meetings["draft"]
    client = client_as("coordinator")
    token = csrf_from(client.get(f"/sitzungen/{meeting.id}").get_data(as_text=True))
    headers = {**HX, "X-CSRFToken": token}
    response = client.post(f"/sitzungen/{meeting.id}/top", data={"title": "Haushalt"}, headers=headers)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and text.lstrip().startswith('<section id="agenda"')
    assert "TOP 2: Haushalt" in text and "<html" not in text
    second = AgendaItem.get(AgendaItem.title == "Haushalt")
    moved = client.post(f"/sitzungen/top/{second.id}/verschieben", data={"richtung": "hoch"}, headers=headers)
    assert "TOP 1: Haushalt" in moved.get_data(as_text=True)
    assert agenda_titles(meeting) == ["Haushalt", "Begrüßung"]
    client.post(f"/sitzungen/top/{second.id}/beschluesse", data={"text": "Der Haushalt wird beschlossen."}, headers=headers)
    added = client.post(f"/sitzungen/top/{second.id}/aufgaben",
                        data={"what": "Haushaltsplan versenden", "person": str(meetings["draft_item"].meeting.body.chair_id or
                                                                                   ActionItem.get().person_id),
                              "due_on": "2026-05-01"}, headers=headers)
    assert "Haushaltsplan versenden" in added.get_data(as_text=True)
    empty = client.post(f"/sitzungen/{meeting.id}/top", data={"title": ""}, headers=headers)
    assert empty.status_code == 422 and "Bitte füllen Sie dieses Feld aus." in empty.get_data(as_text=True)


def test_build_agenda_with_plain_forms(client_as, meetings):
    meeting = meetings["draft"]
    client = client_as("coordinator")
    page = f"/sitzungen/{meeting.id}"
    response = submit(client, page, {"title": "Berichte"}, action=f"{page}/top")
    assert response.status_code == 303 and "#top-" in response.location
    submit(client, page, {"title": "Verschiedenes"}, action=f"{page}/top")
    last = AgendaItem.get(AgendaItem.title == "Verschiedenes")
    submit(client, page, {"richtung": "hoch"}, action=f"/sitzungen/top/{last.id}/verschieben")
    assert agenda_titles(meeting) == ["Begrüßung", "Verschiedenes", "Berichte"]
    first = AgendaItem.get(AgendaItem.title == "Begrüßung")
    submit(client, page, {"richtung": "hoch"}, action=f"/sitzungen/top/{first.id}/verschieben")  # already first
    assert agenda_titles(meeting) == ["Begrüßung", "Verschiedenes", "Berichte"]
    submit(client, page, action=f"/sitzungen/top/{first.id}/loeschen")
    assert agenda_titles(meeting) == ["Verschiedenes", "Berichte"]
    assert [i.position for i in workflow.agenda(meeting)] == [1, 2]
    assert "TOP 1: Verschiedenes" in client.get(page).get_data(as_text=True)


def test_concurrent_edit_of_an_agenda_item_is_detected(app, client_as, people, meetings):
    item = meetings["draft_item"]
    url = f"/sitzungen/top/{item.id}/bearbeiten"
    first, second = client_as("coordinator"), app.test_client(user=people["coordinator"])
    t1, t2 = csrf_from(first.get(url).get_data(as_text=True)), csrf_from(second.get(url).get_data(as_text=True))
    assert first.post(url, data={"csrf_token": t1, "title": "Begrüßung", "notes": "Erste", "version": "1"}).status_code == 303
    clash = second.post(url, data={"csrf_token": t2, "title": "Begrüßung", "notes": "Zweite", "version": "1"})
    assert clash.status_code == 409 and "Erste" in clash.get_data(as_text=True) and "Zweite" in clash.get_data(as_text=True)
    assert AgendaItem.get_by_id(item.id).notes == "Erste"


def test_tick_action_item_in_place_and_by_form(client_as, meetings, people):
    action = ActionItem.get(ActionItem.what == "Öffentliche Aufgabe")  # the member's
    member = client_as("member")
    token = csrf_from(member.get("/aufgaben/").get_data(as_text=True))
    response = member.post(f"/aufgaben/{action.id}/erledigt", data={"erledigt": "1"}, headers={**HX, "X-CSRFToken": token})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and text.lstrip().startswith(f'<span id="action-{action.id}-status"')
    assert "erledigt" in text and "Wieder öffnen" in text
    assert ActionItem.get_by_id(action.id).done_by_id == people["member"].id
    back = submit(member, "/aufgaben/?status=alle", {"erledigt": "0", "zurueck": "/aufgaben/?status=alle"},
                  action=f"/aufgaben/{action.id}/erledigt")
    assert back.status_code == 303 and back.location == "/aufgaben/?status=alle"
    assert ActionItem.get_by_id(action.id).done_at is None


def test_only_the_responsible_person_or_coordinator_ticks(app, client_as, meetings, make_person):
    app.config["WTF_CSRF_ENABLED"] = False
    action = ActionItem.get(ActionItem.what == "Öffentliche Aufgabe")
    other = app.test_client(user=make_person("member"))
    assert other.post(f"/aufgaben/{action.id}/erledigt", data={"erledigt": "1"}).status_code == 403
    assert client_as("coordinator").post(f"/aufgaben/{action.id}/erledigt", data={"erledigt": "1"}).status_code == 303
    assert ActionItem.get_by_id(action.id).done_at is not None


def test_action_list_filters_and_overdue_in_text(client_as, meetings, people):
    client = client_as("coordinator")
    overdue = client.get("/aufgaben/?ueberfaellig=1").get_data(as_text=True)
    assert "Öffentliche Aufgabe" in overdue and "überfällig" in overdue  # due 2026-03-01
    mine = client.get(f"/aufgaben/?person={people['partner'].id}").get_data(as_text=True)
    assert "Entwurfsaufgabe" in mine and "Öffentliche Aufgabe" not in mine
    ActionItem.update(done_at=datetime.utcnow()).where(ActionItem.what == "Öffentliche Aufgabe").execute()
    assert "Öffentliche Aufgabe" not in client.get("/aufgaben/").get_data(as_text=True)
    assert "Öffentliche Aufgabe" in client.get("/aufgaben/?status=erledigt").get_data(as_text=True)
    start = client_as("member").get("/").get_data(as_text=True)
    assert "Meine offenen Aufgaben" in start


def test_own_open_items_on_the_start_page(client_as, meetings):
    assert "Öffentliche Aufgabe" in client_as("member").get("/").get_data(as_text=True)
    assert "Öffentliche Aufgabe" not in client_as("coordinator").get("/").get_data(as_text=True)


# --- publishing and corrections ----------------------------------------------------------------

def test_publish_numbers_decisions_notifies_and_freezes(app, client_as, meetings, people):
    app.config["WTF_CSRF_ENABLED"] = False
    draft = meetings["draft"]
    coordinator = client_as("coordinator")
    assert coordinator.post(f"/sitzungen/{draft.id}/veroeffentlichen").status_code == 303
    decision = Decision.get(Decision.meeting == draft)
    published_decision = Decision.get(Decision.meeting == meetings["published"])
    assert published_decision.label == "2026/01" and decision.label == "2026/02"
    assert Notification.select().where(Notification.object_id == draft.id).count() == 3  # the body's members
    assert "Protokoll veröffentlicht:" in client_as("partner").get("/").get_data(as_text=True)
    assert MinutesRevision.get(MinutesRevision.meeting == draft).number == 1
    # read-only for everyone now, the coordinator included
    item = meetings["draft_item"]
    for url, data in [(f"/sitzungen/{draft.id}/top", {"title": "x"}), (f"/sitzungen/top/{item.id}/bearbeiten", {"title": "x"}),
                      (f"/sitzungen/top/{item.id}/beschluesse", {"text": "x"}), (f"/sitzungen/{draft.id}/anwesenheit", {}),
                      (f"/sitzungen/{draft.id}/bearbeiten", {"title": "x"})]:
        assert coordinator.post(url, data=data).status_code == 403, url
    with pytest.raises(workflow.Refused):
        workflow.add_decision(item, "Nachträglich")
    assert "Geheimer Entwurfsbeschluss" in client_as("partner").get(f"/sitzungen/{draft.id}").get_data(as_text=True)


def test_correction_needs_a_reason_and_keeps_the_earlier_revision(client_as, meetings):
    meeting = meetings["published"]
    item = meetings["published_item"]
    client = client_as("coordinator")
    url = f"/sitzungen/{meeting.id}/korrektur"
    refused = submit(client, url, {"reason": "", f"notes-{item.id}": "Neuer Text"})
    assert refused.status_code == 422 and "Bitte geben Sie einen Grund" in refused.get_data(as_text=True)
    assert AgendaItem.get_by_id(item.id).notes == ""
    done = submit(client, url, {"reason": "Zahl berichtigt", f"notes-{item.id}": "Es kamen 64 Fachkräfte."})
    assert done.status_code == 303
    revisions = list(MinutesRevision.select().where(MinutesRevision.meeting == meeting).order_by(MinutesRevision.number))
    assert [r.number for r in revisions] == [1, 2]
    assert "64 Fachkräfte" not in revisions[0].snapshot and "64 Fachkräfte" in revisions[1].snapshot
    reader = client_as("partner")
    page = reader.get(f"/sitzungen/{meeting.id}").get_data(as_text=True)
    assert "korrigiert" in page and "Zahl berichtigt" in page
    diff = reader.get(f"/sitzungen/{meeting.id}/fassungen/2").get_data(as_text=True)
    assert "<ins>" in diff and "64 Fachkräfte" in diff and "Zahl berichtigt" in diff
    assert AuditEvent.get(AuditEvent.action == "minutes.corrected").details_dict["reason"] == "Zahl berichtigt"


def test_members_comment_on_drafts_only(app, client_as, meetings):
    client = client_as("member")
    draft = meetings["draft"]
    submit(client, f"/sitzungen/{draft.id}", {"body": "TOP 1 bitte ergänzen."}, action=f"/sitzungen/{draft.id}/anmerkungen")
    assert "TOP 1 bitte ergänzen." in client.get(f"/sitzungen/{draft.id}").get_data(as_text=True)
    assert "TOP 1 bitte ergänzen." not in client_as("partner").get(f"/sitzungen/{draft.id}").get_data(as_text=True)


def test_attendance_starts_from_the_body_members(client_as, body, people, meetings):
    meeting = meetings["draft"]
    assert {a.person_id for a in Attendance.select().where(Attendance.meeting == meeting)} == {p.id for p in people.values()}
    submit(client_as("coordinator"), f"/sitzungen/{meeting.id}",
           {f"status-{people['member'].id}": "present", f"status-{people['partner'].id}": "excused"},
           action=f"/sitzungen/{meeting.id}/anwesenheit")
    statuses = {a.person_id: a.status for a in Attendance.select().where(Attendance.meeting == meeting)}
    assert statuses[people["member"].id] == "present" and statuses[people["partner"].id] == "excused"
    assert statuses[people["coordinator"].id] is None


def test_body_members_chair_and_archive(client_as, people, make_person):
    client = client_as("coordinator")
    response = submit(client, "/gremien/neu", {"name": "AG Sprache", "kind": "working_group"})
    body = Body.get(Body.name == "AG Sprache")
    assert response.location == f"/gremien/{body.id}/mitglieder"
    submit(client, f"/gremien/{body.id}/mitglieder",
           {"members": [str(people["member"].id), str(people["partner"].id)], "chair": str(people["member"].id)})
    assert {m.person_id for m in BodyMember.select().where(BodyMember.body == body)} == {people["member"].id, people["partner"].id}
    assert Body.get_by_id(body.id).chair_id == people["member"].id
    page = client.get(f"/gremien/{body.id}").get_data(as_text=True)
    assert "(Vorsitz)" in page
    submit(client, f"/gremien/{body.id}", action=f"/gremien/{body.id}/archivieren")
    assert Body.get_by_id(body.id).archived


# --- exports ----------------------------------------------------------------------------------

def test_ics_has_berlin_times_across_daylight_saving(client_as, body):
    winter = make_meeting(body, "Vor der Umstellung", starts=berlin_to_utc(datetime(2026, 3, 28, 10, 0)))
    summer = make_meeting(body, "Nach der Umstellung", starts=berlin_to_utc(datetime(2026, 3, 30, 10, 0)))
    client = client_as("member")
    for meeting, utc_hour in ((winter, 9), (summer, 8)):
        raw = client.get(f"/sitzungen/{meeting.id}/termin.ics").data
        calendar = Calendar.from_ical(raw)
        event = next(c for c in calendar.walk("VEVENT"))
        start = event.decoded("dtstart")
        assert (start.hour, start.minute) == (10, 0), "local time stays 10:00"
        assert str(start.tzinfo) == "Europe/Berlin"
        assert start.utcoffset() == timedelta(hours=1 if utc_hour == 9 else 2)
        assert b"BEGIN:VTIMEZONE" in raw and b"TZID:Europe/Berlin" in raw
        assert event.get("uid") and event.get("dtstamp")


def test_personal_feed_and_reset(client, client_as, body, people):
    member = client_as("member")
    upcoming = make_meeting(body, "Bald", starts=datetime.utcnow() + timedelta(days=5))
    page = member.get("/kalender/").get_data(as_text=True)
    token = CalendarFeed.get(CalendarFeed.person == people["member"]).token
    assert f"/kalender/{token}.ics" in page
    feed = client.get(f"/kalender/{token}.ics")
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    assert upcoming.title in feed.get_data(as_text=True)
    submit(member, "/kalender/", action="/kalender/neu")
    assert client.get(f"/kalender/{token}.ics").status_code == 404
    new_token = CalendarFeed.get(CalendarFeed.person == people["member"]).token
    assert new_token != token and client.get(f"/kalender/{new_token}.ics").status_code == 200


def read_csv(response):
    raw = response.data
    assert raw.startswith("\ufeff".encode()), "UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_csv_exports_round_trip_umlauts_and_german_dates(client_as, meetings, people):
    ActionItem.update(what="Rückmeldung zu „Lotsendienst“; Übersicht").where(ActionItem.what == "Öffentliche Aufgabe").execute()
    rows = read_csv(client_as("member").get("/aufgaben.csv?status=alle"))
    assert rows[0][:3] == ["Aufgabe", "Wer", "Bis"]
    row = next(r for r in rows if r[0].startswith("Rückmeldung"))
    assert row[0] == "Rückmeldung zu „Lotsendienst“; Übersicht" and row[2] == "01.03.2026"
    decisions = read_csv(client_as("partner").get("/beschluesse.csv"))
    assert decisions[1][:2] == ["2026/01", "Öffentlicher Beschluss"] and decisions[1][4] == "03.02.2026"
    assert all("Geheimer" not in cell for r in decisions for cell in r)


def test_print_and_pdf_of_published_minutes(client_as, meetings):
    meeting = meetings["published"]
    client = client_as("partner")
    printed = client.get(f"/sitzungen/{meeting.id}/druck").get_data(as_text=True)
    assert "Öffentlicher Beschluss" in printed and "Öffentliche Aufgabe" in printed and "Anwesenheit" in printed
    pdf = client.get(f"/sitzungen/{meeting.id}/pdf")
    assert pdf.data.startswith(b"%PDF") and b"Bericht" in pdf.data
    assert pdf.headers["Content-Disposition"].startswith("attachment;")


# --- query counts -----------------------------------------------------------------------------

def count_queries(caplog, action) -> int:
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        action()
    return sum(1 for record in caplog.records if record.name == "peewee")


def grow(meeting, people, n):
    for i in range(n):
        item = AgendaItem.create(meeting=meeting, position=100 + i, title=f"TOP {i}")
        Decision.create(meeting=meeting, agenda_item=item, text=f"B {i}")
        ActionItem.create(meeting=meeting, agenda_item=item, what=f"A {i}", person=people["member"], due_on=date(2026, 1, 1))


@pytest.mark.parametrize("url", ["/sitzungen/{id}", "/aufgaben/?status=alle", "/beschluesse/"])
def test_query_counts_stay_bounded(client_as, meetings, people, caplog, url):
    meeting = meetings["published"]
    client = client_as("member")
    target = url.format(id=meeting.id)
    grow(meeting, people, 2)
    few = count_queries(caplog, lambda: client.get(target))
    grow(meeting, people, 15)
    Decision.update(year=2026, number=Decision.id + 100).where(Decision.number.is_null(), Decision.meeting == meeting).execute()
    many = count_queries(caplog, lambda: client.get(target))
    assert many == few, f"{target}: {few} → {many} queries"


def test_demo_has_a_year_of_meetings(app):
    from fh_intranet import demo

    demo.seed()
    assert {b.name for b in Body.select()} >= {"Steuerungsgruppe", "Netzwerkkonferenz Frühe Hilfen"}
    assert Body.select().where(Body.kind == "working_group").count() == 2
    published = Meeting.select().where(Meeting.state == "published")
    assert published.count() >= 3
    assert Meeting.select().where(Meeting.state == "draft", Meeting.ends_at < datetime.utcnow()).count() == 1
    assert Meeting.select().where(Meeting.starts_at > datetime.utcnow()).count() >= 2
    assert MinutesRevision.select().where(MinutesRevision.number == 2).count() == 1
    actions = list(ActionItem.select())
    assert any(a.is_overdue for a in actions) and any(a.done_at for a in actions)


def test_edit_decision_and_action_item_in_place_and_by_form(client_as, meetings, people):
    client = client_as("coordinator")
    decision = Decision.get(Decision.meeting == meetings["draft"])
    action = ActionItem.get(ActionItem.meeting == meetings["draft"])
    form = client.get(f"/sitzungen/beschluesse/{decision.id}/bearbeiten", headers=HX).get_data(as_text=True)
    assert form.lstrip().startswith("<form") and "Geheimer Entwurfsbeschluss" in form
    response = client.post(f"/sitzungen/beschluesse/{decision.id}/bearbeiten",
                           data={"csrf_token": csrf_from(form), "text": "Geänderter Beschluss"}, headers=HX)
    assert response.status_code == 200 and "Geänderter Beschluss" in response.get_data(as_text=True)
    assert Decision.get_by_id(decision.id).text == "Geänderter Beschluss"
    done = submit(client, f"/sitzungen/aufgaben/{action.id}/bearbeiten",
                  {"what": "Neue Aufgabe", "person": str(people["member"].id), "due_on": "2026-06-30"})
    assert done.status_code == 303
    stored = ActionItem.get_by_id(action.id)
    assert (stored.what, stored.person_id, stored.due_on) == ("Neue Aufgabe", people["member"].id, date(2026, 6, 30))
    refused = submit(client, f"/sitzungen/aufgaben/{action.id}/bearbeiten", {"what": "", "person": ""})
    assert refused.status_code == 422 and "Bitte füllen Sie dieses Feld aus." in refused.get_data(as_text=True)
