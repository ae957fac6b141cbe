"""Anonymising a departed person (DSGVO Art. 17): the writer.

What the network produced together stays readable: minutes, comments, action items, votes of
named rounds, signatures and results keep pointing at the same person row, which from now on is
called "ehemaliges Mitglied N" (numbered, so a thread of comments still shows who answered whom).
What only served the person goes: e-mail address, function, organisation link, login sessions,
invitation and reset links, the calendar feed, notifications and login-throttle counts; the
password is replaced by one nobody knows and the account stays deactivated for good. Audit
events keep their actor link (the history stays true) and show the new name; their details no
longer carry the old name or address.
"""
from __future__ import annotations

import json
import secrets

from flask_babel import lazy_gettext as _l

from .. import audit, pdf_cache
from ..agreements.models import Signature
from ..audit import AuditEvent
from ..auth import throttle
from ..auth.models import AccountToken, LoginFailure, LoginSession
from ..auth.passwords import hash_password
from ..changes import Refused, locked, reason
from ..db import serialize, utcnow, write_transaction
from ..meetings.models import CalendarFeed
from ..notifications.models import DailyMailing, Notification, NotificationPreference, OutboxMail, StartPageVisit
from .models import Person
from .workflow import LAST_COORDINATOR, _is_last_coordinator, _lock_active_coordinators

PSEUDONYM = "ehemaliges Mitglied %d"
# .invalid never resolves (RFC 2606): nothing can be delivered there, and the number keeps it unique.
PLACEHOLDER_EMAIL = "ehemaliges-mitglied-{number}-{nonce}@anonymisiert.invalid"

ANONYMISE_SELF = reason("people.anonymise_self", _l("Sie können sich nicht selbst anonymisieren."))
ALREADY_ANONYMISED = reason("people.already_anonymised", _l("Diese Person ist bereits anonymisiert."))


def anonymise(person: Person, *, actor: Person) -> Person:
    """Anonymise `person` for good; returns the row with its new name."""
    unusable_hash = hash_password(secrets.token_urlsafe(32))  # slow on purpose: outside the write lock
    with write_transaction():
        coordinators = _lock_active_coordinators()
        current = locked(Person.select().where(Person.id == person.id)).get()
        if current.id == actor.id:
            raise Refused(ANONYMISE_SELF)
        if current.is_anonymised:
            raise Refused(ALREADY_ANONYMISED)
        if _is_last_coordinator(current, coordinators):
            raise Refused(LAST_COORDINATOR)
        serialize("person.anonymise")  # the numbers are MAX + 1
        number = Person.select().where(Person.anonymised_at.is_null(False)).count() + 1
        old_name, old_email = current.name, current.email
        now = utcnow()
        current.rotate_session_token()
        values = {
            "name": PSEUDONYM % number,
            "email": PLACEHOLDER_EMAIL.format(number=number, nonce=secrets.token_hex(4)),
            "function": "", "organisation": None, "password_hash": unusable_hash, "active": False,
            "deactivated_at": current.deactivated_at or now, "last_login_at": None, "anonymised_at": now,
            "session_token": current.session_token, "version": Person.version + 1,
        }
        Person.update(values).where(Person.id == current.id).execute()

        removed = {
            "sessions": LoginSession.delete().where(LoginSession.person == current.id).execute(),
            "links": AccountToken.delete().where(AccountToken.person == current.id).execute(),
            "calendar_feeds": CalendarFeed.delete().where(CalendarFeed.person == current.id).execute(),
            "notifications": Notification.delete().where(Notification.person == current.id).execute(),
            # mails queued or kept for the old address hold the name and the address itself
            "mails": OutboxMail.delete().where((OutboxMail.person == current.id)
                                               | (OutboxMail.recipient == old_email)).execute(),
            "notification_settings": sum(model.delete().where(model.person == current.id).execute()
                                         for model in (NotificationPreference, DailyMailing, StartPageVisit)),
            "login_failures": LoginFailure.delete().where(LoginFailure.key.in_([
                throttle.account_key(old_email), throttle.account_key("reset:" + old_email)])).execute(),
        }
        signatures = _rename_signer(old_name, PSEUDONYM % number, actor)
        scrubbed = _scrub_audit_details({old_email: values["email"], old_name: PSEUDONYM % number})
        audit.record("person.anonymised", current, actor=actor, number=number, signatures=signatures,
                     audit_details_scrubbed=scrubbed, **removed)
        pdf_cache.forget_all()  # kept PDFs may show the name (attendance, action items, signatures)
    return Person.get_by_id(person.id)


def _rename_signer(old_name: str, new_name: str, actor: Person) -> int:
    """Signatures name the signer as typed, not by link: those with exactly this name now carry
    the pseudonym, still "für" their organisation."""
    wanted = " ".join(old_name.split()).casefold()
    count = 0
    for signature in locked(Signature.select()):
        if " ".join(signature.signer_name.split()).casefold() == wanted:
            Signature.update(signer_name=new_name).where(Signature.id == signature.id).execute()
            audit.record("signature.signer_anonymised", signature, actor=actor)
            count += 1
    return count


def _scrub_audit_details(replacements: dict[str, str]) -> int:
    """Replace the old name and address wherever an audit event's details quote them."""
    replacements = {old: new for old, new in replacements.items() if old}
    if not replacements:
        return 0
    matches = None
    for old in replacements:
        condition = AuditEvent.details.contains(json.dumps(old, ensure_ascii=False)[1:-1])
        matches = condition if matches is None else matches | condition
    count = 0
    for event in locked(AuditEvent.select().where(matches)):
        details = _replace_in(json.loads(event.details or "{}"), replacements)
        text = json.dumps(details, ensure_ascii=False, default=str, sort_keys=True)
        if text != event.details:
            AuditEvent.update(details=text).where(AuditEvent.id == event.id).execute()
            count += 1
    return count


def _replace_in(value, replacements: dict[str, str]):
    """Values equal to the old name or address, and the address inside longer texts (a short
    name could also be part of an unrelated word)."""
    if isinstance(value, str):
        if value in replacements:
            return replacements[value]
        for old, new in replacements.items():
            if "@" in old:
                value = value.replace(old, new)
        return value
    if isinstance(value, list):
        return [_replace_in(item, replacements) for item in value]
    if isinstance(value, dict):
        return {key: _replace_in(item, replacements) for key, item in value.items()}
    return value
