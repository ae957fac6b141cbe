"""The accessibility statement (BITV 2.0): open to everyone, linked from every page, with a
feedback form that works without login, is CSRF-protected and throttled, and reaches the
coordination (stored, notified, mailed through the outbox)."""
import re

import pytest

from fh_intranet.accessibility.models import AccessibilityFeedback
from fh_intranet.accessibility.workflow import PER_ADDRESS
from fh_intranet.notifications.models import Notification

from .html_forms import form_posting_to


def test_the_statement_is_public_and_linked_from_every_page(app, client, client_as):
    page = client.get("/barrierefreiheit/")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for heading in ("Stand der Vereinbarkeit", "Nicht barrierefreie Inhalte", "Erstellung dieser Erklärung",
                    "Barrieren melden", "Durchsetzungsverfahren"):
        assert heading in text
    assert "teilweise vereinbar" in text and "30.11.2026" in text and "axe-core" in text
    assert "Schlichtungsstelle nach dem Behindertengleichstellungsgesetz" in text
    for response in (client.get("/anmelden"), client_as("partner").get("/"), client_as("coordinator").get("/")):
        assert 'href="/barrierefreiheit/"' in response.get_data(as_text=True)


def test_the_enforcement_body_is_configurable(app, client):
    app.config["ACCESSIBILITY_ENFORCEMENT"] = "Landesbeauftragte für Menschen mit Behinderungen, Musterstraße 1"
    app.config["ACCESSIBILITY_CONTACT"] = "Telefon 01234 56789"
    text = client.get("/barrierefreiheit/").get_data(as_text=True)
    assert "Landesbeauftragte für Menschen mit Behinderungen, Musterstraße 1" in text
    assert "Telefon 01234 56789" in text


def send(client, **values):
    form = form_posting_to(client.get("/barrierefreiheit/").get_data(as_text=True), "/barrierefreiheit/")
    return client.post("/barrierefreiheit/", data=form.data(**values))


def test_feedback_without_login_reaches_the_coordination(client, people, mail_sink):
    answer = send(client, message="Die Plus-Knöpfe beim Abstimmen sind auf dem Handy zu klein.",
                  page="Abstimmung", name="Erika Muster", email="erika@example.org")
    assert answer.status_code == 303 and answer.location.endswith("/barrierefreiheit/#rueckmeldung")
    assert "Ihre Rückmeldung ist bei der Netzwerkkoordination angekommen" in client.get(answer.location).get_data(
        as_text=True)
    feedback = AccessibilityFeedback.get()
    assert (feedback.page, feedback.name, feedback.email, feedback.person_id) == (
        "Abstimmung", "Erika Muster", "erika@example.org", None)
    told = {n.person_id for n in Notification.select().where(Notification.kind == "accessibility.feedback")}
    assert told == {people["coordinator"].id}
    mails = [m for m in mail_sink if people["coordinator"].email in m["To"]]
    assert mails and "Barrierefreiheit" in mails[0]["Subject"]
    assert not [m for m in mail_sink if people["member"].email in m["To"] or people["partner"].email in m["To"]]


def test_the_coordinator_reads_the_feedback(client, client_as, people):
    send(client, message="Der Kalender-Link ist für Screenreader unklar.")
    page = client_as("coordinator").get("/barrierefreiheit/rueckmeldungen").get_data(as_text=True)
    assert "Der Kalender-Link ist für Screenreader unklar." in page and "ohne Namen und Adresse" in page


def test_empty_or_invalid_feedback_is_refused_next_to_the_field(client):
    answer = send(client, message="  ", email="keine-adresse")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert re.search(r'id="message-error"[^>]*>.*Bitte füllen Sie dieses Feld aus', text, re.S)
    assert re.search(r'id="email-error"[^>]*>.*gültige E-Mail-Adresse', text, re.S)
    assert 'value="keine-adresse"' in text  # what was typed stays
    assert not AccessibilityFeedback.select().exists()


def test_feedback_needs_the_csrf_token(app, client):
    token_free = client.post("/barrierefreiheit/", data={"message": "Ohne Token"})
    assert token_free.status_code == 400
    assert not AccessibilityFeedback.select().exists()


def test_feedback_is_throttled_per_address(client):
    for number in range(PER_ADDRESS):
        assert send(client, message=f"Rückmeldung {number}").status_code == 303
    flood = send(client, message="Noch eine")
    assert flood.status_code == 429
    assert "viele Rückmeldungen" in flood.get_data(as_text=True)
    assert AccessibilityFeedback.select().count() == PER_ADDRESS


@pytest.mark.parametrize("role", ["partner", "member"])
def test_only_the_coordination_reads_the_feedback_list(client_as, role):
    assert client_as(role).get("/barrierefreiheit/rueckmeldungen").status_code == 403

