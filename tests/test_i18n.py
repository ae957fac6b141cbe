"""German by default, English per person; dates in Europe/Berlin."""
from datetime import datetime

from fh_intranet.people.models import Person

from .conftest import submit


def test_german_is_the_default(client):
    text = client.get("/anmelden").get_data(as_text=True)
    assert '<html lang="de" data-kern-theme="light">' in text and "Zum Inhalt springen" in text and "Passwort vergessen?" in text


def test_a_person_chooses_english_and_keeps_it(app, client_as, people):
    client = client_as("member")
    response = submit(client, "/konto/", {"locale": "en", "next": "/konto/"}, action="/sprache")
    assert response.status_code == 303 and response.location == "/konto/"
    assert Person.get_by_id(people["member"].id).locale == "en"
    text = client.get("/konto/").get_data(as_text=True)
    assert '<html lang="en" data-kern-theme="light">' in text and "My account" in text and "Skip to content" in text
    assert "Mein Konto" not in text
    # the choice belongs to the person: a new session of theirs is English too
    assert "My account" in app.test_client(user=Person.get_by_id(people["member"].id)).get("/konto/").get_data(as_text=True)
    # and the others stay German
    assert "Mein Konto" in client_as("partner").get("/konto/").get_data(as_text=True)


def test_anonymous_visitor_can_switch_language(client):
    submit(client, "/anmelden", {"locale": "en"}, action="/sprache")
    text = client.get("/anmelden").get_data(as_text=True)
    assert '<html lang="en" data-kern-theme="light">' in text and "Forgotten your password?" in text


def test_error_messages_follow_the_language(client_as):
    client = client_as("partner")
    assert "Kein Zugriff" in client.get("/personen/").get_data(as_text=True)
    submit(client, "/konto/", {"locale": "en"}, action="/sprache")
    assert "Kein Zugriff" not in client.get("/personen/").get_data(as_text=True)


def test_times_are_shown_in_berlin_time(client_as, people):
    # 30 March 2026 07:30 UTC is 09:30 in Berlin (summer time since 29 March)
    Person.update(last_login_at=datetime(2026, 3, 30, 7, 30)).where(Person.id == people["member"].id).execute()
    text = client_as("member").get("/konto/").get_data(as_text=True)
    assert "09:30" in text and "07:30" not in text


def test_templates_follow_a_locale_forced_within_a_request(app):
    """A mail in its recipient's language is rendered inside someone else's request; the templates'
    translations (looked up once per request) must follow the forced locale and then return."""
    from flask import render_template_string
    from flask_babel import force_locale

    template = "{{ _('Abbrechen') }} / {{ ngettext('%(num)d Aufgabe', '%(num)d Aufgaben', 2) }}"
    with app.test_request_context():
        assert render_template_string(template) == "Abbrechen / 2 Aufgaben"
        with force_locale("en"):
            assert render_template_string(template) == "Cancel / 2 action items"
        assert render_template_string(template) == "Abbrechen / 2 Aufgaben"
