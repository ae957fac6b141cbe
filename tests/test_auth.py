"""Login, logout, remember-me, throttling, deactivation."""
from fh_intranet.audit import AuditEvent
from fh_intranet.auth.models import LoginFailure
from fh_intranet.people.models import Person

from .conftest import PASSWORD, submit

BAD_CREDENTIALS = "E-Mail-Adresse oder Passwort ist falsch."


def login(client, email, password=PASSWORD, remember=False, next_url=None):
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    page = "/anmelden" + (f"?next={next_url}" if next_url else "")
    if next_url:
        data["next"] = next_url
    return submit(client, page, data, action="/anmelden")


def logout(client):
    return submit(client, "/", action="/abmelden")


def test_login_and_logout(client, people):
    member = people["member"]
    response = login(client, member.email)
    assert response.status_code == 303 and response.location == "/"
    start = client.get("/")
    assert start.status_code == 200
    assert f"Guten Tag, {member.name}" in start.get_data(as_text=True)
    assert AuditEvent.select().where(AuditEvent.action == "login", AuditEvent.actor == member.id).count() == 1

    assert client.get("/abmelden").status_code == 405, "logout must not happen by GET"
    response = submit(client, "/", action="/abmelden")
    assert response.status_code == 303 and response.location == "/anmelden"
    assert client.get("/").status_code == 302


def test_login_is_case_insensitive_on_email(client, people):
    assert login(client, people["partner"].email.upper()).status_code == 303


def test_same_message_for_unknown_email_and_wrong_password(client, people):
    unknown = login(client, "niemand@example.org")
    wrong = login(client, people["member"].email, "falsches-passwort-123")
    assert unknown.status_code == wrong.status_code == 422
    assert BAD_CREDENTIALS in unknown.get_data(as_text=True)
    assert BAD_CREDENTIALS in wrong.get_data(as_text=True)
    assert client.get("/").status_code == 302
    failed = list(AuditEvent.select().where(AuditEvent.action == "login.failed"))
    assert len(failed) == 2
    assert all("@" not in event.details for event in failed), "no e-mail addresses in the audit trail"


def test_next_parameter_only_redirects_locally(client, people):
    assert login(client, people["member"].email, next_url="/konto/").location == "/konto/"
    logout(client)
    other = login(client, people["member"].email, next_url="https://evil.example/")
    assert other.location == "/"


def test_remember_me_sets_a_safe_long_lived_cookie(client, people):
    response = login(client, people["member"].email, remember=True)
    cookies = response.headers.getlist("Set-Cookie")
    remember = [c for c in cookies if c.startswith("remember_token=")]
    assert remember, cookies
    assert "HttpOnly" in remember[0] and "SameSite=Lax" in remember[0] and "Expires=" in remember[0]
    session_cookie = [c for c in cookies if c.startswith("session=")][0]
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie


def test_remember_me_restores_the_login_without_session(client, people):
    login(client, people["member"].email, remember=True)
    client.delete_cookie("session")
    assert client.get("/").status_code == 200


def test_without_remember_me_no_remember_cookie(client, people):
    response = login(client, people["member"].email)
    assert not [c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token=")]


def test_cookies_are_secure_behind_https(app, database_url, tmp_path):
    from fh_intranet import create_app

    secure_app = create_app({"SECRET_KEY": "x" * 32, "DATABASE_URL": database_url,
                             "BASE_URL": "https://fh.example.org", "INSTANCE_PATH": str(tmp_path)})
    assert secure_app.config["SESSION_COOKIE_SECURE"] and secure_app.config["REMEMBER_COOKIE_SECURE"]
    assert not app.config["SESSION_COOKIE_SECURE"]
    from fh_intranet import db
    db.bind(app.config["DATABASE_URL"])  # give the shared test app its database back


def test_throttling_per_account(app, client, people):
    app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] = 3
    email = people["member"].email
    for _ in range(3):
        assert login(client, email, "falsch-falsch-falsch").status_code == 422
    blocked = login(client, email)  # even the right password waits now
    assert blocked.status_code == 429
    text = blocked.get_data(as_text=True)
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in text and "15 Minuten" in text
    # another account from the same address is not blocked by this account's failures
    assert login(client, people["partner"].email).status_code == 303


def test_throttling_per_client_address(app, client, people, make_person):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 4
    for n in range(4):
        assert login(client, f"raten{n}@example.org", "falsch-falsch-falsch").status_code == 422
    assert login(client, people["member"].email).status_code == 429
    other_address = client.application.test_client()
    other_address.environ_base["REMOTE_ADDR"] = "192.0.2.77"
    assert login(other_address, people["member"].email).status_code == 303


def test_throttle_state_lives_in_the_database_and_hides_raw_values(app, client, people):
    login(client, people["member"].email, "falsch-falsch-falsch")
    keys = [row.key for row in LoginFailure.select()]
    assert len(keys) == 2
    assert all(len(key) == 64 and "@" not in key and "127.0.0.1" not in key for key in keys)


def test_successful_login_resets_account_failures(app, client, people):
    app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] = 3
    email = people["member"].email
    login(client, email, "falsch-falsch-falsch")
    login(client, email, "falsch-falsch-falsch")
    assert login(client, email).status_code == 303
    logout(client)
    login(client, email, "falsch-falsch-falsch")
    login(client, email, "falsch-falsch-falsch")
    assert login(client, email).status_code == 303


def test_deactivated_person_cannot_log_in(client, make_person):
    person = make_person("member", active=False)
    response = login(client, person.email)
    assert response.status_code == 422
    assert "deaktiviert" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_deactivation_ends_running_sessions(app, client, people, client_as):
    member_client = client_as("member")
    assert member_client.get("/").status_code == 200
    coordinator = client_as("coordinator")
    response = submit(coordinator, f"/personen/{people['member'].id}",
                      action=f"/personen/{people['member'].id}/deaktivieren")
    assert response.status_code == 303
    assert not Person.get_by_id(people["member"].id).active
    # the member's cookie carries the old session token, which is no longer accepted
    assert member_client.get("/").status_code == 302


def test_invited_person_without_password_cannot_log_in(client, make_person):
    person = make_person("member", accepted=False)
    assert login(client, person.email, "").status_code == 422
    assert login(client, person.email, PASSWORD).status_code == 422


def test_password_reset_requests_are_limited_per_address(client, people, mail_sink):
    """At most three reset mails per address and throttle window, whether it exists or not."""
    for _ in range(4):
        assert submit(client, "/passwort-vergessen", {"email": people["member"].email}).status_code == 303
    assert len(mail_sink) == 3
    assert AuditEvent.select().where(AuditEvent.action == "password.reset_requested").count() == 3
    assert LoginFailure.select().count() == 3


def test_failed_login_is_counted_and_recorded_together(client, people):
    login(client, people["member"].email, "falsch-falsch-falsch")
    assert LoginFailure.select().count() == 2  # the account and the address
    event = AuditEvent.get(AuditEvent.action == "login.failed")
    assert event.object_id == people["member"].id and event.actor_id is None


def test_login_stores_the_time_and_clears_the_account_failures(client, people):
    member = people["member"]
    login(client, member.email, "falsch-falsch-falsch")
    assert login(client, member.email).status_code == 303
    assert Person.get_by_id(member.id).last_login_at is not None
    assert LoginFailure.select().count() == 1  # only the address's failure is left
