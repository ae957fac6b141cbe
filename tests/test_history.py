"""History from the audit events: on each object's page (who, when, what; a link to the comparison
for text changes) and the coordinator's whole log with filters, paging and a CSV for Excel."""
import csv
import io
import json
import re
from datetime import datetime, timedelta

import pytest

from fh_intranet import audit, csvexport
from fh_intranet.agreements import workflow as agreements
from fh_intranet.audit import AuditEvent
from fh_intranet.db import utcnow, write_transaction
from fh_intranet.meetings import workflow as meetings
from fh_intranet.people import workflow as people_workflow
from fh_intranet.people.models import Person
from fh_intranet.topics import workflow as topics

from .agreement_fixtures import make_agreement
from .meeting_fixtures import make_meeting


def history_section(html: str) -> str:
    start = html.find('id="changes-heading"')
    return "" if start < 0 else html[start:html.find("</section>", start)]


def test_agreement_history_names_each_change_and_links_text_changes(people, client_as):
    coordinator, member = people["coordinator"], people["member"]
    agreement = make_agreement(coordinator, "consultation", title="Kooperation Auental")
    agreements.add_comment(agreement, agreements.latest_version(agreement), anchor="s-1-ziele", heading="§ 1 Ziele",
                           body="Bitte ergänzen.", author=member)
    agreement = agreements.Agreement.get_by_id(agreement.id)
    agreements.change_state(agreement, "draft", coordinator)
    agreement = agreements.Agreement.get_by_id(agreement.id)
    agreements.save_version(agreement, base_number=1, text="Neuer Text", change_note="Kommentare eingearbeitet",
                            author=coordinator)
    agreements.edit_details(agreement, version=agreement.version, title="Kooperation Auental 2026",
                            kind="cooperation", review_by=None, actor=coordinator)
    section = history_section(client_as("member").get(f"/vereinbarungen/{agreement.id}").get_data(as_text=True))
    for text in ("Vereinbarung angelegt", "Status der Vereinbarung geändert", "Entwurf → In Kommentierung",
                 "In Kommentierung → Entwurf", "Kommentar geschrieben", "Neue Fassung gespeichert",
                 "Fassung 2: Kommentare eingearbeitet", "Angaben der Vereinbarung geändert", "Geändert: Titel",
                 coordinator.name, member.name):
        assert text in section, text
    assert f'href="/vereinbarungen/{agreement.id}/vergleich?von=1&amp;bis=2"' in section
    # newest first
    assert section.index("Angaben der Vereinbarung geändert") < section.index("Vereinbarung angelegt")


def test_partners_see_no_history_and_members_no_persons_history(people, client_as, organisation):
    adopted = make_agreement(people["coordinator"], "adopted")
    assert history_section(client_as("partner").get(f"/vereinbarungen/{adopted.id}").get_data(as_text=True)) == ""
    assert history_section(client_as("partner").get(f"/organisationen/{organisation.id}").get_data(as_text=True)) == ""
    people_workflow.update_person(people["partner"], people["partner"].version, name="Paula Partner",
                                  email=people["partner"].email, organisation_id=None, function="",
                                  role="partner", actor=people["coordinator"])
    page = f"/personen/{people['partner'].id}"
    assert history_section(client_as("member").get(page).get_data(as_text=True)) == ""
    section = history_section(client_as("coordinator").get(page).get_data(as_text=True))
    assert "Angaben der Person geändert" in section and "Geändert: Name, Organisation" in section


def test_meeting_history_keeps_removed_parts_and_links_corrections(people, client_as, body):
    coordinator = people["coordinator"]
    meeting = make_meeting(body, "Sitzung im Mai")
    gone = meetings.add_agenda_item(meeting, "Wird gestrichen", actor=coordinator)
    item = meetings.add_agenda_item(meeting, "Bericht", actor=coordinator)
    meetings.add_decision(item, "Wir beschließen.", actor=coordinator)
    meetings.delete_agenda_item(gone, actor=coordinator)
    meetings.publish(meeting, coordinator)
    meetings.correct(meeting, coordinator, "Tippfehler", {item.id: "Korrigierte Notiz"}, {})
    section = history_section(client_as("member").get(f"/sitzungen/{meeting.id}").get_data(as_text=True))
    for text in ("Sitzung angelegt", "Tagesordnungspunkt hinzugefügt", "Wird gestrichen", "Tagesordnungspunkt entfernt",
                 "Beschluss eingetragen", "Protokoll veröffentlicht", "Protokoll korrigiert", "Fassung 2: Tippfehler"):
        assert text in section, text
    assert f'href="/sitzungen/{meeting.id}/fassungen/2"' in section


def test_meeting_history_shows_workshop_outputs_also_after_they_are_deleted(people, client_as, body):
    from fh_intranet.workshops import workflow as workshops

    coordinator, member = people["coordinator"], people["member"]
    meeting = make_meeting(body, "Fachtag")
    other = make_meeting(body, "Andere Sitzung")
    table = workshops.create_workshop(meeting, title="Übergänge Kita", host_id=None, actor=coordinator)
    output = workshops.add_output(table, text="Ergebnis", uploads=[], author=member)
    workshops.delete_output(workshops.Output.get_by_id(output.id), coordinator)
    section = history_section(client_as("member").get(f"/sitzungen/{meeting.id}").get_data(as_text=True))
    for action in ("workshop.created", "output.added", "output.deleted"):
        assert AuditEvent.get(AuditEvent.action == action).context_id == meeting.id
    for text in ("Thementisch angelegt", "Ergebnis eingetragen", "Ergebnis gelöscht"):
        assert text in section, text
    elsewhere = history_section(client_as("member").get(f"/sitzungen/{other.id}").get_data(as_text=True))
    assert "Thementisch angelegt" not in elsewhere and "Ergebnis" not in elsewhere


def test_topic_body_and_organisation_pages_show_their_history(people, client_as, body, organisation):
    coordinator = people["coordinator"]
    topic = topics.propose_topic(title="Elterncafé", proposer=people["member"])
    topics.toggle_archived(topic, topic.version, coordinator)
    meetings.update_body(body, body.version, name="Steuerungsgruppe Auental", kind="steering_group",
                         description="", actor=coordinator)
    people_workflow.update_organisation(organisation, organisation.version, {
        "name": organisation.name, "sector": "day_care", "address": "Am Markt 1", "contact_name": "",
        "contact_email": "", "contact_phone": ""}, actor=coordinator)
    member = client_as("member")
    assert "Thema archiviert" in history_section(member.get(f"/themen/{topic.id}").get_data(as_text=True))
    body_section = history_section(member.get(f"/gremien/{body.id}").get_data(as_text=True))
    assert "Gremium geändert" in body_section and "Geändert: Name" in body_section
    org_section = history_section(member.get(f"/organisationen/{organisation.id}").get_data(as_text=True))
    assert "Organisation geändert" in org_section and "Geändert: Anschrift, Bereich" in org_section


def test_a_long_history_shows_the_newest_of_the_object_and_its_parts_and_counts_all(people, client_as, body):
    """The newest 20 of a meeting's own events and its parts' events, in time order across both,
    and how many there are in all."""
    from fh_intranet.db import utcnow
    from fh_intranet.history.queries import SHOWN_ON_PAGE, history_of

    coordinator = people["coordinator"]
    meeting = make_meeting(body, "Lange Sitzung")
    item = meetings.add_agenda_item(meeting, "Punkt", actor=coordinator)
    start = utcnow() - timedelta(days=100)
    AuditEvent.update(created_at=start).execute()  # what making them recorded comes first
    for day in range(30):  # alternating: the meeting itself on even days, its agenda item on odd ones
        event = record("meeting.updated" if day % 2 == 0 else "agenda_item.updated",
                       meeting if day % 2 == 0 else item, actor=coordinator, at=start + timedelta(days=day + 1))
        assert event.context_id == (None if day % 2 == 0 else meeting.id)
    events, total = history_of(meeting)
    assert total == AuditEvent.select().where(
        ((AuditEvent.object_type == "Meeting") & (AuditEvent.object_id == meeting.id))
        | ((AuditEvent.context_type == "Meeting") & (AuditEvent.context_id == meeting.id))).count() >= 32
    assert len(events) == SHOWN_ON_PAGE
    assert [e.created_at for e in events] == [start + timedelta(days=day + 1) for day in range(29, 9, -1)]
    section = history_section(client_as("member").get(f"/sitzungen/{meeting.id}").get_data(as_text=True))
    assert f"Die 20 neuesten von {total} Einträgen." in section


# --- the coordinator's log -------------------------------------------------------------------------

def record(action, obj=None, *, actor=None, at=None, **details):
    with write_transaction():
        event = audit.record(action, obj, actor=actor, **details)
    if at is not None:
        AuditEvent.update(created_at=at).where(AuditEvent.id == event.id).execute()
    return event


@pytest.fixture
def log(people, organisation):
    coordinator, member = people["coordinator"], people["member"]
    record("organisation.updated", organisation, actor=coordinator, at=datetime(2026, 3, 2, 9, 0),
           changes={"address": ["", "Am Markt 1"]})
    record("topic.proposed", None, actor=member, at=datetime(2026, 3, 20, 9, 0), title="Übergänge")
    record("agenda_item.added", None, actor=coordinator, at=datetime(2026, 4, 1, 9, 0), title="=HYPERLINK(\"x\")")
    record("login", member, actor=member, at=datetime(2026, 4, 2, 9, 0), session=7,
           token="geheimes-token-123", password_hash="scrypt$geheim")
    record("person.updated", member, actor=coordinator, at=datetime(2026, 4, 3, 9, 0),
           changes={"name": ["Alt", "Neu"], "password_hash": ["scrypt$geheim-alt", "scrypt$geheim-neu"]})
    return people


def rows(query, people, client_as):
    html = client_as("coordinator").get(f"/protokoll/{query}").get_data(as_text=True)
    start = html.find("<tbody")
    return html[start:html.find("</tbody>", start)] if start >= 0 else ""


def test_log_filters_by_person_kind_object_and_period(log, client_as, organisation):
    people = log
    everything = rows("", people, client_as)
    assert everything.count("<tr") == 5
    by_member = rows(f"?person={people['member'].id}", people, client_as)
    assert by_member.count("<tr") == 2 and "Thema vorgeschlagen" in by_member and "Angemeldet" in by_member
    assert rows("?aktion=topic.proposed", people, client_as).count("<tr") == 1
    assert rows("?aktion=organisation.", people, client_as).count("<tr") == 1  # a whole area
    by_object = rows(f"?objektart=Organisation&objekt={organisation.id}", people, client_as)
    assert by_object.count("<tr") == 1 and "Geändert: Anschrift" in by_object
    march = rows("?von=2026-03-01&bis=2026-03-31", people, client_as)
    assert march.count("<tr") == 2 and "Angemeldet" not in march
    # reversed bounds are read the right way round; a day typed as shown (TT.MM.JJJJ) is read too
    assert rows("?von=2026-03-31&bis=2026-03-01", people, client_as).count("<tr") == 2
    assert rows("?von=01.03.2026&bis=31.03.2026", people, client_as).count("<tr") == 2
    # nonsense in the other filters is ignored
    assert rows("?person=abc&objekt=-1", people, client_as).count("<tr") == 5


UNREADABLE = "Dieses Datum ist nicht lesbar. Bitte zum Beispiel 15.03.2027 angeben."


@pytest.mark.parametrize("query, field, message, shown", [
    ("?von=gestern&bis=2026-03-31", "von", UNREADABLE, 2),
    ("?von=2026-04-01&bis=2026-02-30", "bis", UNREADABLE, 3),
    ("?von=0001-01-01&bis=2026-03-31", "von", "Bitte ein Datum zwischen 1900 und 2200 angeben.", 2),
    ("?von=2026-04-01&bis=incomplete:2026-03-31", "bis",
     "Das Datum ist nicht vollständig. Bitte Tag, Monat und Jahr angeben.", 3),
    ("?objekt=abc", "objekt", "Bitte die Nummer eines Objekts in Ziffern angeben, zum Beispiel 12.", 5),
    ("?objekt=0", "objekt", "Bitte die Nummer eines Objekts in Ziffern angeben, zum Beispiel 12.", 5),
])
def test_a_period_the_log_cannot_read_is_named_beside_its_field(log, client_as, query, field, message, shown):
    """Dropped without a word, it listed every change as if no period (or object) had been asked
    for. The other bound still filters."""
    html = client_as("coordinator").get(f"/protokoll/{query}").get_data(as_text=True)
    error = html[html.index(f'<p class="kern-error" id="{field}-error">'):]
    assert message in error[:error.index("</p>")]
    field_tag = re.search(rf'<input[^>]*\bid="{field}"[^>]*>', html).group()
    assert 'aria-invalid="true"' in field_tag and f'aria-describedby="{field}-error"' in field_tag
    assert html.count('aria-invalid="true"') == 1
    assert rows(query, log, client_as).count("<tr") == shown


def test_every_change_the_app_records_is_named_in_words(demo_data):
    """The log offered „notifications.preferences_changed“ as a kind of change, and its rows said so."""
    from pathlib import Path

    from fh_intranet.history.describe import ACTIONS, OBJECT_TYPES

    source = "\n".join(path.read_text() for path in Path(audit.__file__).parent.rglob("*.py"))
    recorded = set(re.findall(r'audit\.record\(\s*"([a-z_.]+)"', source)) - {"thing.changed"}  # a docstring's example
    assert len(recorded) > 60
    assert not recorded - set(ACTIONS)
    recorded_on = {row.object_type for row in AuditEvent.select(AuditEvent.object_type).distinct()}
    assert not recorded_on - set(OBJECT_TYPES) - {""}


def test_the_log_names_its_objects_not_only_their_numbers(people, client_as, body):
    """„Person 3“ and „Tagesordnungspunkt 12“ said nothing to the coordination reading the log."""
    meeting = make_meeting(body, "Herbstsitzung")
    kept = meetings.add_agenda_item(meeting, "Bericht der Kita Sonnenhof", actor=people["coordinator"])
    gone = meetings.add_agenda_item(meeting, "Entfällt", actor=people["coordinator"])
    meetings.delete_agenda_item(gone, actor=people["coordinator"])
    html = rows("?objektart=AgendaItem", people, client_as)
    cell = re.compile(r'data-label="Objekt"><a [^>]*>Tagesordnungspunkt (\d+)</a>(?:<br>([^<]*))?</td>')
    named = {int(number): name for number, name in cell.findall(html)}
    assert named == {kept.id: "Bericht der Kita Sonnenhof", gone.id: ""}, "a deleted one by its number alone"


def test_a_change_of_notification_settings_says_which_in_words(people, client_as):
    from fh_intranet.notifications import workflow as notifications

    member = people["member"]
    notifications.save_preferences(member, {"consultation.opened": "off"})
    html = client_as("coordinator").get("/protokoll/?aktion=notifications.preferences_changed").get_data(as_text=True)
    assert "Benachrichtigungen eingestellt" in html
    assert "Geändert: Kommentierung einer Vereinbarung eröffnet" in html and "consultation.opened" not in html


def test_the_logs_export_ignores_a_period_it_cannot_read(log, client_as):
    body = client_as("coordinator").get("/protokoll/export.csv?von=gestern").get_data(as_text=True)
    assert len(body.strip().splitlines()) == 6


def test_log_pages(people, client_as):
    start = utcnow() - timedelta(days=1)
    for n in range(55):
        record("topic.updated", None, actor=people["member"], at=start + timedelta(minutes=n), changes=["title"])
    client = client_as("coordinator")
    first = client.get("/protokoll/").get_data(as_text=True)
    assert "55 Änderungen – Seite 1 von 2" in first and 'href="/protokoll/?seite=2"' in first
    second = client.get("/protokoll/?seite=2").get_data(as_text=True)
    assert second[second.find("<tbody"):].count("<tr") == 5
    assert client.get("/protokoll/?seite=999").status_code == 200


def test_log_csv_for_german_excel_without_secrets_or_formulas(log, client_as):
    response = client_as("coordinator").get("/protokoll/export.csv?von=2026-01-01")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert table[0] == ["Zeitpunkt", "Person", "Änderung", "Code", "Objektart", "Objekt-Nr.", "Zusammenfassung", "Details"]
    assert len(table) == 6 and all(len(row) == 8 for row in table)
    updated = next(row for row in table if row[3] == "person.updated")
    assert updated[6] == "Geändert: Name" and "Neu" in updated[7]
    assert json.loads(updated[7])["changes"]["name"][1].startswith("Neu"), "details as JSON, readable by any tool"
    login = next(row for row in table if row[3] == "login")
    assert login[0] == "02.04.2026 11:00:00"  # Berlin time
    assert login[2] == "Angemeldet" and login[1] == log["member"].name
    assert "geheim" not in body and "token" not in body and "password" not in body
    formula = next(row for row in table if row[3] == "agenda_item.added")
    assert formula[6].startswith("'=")
    only_member = client_as("coordinator").get(f"/protokoll/export.csv?person={log['member'].id}").get_data(as_text=True)
    assert len(list(csv.reader(io.StringIO(only_member[1:]), delimiter=";"))) == 3


def test_log_csv_gives_times_in_details_in_berlin_time_as_its_time_column(people, client_as):
    """audit.record keeps times as stored (UTC); the export's „Zeitpunkt“ is Berlin time, and the
    details beside it said 13:00 for a meeting set to 14:00."""
    record("meeting.updated", None, actor=people["coordinator"], at=datetime(2026, 11, 2, 9, 0),
           changes={"starts_at": [datetime(2026, 11, 18, 13, 0), datetime(2027, 7, 29, 7, 30)]}, due_on="2026-12-01")
    body = client_as("coordinator").get("/protokoll/export.csv").get_data(as_text=True)
    [row] = [row for row in csv.reader(io.StringIO(body[1:]), delimiter=";") if row[3] == "meeting.updated"]
    assert row[0] == "02.11.2026 10:00:00"
    assert json.loads(row[7]) == {"changes": {"starts_at": ["2026-11-18T14:00:00+01:00", "2027-07-29T09:30:00+02:00"]},
                                  "due_on": "2026-12-01"}


def test_a_long_log_csv_is_streamed_whole_in_the_readers_language(log, client_as, monkeypatch):
    # Rows of a long export are written after the request has ended: its words must be settled before.
    Person.update(locale="en").where(Person.id == log["coordinator"].id).execute()
    client = client_as("coordinator")
    answered_at_once = client.get("/protokoll/export.csv").get_data(as_text=True)
    monkeypatch.setattr(csvexport, "STREAM_CHUNK_ROWS", 2)  # every log counts as long
    response = client.get("/protokoll/export.csv")
    assert response.is_streamed
    streamed = response.get_data(as_text=True)
    assert streamed == answered_at_once
    table = list(csv.reader(io.StringIO(streamed[1:]), delimiter=";"))
    assert table[0][:3] == ["Time", "Person", "Change"] and len(table) == 1 + AuditEvent.select().count()
    login = next(row for row in table if row[3] == "login")
    assert login[2] == "Logged in" and login[1] == log["member"].name
    address = next(row for row in table if row[3] == "organisation.updated")
    assert address[2] == "Organisation changed" and address[6] == "Changed: Address"
    assert "geheim" not in streamed


def test_log_page_never_shows_secrets(log, client_as):
    html = client_as("coordinator").get("/protokoll/").get_data(as_text=True)
    assert "geheim" not in html


@pytest.mark.parametrize("role", ["member", "partner"])
def test_only_the_coordinator_reads_the_log(client_as, people, role):
    client = client_as(role)
    assert client.get("/protokoll/").status_code == 403
    assert client.get("/protokoll/export.csv").status_code == 403
    assert "/protokoll/" not in client.get("/").get_data(as_text=True)
    assert 'href="/protokoll/"' in client_as("coordinator").get("/").get_data(as_text=True)
