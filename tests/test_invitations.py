"""Invitations and password resets: single-use links that expire, sent by real SMTP."""
from datetime import timedelta
from urllib.parse import urlsplit

from fh_intranet.audit import AuditEvent
from fh_intranet.auth.models import AccountToken
from fh_intranet.db import utcnow
from fh_intranet.people.models import Person

from .conftest import link_in, submit

NEW_PASSWORD = "Wiesenweg-und-Kastanien-12"


def invite(coordinator_client, organisation, email="neu@example.org", role="member"):
    return submit(coordinator_client, "/personen/einladen", {
        "name": "Clara Neumann", "email": email, "organisation": str(organisation.id),
        "function": "Familienhebamme", "role": role,
    })


def path_of(link: str) -> str:
    return urlsplit(link).path


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
    assert response.status_code == 422
    assert "Zu dieser E-Mail-Adresse gibt es schon einen Zugang." in response.get_data(as_text=True)


def test_invite_refuses_bad_input_with_german_messages(client_as):
    response = submit(client_as("coordinator"), "/personen/einladen",
                      {"name": "", "email": "kein-at-zeichen", "role": "member"})
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Bitte füllen Sie dieses Feld aus." in text
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein" in text
    assert 'aria-invalid="true"' in text and 'aria-describedby="email-error"' in text


def test_password_reset_flow(app, client, people, mail_sink):
    member = people["member"]
    response = submit(client, "/passwort-vergessen", {"email": member.email})
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
    known = submit(client, "/passwort-vergessen", {"email": people["member"].email})
    unknown = submit(client, "/passwort-vergessen", {"email": "gibtsnicht@example.org"})
    assert known.status_code == unknown.status_code == 303
    assert known.location == unknown.location
    known_page = client.get(known.location).get_data(as_text=True)
    submit(client, "/passwort-vergessen", {"email": "gibtsnicht@example.org"})
    unknown_page = client.get("/anmelden").get_data(as_text=True)
    message = "Wenn zu dieser Adresse ein aktiver Zugang gehört"
    assert message in known_page and message in unknown_page
    assert len(mail_sink) == 1


def test_reset_link_expires_after_an_hour(client, people, mail_sink):
    submit(client, "/passwort-vergessen", {"email": people["member"].email})
    AccountToken.update(expires_at=utcnow() - timedelta(seconds=1)).execute()
    assert client.get(path_of(link_in(mail_sink[0]))).status_code == 410


def test_reset_of_deactivated_person_sends_nothing(client, make_person, mail_sink):
    person = make_person("member", active=False)
    submit(client, "/passwort-vergessen", {"email": person.email})
    assert mail_sink == []


def test_reset_changes_session_token_so_other_sessions_end(client, client_as, people, mail_sink):
    other_device = client_as("member")
    assert other_device.get("/").status_code == 200
    submit(client, "/passwort-vergessen", {"email": people["member"].email})
    submit(client, path_of(link_in(mail_sink[0])), {"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD})
    assert other_device.get("/").status_code == 302
