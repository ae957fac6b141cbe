"""Logging in and out, a password reset and accepting an invitation: the decisions and what they store.

Login answers must not tell whether an address has an account: every attempt that passes the
throttle does the same work (one password check, against a dummy hash when there is no usable
account, and one audit record) and gets the same answer. A deactivated account is answered like a
wrong password even when the password is right: a different message after a correct password
would confirm the password to whoever typed it.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from flask import after_this_request, current_app, has_request_context, render_template
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from .. import audit
from ..changes import locked
from ..db import database, utcnow, write_transaction
from ..notifications import outbox
from ..people.models import Person
from ..people.workflow import normalise_email
from ..web import external_url
from . import sessions, throttle, tokens
from .models import AccountToken, LoginSession
from .passwords import hash_password, verify_password

log = logging.getLogger(__name__)

RESETS_PER_WINDOW = 3


@dataclass
class LoginResult:
    """What a login attempt led to: a person and their new session's cookie value, a wait
    (throttled), or neither (the one answer for a wrong password, an unknown address, a
    deactivated account and an invitation not yet accepted)."""
    person: Person | None = None
    cookie_id: str | None = None
    session: LoginSession | None = None
    wait_minutes: int = 0


def log_in(email: str, password: str, *, address: str | None, device_key: str | None, remember: bool,
           user_agent: str = "") -> LoginResult:
    """Check a login attempt; start a session when it is right.

    `device_key` is the throttle key of the browser's device cookie for this address
    (auth.devices.trusted_key), None for an untrusted browser.
    """
    cfg = current_app.config
    email = normalise_email(email)
    per_account = cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    if device_key:
        pools = [(device_key, per_account)]
    else:
        pools = [(throttle.account_key(email), per_account),
                 (throttle.address_key(address), cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"])]
    wait, claimed = throttle.claim(pools)  # counted before the password is checked
    if wait:
        return LoginResult(wait_minutes=wait)

    person = Person.get_or_none(Person.email == email)
    usable = person is not None and person.is_active
    # Without a usable account the check runs against a dummy hash: the same time, the same "no".
    if not verify_password(person.password_hash if usable else None, password) or not usable:
        with write_transaction():
            audit.record("login.failed", person, actor=None,
                         reason="unknown_account" if person is None
                         else "wrong_password" if usable else "inactive_account")
        return LoginResult()

    now = utcnow()
    with write_transaction():
        throttle.release(claimed)  # a success is not a failure
        Person.update(last_login_at=now).where(Person.id == person.id).execute()
        row, cookie = sessions.start(person, remember=remember, user_agent=user_agent)
        audit.record("login", person, actor=person, remember=remember, trusted_device=bool(device_key),
                     session=row.id)
    person.last_login_at = now
    return LoginResult(person=person, cookie_id=cookie, session=row)


def log_out(person: Person, session: LoginSession | None) -> None:
    """End this browser's session on the server: its session and remember-me cookies stop working."""
    with write_transaction():
        if session is not None:
            sessions.close(session.id)
        audit.record("logout", person, actor=person, session=getattr(session, "id", None))


# --- password reset -------------------------------------------------------------------------------

_background: set[threading.Thread] = set()
_background_lock = threading.Lock()


def request_password_reset(email: str) -> None:
    """Mail a reset link if `email` belongs to an active account.

    The request itself only counts the attempt (at most RESETS_PER_WINDOW per address and throttle
    window, whether it exists or not); looking the address up, issuing the link and mailing it
    happen in a short background thread after the response. So the answer takes the same time for
    known and unknown addresses: sending a mail inside the request for known ones only would tell
    them apart by the clock.
    """
    email = normalise_email(email)
    wait, _claimed = throttle.claim([(throttle.account_key("reset:" + email), RESETS_PER_WINDOW)])
    if wait:
        return
    locale = str(get_locale() or "de")
    _after_response(_send_reset_link, email, locale)


def _send_reset_link(email: str, locale: str) -> None:
    with write_transaction():
        person = Person.get_or_none(Person.email == email)
        if person is None or not person.is_active:
            return
        raw = tokens.issue(person, AccountToken.PASSWORD_RESET)
        audit.record("password.reset_requested", person, actor=person)
        with force_locale(locale):
            link = external_url("auth.reset_password", token=raw)
            outbox.enqueue(person, _("Passwort zurücksetzen – FH-Intranet"),
                           render_template("mail/password_reset.txt", person=person, link=link), sensitive=True)


def _after_response(work, *args) -> None:
    """Run `work(*args)` in its own thread once the response is ready, with an app and request
    context of its own (url_for needs one; web.external_url puts BASE_URL in front of the path)."""
    app = current_app._get_current_object()

    def run():
        try:
            with app.test_request_context("/"):
                work(*args)
        except Exception:  # noqa: BLE001 - a background thread has nobody to hand this to
            log.exception("background work %s failed", getattr(work, "__name__", work))
        finally:
            if not database.is_closed():
                database.close()  # this thread's own connection
            with _background_lock:
                _background.discard(thread)

    thread = threading.Thread(target=run, name="fh-intranet-after-response")

    def start(response=None):
        with _background_lock:
            _background.add(thread)
        thread.start()
        return response

    if has_request_context():
        after_this_request(start)
    else:
        start()


def wait_for_background_work(timeout: float = 60) -> None:
    """Wait for mails still being sent after their response (tests, and a clean shutdown)."""
    with _background_lock:
        pending = list(_background)
    for thread in pending:
        thread.join(timeout)


# --- links ----------------------------------------------------------------------------------------

def set_password_with_token(found: AccountToken, password: str, *, user_agent: str = "") -> LoginResult | None:
    """Spend the link, set the password and log this browser in; None when the link was spent
    meanwhile (by a second request with the same link) or the person was deactivated meanwhile.

    Every other session of the person ends: whoever knew the old password is out.
    """
    password_hash = hash_password(password)  # slow on purpose: outside the write lock
    with write_transaction():
        person = locked(Person.select().where(Person.id == found.person_id)).get()
        if not person.active or not tokens.redeem(found):
            return None
        now = utcnow()
        Person.update(password_hash=password_hash, last_login_at=now).where(Person.id == person.id).execute()
        person.password_hash, person.last_login_at = password_hash, now
        ended = sessions.end_all(person)
        row, cookie = sessions.start(person, remember=False, user_agent=user_agent)
        audit.record("invitation.accepted" if found.purpose == AccountToken.INVITATION else "password.reset",
                     person, actor=person, sessions_ended=ended, session=row.id)
    return LoginResult(person=person, cookie_id=cookie, session=row)
