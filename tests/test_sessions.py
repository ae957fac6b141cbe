"""Server-side login sessions: logout, "abmelden" per device, password change and deactivation end
them wherever their cookies are replayed; a remembered login survives a change of network."""
import io
import json
import zipfile
from datetime import timedelta

from fh_intranet.audit import AuditEvent
from fh_intranet.auth import sessions
from fh_intranet.auth.models import LoginSession
from fh_intranet.db import utcnow

from .conftest import PASSWORD, csrf_from, submit
from .test_auth import login, logout

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.5 Mobile/15E148 Safari/604.1")
ANDROID = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/126.0.0.0 Mobile Safari/537.36")


def browser(app, user_agent=FIREFOX, address="192.0.2.10"):
    client = app.test_client()
    client.environ_base.update(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    return client


def logged_in(app, person, *, remember=False, **kwargs):
    client = browser(app, **kwargs)
    assert login(client, person.email, remember=remember).status_code == 303
    assert client.get("/").status_code == 200
    return client


def cookie(client, name):
    found = client.get_cookie(name)
    assert found is not None, f"no {name} cookie"
    return found.value


def with_cookies(app, **cookies):
    """A browser that has nothing but these cookies (someone who copied them)."""
    client = browser(app, address="203.0.113.66")
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


def goes_to_login(response) -> bool:
    return response.status_code == 302 and response.location.startswith("/anmelden")


def own_sessions(person):
    return list(LoginSession.select().where(LoginSession.person == person.id).order_by(LoginSession.id))


# --- logout ---------------------------------------------------------------------------------------

def test_session_cookie_replayed_after_logout_lands_on_the_login_page(app, people):
    client = logged_in(app, people["member"])
    copied = cookie(client, "session")
    assert with_cookies(app, session=copied).get("/").status_code == 200  # the copy works while logged in
    assert logout(client).status_code == 303
    assert goes_to_login(with_cookies(app, session=copied).get("/"))
    assert goes_to_login(client.get("/"))


def test_remember_cookie_replayed_after_logout_lands_on_the_login_page(app, people):
    client = logged_in(app, people["member"], remember=True)
    remembered = cookie(client, "remember_token")
    assert with_cookies(app, remember_token=remembered).get("/").status_code == 200  # from any browser
    logout(client)
    assert client.get_cookie("remember_token") is None, "logout deletes the remember-me cookie"
    assert goes_to_login(with_cookies(app, remember_token=remembered).get("/"))
    row = own_sessions(people["member"])[0]
    assert row.ended_at is not None and row.remember


def test_logout_ends_only_this_browser(app, people):
    first, second = logged_in(app, people["member"]), logged_in(app, people["member"], user_agent=IPHONE)
    logout(first)
    assert goes_to_login(first.get("/"))
    assert second.get("/").status_code == 200


def test_cookies_name_a_session_not_the_person(app, people):
    """Neither the person's id nor a hash of anything is in the cookie; the secret is stored hashed."""
    client = logged_in(app, people["member"])
    with client.session_transaction() as flask_session:
        value = flask_session["_user_id"]
    row = own_sessions(people["member"])[0]
    session_id, secret = value[1:].split(".", 1)
    assert value.startswith("s") and int(session_id) == row.id
    assert secret not in row.secret_hash and len(row.secret_hash) == 64
    # a forged secret, an old-style cookie ("<person id>:<token>") and garbage load nobody
    for forged in (f"s{row.id}.{'A' * 43}", f"{people['member'].id}:{people['member'].session_token}",
                   "s1." + "x" * 5000, "", None):
        assert sessions.load(forged) is None


# --- the list in Mein Konto -------------------------------------------------------------------------

def test_the_account_page_lists_active_sessions_with_this_device(app, people):
    member = people["member"]
    here = logged_in(app, member)
    logged_in(app, member, user_agent=IPHONE, remember=True)
    ended = logged_in(app, member, user_agent=ANDROID)
    logout(ended)
    page = here.get("/konto/").get_data(as_text=True)
    assert "Angemeldete Geräte (2)" in page
    assert "Firefox / Windows" in page and "Safari / iPhone" in page and "Chrome / Android" not in page
    assert page.count('<span class="kern-label">dieses Gerät</span>') == 1  # one badge
    # each button names its device and when it logged in: ten „abmelden Chrome / Linux“ read alike
    assert ">abmelden<span class=\"visually-hidden\">: Firefox / Windows, dieses Gerät</span>" in page
    assert ">abmelden<span class=\"visually-hidden\">: Safari / iPhone, angemeldet seit " in page
    assert "angemeldet bleiben" in page and "Alle anderen abmelden" in page
    assert "secret" not in page and own_sessions(member)[0].secret_hash not in page


def test_the_sessions_list_ends_another_session(app, people):
    member = people["member"]
    here, phone = logged_in(app, member), logged_in(app, member, user_agent=IPHONE, remember=True)
    phone_row = own_sessions(member)[1]
    remembered = cookie(phone, "remember_token")
    response = submit(here, "/konto/", action=f"/konto/sitzungen/{phone_row.id}/abmelden")
    assert response.status_code == 303 and response.location == "/konto/"
    assert "Das Gerät wurde abgemeldet." in here.get("/konto/").get_data(as_text=True)
    assert goes_to_login(phone.get("/"))  # that client is logged out
    assert goes_to_login(with_cookies(app, remember_token=remembered).get("/"))  # its remember-me cookie too
    assert here.get("/").status_code == 200  # this one is not
    event = AuditEvent.get(AuditEvent.action == "session.ended")
    assert event.actor_id == member.id and event.details_dict["session"] == phone_row.id
    # a second click on the same button: no error, nothing more to end
    again = submit(here, "/konto/", action=f"/konto/sitzungen/{phone_row.id}/abmelden")
    assert again.status_code == 303
    assert AuditEvent.select().where(AuditEvent.action == "session.ended").count() == 1


def test_ending_this_device_in_the_list_logs_out(app, people):
    here = logged_in(app, people["member"])
    row = own_sessions(people["member"])[0]
    response = submit(here, "/konto/", action=f"/konto/sitzungen/{row.id}/abmelden")
    assert response.status_code == 303 and response.location == "/anmelden"
    assert goes_to_login(here.get("/"))


def test_someone_elses_session_cannot_be_ended(app, people):
    member_session = logged_in(app, people["member"])
    other = logged_in(app, people["partner"])
    member_row = own_sessions(people["member"])[0]
    response = submit(other, "/konto/", action=f"/konto/sitzungen/{member_row.id}/abmelden")
    assert response.status_code == 404
    assert member_session.get("/").status_code == 200


def test_ending_a_session_needs_the_csrf_token(app, people):
    here, phone = logged_in(app, people["member"]), logged_in(app, people["member"], user_agent=IPHONE)
    phone_row = own_sessions(people["member"])[1]
    assert here.post(f"/konto/sitzungen/{phone_row.id}/abmelden").status_code == 400
    assert here.post("/konto/sitzungen/andere-abmelden").status_code == 400
    assert phone.get("/").status_code == 200


def test_end_all_other_sessions(app, people, make_person):
    member = people["member"]
    here = logged_in(app, member)
    others = [logged_in(app, member, user_agent=IPHONE, remember=True), logged_in(app, member, user_agent=ANDROID)]
    bystander = logged_in(app, people["partner"])
    response = submit(here, "/konto/", action="/konto/sitzungen/andere-abmelden")
    assert response.status_code == 303
    assert "2 andere Geräte wurden abgemeldet." in here.get("/konto/").get_data(as_text=True)
    assert all(goes_to_login(other.get("/")) for other in others)
    assert here.get("/").status_code == 200 and bystander.get("/").status_code == 200
    assert AuditEvent.get(AuditEvent.action == "session.ended_others").details_dict["count"] == 2


# --- password change, reset, deactivation -------------------------------------------------------------

NEW_PASSWORD = "Neue-Eichen-am-Bach-3"


def test_password_change_ends_all_other_sessions_and_their_remember_cookies(app, people):
    member = people["member"]
    here = logged_in(app, member)
    phone = logged_in(app, member, user_agent=IPHONE, remember=True)
    remembered = cookie(phone, "remember_token")
    response = submit(here, "/konto/", {"current_password": PASSWORD, "password": NEW_PASSWORD,
                                        "password_repeat": NEW_PASSWORD}, action="/konto/passwort")
    assert response.status_code == 303
    assert here.get("/").status_code == 200
    assert goes_to_login(phone.get("/"))
    assert goes_to_login(with_cookies(app, remember_token=remembered).get("/"))
    assert AuditEvent.get(AuditEvent.action == "password.changed").details_dict["sessions_ended"] == 1


def test_deactivation_ends_every_session_and_remember_cookie(app, people, client_as):
    member = people["member"]
    phone = logged_in(app, member, user_agent=IPHONE, remember=True)
    remembered = cookie(phone, "remember_token")
    laptop = logged_in(app, member)
    response = submit(client_as("coordinator"), f"/personen/{member.id}", {"bestaetigt": "1"},
                      action=f"/personen/{member.id}/deaktivieren")
    assert response.status_code == 303
    assert goes_to_login(phone.get("/")) and goes_to_login(laptop.get("/"))
    assert goes_to_login(with_cookies(app, remember_token=remembered).get("/"))
    assert all(row.ended_at is not None for row in own_sessions(member))
    # reactivated, the old cookies stay dead: the person logs in anew
    submit(client_as("coordinator"), f"/personen/{member.id}", action=f"/personen/{member.id}/reaktivieren")
    assert goes_to_login(with_cookies(app, remember_token=remembered).get("/"))


# --- networks and lifetimes ------------------------------------------------------------------------------

def test_remembered_login_survives_a_change_of_network(app, people):
    """The phone moves from Wi-Fi to mobile data: another address, the same browser."""
    phone = logged_in(app, people["member"], user_agent=ANDROID, remember=True, address="192.0.2.10")
    phone.environ_base["REMOTE_ADDR"] = "198.51.100.23"
    assert phone.get("/").status_code == 200
    assert phone.get_cookie("remember_token") is not None, "the remember-me cookie must not be cleared"
    # …and after the browser was closed (session cookie gone), on yet another network
    phone.delete_cookie("session")
    phone.environ_base["REMOTE_ADDR"] = "203.0.113.5"
    assert phone.get("/").status_code == 200


def test_a_plain_login_also_survives_a_change_of_network(app, people):
    laptop = logged_in(app, people["member"], address="192.0.2.10")
    laptop.environ_base["REMOTE_ADDR"] = "198.51.100.23"
    assert laptop.get("/").status_code == 200


def test_sessions_expire(app, people):
    member = people["member"]
    plain, remembered = logged_in(app, member), logged_in(app, member, user_agent=IPHONE, remember=True)
    plain_row, remembered_row = own_sessions(member)
    lifetime = plain_row.expires_at - plain_row.created_at
    assert lifetime == app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=12)
    assert remembered_row.expires_at - remembered_row.created_at == app.config["REMEMBER_COOKIE_DURATION"]
    LoginSession.update(expires_at=utcnow() - timedelta(seconds=1)).execute()
    assert goes_to_login(plain.get("/")) and goes_to_login(remembered.get("/"))
    assert "Angemeldete Geräte" not in plain.get("/konto/").get_data(as_text=True)


def test_last_use_is_written_at_most_every_few_minutes(app, people):
    client = logged_in(app, people["member"])
    row = own_sessions(people["member"])[0]
    for _ in range(3):
        client.get("/")
    assert LoginSession.get_by_id(row.id).last_used_at == row.last_used_at
    earlier = utcnow() - sessions.TOUCH_EVERY - timedelta(seconds=5)
    LoginSession.update(last_used_at=earlier).where(LoginSession.id == row.id).execute()
    client.get("/")
    assert LoginSession.get_by_id(row.id).last_used_at > earlier + sessions.TOUCH_EVERY


def test_the_data_export_lists_sessions_without_secrets(app, people):
    client = logged_in(app, people["member"], user_agent=IPHONE)
    with zipfile.ZipFile(io.BytesIO(client.get("/konto/export").data)) as archive:
        text = archive.read("anmeldungen.json").decode()
        everything = "".join(archive.read(name).decode() for name in archive.namelist())
    assert [entry["device"] for entry in json.loads(text)] == ["Safari / iPhone"]
    row = own_sessions(people["member"])[0]
    assert row.secret_hash not in everything


def test_user_agent_summaries():
    assert sessions.describe_user_agent(FIREFOX) == "Firefox / Windows"
    assert sessions.describe_user_agent(IPHONE) == "Safari / iPhone"
    assert sessions.describe_user_agent(ANDROID) == "Chrome / Android"
    edge = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 Chrome/126.0 Safari/537.36 Edg/126.0"
    assert sessions.describe_user_agent(edge) == "Edge / macOS"
    assert sessions.describe_user_agent("") == sessions.describe_user_agent(None) == ""
    assert sessions.describe_user_agent("curl/8.0") == ""
    assert len(sessions.describe_user_agent("Firefox/1 Windows " * 10_000)) <= 120


def test_login_page_form_token_survives_the_login(app, people):
    """After logging in, forms on the next page carry a working CSRF token (the session was renewed)."""
    client = logged_in(app, people["member"])
    page = client.get("/konto/").get_data(as_text=True)
    assert csrf_from(page)
