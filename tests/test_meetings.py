"""Bodies, meetings and minutes: drafts hidden from partners, publishing, corrections, htmx, exports."""
import csv
import io
import logging
import re
import threading
import time
from datetime import date, datetime, timedelta

import peewee
import pytest
from icalendar import Calendar
from markupsafe import escape
from pypdf import PdfReader

from fh_intranet.audit import AuditEvent
from fh_intranet.db import write_transaction
from fh_intranet.meetings import workflow
from fh_intranet.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Body,
    BodyMember,
    CalendarFeed,
    Decision,
    Guest,
    Meeting,
    MinutesComment,
    MinutesRevision,
)
from fh_intranet.notifications.models import Notification
from fh_intranet.timezones import berlin_to_utc

from .concurrency import at_once
from .conftest import csrf_from, submit
from .html_forms import form_posting_to, forms_of
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
    submit(client, page, {"bestaetigt": "1"}, action=f"/sitzungen/top/{first.id}/loeschen")
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
    response = member.post(f"/aufgaben/{action.id}/erledigt", data={"erledigt": "1", "version": "1"},
                           headers={**HX, "X-CSRFToken": token})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and text.lstrip().startswith(f'<div id="action-{action.id}-status"')
    assert "erledigt" in text and "Wieder öffnen" in text
    assert ActionItem.get_by_id(action.id).done_by_id == people["member"].id
    back = submit(member, "/aufgaben/?status=alle", {"erledigt": "0", "zurueck": "/aufgaben/?status=alle",
                                                      "version": "2"}, action=f"/aufgaben/{action.id}/erledigt")
    assert back.status_code == 303 and back.location == "/aufgaben/?status=alle"
    assert ActionItem.get_by_id(action.id).done_at is None


def test_only_the_responsible_person_or_coordinator_ticks(app, client_as, meetings, make_person):
    app.config["WTF_CSRF_ENABLED"] = False
    action = ActionItem.get(ActionItem.what == "Öffentliche Aufgabe")
    other = app.test_client(user=make_person("member"))
    assert other.post(f"/aufgaben/{action.id}/erledigt", data={"erledigt": "1", "version": "1"}).status_code == 403
    assert client_as("coordinator").post(f"/aufgaben/{action.id}/erledigt",
                                         data={"erledigt": "1", "version": "1"}).status_code == 303
    assert ActionItem.get_by_id(action.id).done_at is not None


def test_a_filtered_list_says_what_it_holds_in_one_status_line(client_as, meetings, people):
    """Not the whole list as a live region (read whole, or not at all once swapped in anew): a status
    line outside what the filter swaps, filled by the filtered part."""
    client = client_as("coordinator")
    page = client.get("/aufgaben/").get_data(as_text=True)
    assert '<p id="list-status" class="visually-hidden" role="status"></p>' in page and "aria-live" not in page
    part = client.get(f"/aufgaben/?status=alle&person={people['partner'].id}",
                      headers={"HX-Request": "true"}).get_data(as_text=True)
    assert '<p id="list-status" hx-swap-oob="innerHTML">1 Aufgabe</p>' in part and "Entwurfsaufgabe" in part


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
    assert coordinator.post(f"/sitzungen/{draft.id}/veroeffentlichen", data={"bestaetigt": "1"}).status_code == 303
    decision = Decision.get(Decision.meeting == draft)
    published_decision = Decision.get(Decision.meeting == meetings["published"])
    assert published_decision.label == "2026/01" and decision.label == "2026/02"
    # the body's members, except the coordinator who published
    assert Notification.select().where(Notification.object_id == draft.id, Notification.kind == "minutes.published").count() == 2
    assert "Protokoll veröffentlicht am" in client_as("partner").get("/").get_data(as_text=True)
    assert MinutesRevision.get(MinutesRevision.meeting == draft).number == 1
    # read-only for everyone now, the coordinator included
    item = meetings["draft_item"]
    for url, data in [(f"/sitzungen/{draft.id}/top", {"title": "x"}), (f"/sitzungen/top/{item.id}/bearbeiten", {"title": "x"}),
                      (f"/sitzungen/top/{item.id}/beschluesse", {"text": "x"}), (f"/sitzungen/{draft.id}/anwesenheit", {}),
                      (f"/sitzungen/{draft.id}/bearbeiten", {"title": "x"})]:
        # refused by the workflow (409), or the incomplete form before it (422): nothing changes
        before = minutes_state(draft.id)
        assert coordinator.post(url, data=data).status_code in (409, 422), url
        assert minutes_state(draft.id) == before, url
    with pytest.raises(workflow.Refused):
        workflow.add_decision(item, "Nachträglich")
    assert "Geheimer Entwurfsbeschluss" in client_as("partner").get(f"/sitzungen/{draft.id}").get_data(as_text=True)


def test_correction_needs_a_reason_and_keeps_the_earlier_revision(client_as, meetings):
    meeting = meetings["published"]
    item = meetings["published_item"]
    client = client_as("coordinator")
    url = f"/sitzungen/{meeting.id}/korrektur"
    refused = submit(client, url, {"reason": "", f"notes-{item.id}": "Neuer Text", "version": "1"})
    assert refused.status_code == 422 and "Bitte geben Sie einen Grund" in refused.get_data(as_text=True)
    assert AgendaItem.get_by_id(item.id).notes == ""
    done = submit(client, url, {"reason": "Zahl berichtigt", f"notes-{item.id}": "Es kamen 64 Fachkräfte.",
                                "version": "1"})
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
           {f"status-{people['member'].id}": "present", f"status-{people['partner'].id}": "excused", "version": "1"},
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
           {"members": [str(people["member"].id), str(people["partner"].id)], "chair": str(people["member"].id),
            "version": "1"})
    assert {m.person_id for m in BodyMember.select().where(BodyMember.body == body)} == {people["member"].id, people["partner"].id}
    assert Body.get_by_id(body.id).chair_id == people["member"].id
    page = client.get(f"/gremien/{body.id}").get_data(as_text=True)
    assert "(Vorsitz)" in page
    archive = form_posting_to(client.get(f"/gremien/{body.id}").get_data(as_text=True), f"/gremien/{body.id}/archivieren")
    client.post(archive.action, data=archive.data())
    assert Body.get_by_id(body.id).archived
    client.post(archive.action, data=archive.data())  # the same button again (a double click)
    assert Body.get_by_id(body.id).archived, "a second click on „Archivieren“ does not restore"
    restore = form_posting_to(client.get(f"/gremien/{body.id}").get_data(as_text=True), f"/gremien/{body.id}/archivieren")
    client.post(restore.action, data=restore.data())
    assert not Body.get_by_id(body.id).archived


def test_a_deactivated_member_of_a_body_is_named_to_the_coordinator_alone(client_as, body, people, make_person):
    from fh_intranet.people import workflow as people_workflow

    former = make_person("member", name="Sabine Engelhardt")
    BodyMember.create(body=body, person=former)
    Body.update(chair=former).where(Body.id == body.id).execute()  # and its chair
    people_workflow.deactivate(former, actor=people["coordinator"])
    page = client_as("coordinator").get(f"/gremien/{body.id}").get_data(as_text=True)
    assert "<dd>Sabine Engelhardt</dd>" in page and "(nicht mehr aktiv)" in page
    for role in ("member", "partner"):
        assert "Engelhardt" not in client_as(role).get(f"/gremien/{body.id}").get_data(as_text=True)


def test_people_of_the_same_name_are_told_apart_in_the_person_filters(client_as, body, people, make_person):
    """Ten years of a network hold three Jan Köhlers: the filters offered the same name three times."""
    from fh_intranet.people.models import Organisation

    kita, praxis = (Organisation.create(name=name, sector="other") for name in ("Kita Regenbogen", "Praxis Am Markt"))
    first, second, third = (make_person("member", name="Jan Köhler", organisation=o) for o in (kita, praxis, kita))
    meeting = make_meeting(body, "Sitzung mit zwei Jans")
    item = workflow.add_agenda_item(meeting, "Aufgaben")
    for person in (first, second, third, people["member"]):
        workflow.add_action(item, f"Aufgabe für {person.id}", person, date(2026, 4, 1))
    workflow.publish(meeting, people["coordinator"])
    page = client_as("member").get("/aufgaben/").get_data(as_text=True)
    assert f'<option value="{first.id}">Jan Köhler (Kita Regenbogen, Nr. {first.id})</option>' in page
    assert f'<option value="{third.id}">Jan Köhler (Kita Regenbogen, Nr. {third.id})</option>' in page
    assert f'<option value="{second.id}">Jan Köhler (Praxis Am Markt)</option>' in page
    assert f'<option value="{people["member"].id}">{people["member"].name}</option>' in page  # a name of its own
    log = client_as("coordinator").get("/protokoll/").get_data(as_text=True)
    assert f'>{people["coordinator"].name}</option>' in log


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
        assert "X-WR-CALNAME" not in calendar and "NAME" not in calendar, "one appointment, not a calendar"


def test_personal_feed_and_reset(client, client_as, body, people):
    member = client_as("member")
    upcoming = make_meeting(body, "Bald", starts=datetime.utcnow() + timedelta(days=5))
    page = member.get("/kalender/").get_data(as_text=True)
    token = CalendarFeed.get(CalendarFeed.person == people["member"]).token
    assert f"/kalender/{token}.ics" in page
    feed = client.get(f"/kalender/{token}.ics")
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    assert upcoming.title in feed.get_data(as_text=True)
    # a calendar program replaces what it shows by the feed: the past year's meetings stay in it
    recent = make_meeting(body, "Vor drei Monaten", starts=datetime.utcnow() - timedelta(days=90))
    old = make_meeting(body, "Vor zwei Jahren", starts=datetime.utcnow() - timedelta(days=730))
    text = client.get(f"/kalender/{token}.ics").get_data(as_text=True)
    assert recent.title in text and old.title not in text
    calendar = Calendar.from_ical(feed.data)
    assert str(calendar["X-WR-CALNAME"]) == str(calendar["NAME"]) == "FH-Intranet: Sitzungen"
    assert people["member"].name in str(calendar["X-WR-CALDESC"])
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
    assert pdf.data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Bericht" in text and "Öffentlicher Beschluss" in text
    assert pdf.headers["Content-Disposition"].startswith("attachment;")


def test_print_view_and_pdf_name_every_correction_and_its_reason(client_as, meetings, people):
    meeting = meetings["published"]
    workflow.correct(meeting, people["coordinator"], "Name von Ayşe Yılmaz berichtigt", {}, {})
    client = client_as("partner")
    printed = client.get(f"/sitzungen/{meeting.id}/druck").get_data(as_text=True)
    assert "Korrekturen" in printed and "Name von Ayşe Yılmaz berichtigt" in printed
    pdf = client.get(f"/sitzungen/{meeting.id}/pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Name von Ayşe Yılmaz berichtigt" in text


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


def test_demo_has_a_year_of_meetings(demo_data):
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
                           data={"csrf_token": csrf_from(form), "text": "Geänderter Beschluss", "version": "1"},
                           headers=HX)
    assert response.status_code == 200 and "Geänderter Beschluss" in response.get_data(as_text=True)
    assert Decision.get_by_id(decision.id).text == "Geänderter Beschluss"
    done = submit(client, f"/sitzungen/aufgaben/{action.id}/bearbeiten",
                  {"what": "Neue Aufgabe", "person": str(people["member"].id), "due_on": "2026-06-30", "version": "1"})
    assert done.status_code == 303
    stored = ActionItem.get_by_id(action.id)
    assert (stored.what, stored.person_id, stored.due_on) == ("Neue Aufgabe", people["member"].id, date(2026, 6, 30))
    refused = submit(client, f"/sitzungen/aufgaben/{action.id}/bearbeiten", {"what": "", "person": "", "version": "2"})
    assert refused.status_code == 422 and "Bitte füllen Sie dieses Feld aus." in refused.get_data(as_text=True)


# --- one write path: edit conflicts ---------------------------------------------------------------

def page_form(client, page, action=None, headers=None):
    """The form on `page` that posts to `action` (default: the page), as a browser would send it."""
    html = client.get(page, headers=headers or {}).get_data(as_text=True)
    return form_posting_to(html, action or page, page)


def two(app, person):
    """Two sessions of the same person, e.g. two coordinators' browsers."""
    return app.test_client(user=person), app.test_client(user=person)


@pytest.fixture
def ids(meetings, body, people):
    return {"draft": meetings["draft"].id, "published": meetings["published"].id, "body": body.id,
            "item": meetings["draft_item"].id, "published_item": meetings["published_item"].id,
            "decision": Decision.get(Decision.meeting == meetings["draft"]).id,
            "action": ActionItem.get(ActionItem.meeting == meetings["draft"]).id,
            "published_action": ActionItem.get(ActionItem.meeting == meetings["published"]).id,
            **{role: person.id for role, person in people.items()}}


EDIT_FORMS = {
    "meeting": ("/sitzungen/{draft}/bearbeiten", "title", lambda o: Meeting.get_by_id(o["draft"]).title),
    "body": ("/gremien/{body}/bearbeiten", "name", lambda o: Body.get_by_id(o["body"]).name),
    "agenda item": ("/sitzungen/top/{item}/bearbeiten", "title", lambda o: AgendaItem.get_by_id(o["item"]).title),
    "decision": ("/sitzungen/beschluesse/{decision}/bearbeiten", "text", lambda o: Decision.get_by_id(o["decision"]).text),
    "action item": ("/sitzungen/aufgaben/{action}/bearbeiten", "what", lambda o: ActionItem.get_by_id(o["action"]).what),
}


@pytest.mark.parametrize("name", EDIT_FORMS)
def test_a_stale_edit_form_meets_the_conflict_page(app, people, ids, name):
    template, field, stored = EDIT_FORMS[name]
    url = template.format(**ids)
    alice, bob = two(app, people["coordinator"])
    form_a, form_b = page_form(alice, url), page_form(bob, url)
    assert alice.post(url, data=form_a.data(**{field: "Fassung von A"})).status_code == 303
    clash = bob.post(url, data=form_b.data(**{field: "Fassung von B"}))
    html = clash.get_data(as_text=True)
    assert clash.status_code == 409
    assert "Inzwischen gespeicherte Fassung" in html and "Jemand anderes hat diese Angaben gespeichert" in html
    assert "Fassung von A" in html, "the conflict page shows what A saved"
    assert "Fassung von B" in html, "B's input stays in the form"
    assert stored(ids) == "Fassung von A"
    retry = form_posting_to(html, url, url)
    assert retry.value("version") != form_b.value("version"), "the form now builds on A's version"
    assert bob.post(url, data=retry.data()).status_code == 303
    assert stored(ids) == "Fassung von B"


@pytest.mark.parametrize("name", ["agenda item", "decision", "action item"])
def test_a_stale_in_place_edit_answers_409_in_its_slot(app, people, ids, meetings, name):
    template, field, stored = EDIT_FORMS[name]
    url = template.format(**ids)
    alice, bob = two(app, people["coordinator"])
    form_a, form_b = page_form(alice, url, headers=HX), page_form(bob, url, headers=HX)
    saved = alice.post(url, data=form_a.data(**{field: "Fassung von A"}), headers=HX)
    assert saved.status_code == 200 and saved.get_data(as_text=True).lstrip().startswith('<section id="agenda"')
    clash = bob.post(url, data=form_b.data(**{field: "Fassung von B"}), headers=HX)
    text = clash.get_data(as_text=True)
    assert clash.status_code == 409
    # the form posts into #agenda; the refused form replaces only its own slot, not the agenda
    assert clash.headers["HX-Retarget"] == f"#top-{meetings['draft_item'].id}-edit"
    assert clash.headers["HX-Reswap"] == "innerHTML"
    assert text.lstrip().startswith("<form") and "<html" not in text
    assert "Fassung von A" in text and "Fassung von B" in text and "Jemand anderes hat diese Angaben" in text
    assert stored(ids) == "Fassung von A"
    retry = bob.post(url, data=form_posting_to(text, url, url).data(), headers=HX)
    assert retry.status_code == 200 and stored(ids) == "Fassung von B"


def test_a_stale_action_item_edit_shows_every_field_and_keeps_the_others(app, people, ids):
    url = f"/sitzungen/aufgaben/{ids['action']}/bearbeiten"
    alice, bob = two(app, people["coordinator"])
    form_a, form_b = page_form(alice, url), page_form(bob, url)
    assert alice.post(url, data=form_a.data(due_on="2026-06-30")).status_code == 303
    clash = bob.post(url, data=form_b.data(person=str(ids["member"])))
    html = clash.get_data(as_text=True)
    assert clash.status_code == 409 and "30.06.2026" in html, "A's due date is shown"
    stored = ActionItem.get_by_id(ids["action"])
    assert (stored.due_on, stored.person_id) == (date(2026, 6, 30), ids["partner"]), "nothing of B is written"


def test_a_tick_makes_an_open_action_edit_form_stale(app, client_as, people, ids):
    url = f"/sitzungen/aufgaben/{ids['action']}/bearbeiten"
    coordinator = client_as("coordinator")
    form = page_form(coordinator, url)
    workflow.set_done(ActionItem.get_by_id(ids["action"]), True, people["coordinator"])  # ticked meanwhile
    clash = coordinator.post(url, data=form.data(what="Umformuliert"))
    html = clash.get_data(as_text=True)
    assert clash.status_code == 409 and "Stand" in html and "erledigt" in html
    assert coordinator.post(url, data=form_posting_to(html, url, url).data()).status_code == 303
    stored = ActionItem.get_by_id(ids["action"])
    assert stored.what == "Umformuliert" and stored.done_at is not None, "saving the edit never undoes the tick"


def test_a_double_click_on_a_tick_is_not_someone_elses_change(client_as, ids):
    """The second click of the same form found the item ticked by the same person and answered
    „Jemand anderes hat diese Aufgabe inzwischen geändert“."""
    action_url = f"/aufgaben/{ids['published_action']}/erledigt"
    member = client_as("member")
    form = page_form(member, "/aufgaben/", action_url)
    assert [member.post(action_url, data=form.data()).status_code for _ in range(2)] == [303, 303]
    in_place = member.post(action_url, data=form.data(), headers={"HX-Request": "true"})
    assert in_place.status_code == 200 and "Jemand anderes" not in in_place.get_data(as_text=True)
    assert ActionItem.get_by_id(ids["published_action"]).version == 2
    assert AuditEvent.select().where(AuditEvent.action == "action_item.done").count() == 1


def test_a_stale_tick_is_refused_and_overwrites_nothing(app, client_as, people, ids):
    action_url = f"/aufgaben/{ids['published_action']}/erledigt"
    member, coordinator = client_as("member"), client_as("coordinator")
    form_member = page_form(member, "/aufgaben/", action_url)
    form_coordinator = page_form(coordinator, "/aufgaben/?status=alle", action_url)
    assert form_member.value("version") == "1"
    assert member.post(action_url, data=form_member.data()).status_code == 303
    stale = coordinator.post(action_url, data=form_coordinator.data())
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "Jemand anderes hat diese Aufgabe inzwischen geändert; sie ist jetzt erledigt." in html
    stored = ActionItem.get_by_id(ids["published_action"])
    assert stored.done_by_id == ids["member"] and stored.version == 2, "the member's tick stands as it was"
    # the page shows the stored state with a fresh button: reopening from there works
    fresh = form_posting_to(html, action_url, action_url)
    assert fresh.value("erledigt") == "0" and fresh.value("version") == "2"
    assert coordinator.post(action_url, data=fresh.data()).status_code == 303
    assert ActionItem.get_by_id(ids["published_action"]).done_at is None
    # the member's old "Wieder öffnen"-less page, in place: refused with the message in the fragment
    in_place = member.post(action_url, data=form_member.data(), headers=HX)
    text = in_place.get_data(as_text=True)
    assert in_place.status_code == 409 and text.lstrip().startswith(f'<div id="action-{ids["published_action"]}-status"')
    assert "sie ist jetzt offen" in text and 'name="version" value="3"' in text
    assert ActionItem.get_by_id(ids["published_action"]).done_at is None


def test_a_tick_without_its_version_is_incomplete(app, client_as, ids):
    member = client_as("member")
    token = csrf_from(member.get("/aufgaben/").get_data(as_text=True))
    response = member.post(f"/aufgaben/{ids['published_action']}/erledigt", data={"csrf_token": token, "erledigt": "1"})
    assert response.status_code == 422 and "Das Formular ist unvollständig" in response.get_data(as_text=True)
    assert ActionItem.get_by_id(ids["published_action"]).done_at is None


def test_stale_attendance_is_refused_and_shows_the_stored_list(app, people, ids):
    page, action = f"/sitzungen/{ids['draft']}", f"/sitzungen/{ids['draft']}/anwesenheit"
    member, partner = f"status-{ids['member']}", f"status-{ids['partner']}"
    alice, bob = two(app, people["coordinator"])
    form_a, form_b = page_form(alice, page, action), page_form(bob, page, action)
    assert alice.post(action, data=form_a.data(**{member: "present"})).status_code == 303
    clash = bob.post(action, data=form_b.data(**{member: "absent", partner: "excused"}))
    html = clash.get_data(as_text=True)
    assert clash.status_code == 409 and "Inzwischen gespeicherte Fassung" in html
    panel = html.split('class="conflict"')[1].split("</section>")[0]
    assert f"<dt>{people['member'].name}</dt><dd>anwesend</dd>" in panel, "the stored status is shown"
    assert f'id="att-{ids["member"]}-absent" checked' in html, "B's choice stays in the form"

    def statuses():
        return {a.person_id: a.status for a in Attendance.select().where(Attendance.meeting == ids["draft"])}

    assert statuses()[ids["member"]] == "present" and statuses()[ids["partner"]] is None
    assert bob.post(action, data=form_posting_to(html, action, action).data()).status_code == 303
    assert statuses()[ids["member"]] == "absent" and statuses()[ids["partner"]] == "excused"


def test_attendance_without_a_version_is_incomplete(app, client_as, ids):
    client = client_as("coordinator")
    token = csrf_from(client.get(f"/sitzungen/{ids['draft']}").get_data(as_text=True))
    response = client.post(f"/sitzungen/{ids['draft']}/anwesenheit",
                           data={"csrf_token": token, f"status-{ids['member']}": "present"})
    assert response.status_code == 422 and "Das Formular ist unvollständig" in response.get_data(as_text=True)
    assert Attendance.get(Attendance.meeting == ids["draft"], Attendance.person == ids["member"]).status is None


def test_stale_body_membership_is_refused(app, people, ids):
    url = f"/gremien/{ids['body']}/mitglieder"
    alice, bob = two(app, people["coordinator"])
    form_a, form_b = page_form(alice, url), page_form(bob, url)
    without_partner = [str(ids["coordinator"]), str(ids["member"])]
    assert alice.post(url, data=form_a.data(members=without_partner)).status_code == 303
    clash = bob.post(url, data=form_b.data(chair=str(ids["member"])))
    html = clash.get_data(as_text=True)
    assert clash.status_code == 409 and "Inzwischen gespeicherte Fassung" in html
    panel = html.split('class="conflict"')[1].split("</section>")[0]
    assert people["member"].name in panel and people["partner"].name not in panel, "A's member list is shown"

    def members():
        return {m.person_id for m in BodyMember.select().where(BodyMember.body == ids["body"])}

    assert members() == {ids["coordinator"], ids["member"]} and Body.get_by_id(ids["body"]).chair_id is None
    assert bob.post(url, data=form_posting_to(html, url, url).data()).status_code == 303
    assert Body.get_by_id(ids["body"]).chair_id == ids["member"]


def test_a_correction_based_on_an_older_revision_is_refused(app, people, ids):
    url = f"/sitzungen/{ids['published']}/korrektur"
    notes = f"notes-{ids['published_item']}"
    decision = Decision.get(Decision.meeting == ids["published"])
    alice, bob = two(app, people["coordinator"])
    form_a, form_b = page_form(alice, url), page_form(bob, url)
    assert form_a.value("version") == "1", "the form carries the revision it is based on"
    done = alice.post(url, data=form_a.data(**{notes: "Es kamen 64 Fachkräfte.", "reason": "Zahl berichtigt"}))
    assert done.status_code == 303 and done.location.endswith("/fassungen/2")
    clash = bob.post(url, data=form_b.data(**{notes: "Es kamen 46 Fachkräfte.", f"decision-{decision.id}": "Anders",
                                              "reason": "Zahl geprüft"}))
    html = clash.get_data(as_text=True)
    assert clash.status_code == 409
    panel = html.split('class="conflict"')[1].split("</section>")[0]
    assert "Es kamen 64 Fachkräfte." in panel and "Zahl berichtigt" in panel, "the newer revision is shown"
    assert "Es kamen 46 Fachkräfte." in html and "Zahl geprüft" in html, "B's input stays in the form"
    # nothing of A's correction is reverted, and no revision was added
    assert AgendaItem.get_by_id(ids["published_item"]).notes == "Es kamen 64 Fachkräfte."
    assert Decision.get_by_id(decision.id).text == "Öffentlicher Beschluss"
    revisions = MinutesRevision.select().where(MinutesRevision.meeting == ids["published"]).order_by(MinutesRevision.number)
    assert [r.number for r in revisions] == [1, 2] and "64 Fachkräfte" in revisions[-1].snapshot
    retry = form_posting_to(html, url, url)
    assert retry.value("version") == "2"
    assert bob.post(url, data=retry.data()).location.endswith("/fassungen/3")
    assert AgendaItem.get_by_id(ids["published_item"]).notes == "Es kamen 46 Fachkräfte."
    assert Decision.get_by_id(decision.id).text == "Anders"


# --- refused input to the agenda's add forms -------------------------------------------------------

def test_a_correction_sent_again_after_a_conflict_keeps_what_the_other_corrected(app, people, ids):
    """B changed only a decision; A corrected the notes meanwhile. B's form comes back with A's notes,
    not with the notes B had seen, and sending it again corrects the decision alone."""
    url = f"/sitzungen/{ids['published']}/korrektur"
    notes = f"notes-{ids['published_item']}"
    decision = Decision.get(Decision.meeting == ids["published"])
    alice, bob = two(app, people["coordinator"])
    form_a, form_b = page_form(alice, url), page_form(bob, url)
    assert alice.post(url, data=form_a.data(**{notes: "Es kamen 64 Fachkräfte.", "reason": "Zahl"})).status_code == 303
    clash = bob.post(url, data=form_b.data(**{f"decision-{decision.id}": "Einstimmig beschlossen.",
                                              "reason": "Wortlaut"}))
    assert clash.status_code == 409
    html = clash.get_data(as_text=True)
    retry = form_posting_to(html, url, url)
    assert retry.value(notes) == "Es kamen 64 Fachkräfte.", "the notes as stored now, not as B had seen them"
    assert retry.value(f"decision-{decision.id}") == "Einstimmig beschlossen.", "B's own change stays"
    assert "Auch inzwischen korrigiert" not in html, "nobody else changed the decision"
    assert bob.post(url, data=retry.data()).location.endswith("/fassungen/3")
    assert AgendaItem.get_by_id(ids["published_item"]).notes == "Es kamen 64 Fachkräfte."
    assert Decision.get_by_id(decision.id).text == "Einstimmig beschlossen."


def test_a_text_sent_back_as_shown_is_no_change_whatever_its_line_breaks(app, people, ids):
    """Browsers send a textarea's lines with CRLF: B's notes, sent back as shown, must not count as
    B's correction and undo A's after the conflict."""
    url = f"/sitzungen/{ids['published']}/korrektur"
    notes = f"notes-{ids['published_item']}"
    decision = Decision.get(Decision.meeting == ids["published"])
    with app.app_context():
        AgendaItem.update(notes="Erste Zeile\nZweite Zeile").where(AgendaItem.id == ids["published_item"]).execute()
    alice, bob = two(app, people["coordinator"])
    form_a, form_b = page_form(alice, url), page_form(bob, url)
    assert alice.post(url, data=form_a.data(**{notes: "Erste Zeile\nZweite Zeile, berichtigt",
                                               "reason": "Wort"})).status_code == 303
    clash = bob.post(url, data=form_b.data(**{notes: "Erste Zeile\r\nZweite Zeile",
                                              f"decision-{decision.id}": "Anders", "reason": "Wort"}))
    html = clash.get_data(as_text=True)
    assert clash.status_code == 409 and "Auch inzwischen korrigiert" not in html
    retry = form_posting_to(html, url, url)
    assert retry.value(notes).strip() == "Erste Zeile\nZweite Zeile, berichtigt"
    assert bob.post(url, data=retry.data()).status_code == 303
    assert AgendaItem.get_by_id(ids["published_item"]).notes == "Erste Zeile\nZweite Zeile, berichtigt"
    assert Decision.get_by_id(decision.id).text == "Anders"


def test_a_text_both_corrected_is_marked_only_beside_the_conflict(app, people, ids):
    url = f"/sitzungen/{ids['published']}/korrektur"
    notes = f"notes-{ids['published_item']}"
    alice, bob = two(app, people["coordinator"])
    form_a, form_b = page_form(alice, url), page_form(bob, url)
    assert alice.post(url, data=form_a.data(**{notes: "Von A", "reason": "Wort"})).status_code == 303
    clash = bob.post(url, data=form_b.data(**{notes: "Von B", "reason": "Wort"}))
    html = clash.get_data(as_text=True)
    assert clash.status_code == 409 and "Auch inzwischen korrigiert" in html
    assert form_posting_to(html, url, url).value(notes).strip() == "Von B"
    no_reason = bob.post(url, data=form_posting_to(html, url, url).data(reason=""))
    assert no_reason.status_code == 422 and "Auch inzwischen korrigiert" not in no_reason.get_data(as_text=True)


# (action, input, what must be in the form again)
# Each message stands beside its field, which points to it and, the first refused, takes the focus.
REFUSED_ADDS = {
    "action item": ("/sitzungen/top/{item}/aufgaben",
                    {"what": "Elternbrief übersetzen <NOJS-123>", "person": "{member}", "due_on": "2026-02-31"},
                    ['value="Elternbrief übersetzen &lt;NOJS-123&gt;"',
                     'name="due_on" value="2026-02-31" aria-invalid="true" aria-describedby="action-{item}-due_on-error"'
                     ' autofocus><p class="kern-error" id="action-{item}-due_on-error">',
                     '<option value="{member}" selected>']),
    "decision": ("/sitzungen/top/{item}/beschluesse", {"text": "Beschluss " + "lang " * 2000},
                 ['name="text" rows="2" required aria-invalid="true" aria-describedby="decision-{item}-text-error" autofocus>'
                  'Beschluss lang lang', '<p class="kern-error" id="decision-{item}-text-error">']),
    "agenda item": ("/sitzungen/{draft}/top", {"title": "Ein Punkt " + "x" * 400},
                    ['value="Ein Punkt xxx', 'aria-describedby="item-title-error" autofocus>'
                     '<p class="kern-error" id="item-title-error">']),
}


@pytest.mark.parametrize("case, values, kept", [
    ("gaeste", {"name": "Frau Dr. Ayşe Yılmaz", "organisation": "Gesundheitsamt " + "x" * 300},
     ['value="Frau Dr. Ayşe Yılmaz"', "Bitte höchstens 200 Zeichen."]),
    ("anmerkungen", {"body": "Meine lange Anmerkung " + "sehr " * 1200}, ["Meine lange Anmerkung sehr", "Bitte höchstens 5000 Zeichen."]),
])
def test_a_refused_guest_or_remark_comes_back_with_what_was_typed(client_as, ids, case, values, kept):
    """Was: back to the page with "Bitte den Namen angeben" whatever was wrong, the input gone."""
    client = client_as("coordinator")
    action = f"/sitzungen/{ids['draft']}/{case}"
    form = page_form(client, f"/sitzungen/{ids['draft']}", action)
    remarks = MinutesComment.select().where(MinutesComment.meeting == ids["draft"]).count()
    before = minutes_state(ids["draft"])
    response = client.post(action, data=form.data(**values))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for expected in kept:
        assert expected in html, expected
    assert minutes_state(ids["draft"]) == before
    assert MinutesComment.select().where(MinutesComment.meeting == ids["draft"]).count() == remarks


@pytest.mark.parametrize("htmx", [False, True], ids=["plain form", "htmx"])
@pytest.mark.parametrize("case", REFUSED_ADDS)
def test_refused_input_to_an_add_form_stays_in_it(client_as, ids, case, htmx):
    """Without JavaScript the page comes again (422), not a redirect that drops what was typed;
    with htmx the agenda, its message taking the focus. Nothing is added."""
    action, values, kept = REFUSED_ADDS[case]
    action = action.format(**ids)
    headers = HX if htmx else {}
    client = client_as("coordinator")
    form = page_form(client, f"/sitzungen/{ids['draft']}", action, headers=headers)
    before = minutes_state(ids["draft"])
    response = client.post(action, data=form.data(**{k: v.format(**ids) for k, v in values.items()}), headers=headers)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="agenda"') == htmx
    assert 'id="agenda-error"' not in html  # nothing above the agenda, several screens away on a phone
    for expected in kept:
        assert expected.format(**ids) in html, expected
    assert html.count('aria-invalid="true"') == 1 and html.count(" autofocus") == 1  # only the refused field
    message = html[html.index('<p class="kern-error"'):]
    assert re.search(r"<strong>Fehler:</strong> (Bitte höchstens|Dieses Datum ist nicht lesbar)", message[:message.index("</p>")])
    assert minutes_state(ids["draft"]) == before


# --- refusals ---------------------------------------------------------------------------------

PUBLISHED_MESSAGE = "Das Protokoll ist veröffentlicht und kann nur noch über eine Korrektur geändert werden."

# (page, action, changes, htmx, status): a change to the draft whose minutes get published between
# the permission check and the write.
LATE_CHANGES = {
    "add item in place": ("/sitzungen/{draft}", "/sitzungen/{draft}/top", {"title": "Zu spät"}, True, 409),
    "add decision": ("/sitzungen/{draft}", "/sitzungen/top/{item}/beschluesse", {"text": "Zu spät"}, False, 409),
    "add action in place": ("/sitzungen/{draft}", "/sitzungen/top/{item}/aufgaben",
                            {"what": "Zu spät", "person": "{member}"}, True, 409),
    "delete item in place": ("/sitzungen/{draft}", "/sitzungen/top/{item}/loeschen", {"bestaetigt": "1"}, True, 409),
    "edit item": ("/sitzungen/top/{item}/bearbeiten", None, {"title": "Zu spät"}, False, 409),
    "edit decision in place": ("/sitzungen/beschluesse/{decision}/bearbeiten", None, {"text": "Zu spät"}, True, 409),
    "edit action": ("/sitzungen/aufgaben/{action}/bearbeiten", None, {"what": "Zu spät"}, False, 409),
    "edit meeting": ("/sitzungen/{draft}/bearbeiten", None, {"title": "Zu spät"}, False, 409),
    "attendance": ("/sitzungen/{draft}", "/sitzungen/{draft}/anwesenheit", {"status-{member}": "present"}, False, 409),
    "guest": ("/sitzungen/{draft}", "/sitzungen/{draft}/gaeste", {"name": "Zu spät"}, False, 409),
}


def minutes_state(meeting_id):
    meeting = Meeting.get_by_id(meeting_id)
    return (meeting.title, [i.title for i in workflow.agenda(meeting)],
            sorted(d.text for d in Decision.select().where(Decision.meeting == meeting_id)),
            sorted(a.what for a in ActionItem.select().where(ActionItem.meeting == meeting_id)),
            sorted(g.name for g in Guest.select().where(Guest.meeting == meeting_id)),
            sorted((a.person_id, a.status or "") for a in Attendance.select().where(Attendance.meeting == meeting_id)))


@pytest.mark.parametrize("case", LATE_CHANGES)
def test_minutes_published_meanwhile_refuse_the_change(client_as, people, ids, monkeypatch, case):
    from fh_intranet.meetings import views

    page, action, changes, htmx, status = LATE_CHANGES[case]
    page = page.format(**ids)
    action = (action or page).format(**ids)
    headers = HX if htmx else {}
    client = client_as("coordinator")
    form = page_form(client, page, action, headers=headers)
    check = views.authorize

    def someone_publishes_right_after_the_check(name, obj=None):
        check(name, obj)
        if name == "meeting.edit" and Meeting.get_by_id(ids["draft"]).state == "draft":
            workflow.publish(Meeting.get_by_id(ids["draft"]), people["coordinator"])

    monkeypatch.setattr(views, "authorize", someone_publishes_right_after_the_check)
    before = minutes_state(ids["draft"])
    response = client.post(action, data=form.data(**{k.format(**ids): v.format(**ids) for k, v in changes.items()}),
                           headers=headers)
    assert response.status_code == status
    shown = response.get_data(as_text=True) if status == 409 else client.get(response.location).get_data(as_text=True)
    assert PUBLISHED_MESSAGE in shown
    assert Meeting.get_by_id(ids["draft"]).state == "published"
    assert minutes_state(ids["draft"]) == before, "nothing was added to the published minutes"
    if htmx and action.endswith(("/top", "/aufgaben", "/loeschen")):
        assert shown.lstrip().startswith('<section id="agenda"'), "the agenda stays, with the message"


# (role, page, action, typed input, htmx): a form opened on the draft, sent after the minutes were
# published. The view checks who may (the role) and leaves the state to the workflow.
TYPED_WHILE_PUBLISHED = {
    "add item in place": ("coordinator", "/sitzungen/{draft}", "/sitzungen/{draft}/top",
                          {"title": "Raumfrage für den Herbst klären"}, True),
    "add item": ("coordinator", "/sitzungen/{draft}", "/sitzungen/{draft}/top",
                 {"title": "Raumfrage für den Herbst klären"}, False),
    "add decision": ("coordinator", "/sitzungen/{draft}", "/sitzungen/top/{item}/beschluesse",
                     {"text": "Die Lotsinnen erhalten\nmehr Stunden."}, False),
    "add action in place": ("coordinator", "/sitzungen/{draft}", "/sitzungen/top/{item}/aufgaben",
                            {"what": "Flyer in drei Sprachen drucken", "person": "{member}"}, True),
    "item notes": ("coordinator", "/sitzungen/top/{item}/bearbeiten", None,
                   {"notes": "Lange Notizen aus der Sitzung, eine Stunde geschrieben."}, False),
    "remark": ("member", "/sitzungen/{draft}", "/sitzungen/{draft}/anmerkungen",
               {"body": "Bitte TOP 2 um die Zahlen des Jugendamts ergänzen."}, False),
    "guest": ("coordinator", "/sitzungen/{draft}", "/sitzungen/{draft}/gaeste",
              {"name": "Frau Dr. Ayşe Yılmaz", "organisation": "Gesundheitsamt Auental"}, False),
}


@pytest.mark.parametrize("case", TYPED_WHILE_PUBLISHED)
def test_what_was_typed_while_the_minutes_were_published_is_not_lost(client_as, people, ids, case):
    """Was: 403 „Kein Zugriff“ and the text gone, because the view's rule also asked for a draft."""
    role, page, action, typed, htmx = TYPED_WHILE_PUBLISHED[case]
    page, action = page.format(**ids), (action or page).format(**ids)
    headers = HX if htmx else {}
    client = client_as(role)
    form = page_form(client, page, action, headers=headers)
    workflow.publish(Meeting.get_by_id(ids["draft"]), people["coordinator"])
    before = minutes_state(ids["draft"])
    typed = {name: value.format(**ids) for name, value in typed.items()}
    response = client.post(action, data=form.data(**typed), headers=headers)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert PUBLISHED_MESSAGE in html
    text = next(value for name, value in typed.items() if name != "person")
    assert str(escape(text)) in html, "the typed text is shown again"
    assert minutes_state(ids["draft"]) == before
    assert MinutesComment.select().where(MinutesComment.body == text).count() == 0


def test_an_edit_form_of_published_minutes_says_why_it_is_closed(client_as, ids):
    """Was: „Kein Zugriff – Sie haben keine Berechtigung“ for the coordinator, who has it."""
    for url in (f"/sitzungen/top/{ids['published_item']}/bearbeiten", f"/sitzungen/{ids['published']}/bearbeiten"):
        response = client_as("coordinator").get(url)
        assert response.status_code == 409 and PUBLISHED_MESSAGE in response.get_data(as_text=True), url
        assert client_as("member").get(url).status_code == 403, url
    # nor is a removal asked about first, to be refused after "Ja, entfernen"
    for url in (f"/sitzungen/top/{ids['published_item']}/loeschen", f"/sitzungen/aufgaben/{ids['published_action']}/loeschen"):
        question = submit(client_as("coordinator"), f"/sitzungen/{ids['published']}", action=url)
        assert question.status_code == 409 and PUBLISHED_MESSAGE in question.get_data(as_text=True), url


def test_a_cancelled_meetings_form_says_it_is_cancelled(client_as, body, people):
    meeting = make_meeting(body, "Abgesagte Sitzung", starts=datetime(2030, 1, 1, 10, 0))
    workflow.cancel_meeting(meeting, people["coordinator"])
    response = client_as("coordinator").get(f"/sitzungen/{meeting.id}/bearbeiten")
    assert response.status_code == 409 and "Die Sitzung ist abgesagt." in response.get_data(as_text=True)


def test_a_cancelled_meetings_exports_say_it_is_cancelled(client_as, body, people, tmp_path):
    from .test_anonymisation import pdf_text

    meeting = make_meeting(body, "Abgesagte Sitzung", starts=datetime(2030, 1, 1, 10, 0))
    workflow.cancel_meeting(meeting, people["coordinator"])
    member = client_as("member")
    text = pdf_text(member.get(f"/sitzungen/{meeting.id}/pdf").data, tmp_path)
    assert "Abgesagt: Diese Sitzung findet nicht statt." in text
    assert "Entwurf" not in text and "Anwesenheit" not in text, "nor a draft, nor an empty attendance heading"
    [event] = Calendar.from_ical(member.get(f"/sitzungen/{meeting.id}/termin.ics").data).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED" and str(event["summary"]).startswith("Abgesagt: Abgesagte Sitzung")


def test_a_partner_still_may_not_write_to_a_draft(client_as, ids):
    """The state is the workflow's; who may act is still the view's."""
    client = client_as("partner")
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").get_data(as_text=True)).group(1)
    for action in (f"/sitzungen/{ids['draft']}/anmerkungen", f"/sitzungen/{ids['draft']}/top"):
        assert client.post(action, data={"csrf_token": token, "body": "x", "title": "x"}).status_code == 403


def test_workflow_refusals_carry_their_reason(meetings, people):
    draft, published = meetings["draft"], meetings["published"]
    with pytest.raises(workflow.Refused) as refused:
        workflow.correct(draft, people["coordinator"], "Grund", {}, {})
    assert refused.value.reason is workflow.NOT_PUBLISHED
    with pytest.raises(workflow.Refused) as refused:
        workflow.correct(published, people["coordinator"], "  ", {}, {})
    assert refused.value.reason is workflow.NO_CORRECTION_REASON
    with pytest.raises(workflow.Refused) as refused:
        workflow.publish(published, people["coordinator"])
    assert refused.value.reason is workflow.ALREADY_PUBLISHED
    with pytest.raises(workflow.Refused) as refused:
        workflow.add_agenda_item(published, "Nachträglich")
    assert refused.value.reason is workflow.MINUTES_PUBLISHED
    action = ActionItem.get(ActionItem.meeting == draft)
    workflow.delete_action(action)
    with pytest.raises(workflow.Refused) as refused:
        workflow.set_done(action, True, people["coordinator"], expected_version=1)
    assert refused.value.reason is workflow.ACTION_GONE


def test_refusal_messages_live_with_the_rules(app):
    from fh_intranet.changes import REASONS, Reason
    from fh_intranet.meetings import views

    assert not hasattr(views, "REFUSALS"), "views show refused.message; no per-view translation table"
    ours = [value for value in vars(workflow).values() if isinstance(value, Reason)]
    assert len(ours) >= 9
    with app.test_request_context():
        for why in ours:
            assert REASONS[why.code] is why and why.code.split(".")[0] in ("minutes", "meetings", "bodies")
            assert why.text(state="offen").endswith("."), why.code


def test_a_body_name_is_taken_once(client_as, body):
    client = client_as("coordinator")
    taken = submit(client, "/gremien/neu", {"name": body.name, "kind": "working_group"})
    assert taken.status_code == 409 and "Ein Gremium mit diesem Namen gibt es schon." in taken.get_data(as_text=True)
    other = workflow.create_body("AG Sprache", "working_group", "")
    renamed = submit(client, f"/gremien/{other.id}/bearbeiten", {"name": body.name, "kind": "working_group",
                                                                  "version": "1"})
    assert renamed.status_code == 409 and "Ein Gremium mit diesem Namen gibt es schon." in renamed.get_data(as_text=True)
    assert Body.get_by_id(other.id).name == "AG Sprache"


# --- double submits -------------------------------------------------------------------------------

# (page, action, values, model, role, htmx)
CREATE_FORMS = {
    "meeting": ("/sitzungen/neu?gremium={body}", None, {"title": "Doppelt", "starts_at": "2027-02-01T14:00",
                                                       "ends_at": "2027-02-01T16:00"}, Meeting, "coordinator", False),
    "body": ("/gremien/neu", None, {"name": "AG Doppelklick"}, Body, "coordinator", False),
    "agenda item": ("/sitzungen/{draft}", "/sitzungen/{draft}/top", {"title": "TOP doppelt"}, AgendaItem,
                    "coordinator", False),
    "agenda item in place": ("/sitzungen/{draft}", "/sitzungen/{draft}/top", {"title": "TOP doppelt"}, AgendaItem,
                             "coordinator", True),
    "decision": ("/sitzungen/{draft}", "/sitzungen/top/{item}/beschluesse", {"text": "Beschluss doppelt"}, Decision,
                 "coordinator", True),
    "action item": ("/sitzungen/{draft}", "/sitzungen/top/{item}/aufgaben",
                    {"what": "Aufgabe doppelt", "person": "{member}"}, ActionItem, "coordinator", False),
    "guest": ("/sitzungen/{draft}", "/sitzungen/{draft}/gaeste", {"name": "Gast doppelt"}, Guest, "coordinator", False),
    "comment": ("/sitzungen/{draft}", "/sitzungen/{draft}/anmerkungen", {"body": "Anmerkung doppelt"},
                MinutesComment, "member", False),
}


@pytest.mark.parametrize("name", CREATE_FORMS)
def test_the_same_create_form_sent_twice_creates_once(client_as, ids, name):
    page, action, values, model, role, htmx = CREATE_FORMS[name]
    page = page.format(**ids)
    action = (action or page).format(**ids)
    headers = HX if htmx else {}
    client = client_as(role)
    form = page_form(client, page, action)
    assert form.value("form_token"), "the create form carries a one-time token"
    data = form.data(**{key: value.format(**ids) for key, value in values.items()})
    before = model.select().count()
    first, second = client.post(action, data=data, headers=headers), client.post(action, data=data, headers=headers)
    assert first.status_code in (200, 303) and second.status_code == first.status_code
    assert second.headers.get("Location") == first.headers.get("Location"), "the second answers like the first"
    assert model.select().count() == before + 1
    # a new page (a new token) creates again: the token, not the content, tells a double submit
    again = page_form(client, page, action)
    first_key = next(iter(values))
    data = again.data(**{key: value.format(**ids) + (" 2" if key == first_key else "") for key, value in values.items()})
    assert client.post(action, data=data, headers=headers).status_code == first.status_code
    assert model.select().count() == before + 2


def test_renewing_the_calendar_address_twice_with_one_button_renews_once(client, client_as, people):
    member = client_as("member")
    form = page_form(member, "/kalender/", "/kalender/neu")
    first_token = CalendarFeed.get(CalendarFeed.person == people["member"]).token
    assert member.post("/kalender/neu", data=form.data()).status_code == 303
    renewed = CalendarFeed.get(CalendarFeed.person == people["member"]).token
    assert member.post("/kalender/neu", data=form.data()).status_code == 303  # the double click
    assert CalendarFeed.get(CalendarFeed.person == people["member"]).token == renewed != first_token
    assert AuditEvent.select().where(AuditEvent.action == "calendar_feed.reset").count() == 1
    assert client.get(f"/kalender/{renewed}.ics").status_code == 200
    # the page now shows the new address; its button renews again
    member.post("/kalender/neu", data=page_form(member, "/kalender/", "/kalender/neu").data())
    assert CalendarFeed.get(CalendarFeed.person == people["member"]).token != renewed


# --- rules that read before they write, under concurrent requests -------------------------------

def test_a_change_in_flight_is_published_with_the_minutes(app, meetings, people):
    """ensure_editable locks the meeting: publishing waits for a change that passed the check."""
    draft, item = meetings["draft"], meetings["draft_item"]
    checked = threading.Event()

    def change():
        with write_transaction():
            workflow.ensure_editable(draft)
            checked.set()
            time.sleep(0.5)  # publishing is asked for now
            return Decision.create(meeting=draft, agenda_item=item, text="Kurz vor Veröffentlichung").id

    def publish():
        assert checked.wait(timeout=30)
        return workflow.publish(draft, people["coordinator"])

    decision_id, published = at_once(app, change, publish)
    assert not isinstance(decision_id, Exception) and not isinstance(published, Exception), (decision_id, published)
    assert Decision.get_by_id(decision_id).number is not None, "the change landed before publishing, numbered"
    assert "Kurz vor Veröffentlichung" in MinutesRevision.get(MinutesRevision.meeting == draft).snapshot


def test_simultaneous_agenda_items_get_their_own_positions(app, meetings):
    draft = meetings["draft"]
    results = at_once(app, *[lambda n=n: workflow.add_agenda_item(draft, f"TOP {n}") for n in range(6)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(i.position for i in workflow.agenda(draft)) == list(range(1, 8))


def test_simultaneous_publishing_publishes_once(app, meetings, people):
    draft = meetings["draft"]
    results = at_once(app, *[lambda: workflow.publish(draft, people["coordinator"]) for _ in range(3)])
    refused = [r for r in results if isinstance(r, workflow.Refused)]
    assert len(refused) == 2 and all(r.reason is workflow.ALREADY_PUBLISHED for r in refused), results
    assert MinutesRevision.select().where(MinutesRevision.meeting == draft).count() == 1
    assert Notification.select().where(Notification.object_id == draft.id, Notification.kind == "minutes.published").count() == 2
    assert sorted(d.label for d in Decision.select()) == ["2026/01", "2026/02"]


def test_cancelling_and_publishing_at_once_does_one_of_them(app, body, people):
    """Publishing checked only for published minutes under its lock: a meeting called off meanwhile
    was published as well (told „abgesagt“, then „Protokoll veröffentlicht“, its decisions numbered)."""
    for _ in range(3):
        meeting = make_meeting(body, "Bald", starts=datetime.utcnow() + timedelta(days=9))
        results = at_once(app, lambda m=meeting: workflow.cancel_meeting(m, people["coordinator"]),
                          lambda m=meeting: workflow.publish(m, people["coordinator"]))
        refused = [r for r in results if isinstance(r, workflow.Refused)]
        assert len(refused) == 1, results
        state = Meeting.get_by_id(meeting.id).state
        revisions = MinutesRevision.select().where(MinutesRevision.meeting == meeting).count()
        assert (state, revisions) in (("cancelled", 0), ("published", 1))
    stale = make_meeting(body, "Abgesagt, auf einer alten Seite", starts=datetime.utcnow() + timedelta(days=9))
    workflow.cancel_meeting(Meeting.get_by_id(stale.id), people["coordinator"])
    with pytest.raises(workflow.Refused) as refused:
        workflow.publish(stale, people["coordinator"])
    assert refused.value.reason is workflow.MEETING_CANCELLED and Meeting.get_by_id(stale.id).state == "cancelled"


def test_simultaneous_corrections_of_one_revision_keep_one(app, meetings, people):
    published, item = meetings["published"], meetings["published_item"]
    results = at_once(app, *[lambda n=n: workflow.correct(published, people["coordinator"], f"Grund {n}",
                                                          {item.id: f"Text {n}"}, {}, based_on="1") for n in range(4)])
    revisions = [r for r in results if isinstance(r, MinutesRevision)]
    conflicts = [r for r in results if isinstance(r, workflow.EditConflict)]
    assert len(revisions) == 1 and len(conflicts) == 3, results
    assert all(c.version == 2 for c in conflicts)
    assert [r.number for r in MinutesRevision.select().where(MinutesRevision.meeting == published)
            .order_by(MinutesRevision.number)] == [1, 2]
    assert AgendaItem.get_by_id(item.id).notes == f"Text {revisions[0].reason[-1]}"


def test_simultaneous_ticks_of_one_version_tick_once(app, meetings, people):
    action = ActionItem.get(ActionItem.meeting == meetings["published"])
    results = at_once(app, *[lambda p=p: workflow.set_done(action, True, p, expected_version="1")
                             for p in (people["member"], people["coordinator"], people["member"])])
    refused = [r for r in results if isinstance(r, workflow.Refused)]
    # the coordinator's click, or both of the member's if the coordinator was first, meet the change;
    # the member's second click after their own tick is their double click, answered as done
    assert refused and all(r.reason is workflow.ACTION_CHANGED for r in refused), results
    stored = ActionItem.get_by_id(action.id)
    assert len(refused) == (1 if stored.done_by_id == people["member"].id else 2), results
    assert stored.version == 2


def test_simultaneous_attendance_saves_of_one_version_keep_one(app, meetings, people):
    draft, member = meetings["draft"], people["member"]
    results = at_once(app, *[lambda s=s: workflow.set_attendance(draft, {member.id: s}, expected_version="1")
                             for s in ("present", "excused", "absent")])
    conflicts = [r for r in results if isinstance(r, workflow.EditConflict)]
    assert len(conflicts) == 2, results
    assert Meeting.get_by_id(draft.id).attendance_version == 2


def test_simultaneous_calendar_requests_never_fail(app, people):
    member = people["member"]
    calls = [lambda: workflow.calendar_feed(member)] * 4 + [lambda: workflow.reset_feed(member)] * 4
    results = at_once(app, *calls)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert CalendarFeed.select().where(CalendarFeed.person == member).count() == 1


# --- migration m0009 -------------------------------------------------------------------------

def test_m0009_adds_versions_to_a_database_holding_minutes(tmp_path):
    """Existing decisions, action items and attendance lists start at version 1; nothing is lost."""
    from fh_intranet import migrations

    from .test_migrations import empty_database

    with empty_database(tmp_path) as db:
        migrations.upgrade(db, target="m0008_submissions")
        true = "true" if isinstance(db, peewee.PostgresqlDatabase) else "1"
        false = "false" if true == "true" else "0"
        person = "(SELECT id FROM person WHERE email = 'ada@example.org')"
        meeting = "(SELECT id FROM meeting WHERE title = 'Alt')"
        item = "(SELECT id FROM agenda_item WHERE title = 'TOP alt')"
        for sql in [
            "INSERT INTO person (name, email, function, role, active, locale, session_token, created_at, version) "
            f"VALUES ('Ada', 'ada@example.org', '', 'member', {true}, 'de', 'tok', '2026-01-05 10:00:00', 1)",
            "INSERT INTO body (name, kind, description, archived, created_at, version) "
            f"VALUES ('AG Alt', 'working_group', '', {false}, '2026-01-05 10:00:00', 3)",
            "INSERT INTO meeting (body_id, kind, title, starts_at, ends_at, place, state, created_at, version) "
            "VALUES ((SELECT id FROM body WHERE name = 'AG Alt'), 'session', 'Alt', '2026-01-06 10:00:00', "
            "'2026-01-06 12:00:00', '', 'draft', '2026-01-05 10:00:00', 2)",
            f"INSERT INTO agenda_item (meeting_id, position, title, notes, version) VALUES ({meeting}, 1, 'TOP alt', '', 1)",
            f"INSERT INTO decision (meeting_id, agenda_item_id, text, created_at) VALUES ({meeting}, {item}, "
            "'Beschluss', '2026-01-06 11:00:00')",
            "INSERT INTO action_item (meeting_id, agenda_item_id, what, person_id, created_at) "
            f"VALUES ({meeting}, {item}, 'Aufgabe', {person}, '2026-01-06 11:00:00')",
            f"INSERT INTO attendance (meeting_id, person_id, status) VALUES ({meeting}, {person}, 'present')",
        ]:
            db.execute_sql(sql)
        assert "m0009_meeting_versions" in migrations.upgrade(db)
        assert db.execute_sql("SELECT text, version FROM decision").fetchall() == [("Beschluss", 1)]
        assert db.execute_sql("SELECT what, version FROM action_item").fetchall() == [("Aufgabe", 1)]
        assert db.execute_sql("SELECT version, attendance_version FROM meeting WHERE title = 'Alt'").fetchall() == [(2, 1)]
        assert db.execute_sql("SELECT status FROM attendance").fetchall() == [("present",)]
        assert db.execute_sql("SELECT title FROM agenda_item").fetchall() == [("TOP alt",)]


def test_a_new_meeting_starts_from_the_meetings_list(client_as, body, client):
    """The list offers "Neue Sitzung" with the body to choose (a plain GET form); without a body
    the address asks for one instead of answering 404."""
    coordinator = client_as("coordinator")
    listing = coordinator.get("/sitzungen/").get_data(as_text=True)
    form = next(f for f in forms_of(listing, "/sitzungen/") if f.action == "/sitzungen/neu")
    assert form.method == "GET" and "gremium" in form.names
    page = coordinator.get("/sitzungen/neu", query_string={"gremium": str(body.id)})
    assert page.status_code == 200 and body.name in page.get_data(as_text=True)
    chooser = coordinator.get("/sitzungen/neu")
    assert chooser.status_code == 200 and "Welches Gremium trifft sich?" in chooser.get_data(as_text=True)
    assert "Neue Sitzung für" not in client_as("member").get("/sitzungen/").get_data(as_text=True)


def test_a_missing_start_is_named_as_missing_not_as_invalid(client_as, body):
    """Was: „Bitte ein gültiges Datum wählen.“ for a field left empty."""
    coordinator = client_as("coordinator")
    url = f"/sitzungen/neu?gremium={body.id}"
    form = form_posting_to(coordinator.get(url).get_data(as_text=True), url, url)
    response = coordinator.post(url, data=form.data(title="Herbstsitzung", starts_at="", ends_at="2027-02-01T16:00"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    error = html[html.index('id="starts_at-error"'):]
    assert "Bitte füllen Sie dieses Feld aus." in error[:error.index("</p>")]
    typo = coordinator.post(url, data=form.data(title="Herbstsitzung", starts_at="2027-02-31T14:00",
                                                ends_at="2027-02-01T16:00")).get_data(as_text=True)
    assert "Datum und Uhrzeit sind nicht lesbar. Bitte zum Beispiel 15.03.2027, 14:00 angeben." in typo[typo.index('id="starts_at-error"'):]
