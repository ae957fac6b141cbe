"""Invitations and password resets: single-use links that expire, sent by real SMTP."""
import re
from datetime import timedelta
from urllib.parse import urlsplit

from fh_intranet.audit import AuditEvent
from fh_intranet.auth.models import AccountToken
from fh_intranet.auth.workflow import wait_for_background_work
from fh_intranet.db import utcnow
from fh_intranet.people.models import Person

from .conftest import csrf_from, link_in, submit
from .test_people import at_once, form_token_from, person_form, slowed

NEW_PASSWORD = "Wiesenweg-und-Kastanien-12"


def invite(coordinator_client, organisation, email="neu@example.org", role="member"):
    return submit(coordinator_client, "/personen/einladen", {
        "name": "Clara Neumann", "email": email, "organisation": str(organisation.id),
        "function": "Familienhebamme", "role": role,
    })


def path_of(link: str) -> str:
    return urlsplit(link).path


def request_reset(client, email):
    """Ask for a reset link and wait for its mail: it is sent after the response, in the background."""
    response = submit(client, "/passwort-vergessen", {"email": email})
    wait_for_background_work()
    return response


def test_invitation_by_mail_then_set_password_and_log_in(app, client_as, client, organisation, mail_sink):
    response = invite(client_as("coordinator"), organisation)
    assert response.status_code == 303
    person = Person.get(Person.email == "neu@example.org")
    assert person.role == "member" and person.password_hash is None and person.organisation_id == organisation.id
    assert len(mail_sink) == 1
    message = mail_sink[0]
    assert message["To"] == "neu@example.org"
    assert "Einladung" in message["Subject"]
    link = link_in(message)
    assert link.startswith(app.config["BASE_URL"])

    page = client.get(path_of(link))
    assert page.status_code == 200 and "Clara Neumann" in page.get_data(as_text=True)
    done = submit(client, path_of(link), {"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD})
    assert done.status_code == 303
    assert client.get("/").status_code == 200  # logged in right away
    assert Person.get_by_id(person.id).password_hash

    # single use: the same link is spent
    again = client.get(path_of(link))
    assert again.status_code == 410
    assert "abgelaufen oder wurde bereits verwendet" in again.get_data(as_text=True)
    actions = [e.action for e in AuditEvent.select().where(AuditEvent.object_id == person.id,
                                                          AuditEvent.object_type == "Person")]
    assert "person.invited" in actions and "invitation.accepted" in actions
    assert not any(link.rsplit("/", 1)[1] in e.details for e in AuditEvent.select())


def test_english_chosen_on_the_invitation_page_becomes_the_persons_language(client_as, client, organisation,
                                                                          mail_sink):
    invite(client_as("coordinator"), organisation)
    link = path_of(link_in(mail_sink[0]))
    submit(client, link, {"locale": "en", "next": link}, action="/sprache")
    page = client.get(link).get_data(as_text=True)
    assert '<html lang="en"' in page
    done = submit(client, link, {"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD})
    assert done.status_code == 303
    assert Person.get(Person.email == "neu@example.org").locale == "en", "mails follow the choice too"
    assert '<html lang="en"' in client.get("/").get_data(as_text=True)


def test_without_smtp_the_coordinator_sees_the_link_once(client_as, client, organisation):
    coordinator = client_as("coordinator")
    response = invite(coordinator, organisation)
    page = coordinator.get(response.location).get_data(as_text=True)
    assert "Einladungslink zum Weitergeben" in page
    link = page.split('class="secret-link">', 1)[1].split("<", 1)[0]
    assert "/einladung/" in link
    assert "Einladungslink zum Weitergeben" not in coordinator.get(response.location).get_data(as_text=True)
    assert client.get(path_of(link)).status_code == 200


def test_invitation_expires_after_seven_days(client_as, client, organisation, mail_sink):
    invite(client_as("coordinator"), organisation)
    link = link_in(mail_sink[0])
    token = AccountToken.get()
    assert timedelta(days=6, hours=23) < token.expires_at - token.created_at <= timedelta(days=7)
    AccountToken.update(expires_at=utcnow() - timedelta(seconds=1)).execute()
    assert client.get(path_of(link)).status_code == 410


def test_reinvite_replaces_the_old_link(client_as, client, organisation, mail_sink):
    coordinator = client_as("coordinator")
    invite(coordinator, organisation)
    person = Person.get(Person.email == "neu@example.org")
    submit(coordinator, f"/personen/{person.id}", action=f"/personen/{person.id}/einladung")
    first, second = link_in(mail_sink[0]), link_in(mail_sink[1])
    assert first != second
    assert client.get(path_of(first)).status_code == 410
    assert client.get(path_of(second)).status_code == 200


def test_invite_refuses_duplicate_email_in_german(client_as, organisation, people):
    response = invite(client_as("coordinator"), organisation, email=people["member"].email.upper())
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "Zu dieser E-Mail-Adresse gibt es schon einen Zugang." in text
    assert 'value="Clara Neumann"' in text  # the input stays in the form
    assert Person.select().count() == 3 and not AccountToken.select().exists()


def invite_form(client, organisation, email="neu@example.org") -> dict:
    page = client.get("/personen/einladen").get_data(as_text=True)
    return {"csrf_token": csrf_from(page), "form_token": form_token_from(page), "name": "Clara Neumann",
            "email": email, "organisation": str(organisation.id), "function": "Familienhebamme",
            "role": "member"}


def test_invitation_sent_twice_creates_one_person_and_one_mail(client_as, organisation, mail_sink):
    coordinator = client_as("coordinator")
    data = invite_form(coordinator, organisation)
    first = coordinator.post("/personen/einladen", data=data)
    second = coordinator.post("/personen/einladen", data=data)
    assert first.status_code == second.status_code == 303
    assert first.location == second.location
    assert Person.select().where(Person.email == "neu@example.org").count() == 1
    assert len(mail_sink) == 1 and AccountToken.select().count() == 1
    assert AuditEvent.select().where(AuditEvent.action == "person.invited").count() == 1
    page = coordinator.get(second.location).get_data(as_text=True)
    assert "nur einmal gesendet" in page


def test_invitation_sent_twice_at_once_creates_one_person_and_one_mail(app, client_as, people, organisation,
                                                                         mail_sink, monkeypatch):
    slowed(monkeypatch, "_refuse_taken_email")
    coordinator, other = client_as("coordinator"), app.test_client(user=people["coordinator"])
    data = invite_form(coordinator, organisation)
    other_csrf = csrf_from(other.get("/personen/einladen").get_data(as_text=True))
    responses = at_once(app, lambda: coordinator.post("/personen/einladen", data=data),
                        lambda: other.post("/personen/einladen", data={**data, "csrf_token": other_csrf}))
    assert [r.status_code for r in responses] == [303, 303]
    assert responses[0].location == responses[1].location
    assert Person.select().where(Person.email == "neu@example.org").count() == 1
    assert len(mail_sink) == 1 and AccountToken.select().count() == 1


def test_one_address_invited_by_two_forms_at_once_is_refused_once(app, client_as, people, organisation,
                                                                   mail_sink, monkeypatch):
    """Two coordinators invite the same address at the same moment: one person, one mail, and
    the other coordinator reads why (never a 500)."""
    slowed(monkeypatch, "_refuse_taken_email")
    clients = [client_as("coordinator"), app.test_client(user=people["coordinator"])]
    forms = [invite_form(client, organisation, email="NEU@example.org") for client in clients]
    responses = at_once(app, *[lambda c=client, f=form: c.post("/personen/einladen", data=f)
                          for client, form in zip(clients, forms, strict=True)])
    assert sorted(r.status_code for r in responses) == [303, 409]
    refused = next(r for r in responses if r.status_code == 409).get_data(as_text=True)
    assert "Zu dieser E-Mail-Adresse gibt es schon einen Zugang." in refused
    assert Person.select().where(Person.email == "neu@example.org").count() == 1
    assert len(mail_sink) == 1


def test_reinvite_clicked_twice_sends_one_mail(client_as, make_person, mail_sink):
    invited = make_person("member", accepted=False)
    coordinator = client_as("coordinator")
    page = coordinator.get(f"/personen/{invited.id}").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "form_token": form_token_from(page)}
    for _ in range(2):
        assert coordinator.post(f"/personen/{invited.id}/einladung", data=data).status_code == 303
    assert len(mail_sink) == 1
    assert AccountToken.select().where(AccountToken.person == invited.id).count() == 1
    assert AuditEvent.select().where(AuditEvent.action == "person.reinvited").count() == 1
    # the page shows a new token: a later click is a new invitation
    page = coordinator.get(f"/personen/{invited.id}").get_data(as_text=True)
    assert form_token_from(page) != data["form_token"]


def test_reinvite_is_refused_once_the_access_is_set_up(client_as, people, mail_sink):
    member = people["member"]
    coordinator = client_as("coordinator")
    response = submit(coordinator, f"/personen/{member.id}", action=f"/personen/{member.id}/einladung")
    assert response.status_code == 303
    page = coordinator.get(response.location).get_data(as_text=True)
    assert "Diese Person hat ihren Zugang schon eingerichtet oder ist deaktiviert." in page
    assert mail_sink == [] and not AccountToken.select().exists()


def test_invite_refuses_bad_input_with_german_messages(client_as):
    response = submit(client_as("coordinator"), "/personen/einladen",
                      {"name": "", "email": "kein-at-zeichen", "role": "member"})
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Bitte füllen Sie dieses Feld aus." in text
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein" in text
    assert 'aria-invalid="true"' in text and 'aria-describedby="email-error"' in text
    # the summary names each refused field and leads to it (on a phone it may be screens further down)
    summary = text[text.index('class="error-links"'):]
    summary = summary[:summary.index("</ul>")]
    links = re.findall(r'<a href="#([\w-]+)">([^<]+)</a>', summary)
    assert [name for _id, name in links] == ["Name", "E-Mail-Adresse"]
    assert all(f'id="{field_id}"' in text for field_id, _name in links)


def test_the_role_of_an_invited_person_is_chosen_never_preselected(client_as, organisation):
    """The list began with the coordination's role, preselected: an invitation sent without a look
    at it gave the new person every right."""
    from fh_intranet.people.models import Person

    from .html_forms import form_posting_to

    client = client_as("coordinator")
    form = form_posting_to(client.get("/personen/einladen").get_data(as_text=True), "/personen/einladen")
    assert form.value("role") is None, "no role ticked"
    data = form.data(name="Clara Neumann", email="clara@example.org", organisation=str(organisation.id))
    response = client.post("/personen/einladen", data=data)
    assert response.status_code == 422 and "Bitte wählen Sie die Rolle der Person." in response.get_data(as_text=True)
    assert not Person.select().where(Person.email == "clara@example.org").exists()
    assert client.post("/personen/einladen", data={**data, "role": ["partner"]}).status_code == 303
    assert Person.get(Person.email == "clara@example.org").role == "partner"


def test_password_reset_flow(app, client, people, mail_sink):
    member = people["member"]
    response = request_reset(client, member.email)
    assert response.status_code == 303
    assert len(mail_sink) == 1 and mail_sink[0]["To"] == member.email
    link = link_in(mail_sink[0])
    token = AccountToken.get()
    assert timedelta(minutes=59) < token.expires_at - token.created_at <= timedelta(hours=1)

    done = submit(client, path_of(link), {"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD})
    assert done.status_code == 303
    assert client.get(path_of(link)).status_code == 410
    from .test_auth import login, logout
    logout(client)
    assert login(client, member.email, NEW_PASSWORD).status_code == 303


def test_reset_never_reveals_whether_an_address_exists(client, people, mail_sink):
    known = request_reset(client, people["member"].email)
    unknown = request_reset(client, "gibtsnicht@example.org")
    assert known.status_code == unknown.status_code == 303
    assert known.location == unknown.location
    known_page = client.get(known.location).get_data(as_text=True)
    request_reset(client, "gibtsnicht@example.org")
    unknown_page = client.get("/anmelden").get_data(as_text=True)
    message = "Wenn zu dieser Adresse ein aktiver Zugang gehört"
    assert message in known_page and message in unknown_page
    assert len(mail_sink) == 1


def test_reset_link_expires_after_an_hour(client, people, mail_sink):
    request_reset(client, people["member"].email)
    AccountToken.update(expires_at=utcnow() - timedelta(seconds=1)).execute()
    assert client.get(path_of(link_in(mail_sink[0]))).status_code == 410


def test_reset_of_deactivated_person_sends_nothing(client, make_person, mail_sink):
    person = make_person("member", active=False)
    request_reset(client, person.email)
    assert mail_sink == []


def test_reset_ends_every_other_session(client, client_as, people, mail_sink):
    other_device = client_as("member")
    assert other_device.get("/").status_code == 200
    request_reset(client, people["member"].email)
    submit(client, path_of(link_in(mail_sink[0])), {"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD})
    assert other_device.get("/").status_code == 302


def test_set_password_form_sent_twice_spends_the_link_once(app, client, organisation, client_as, mail_sink):
    invite(client_as("coordinator"), organisation)
    path = path_of(link_in(mail_sink[0]))
    page = client.get(path).get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD}
    # A double click: both requests leave the browser with the cookie the page came with.
    second_click = app.test_client()
    second_click.set_cookie("session", client.get_cookie("session").value)
    first, second = client.post(path, data=data), second_click.post(path, data=data)
    assert first.status_code == 303
    assert second.status_code == 410
    assert "gerade eben festgelegt" in second.get_data(as_text=True)  # not alarming after a double click
    assert AuditEvent.select().where(AuditEvent.action == "invitation.accepted").count() == 1


def test_link_of_a_person_deactivated_meanwhile_sets_nothing(app, make_person):
    from fh_intranet.auth import tokens, workflow
    from fh_intranet.db import write_transaction

    person = make_person("member", accepted=False)
    with app.test_request_context():
        with write_transaction():
            raw = tokens.issue(person, AccountToken.INVITATION)
        found = tokens.find_valid(raw, AccountToken.INVITATION)
        Person.update(active=False).where(Person.id == person.id).execute()  # after the page was loaded
        assert workflow.set_password_with_token(found, NEW_PASSWORD) is None
    assert Person.get_by_id(person.id).password_hash is None
    assert AccountToken.get().used_at is None


def test_a_changed_address_ends_the_links_mailed_to_the_old_one(app, client_as, client, organisation, mail_sink):
    """A typo corrected in an invited person's address left the invitation to the wrong mailbox
    working: whoever read it set the password and had the account (also a reset link)."""
    coordinator = client_as("coordinator")
    invite(coordinator, organisation, email="c.neuman@example.org")
    person = Person.get(Person.email == "c.neuman@example.org")
    old_link = link_in(mail_sink[0])
    saved = submit(coordinator, f"/personen/{person.id}/bearbeiten", person_form(person, email="c.neumann@example.org"))
    assert saved.status_code == 303
    page = coordinator.get(saved.location).get_data(as_text=True)
    assert "Der Einladungslink an die bisherige Adresse gilt nicht mehr." in page
    assert client.get(path_of(old_link)).status_code == 410
    submit(coordinator, f"/personen/{person.id}", action=f"/personen/{person.id}/einladung")
    assert mail_sink[-1]["To"] == "c.neumann@example.org"
    accepted = submit(app.test_client(), path_of(link_in(mail_sink[-1])),
                      {"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD})
    assert accepted.status_code == 303

    request_reset(client, "c.neumann@example.org")  # a reset link ends with a change of address too
    assert mail_sink[-1]["Subject"].startswith("Passwort zurücksetzen")
    reset_link = link_in(mail_sink[-1])
    assert client.get(path_of(reset_link)).status_code == 200
    saved = submit(coordinator, f"/personen/{person.id}/bearbeiten",
                   person_form(Person.get_by_id(person.id), email="clara.neumann@example.org"))
    assert "Der Einladungslink" not in coordinator.get(saved.location).get_data(as_text=True)  # none was open
    assert client.get(path_of(reset_link)).status_code == 410


def test_mails_on_their_way_follow_the_changed_address_and_one_time_links_do_not(people):
    from fh_intranet.db import write_transaction
    from fh_intranet.notifications import outbox
    from fh_intranet.notifications.models import OutboxMail
    from fh_intranet.people import workflow

    member = people["member"]
    with write_transaction():
        sending = outbox.enqueue(member, "Wird gerade gesendet", "Text")
    assert [row.id for row in outbox.claim()] == [sending.id]  # a worker talks to the server now
    with write_transaction():
        news = outbox.enqueue(member, "Neuer Kommentar", "Text")
        reset = outbox.enqueue(member, "Passwort zurücksetzen", "Link", sensitive=True)
        other = outbox.enqueue(people["partner"], "Neuer Kommentar", "Text")
    workflow.update_person(member, member.version, name=member.name, email="neu.adresse@example.org",
                           organisation_id=member.organisation_id, function="", role="member",
                           actor=people["coordinator"])
    assert OutboxMail.get_by_id(news.id).recipient == "neu.adresse@example.org"
    assert OutboxMail.get_by_id(sending.id).recipient == "neu.adresse@example.org"  # its next attempt
    assert OutboxMail.get_or_none(OutboxMail.id == reset.id) is None
    assert OutboxMail.get_by_id(other.id).recipient == people["partner"].email
    # written from the person as read before the change (a request that began earlier): sent to the new address
    with write_transaction():
        late = outbox.enqueue(member, "Spät geschrieben", "Text")
    assert late.recipient == member.email != "neu.adresse@example.org"
    OutboxMail.update(status="sent").where(OutboxMail.id != late.id).execute()
    assert [(row.id, row.recipient) for row in outbox.claim()] == [(late.id, "neu.adresse@example.org")]
