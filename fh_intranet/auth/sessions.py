"""Server-side login sessions: the writer for everything that starts, uses or ends one.

The Flask session cookie and the remember-me cookie carry "s<id>.<secret>"; only a hash of the
secret is stored. A session loads while its row is not ended, not expired and the person active,
so ending the row logs that browser out at its next request, whichever cookie it replays.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from flask import current_app
from peewee import JOIN

from .. import audit
from ..db import Prepared, utcnow, write_transaction
from ..people.models import Organisation, Person
from .models import LoginSession

# last_used_at is for the person's overview ("zuletzt aktiv"), not for security: a write per
# request would cost more than it tells, so it moves on at most this often.
TOUCH_EVERY = timedelta(minutes=5)
# Ended and expired rows are only kept this long (they show nowhere; the audit trail keeps the facts).
KEEP_ENDED = timedelta(days=30)

_COOKIE_ID = re.compile(r"s([0-9]{1,10})\.([A-Za-z0-9_-]{20,100})")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def cookie_id(session_id: int, secret: str) -> str:
    return f"s{session_id}.{secret}"


def _parse(value) -> tuple[int, str] | None:
    match = _COOKIE_ID.fullmatch(value) if isinstance(value, str) else None
    return (int(match.group(1)), match.group(2)) if match else None


def lifetime(remember: bool) -> timedelta:
    cfg = current_app.config
    return cfg["REMEMBER_COOKIE_DURATION"] if remember else cfg["PERMANENT_SESSION_LIFETIME"]


# --- starting ---------------------------------------------------------------------------------------

def start(person: Person, *, remember: bool, user_agent: str = "") -> tuple[LoginSession, str]:
    """A new session row for `person` and the value its cookies carry.

    Joins the caller's write transaction (the login's, with its audit event) or opens its own.
    """
    now = utcnow()
    secret = secrets.token_urlsafe(32)
    with write_transaction():
        (LoginSession.delete()
         .where(LoginSession.person == person.id,
                (LoginSession.ended_at < now - KEEP_ENDED) | (LoginSession.expires_at < now - KEEP_ENDED))
         .execute())
        row = LoginSession.create(person=person.id, secret_hash=_digest(secret), created_at=now,
                                  last_used_at=now, expires_at=now + lifetime(remember),
                                  user_agent=describe_user_agent(user_agent), remember=remember)
    return row, cookie_id(row.id, secret)


# --- using --------------------------------------------------------------------------------------------

# The person's organisation comes along: pages name it, and a query of its own on every request
# would cost more than the join. Every request runs this: its SQL is built once (see Prepared).
_SESSION_WITH_PERSON = Prepared(lambda session_id: (
    LoginSession.select(LoginSession, Person, Organisation).join(Person)
    .join(Organisation, JOIN.LEFT_OUTER, on=(Person.organisation == Organisation.id))
    .where(LoginSession.id == session_id).limit(1)))


def load(value) -> tuple[Person, LoginSession] | None:
    """The person and session a cookie value stands for, or None (ended, expired, forged, old format)."""
    parsed = _parse(value)
    if parsed is None:
        return None
    session_id, secret = parsed
    row = _SESSION_WITH_PERSON.first(session_id)
    if row is None or not hmac.compare_digest(row.secret_hash, _digest(secret)):
        return None
    now = utcnow()
    if row.ended_at is not None or row.expires_at <= now or not row.person.is_active:
        return None
    if now - row.last_used_at >= TOUCH_EVERY:
        _touch(row, now)
    return row.person, row


def _touch(row: LoginSession, now) -> None:
    # Conditional, so that parallel requests of one browser write once; not audited (bookkeeping).
    with write_transaction():
        (LoginSession.update(last_used_at=now)
         .where(LoginSession.id == row.id, LoginSession.last_used_at < now - TOUCH_EVERY)
         .execute())
    row.last_used_at = now


def active_for(person: Person) -> list[LoginSession]:
    """The person's sessions that still log a browser in, most recently used first."""
    return list(LoginSession.select()
                .where(LoginSession.person == person.id, LoginSession.ended_at.is_null(),
                       LoginSession.expires_at > utcnow())
                .order_by(LoginSession.last_used_at.desc(), LoginSession.id.desc()))


# --- ending ---------------------------------------------------------------------------------------------

def _open(query):
    return query.where(LoginSession.ended_at.is_null())


def close(session_id: int) -> bool:
    """End one session inside the caller's write transaction (which records why); False when it
    had ended already."""
    return bool(_open(LoginSession.update(ended_at=utcnow()).where(LoginSession.id == session_id)).execute())


def end(person: Person, session_id: int, *, actor: Person | None = None, why: str = "ended") -> bool | None:
    """End one of `person`'s sessions. True: ended now; False: it had ended already (a repeated
    click); None: `person` has no such session (someone else's id, or none at all)."""
    with write_transaction():
        row = LoginSession.get_or_none(LoginSession.id == session_id, LoginSession.person == person.id)
        if row is None:
            return None
        ended = close(row.id)
        if ended:
            audit.record("session.ended", person, actor=actor or person, session=row.id, why=why)
        return ended


def end_all(person: Person, *, except_id: int | None = None) -> int:
    """End every open session of `person` (but `except_id`); the count.

    Runs inside the caller's write transaction, whose audit event says why (password change,
    reset, deactivation).
    """
    query = _open(LoginSession.update(ended_at=utcnow()).where(LoginSession.person == person.id))
    if except_id is not None:
        query = query.where(LoginSession.id != except_id)
    return query.execute()


def end_others(person: Person, keep_id: int) -> int:
    """"Alle anderen abmelden": end every session of `person` but the one in use."""
    with write_transaction():
        count = end_all(person, except_id=keep_id)
        audit.record("session.ended_others", person, actor=person, count=count)
        return count


# --- what the overview shows -------------------------------------------------------------------------

_BROWSERS = [  # first match wins: Edge and Opera also say "Chrome", Chrome also says "Safari"
    ("Edge", re.compile(r"\bEdg(e|A|iOS)?/")),
    ("Opera", re.compile(r"\bOPR/|\bOpera\b")),
    ("Samsung Internet", re.compile(r"\bSamsungBrowser/")),
    ("Firefox", re.compile(r"\b(Firefox|FxiOS)/")),
    ("Chrome", re.compile(r"\b(HeadlessChrome|Chrome|CriOS|Chromium)/")),
    ("Safari", re.compile(r"\bVersion/[0-9.]+.*\bSafari/")),
]
_SYSTEMS = [
    ("Android", re.compile(r"\bAndroid\b")),
    ("iPhone", re.compile(r"\biPhone\b")),
    ("iPad", re.compile(r"\biPad\b")),
    ("ChromeOS", re.compile(r"\bCrOS\b")),
    ("Windows", re.compile(r"\bWindows\b")),
    ("macOS", re.compile(r"\bMac OS X\b|\bMacintosh\b")),
    ("Linux", re.compile(r"\bLinux\b")),
]


def describe_user_agent(header: str | None) -> str:
    """"Firefox / Windows", "Safari / iPhone", "" when nothing is recognised.

    Only this summary is stored: enough to recognise one's own devices, nothing to fingerprint.
    """
    header = (header or "")[:1000]
    browser = next((name for name, pattern in _BROWSERS if pattern.search(header)), "")
    system = next((name for name, pattern in _SYSTEMS if pattern.search(header)), "")
    return " / ".join(part for part in (browser, system) if part)[:120]
