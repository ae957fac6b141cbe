"""Every change to the people and organisations of the network, and a person's changes to their
own account. Views parse the form, call one function here and render what it returns."""
from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from peewee import IntegrityError, fn

from .. import audit, mail
from ..auth import sessions, tokens
from ..auth.models import AccountToken
from ..auth.passwords import hash_password
from ..changes import EditConflict, Refused, create_once, locked, parse_version, reason, update_versioned
from ..db import serialize, utcnow, write_transaction
from ..i18n import locale_of
from ..notifications import outbox
from ..web import external_url
from .models import COORDINATOR, Organisation, Person

EMAIL_TAKEN = reason("people.email_taken", _l("Zu dieser E-Mail-Adresse gibt es schon einen Zugang."))
LAST_COORDINATOR = reason("people.last_coordinator",
                          _l("Es muss mindestens eine aktive Netzwerkkoordination geben."))
NOT_YOURSELF = reason("people.deactivate_self", _l("Sie können sich nicht selbst deaktivieren."))
CANNOT_REINVITE = reason("people.cannot_reinvite",
                         _l("Diese Person hat ihren Zugang schon eingerichtet oder ist deaktiviert."))
ANONYMISED = reason("people.anonymised",
                    _l("Diese Person wurde anonymisiert; ihre Angaben und ihr Zugang bleiben gelöscht."))
NAME_TAKEN = reason("organisations.name_taken", _l("Eine Organisation mit diesem Namen gibt es schon."))


def normalise_email(email: str) -> str:
    """Addresses are stored lower-case, so that the unique index catches every spelling."""
    return (email or "").strip().lower()


def _locked_person(person_id: int) -> Person:
    return locked(Person.select().where(Person.id == person_id)).get()


def _lock_active_coordinators() -> list[Person]:
    """The rows the last-coordinator rule reads, always locked first and in id order, so that two
    coordinators demoting each other at once wait for one another instead of both succeeding
    (or deadlocking)."""
    return list(locked(Person.select().where(Person.role == COORDINATOR, Person.active)
                       .order_by(Person.id)))


def _is_last_coordinator(person: Person, coordinators: list[Person]) -> bool:
    return (person.role == COORDINATOR and person.active
            and not any(other.id != person.id for other in coordinators))


def _refuse_taken_email(email: str, except_id=None) -> None:
    # Two invitations of the same address at once: the second waits here and then sees the first.
    serialize(f"person.email:{email}")
    query = Person.select().where(Person.email == email)
    if except_id is not None:
        query = query.where(Person.id != except_id)
    if query.exists():
        raise Refused(EMAIL_TAKEN)


def _email_taken_after(error: IntegrityError, email: str, except_id=None) -> Refused:
    """A unique-index violation that a concurrent writer caused: say what it means, or re-raise."""
    query = Person.select().where(Person.email == email)
    if except_id is not None:
        query = query.where(Person.id != except_id)
    if query.exists():
        return Refused(EMAIL_TAKEN)
    raise error


# --- invitations -----------------------------------------------------------------------------------

@dataclass
class Invitation:
    person: Person
    created: bool  # False: this was a repeat of a form that had created the person already
    sent: bool = False  # the mail went out
    link: str | None = None  # the link, when it could not be mailed (shown once, never stored)


def invite(*, name: str, email: str, organisation_id: int | None, function: str, role: str,
           inviter: Person, token: str | None) -> Invitation:
    """Create the person and their invitation link, then mail it.

    A double submit of the same form (same `token`) creates one person and sends one mail; the
    repeat gets the first person back with `created=False`.
    """
    email = normalise_email(email)
    issued: dict[str, str] = {}

    def create() -> Person:
        _refuse_taken_email(email)
        person = Person.create(name=name.strip(), email=email, function=function.strip(),
                               organisation=organisation_id, role=role)
        issued["raw"] = tokens.issue(person, AccountToken.INVITATION)
        audit.record("person.invited", person, actor=inviter, role=role, organisation=organisation_id)
        _queue_invitation(person, issued["raw"], inviter)
        return person

    try:
        person = create_once(token, Person, create)
    except IntegrityError as error:
        raise _email_taken_after(error, email) from None
    if "raw" not in issued:
        return Invitation(person, created=False)
    return _send_invitation(Invitation(person, created=True), issued["raw"], inviter)


def reinvite(person: Person, *, inviter: Person, token: str | None = None) -> Invitation:
    """A new invitation link (the old one stops working), mailed once per click of the button."""
    issued: dict[str, str] = {}

    def create() -> AccountToken:
        current = _locked_person(person.id)
        if current.has_accepted_invitation or not current.active:
            raise Refused(CANNOT_REINVITE)
        issued["raw"], row = tokens.issue_row(current, AccountToken.INVITATION)
        audit.record("person.reinvited", current, actor=inviter)
        _queue_invitation(current, issued["raw"], inviter)
        return row

    create_once(token, AccountToken, create)
    if "raw" not in issued:
        return Invitation(person, created=False)
    return _send_invitation(Invitation(person, created=True), issued["raw"], inviter)


def _queue_invitation(person: Person, raw: str, inviter: Person) -> None:
    """The invitation mail, into the outbox in the same transaction as the person and the link:
    a rollback takes the mail back too. Once sent, its body (with the link) is blanked."""
    if mail.is_configured():
        # the invited person's language (German until they choose another), not the inviter's
        with force_locale(locale_of(person)):
            outbox.enqueue(person, _("Einladung in das FH-Intranet"),
                           render_template("mail/invitation.txt", person=person, inviter=inviter,
                                           link=external_url("auth.accept_invitation", token=raw)),
                           sensitive=True)


def _send_invitation(invitation: Invitation, raw: str, inviter: Person) -> Invitation:
    """What the coordinator learns: the mail is on its way, or (no mail server) the link to pass on."""
    invitation.sent = mail.is_configured()
    if not invitation.sent:
        invitation.link = external_url("auth.accept_invitation", token=raw)
    return invitation


# --- people -------------------------------------------------------------------------------------------

def update_person(person: Person, expected_version, *, name: str, email: str, organisation_id: int | None,
                  function: str, role: str, actor: Person) -> Person:
    """Save the coordinator's edit of a person; raises EditConflict when someone saved in between."""
    email = normalise_email(email)
    try:
        with write_transaction():
            coordinators = _lock_active_coordinators()
            current = _locked_person(person.id)
            if current.is_anonymised:
                raise Refused(ANONYMISED)
            if current.version != parse_version(expected_version):
                raise EditConflict(current)
            _refuse_taken_email(email, except_id=current.id)
            if role != COORDINATOR and _is_last_coordinator(current, coordinators):
                raise Refused(LAST_COORDINATOR)
            changed = update_versioned(current, expected_version, {
                "name": name.strip(), "email": email, "function": function.strip(), "role": role,
                "organisation_id": organisation_id})
            if changed:
                audit.record("person.updated", current, actor=actor, changes=changed)
            if "email" in changed:
                # A link mailed to the old address (an invitation, a password reset) could take the
                # account over from whoever reads that mailbox; mails on their way follow the person.
                tokens.revoke(current)
                outbox.readdress(current, email)
            return current
    except IntegrityError as error:
        raise _email_taken_after(error, email, except_id=person.id) from None


def _set_active(person: Person, active: bool) -> None:
    person.active = active
    person.deactivated_at = None if active else utcnow()
    person.rotate_session_token()  # a deactivated person's open sessions end at once
    (Person.update(active=person.active, deactivated_at=person.deactivated_at,
                   session_token=person.session_token, version=Person.version + 1)
     .where(Person.id == person.id).execute())
    person.version += 1


def deactivate(person: Person, *, actor: Person) -> bool:
    """Deactivate `person`; False when they were inactive already (a repeated click)."""
    with write_transaction():
        coordinators = _lock_active_coordinators()
        current = _locked_person(person.id)
        if current.id == actor.id:
            raise Refused(NOT_YOURSELF)
        if not current.active:
            return False
        if _is_last_coordinator(current, coordinators):
            raise Refused(LAST_COORDINATOR)
        _set_active(current, False)
        ended = sessions.end_all(current)  # every browser of theirs is logged out at once
        audit.record("person.deactivated", current, actor=actor, sessions_ended=ended)
        return True


def reactivate(person: Person, *, actor: Person) -> bool:
    """Reactivate `person`; False when they were active already (a repeated click)."""
    with write_transaction():
        current = _locked_person(person.id)
        if current.active:
            return False
        if current.is_anonymised:
            raise Refused(ANONYMISED)
        _set_active(current, True)
        audit.record("person.reactivated", current, actor=actor)
        return True


# --- a person's own account -----------------------------------------------------------------------

def set_locale(person: Person, locale: str) -> None:
    with write_transaction():
        current = _locked_person(person.id)
        if current.locale == locale:
            return
        Person.update(locale=locale).where(Person.id == person.id).execute()
        audit.record("person.locale_changed", current, actor=person, locale=locale)


def create_account(*, email: str, name: str, role: str, password: str) -> Person:
    """A person who can log in at once (the command line makes the first coordinator this way)."""
    email = normalise_email(email)
    password_hash = hash_password(password)
    try:
        with write_transaction():
            _refuse_taken_email(email)
            person = Person.create(email=email, name=name, role=role, password_hash=password_hash)
            audit.record("person.created_on_cli", person, role=role)
            return person
    except IntegrityError as error:
        raise _email_taken_after(error, email) from None


# --- organisations ---------------------------------------------------------------------------------

def _refuse_taken_name(name: str, except_id=None) -> None:
    # Names are unique regardless of case, which the index does not know: serialise the check.
    serialize("organisation.name")
    query = Organisation.select().where(fn.LOWER(Organisation.name) == name.lower())
    if except_id is not None:
        query = query.where(Organisation.id != except_id)
    if query.exists():
        raise Refused(NAME_TAKEN)


def create_organisation(values: dict, *, actor: Person, token: str | None) -> Organisation:
    """A new organisation; the same form sent twice creates it once."""

    def create() -> Organisation:
        _refuse_taken_name(values["name"])
        organisation = Organisation.create(**values)
        audit.record("organisation.created", organisation, actor=actor, name=organisation.name)
        return organisation

    try:
        return create_once(token, Organisation, create)
    except IntegrityError:
        # Only the name is unique: someone created the same one in the same moment.
        raise Refused(NAME_TAKEN) from None


def update_organisation(organisation: Organisation, expected_version, values: dict, *,
                        actor: Person) -> Organisation:
    """Save an edit; raises EditConflict when someone saved in between."""
    try:
        with write_transaction():
            current = locked(Organisation.select().where(Organisation.id == organisation.id)).get()
            if current.version != parse_version(expected_version):
                raise EditConflict(current)
            _refuse_taken_name(values["name"], except_id=current.id)
            changed = update_versioned(current, expected_version, values)
            if changed:
                audit.record("organisation.updated", current, actor=actor, changes=changed)
            return current
    except IntegrityError:
        raise Refused(NAME_TAKEN) from None
