"""What logging in and out, a password reset and accepting an invitation store.

The checks that decide whether someone may log in (throttle, password, active) stay in the view,
unchanged; what they lead to is written here, each in one write transaction with its audit event.
"""
from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from .. import audit, mail
from ..changes import locked
from ..db import utcnow, write_transaction
from ..people.models import Person, new_session_token
from ..people.workflow import normalise_email
from ..web import external_url
from . import throttle, tokens
from .models import AccountToken
from .passwords import hash_password

RESETS_PER_WINDOW = 3


def note_failed_login(person: Person | None, *keys: str) -> None:
    """Count a failed attempt against the account and the address, and record it (no e-mail in it)."""
    with write_transaction():
        throttle.note_failure(*keys)
        audit.record("login.failed", person, actor=None,
                     reason="wrong_password" if person else "unknown_account")


def note_login(person: Person, *, account_key: str, remember: bool) -> None:
    now = utcnow()
    with write_transaction():
        throttle.forget(account_key)
        Person.update(last_login_at=now).where(Person.id == person.id).execute()
        audit.record("login", person, actor=person, remember=remember)
    person.last_login_at = now


def note_logout(person: Person) -> None:
    with write_transaction():
        audit.record("logout", person, actor=person)


def request_password_reset(email: str) -> None:
    """Mail a reset link if `email` belongs to an active account.

    Returns nothing either way: the page must never tell whether an address exists. At most
    RESETS_PER_WINDOW requests per address and throttle window, whether it exists or not.
    """
    email = normalise_email(email)
    key = throttle.account_key("reset:" + email)
    with write_transaction():
        if throttle.minutes_blocked([(key, RESETS_PER_WINDOW)]):
            return
        throttle.note_failure(key)
        person = Person.get_or_none(Person.email == email)
        if person is None or not person.is_active:
            return
        raw = tokens.issue(person, AccountToken.PASSWORD_RESET)
        audit.record("password.reset_requested", person, actor=person)
    link = external_url("auth.reset_password", token=raw)
    mail.send(person.email, _("Passwort zurücksetzen – FH-Intranet"),
              render_template("mail/password_reset.txt", person=person, link=link))


def set_password_with_token(found: AccountToken, password: str) -> Person | None:
    """Spend the link and set the password; None when the link was spent meanwhile (by a second
    request with the same link) or the person was deactivated meanwhile.

    The returned person carries the new session token: other sessions of theirs end.
    """
    password_hash = hash_password(password)  # slow on purpose: outside the write lock
    with write_transaction():
        person = locked(Person.select().where(Person.id == found.person_id)).get()
        if not person.active or not tokens.redeem(found):
            return None
        person.password_hash = password_hash
        person.session_token = new_session_token()
        Person.update(password_hash=person.password_hash, session_token=person.session_token).where(
            Person.id == person.id).execute()
        audit.record("invitation.accepted" if found.purpose == AccountToken.INVITATION else "password.reset",
                     person, actor=person)
    return person
