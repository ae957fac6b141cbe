"""No passwords, tokens or mail bodies in the log: a realistic flow over real HTTP (the development
server, which logs every request line), with every logger of the app at DEBUG.

Only records of the test's own tools are left out: urllib3 (the `requests` client, which logs the
URLs it fetches) and aiosmtpd (the SMTP sink, which logs what it receives). Everything the app and
its server log is searched.
"""
import logging
import re
from urllib.parse import urlsplit

import requests

from fh_intranet.auth.workflow import wait_for_background_work
from fh_intranet.i18n import LOCALE_COOKIE
from fh_intranet.meetings.models import CalendarFeed
from fh_intranet.people.models import Person

from .conftest import PASSWORD, csrf_from, link_in
from .topic_fixtures import hidden

TEST_TOOLS = ("urllib3", "mail.log")
FIRST_PASSWORD, SECOND_PASSWORD, WRONG_PASSWORD = ("Lindenblüten-im-Juni-4", "Kastanienallee-bei-Nacht-8",
                                                   "Falsche-Fährte-am-Weiher-1")


def app_log(caplog) -> str:
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(formatter.format(record) for record in caplog.records
                     if not record.name.startswith(TEST_TOOLS))


class Browser:
    def __init__(self, base):
        self.base, self.http = base, requests.Session()

    def get(self, path):
        response = self.http.get(self.base + path, timeout=30)
        assert response.status_code < 500, response.text
        return response

    def post_form(self, page, data, action=None):
        html = self.get(page).text
        fields = {"csrf_token": csrf_from(html)}
        if 'name="form_token"' in html:
            fields["form_token"] = hidden(html, "form_token")
        response = self.http.post(self.base + (action or page), data={**fields, **data}, timeout=30)
        assert response.status_code < 500, response.text
        return response

    def log_in(self, email, password, remember=False):
        data = {"email": email, "password": password, **({"remember": "y"} if remember else {})}
        return self.post_form("/anmelden", data)


def path_of(link: str) -> str:
    return urlsplit(link).path


def body_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_log_of_a_realistic_flow_holds_no_secrets(app, live_server, people, member_comment, mail_sink, caplog):
    caplog.set_level(logging.DEBUG)
    coordinator = Browser(live_server)
    assert coordinator.log_in(people["coordinator"].email, WRONG_PASSWORD).status_code == 422
    assert coordinator.log_in(people["coordinator"].email, PASSWORD).url.endswith("/")

    # invitation: mailed, accepted with a first password
    coordinator.post_form("/personen/einladen", {"name": "Nora Neumeier", "email": "nora.neumeier@example.org",
                                                 "organisation": "", "function": "", "role": "member"})
    invitation_link = link_in(mail_sink[-1])
    newcomer = Browser(live_server)
    newcomer.post_form(path_of(invitation_link), {"password": FIRST_PASSWORD, "password_repeat": FIRST_PASSWORD})
    assert "Nora Neumeier" in newcomer.get("/konto/").text
    newcomer.post_form("/", {}, action="/abmelden")

    # password reset: mailed after the response, used once
    newcomer.post_form("/passwort-vergessen", {"email": "nora.neumeier@example.org"})
    wait_for_background_work()
    reset_link = link_in(mail_sink[-1])
    newcomer.post_form(path_of(reset_link), {"password": SECOND_PASSWORD, "password_repeat": SECOND_PASSWORD})
    phone = Browser(live_server)
    phone.log_in("nora.neumeier@example.org", SECOND_PASSWORD, remember=True)
    assert "Nora Neumeier" in phone.get("/konto/").text

    # a comment, and the calendar feed by its secret address
    member = Browser(live_server)
    member.log_in(people["member"].email, PASSWORD)
    reply = member.post_form(f"/vereinbarungen/kommentare/{member_comment.id}/antwort",
                             {"body": "Vertrauliche Antwort zur Zielgruppe"})
    assert reply.status_code == 200 and "Vertrauliche Antwort zur Zielgruppe" in reply.text
    feed = CalendarFeed.create(person=people["member"])
    assert member.get(f"/kalender/{feed.token}.ics").status_code == 200
    wait_for_background_work()

    log = app_log(caplog)
    assert "/anmelden" in log and "/einladung/***" in log  # the server's request lines are in it
    secrets = {
        "password": [PASSWORD, FIRST_PASSWORD, SECOND_PASSWORD, WRONG_PASSWORD],
        "invitation token": [path_of(invitation_link).rsplit("/", 1)[1]],
        "reset token": [path_of(reset_link).rsplit("/", 1)[1]],
        "calendar token": [feed.token],
        "password hash": [p.password_hash for p in Person.select() if p.password_hash],
        # every cookie but the language chosen („de“ is no secret, and part of many a word in the log)
        "cookie": [cookie.value for browser in (coordinator, newcomer, phone, member) for cookie in browser.http.cookies
                   if cookie.name != LOCALE_COOKIE],
    }
    secrets["session secret"] = [match for value in secrets["cookie"]
                                 for match in re.findall(r"s\d+\.([A-Za-z0-9_-]{20,})", value)]
    for kind, values in secrets.items():
        for value in values:
            assert value and value not in log, f"a {kind} is in the log"
    assert len(mail_sink) >= 2  # the invitation and the reset, and the notification mails of the flow
    for message in mail_sink:
        for line in body_of(message).splitlines():
            if len(line.strip()) >= 15:
                assert line.strip() not in log, "a mail body is in the log"
    assert "Vertrauliche Antwort zur Zielgruppe" not in log
