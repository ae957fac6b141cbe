"""German by default, English per person; dates in Europe/Berlin."""
from datetime import datetime

from fh_intranet.people.models import Person

from .conftest import PASSWORD, submit


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


def test_a_language_chosen_on_the_login_page_stays_after_the_login(app, people):
    member = people["member"]
    assert member.locale == "de"
    client = app.test_client()
    submit(client, "/anmelden", {"locale": "en"}, action="/sprache")
    response = submit(client, "/anmelden", {"email": member.email, "password": PASSWORD}, action="/anmelden")
    assert response.status_code == 303
    assert "My account" in client.get("/konto/").get_data(as_text=True)
    assert Person.get_by_id(member.id).locale == "en", "mails follow the choice too"
    # A login without a choice in that browser session keeps the saved language, whatever an older
    # cookie of this browser says.
    Person.update(locale="de").where(Person.id == member.id).execute()
    other = app.test_client()
    other.set_cookie("lang", "en")
    submit(other, "/anmelden", {"email": member.email, "password": PASSWORD}, action="/anmelden")
    assert "Mein Konto" in other.get("/konto/").get_data(as_text=True)
    assert Person.get_by_id(member.id).locale == "de"


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


def test_what_reaches_a_person_outside_their_session_is_in_their_language(app, client, client_as, people,
                                                                          organisation, mail_sink):
    """The calendar feed (fetched without a session), a page opened from a mail's link and an
    invitation speak the language of the person they are for, not the cookie's or the sender's."""
    from fh_intranet.meetings.workflow import calendar_feed
    from fh_intranet.notifications.preferences import unsubscribe_token

    from .test_invitations import invite

    member = people["member"]
    Person.update(locale="en").where(Person.id.in_([member.id, people["coordinator"].id])).execute()
    member = Person.get_by_id(member.id)
    with app.test_request_context():
        feed = calendar_feed(member)
        token = unsubscribe_token(member, ["minutes.published"])
    ics = client.get(f"/kalender/{feed.token}.ics").get_data(as_text=True)
    assert "NAME:FH-Intranet: meetings" in ics and "The meetings of your bodies" in ics, ics[:400]
    page = client.get(f"/benachrichtigungen/abbestellen/{token}").get_data(as_text=True)
    assert '<html lang="en"' in page and "Minutes published" in page
    assert invite(client_as("coordinator"), organisation).status_code == 303  # by an English coordinator
    assert mail_sink[-1]["Subject"].startswith("Einladung"), "the invited person's language: German by default"


def test_the_first_versions_note_is_said_in_the_readers_language(client_as, people):
    from .agreement_fixtures import make_agreement

    agreement = make_agreement(people["coordinator"], "consultation")  # a state change: the history shows
    assert agreement.versions[0].change_note == "", "nothing German stored for the app's own words"
    client = client_as("coordinator")
    assert ": Erste Fassung</li>" in client.get(f"/vereinbarungen/{agreement.id}").get_data(as_text=True)
    submit(client, "/konto/", {"locale": "en", "next": "/konto/"}, action="/sprache")
    page = client.get(f"/vereinbarungen/{agreement.id}").get_data(as_text=True)
    assert ": First version</li>" in page and "Erste Fassung" not in page


def test_an_english_reader_logs_out_into_an_english_login_page_and_sees_their_language(app, people):
    member = people["member"]
    Person.update(locale="en").where(Person.id == member.id).execute()
    client = app.test_client()
    submit(client, "/anmelden", {"email": member.email, "password": PASSWORD}, action="/anmelden")
    account = client.get("/konto/").get_data(as_text=True)
    assert '<dt>Language</dt><dd><span lang="en">English</span>' in account
    response = submit(client, "/konto/", action="/abmelden")
    assert response.status_code == 303
    page = client.get(response.location).get_data(as_text=True)
    assert '<html lang="en"' in page and "You have been logged out." in page
