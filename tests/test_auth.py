"""Login, logout, remember-me, throttling, deactivation; no account oracles."""
import json
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from fh_intranet.audit import AuditEvent
from fh_intranet.auth import throttle, workflow
from fh_intranet.auth.models import LoginFailure, LoginSession
from fh_intranet.auth.workflow import wait_for_background_work
from fh_intranet.people.models import Person

from .concurrency import at_once
from .conftest import PASSWORD, csrf_from, smtp_sink, submit
from .html_forms import form_posting_to
from .servers import gunicorn

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


@pytest.mark.parametrize("target", ["/\\evil.example", "/\\/evil.example", "//evil.example", "/\tok", "javascript:alert(1)"])
def test_a_next_address_a_browser_would_read_as_another_site_is_not_followed(client_as, target):
    """Browsers read "/\\evil.example" as "//evil.example"; also over htmx (HX-Location)."""
    from fh_intranet.web import safe_next

    assert safe_next(target, "/") == "/"
    client = client_as("member")
    form = form_posting_to(client.get("/").get_data(as_text=True), "/sprache", "/")
    plain = client.post("/sprache", data=form.data(locale="de", next=target))
    assert plain.status_code == 303 and plain.location == "/"
    htmx = client.post("/sprache", data=form.data(locale="de", next=target), headers={"HX-Request": "true"})
    assert json.loads(htmx.headers["HX-Location"])["path"] == "/"


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
    db.bind(app.config["DATABASE_URL"], app.config["DATABASE_MAX_CONNECTIONS"])  # the shared test app gets its database back


def test_throttling_per_account(app, client, people):
    app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] = 3
    email = people["member"].email
    for _ in range(3):
        assert login(client, email, "falsch-falsch-falsch").status_code == 422
    blocked = login(client, email)  # even the right password waits now
    assert blocked.status_code == 429
    text = blocked.get_data(as_text=True)
    assert "Zu viele Anmeldeversuche in kurzer Zeit." in text and "15 Minuten" in text
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


def test_deactivated_person_cannot_log_in_and_the_answer_does_not_confirm_the_password(client, make_person):
    """A "deactivated" message after the right password would confirm the password to whoever
    typed it: the answer is the one for a wrong password."""
    person = make_person("member", active=False)
    right, wrong = login(client, person.email), login(client, person.email, "falsch-falsch-falsch")
    assert right.status_code == wrong.status_code == 422
    assert BAD_CREDENTIALS in right.get_data(as_text=True) and "deaktiviert" not in right.get_data(as_text=True)
    assert client.get("/").status_code == 302
    reasons = [e.details_dict["reason"] for e in AuditEvent.select().where(AuditEvent.action == "login.failed")]
    assert reasons == ["inactive_account", "inactive_account"]


def test_deactivation_ends_running_sessions(app, client, people, client_as):
    member_client = client_as("member")
    assert member_client.get("/").status_code == 200
    coordinator = client_as("coordinator")
    response = submit(coordinator, f"/personen/{people['member'].id}", {"bestaetigt": "1"},
                      action=f"/personen/{people['member'].id}/deaktivieren")
    assert response.status_code == 303
    assert not Person.get_by_id(people["member"].id).active
    # the member's session ended on the server with the deactivation
    assert member_client.get("/").status_code == 302
    assert LoginSession.get_by_id(member_client.login_session.id).ended_at is not None


def test_invited_person_without_password_cannot_log_in(client, make_person):
    person = make_person("member", accepted=False)
    assert login(client, person.email, "").status_code == 422
    assert login(client, person.email, PASSWORD).status_code == 422


def test_password_reset_requests_are_limited_per_address(client, people, mail_sink):
    """At most three reset mails per address and throttle window, whether it exists or not."""
    for _ in range(4):
        assert submit(client, "/passwort-vergessen", {"email": people["member"].email}).status_code == 303
    wait_for_background_work()
    assert len(mail_sink) == 3
    assert AuditEvent.select().where(AuditEvent.action == "password.reset_requested").count() == 3
    assert LoginFailure.select().count() == 3


def test_failed_login_is_counted_and_recorded_together(client, people):
    login(client, people["member"].email, "falsch-falsch-falsch")
    assert LoginFailure.select().count() == 2  # the account and the address
    event = AuditEvent.get(AuditEvent.action == "login.failed")
    assert event.object_id == people["member"].id and event.actor_id is None


def test_login_stores_the_time_and_does_not_count_as_a_failure(client, people):
    member = people["member"]
    login(client, member.email, "falsch-falsch-falsch")
    assert LoginFailure.select().count() == 2  # the account's untrusted pool and the address
    assert login(client, member.email).status_code == 303  # counted before the check, given back after
    assert Person.get_by_id(member.id).last_login_at is not None
    # The earlier failure stays: the owner's login does not wipe out what a guesser spent. This
    # browser now has a device cookie and its own allowance (tests/test_login_throttle… below).
    assert LoginFailure.select().count() == 2


# --- no oracles, limits that hold, floods that lock out nobody else ---------------------------------

WRONG = "falsch-falsch-falsch"


def test_login_time_does_not_tell_whether_an_address_has_an_account(app, client, people, make_person):
    """Known, unknown, deactivated and not-yet-accepted addresses: the same work, the same time.

    Before, an unknown address answered in ~32 ms and a known one in ~245 ms. Interleaved tries and
    medians keep a busy machine's noise out; a second and third round only forgive a noisy one.
    """
    app.config.update(LOGIN_MAX_FAILURES_PER_ACCOUNT=10_000, LOGIN_MAX_FAILURES_PER_ADDRESS=10_000)
    cases = {"known": people["member"].email, "unknown": "niemand-hier@example.org",
             "deactivated": make_person("member", active=False).email,
             "invited": make_person("member", accepted=False).email}
    token = csrf_from(client.get("/anmelden").get_data(as_text=True))

    def seconds(email):
        started = time.perf_counter()
        response = client.post("/anmelden", data={"csrf_token": token, "email": email, "password": WRONG})
        elapsed = time.perf_counter() - started
        assert response.status_code == 422 and BAD_CREDENTIALS in response.get_data(as_text=True)
        return elapsed

    kinds = list(cases)
    for _round in range(3):
        times = {kind: [] for kind in kinds}
        for n in range(20):
            for kind in kinds[n % 4:] + kinds[:n % 4]:  # each kind first as often as the others
                times[kind].append(seconds(cases[kind]))
        medians = {kind: statistics.median(values) for kind, values in times.items()}
        if all(abs(medians[kind] - medians["known"]) <= 0.2 * medians["known"] for kind in kinds):
            break
    else:
        pytest.fail(f"median login times differ by more than 20 %: {medians}")


def test_parallel_wrong_passwords_check_at_most_the_limit(app, database_url, tmp_path, people):
    """16 wrong passwords for one account at the same moment, against 4 app processes: each attempt
    is counted before its password is checked, so exactly the limit (5) are checked."""
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    email = people["member"].email
    with gunicorn(app, database_url, tmp_path, workers=4, threads=4) as base:
        browsers = []
        for _ in range(16):
            http = requests.Session()
            browsers.append((http, csrf_from(http.get(f"{base}/anmelden", timeout=120).text)))
        barrier = threading.Barrier(len(browsers))

        def attempt(http, token):
            barrier.wait(timeout=120)
            return http.post(f"{base}/anmelden", data={"csrf_token": token, "email": email, "password": WRONG},
                             timeout=120, allow_redirects=False).status_code

        with ThreadPoolExecutor(len(browsers)) as pool:
            statuses = list(pool.map(lambda b: attempt(*b), browsers))
    assert statuses.count(422) == limit and statuses.count(429) == len(browsers) - limit, statuses
    with app.test_request_context():
        account = throttle.account_key(email)
    assert LoginFailure.select().where(LoginFailure.key == account).count() == limit  # attempts checked
    assert AuditEvent.select().where(AuditEvent.action == "login.failed").count() == limit


def test_parallel_attempts_in_one_process_also_hold_the_limit(app, people):
    app.config.update(WTF_CSRF_ENABLED=False, LOGIN_MAX_FAILURES_PER_ACCOUNT=3)
    email = people["member"].email
    clients = [app.test_client() for _ in range(8)]
    responses = at_once(app, *[lambda c=c: c.post("/anmelden", data={"email": email, "password": WRONG})
                               for c in clients], raise_errors=True)
    assert sorted(r.status_code for r in responses) == [422] * 3 + [429] * 5


def office(app, address="192.0.2.50"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_a_flood_from_one_address_does_not_lock_out_colleagues_there(app, people):
    """A whole office behind one address: someone (or something) there floods the login with wrong
    passwords for many addresses. A colleague whose browser logged in before still gets in."""
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 6
    colleague = office(app)
    assert login(colleague, people["partner"].email).status_code == 303  # yesterday: gets a device cookie
    assert colleague.get_cookie("fh_device", path="/anmelden") is not None
    logout(colleague)

    flood = office(app)
    statuses = [login(flood, f"raten{n}@example.org", WRONG).status_code for n in range(10)]
    assert statuses == [422] * 6 + [429] * 4
    assert login(office(app), people["partner"].email).status_code == 429  # a new browser there waits
    assert login(colleague, people["partner"].email).status_code == 303  # the colleague does not


def test_a_flood_against_an_account_does_not_lock_out_its_owner(app, people):
    member = people["member"]
    own_browser = office(app, "198.51.100.7")
    assert login(own_browser, member.email).status_code == 303
    logout(own_browser)

    attacker = office(app, "203.0.113.99")
    statuses = [login(attacker, member.email, WRONG).status_code for _ in range(7)]
    assert statuses == [422] * 5 + [429] * 2
    assert login(office(app, "203.0.113.100"), member.email).status_code == 429  # every untrusted browser waits
    assert login(own_browser, member.email).status_code == 303

    # the owner's browser has its own allowance, not an unlimited one
    logout(own_browser)
    assert [login(own_browser, member.email, WRONG).status_code for _ in range(6)] == [422] * 5 + [429]
    assert login(own_browser, member.email).status_code == 429


def test_a_device_cookie_counts_only_for_its_own_account(app, people):
    """Copied to another account's attack, or tampered with, a device cookie gives nothing."""
    app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] = 3
    trusted = office(app)
    assert login(trusted, people["partner"].email).status_code == 303
    device = trusted.get_cookie("fh_device", path="/anmelden").value
    logout(trusted)
    attacker = office(app, "203.0.113.99")
    attacker.set_cookie("fh_device", device, path="/anmelden")
    statuses = [login(attacker, people["member"].email, WRONG).status_code for _ in range(4)]
    assert statuses == [422] * 3 + [429]

    # the partner's untrusted pool is locked now; a tampered copy of the cookie counts as untrusted
    for _ in range(3):
        login(office(app, "203.0.113.97"), people["partner"].email, WRONG)
    forged = office(app, "203.0.113.98")
    forged.set_cookie("fh_device", device[:-4] + ("AAAA" if not device.endswith("AAAA") else "BBBB"),
                      path="/anmelden")
    assert login(forged, people["partner"].email).status_code == 429
    assert login(trusted, people["partner"].email).status_code == 303  # the real one still works


def test_the_device_cookie_is_private_and_only_sent_to_the_login(app, people):
    client = office(app)
    response = login(client, people["member"].email)
    device = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("fh_device=")][0]
    assert "HttpOnly" in device and "SameSite=Lax" in device and "Path=/anmelden" in device
    assert people["member"].email not in device and "@" not in device


@pytest.fixture
def slow_mail_server(app):
    """A real SMTP server that takes a second per mail, as a distant one may."""
    with smtp_sink(app, delay=1.0) as messages:
        try:
            yield messages
        finally:
            wait_for_background_work()


def test_reset_request_time_does_not_tell_whether_an_address_has_an_account(app, client, people,
                                                                           slow_mail_server, monkeypatch):
    """The mail goes out after the response (a background thread): a known address answers as fast
    as an unknown one even when the mail server takes a second."""
    monkeypatch.setattr(workflow, "RESETS_PER_WINDOW", 10_000)
    token = csrf_from(client.get("/passwort-vergessen").get_data(as_text=True))

    def seconds(email):
        started = time.perf_counter()
        response = client.post("/passwort-vergessen", data={"csrf_token": token, "email": email})
        assert response.status_code == 303
        return time.perf_counter() - started

    for _round in range(3):
        known, unknown = [], []
        for n in range(8):
            pair = [(known, people["member"].email), (unknown, f"niemand{n}@example.org")]
            for times, email in (pair if n % 2 else pair[::-1]):
                times.append(seconds(email))
        k, u = statistics.median(known), statistics.median(unknown)
        if abs(k - u) <= max(0.2 * u, 0.05):
            break
    else:
        pytest.fail(f"median reset request times differ: known {k:.3f} s, unknown {u:.3f} s")
    wait_for_background_work()
    assert len(slow_mail_server) >= 8  # the known address's mails did go out, after the answers
