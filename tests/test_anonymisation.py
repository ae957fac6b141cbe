"""Anonymising a departed person: pages and PDFs stay readable under "ehemaliges Mitglied N",
login and mail reach the person no more, and the refusals (oneself, twice) say why."""
import shutil
import subprocess
from datetime import date

import pytest
from pypdf import PdfReader

from fh_intranet.agreements import workflow as agreements_workflow
from fh_intranet.audit import AuditEvent
from fh_intranet.auth.models import AccountToken, LoginFailure, LoginSession
from fh_intranet.auth.tokens import issue
from fh_intranet.auth.workflow import wait_for_background_work
from fh_intranet.db import write_transaction
from fh_intranet.meetings import workflow as meetings_workflow
from fh_intranet.meetings.models import BodyMember, CalendarFeed
from fh_intranet.notifications.models import Notification
from fh_intranet.pdf_cache import RenderedPdf
from fh_intranet.people import workflow as people_workflow
from fh_intranet.people.models import Person
from fh_intranet.topics import workflow as topics_workflow

from .conftest import PASSWORD, submit
from .meeting_fixtures import make_meeting

OLD_NAME, OLD_EMAIL = "Clara Neumann", "clara.neumann@example.org"


def pdf_text(pdf: bytes, tmp_path) -> str:
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        path = tmp_path / "download.pdf"
        path.write_bytes(pdf)
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                              capture_output=True).stdout.decode()
    import io

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def clara(make_person, organisation, body, people, agreements, meetings, rounds, topics):
    """A member who took part in everything, then left the network."""
    clara = make_person("member", name=OLD_NAME, email=OLD_EMAIL, organisation=organisation)
    BodyMember.create(body=body, person=clara)
    coordinator = people["coordinator"]
    consultation = agreements["consultation"]
    version = agreements_workflow.latest_version(consultation)
    root = agreements_workflow.add_comment(consultation, version, anchor="s-1-ziele", heading="§ 1 Ziele",
                                           body="Claras Frage zu den Zielen", author=clara)
    agreements_workflow.add_comment(consultation, version, anchor="s-1-ziele", heading="§ 1 Ziele",
                                    body="Antwort an Clara", author=coordinator, parent=root)
    agreements_workflow.record_signature(agreements["adopted"], organisation, signer_name=OLD_NAME,
                                         signer_function="Leitung", signed_on=date(2026, 6, 2), accession=False,
                                         recorded_by=coordinator)
    meeting = make_meeting(body, "Sitzung mit Clara")
    item = meetings_workflow.add_agenda_item(meeting, "Berichte")
    meetings_workflow.add_action(item, "Claras Aufgabe", clara, date(2026, 5, 1))
    meetings_workflow.add_minutes_comment(meeting, "Claras Anmerkung", clara)
    meetings_workflow.publish(meeting, coordinator)
    topics_workflow.change_points(rounds["open"], clara, topics[0].id, 1)
    people_workflow.update_person(clara, clara.version, name=OLD_NAME, email=OLD_EMAIL,
                                  organisation_id=organisation.id, function="Familienhebamme", role="member",
                                  actor=coordinator)
    CalendarFeed.create(person=clara)
    with write_transaction():
        issue(clara, AccountToken.PASSWORD_RESET)
    return {"person": Person.get_by_id(clara.id), "meeting": meeting}


def anonymise(client, person_id, confirm=True):
    data = {"confirm": "y"} if confirm else {}
    return submit(client, f"/personen/{person_id}/anonymisieren", data)


def test_anonymisation_needs_the_confirmation(client_as, people, clara):
    coordinator = client_as("coordinator")
    page = coordinator.get(f"/personen/{clara['person'].id}/anonymisieren")
    assert page.status_code == 200 and "Was gelöscht wird" in page.get_data(as_text=True)
    refused = anonymise(coordinator, clara["person"].id, confirm=False)
    assert refused.status_code == 422 and "Bitte bestätigen Sie" in refused.get_data(as_text=True)
    assert Person.get_by_id(clara["person"].id).name == OLD_NAME


def test_anonymised_person_is_gone_from_login_and_mail_but_the_record_stays_readable(
        app, client, client_as, people, clara, agreements, body, mail_sink, tmp_path):
    person = clara["person"]
    her_browser = client_as(person)
    assert her_browser.get("/").status_code == 200
    events_by_her = AuditEvent.select().where(AuditEvent.actor == person.id).count()
    # PDFs downloaded before are kept: they must not keep her name (they did)
    for url in (f"/vereinbarungen/{agreements['adopted'].id}/pdf", f"/sitzungen/{clara['meeting'].id}/pdf"):
        assert OLD_NAME in pdf_text(client_as("member").get(url).data, tmp_path)
    assert RenderedPdf.select().count() == 2

    response = anonymise(client_as("coordinator"), person.id)
    assert response.status_code == 303
    after = Person.get_by_id(person.id)
    assert after.name == "ehemaliges Mitglied 1"
    assert after.email.endswith("@anonymisiert.invalid") and OLD_EMAIL not in after.email
    assert not after.active and after.function == "" and after.organisation_id is None and after.is_anonymised

    # login: her browser is out, the old address and password open nothing
    assert her_browser.get("/").status_code == 302
    assert LoginSession.select().where(LoginSession.person == person.id).count() == 0
    assert AccountToken.select().where(AccountToken.person == person.id).count() == 0
    assert CalendarFeed.select().where(CalendarFeed.person == person.id).count() == 0
    attempt = submit(client, "/anmelden", {"email": OLD_EMAIL, "password": PASSWORD}, action="/anmelden")
    assert attempt.status_code == 422 and client.get("/").status_code == 302
    attempt = submit(client, "/anmelden", {"email": after.email, "password": PASSWORD}, action="/anmelden")
    assert attempt.status_code == 422
    assert LoginFailure.select().count() >= 1  # the attempts just made count, hers from before are gone

    # mail and notifications: nothing is addressed to her any more
    assert Notification.select().where(Notification.person == person.id).count() == 0
    submit(client, "/passwort-vergessen", {"email": OLD_EMAIL})
    wait_for_background_work()
    later = make_meeting(body, "Spätere Sitzung")
    meetings_workflow.publish(later, people["coordinator"])
    assert Notification.select().where(Notification.person == person.id).count() == 0
    told = {n.person_id for n in Notification.select().where(Notification.object_type == "Meeting",
                                                              Notification.object_id == later.id,
                                                              Notification.kind == "minutes.published")}
    others = {m.person_id for m in BodyMember.select().where(BodyMember.body == body.id)}
    assert told == others - {person.id, people["coordinator"].id}  # the others, never the one publishing
    assert not [m for m in mail_sink if OLD_EMAIL in str(m["To"]) or "anonymisiert" in str(m["To"])]
    reinvite = submit(client_as("coordinator"), f"/personen/{person.id}",
                      {"form_token": "x"}, action=f"/personen/{person.id}/einladung")
    assert reinvite.status_code == 303
    assert not [m for m in mail_sink if OLD_EMAIL in str(m["To"]) or "anonymisiert" in str(m["To"])]

    # the record: pages and PDFs show the pseudonym wherever her name stood, with the content
    member = client_as("member")
    consultation = member.get(f"/vereinbarungen/{agreements['consultation'].id}").get_data(as_text=True)
    assert "ehemaliges Mitglied 1" in consultation and "Claras Frage zu den Zielen" in consultation
    assert "Antwort an Clara" in consultation and OLD_NAME not in consultation
    meeting_page = member.get(f"/sitzungen/{clara['meeting'].id}").get_data(as_text=True)
    assert "Claras Aufgabe" in meeting_page and "ehemaliges Mitglied 1" in meeting_page
    assert OLD_NAME not in meeting_page
    actions = member.get("/aufgaben/").get_data(as_text=True)
    assert "Claras Aufgabe" in actions and OLD_NAME not in actions

    agreement_pdf = pdf_text(member.get(f"/vereinbarungen/{agreements['adopted'].id}/pdf").data, tmp_path)
    assert "ehemaliges Mitglied 1" in agreement_pdf and "Familienzentrum Lindenhof" in agreement_pdf
    assert OLD_NAME not in agreement_pdf
    minutes_pdf = pdf_text(member.get(f"/sitzungen/{clara['meeting'].id}/pdf").data, tmp_path)
    assert "Claras Aufgabe" in minutes_pdf and "ehemaliges Mitglied 1" in minutes_pdf
    assert OLD_NAME not in minutes_pdf
    assert all(OLD_NAME not in pdf_text(bytes(row.data), tmp_path) for row in RenderedPdf.select())

    # the audit log keeps who did what, under the new name, and quotes neither old name nor address
    assert AuditEvent.select().where(AuditEvent.actor == person.id).count() == events_by_her
    assert AuditEvent.get(AuditEvent.action == "person.anonymised").object_id == person.id
    assert not AuditEvent.select().where(AuditEvent.details.contains(OLD_EMAIL)).exists()
    assert not AuditEvent.select().where(AuditEvent.details.contains(OLD_NAME)).exists()
    people_page = client_as("coordinator").get(f"/personen/{person.id}").get_data(as_text=True)
    assert "Anonymisiert" in people_page and OLD_EMAIL not in people_page


def test_refusals_oneself_twice_and_coming_back(client_as, people, clara, make_person):
    coordinator = client_as("coordinator")
    itself = anonymise(coordinator, people["coordinator"].id)
    assert itself.status_code == 409 and "nicht selbst anonymisieren" in itself.get_data(as_text=True)
    assert Person.get_by_id(people["coordinator"].id).name == people["coordinator"].name

    assert anonymise(coordinator, clara["person"].id).status_code == 303
    page = coordinator.get(f"/personen/{clara['person'].id}/anonymisieren")
    assert page.status_code == 200 and "bereits anonymisiert" in page.get_data(as_text=True)
    twice = anonymise(coordinator, clara["person"].id)
    assert twice.status_code == 409 and "bereits anonymisiert" in twice.get_data(as_text=True)
    assert Person.get_by_id(clara["person"].id).name == "ehemaliges Mitglied 1"

    back = submit(coordinator, f"/personen/{clara['person'].id}", action=f"/personen/{clara['person'].id}/reaktivieren")
    assert back.status_code == 303 and not Person.get_by_id(clara["person"].id).active

    # the next one gets the next number, so threads keep telling people apart
    other = make_person("partner", name="Bernd Beispiel")
    assert anonymise(coordinator, other.id).status_code == 303
    assert Person.get_by_id(other.id).name == "ehemaliges Mitglied 2"


def test_the_last_coordinator_cannot_be_anonymised(app, people, make_person):
    from fh_intranet.changes import Refused
    from fh_intranet.people import anonymisation

    helper = make_person("member")
    with app.test_request_context():
        with pytest.raises(Refused) as refused:
            anonymisation.anonymise(people["coordinator"], actor=helper)
    assert refused.value.code == "people.last_coordinator"
