"""The mail outbox: written in the transaction of the change it reports, delivered by the worker.

A request never waits for SMTP. Each mail is delivered once even with several workers: a worker
claims due rows (PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED, so two workers never claim the same
row; SQLite: inside BEGIN IMMEDIATE, which lets one writer in at a time) by marking them
`sending`, commits, then talks to the server without holding any lock. A failure puts the row
back with an exponential back-off; after MAX_ATTEMPTS it is given up (`failed`). A worker that
died between claim and result leaves a `sending` row that is claimed again after CLAIM_TIMEOUT.
Calendar mails to one person go out in the order they were written (an update never after its
cancellation), whichever worker claims them.
Logs name the row and the error, never the body (it may hold a one-time link).
"""
from __future__ import annotations

import json
import logging
import time
from datetime import timedelta

import peewee
from flask import current_app
from peewee import fn

from .. import mail
from ..db import database, is_sqlite, utcnow, write_transaction
from ..people.models import Person
from .models import FAILED, QUEUED, SENDING, SENT, OutboxMail

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
CLAIM_TIMEOUT = timedelta(minutes=15)
BATCH = 20
_warned_unconfigured = False


def enqueue(to: Person | str, subject: str, text: str, *, html: str = "", headers: dict | None = None,
            ics: str = "", ics_method: str = "", sensitive: bool = False) -> OutboxMail:
    """Put a mail to a person (or to an address of no person's) in the outbox. Call inside the
    write transaction of the change it reports: a rollback takes the mail back too."""
    if not database.in_transaction():
        raise RuntimeError("outbox.enqueue belongs inside the change's write_transaction()")
    person = to if isinstance(to, Person) else None
    return OutboxMail.create(recipient=person.email if person else to, person=person, subject=subject[:300],
                             text_body=text, html_body=html, headers=json.dumps(headers or {}), ics=ics,
                             ics_method=ics_method, sensitive=sensitive)


def readdress(person: Person, email: str) -> None:
    """The person's address changed: mails still on their way go to the new one, except those with
    a one-time link (invitation, password reset), whose links stopped working with the change. A
    mail being sent right now is included: if this attempt fails, the next goes to the new address."""
    waiting = (OutboxMail.person == person) & OutboxMail.status.in_([QUEUED, SENDING])
    OutboxMail.delete().where(waiting & OutboxMail.sensitive).execute()
    OutboxMail.update(recipient=email).where(waiting & ~OutboxMail.sensitive).execute()


def discard_queued() -> int:
    """Drop every mail not yet sent (demo data: its invented events are history, not news)."""
    with write_transaction():
        return OutboxMail.delete().where(OutboxMail.status == QUEUED).execute()


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the attempts so far, at most LONGEST_RETRY."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_RETRY)


def claim(limit: int = BATCH) -> list[OutboxMail]:
    """Mark up to `limit` due mails as this worker's; nobody else gets them."""
    now = utcnow()
    due = ((OutboxMail.status == QUEUED) & (OutboxMail.next_attempt_at <= now)) | (
        (OutboxMail.status == SENDING) & (OutboxMail.claimed_at < now - CLAIM_TIMEOUT))
    query = OutboxMail.select(OutboxMail.id).where(due & ~_overtakes()).order_by(OutboxMail.id).limit(limit)
    with write_transaction():
        if not is_sqlite():
            query = query.for_update("FOR UPDATE SKIP LOCKED")
        ids = [row.id for row in query]
        if not ids:
            return []
        (OutboxMail.update(status=SENDING, claimed_at=now, attempts=OutboxMail.attempts + 1)
         .where(OutboxMail.id.in_(ids)).execute())
        # A person's mail goes to their address as it is now (one written from a person read
        # before their address changed carried the old one), and the row says where it went.
        (OutboxMail.update(recipient=Person.select(Person.email).where(Person.id == OutboxMail.person))
         .where(OutboxMail.id.in_(ids), OutboxMail.person.is_null(False)).execute())
    return list(OutboxMail.select().where(OutboxMail.id.in_(ids)).order_by(OutboxMail.id))


def _overtakes():
    """A calendar mail with an earlier one to the same person still on its way: it waits for it.
    Calendar programs apply an invitation, its update and its cancellation in the order they
    arrive; claimed by two workers, a cancellation could arrive before the update it follows and a
    program that does not compare sequence numbers would bring the meeting back. Per person, not per
    meeting (the outbox keeps no event id): a calendar mail that keeps failing holds that person's
    later ones back until it goes out or is given up, hours at most; other mails never wait."""
    earlier = OutboxMail.alias()
    # the same person (by the address only for mails to no person's: one written from a read
    # before an address change still carries the old one until it is claimed)
    same_person = ((OutboxMail.person.is_null(False) & (earlier.person == OutboxMail.person))
                   | (OutboxMail.person.is_null() & (earlier.recipient == OutboxMail.recipient)))
    on_its_way = (earlier.select(earlier.id)
                  .where(earlier.status.in_([QUEUED, SENDING]), same_person,
                         earlier.id < OutboxMail.id, earlier.ics != ""))
    return (OutboxMail.ics != "") & fn.EXISTS(on_its_way)


def _mark_sent(row: OutboxMail) -> None:
    changes = {"status": SENT, "sent_at": utcnow(), "last_error": ""}
    if row.sensitive:
        changes.update(text_body="", html_body="")  # the one-time link is in the recipient's mailbox now
    with write_transaction():
        OutboxMail.update(changes).where(OutboxMail.id == row.id, OutboxMail.status == SENDING).execute()


def _mark_failed(row: OutboxMail, error: Exception, *, for_good: bool = False) -> None:
    gave_up = for_good or row.attempts >= MAX_ATTEMPTS
    message = f"{type(error).__name__}: {error}"[:300]
    with write_transaction():
        (OutboxMail.update(status=FAILED if gave_up else QUEUED, claimed_at=None, last_error=message,
                           next_attempt_at=utcnow() + retry_delay(row.attempts))
         .where(OutboxMail.id == row.id, OutboxMail.status == SENDING).execute())
    log.warning("mail %s: attempt %s failed (%s)%s", row.id, row.attempts, type(error).__name__,
                "; given up" if gave_up else "; will retry")


def _log_instead(rows: list[OutboxMail]) -> None:
    """Development without MAIL_SERVER: the mail goes to the log, so links can be followed."""
    for row in rows:
        log.warning("No MAIL_SERVER set; this mail was not sent:\nTo: %s\nSubject: %s\n\n%s",
                    row.recipient, row.subject, row.text_body)
        _mark_sent(row)


def send_due() -> tuple[int, int]:
    """Deliver every mail that is due now; (sent, failed) counts."""
    if not mail.is_configured():
        if current_app.config["ENV_NAME"] != "development":
            global _warned_unconfigured
            if not _warned_unconfigured:  # once per process, not on every look at the outbox
                log.warning("No MAIL_SERVER set; queued mails stay in the outbox.")
                _warned_unconfigured = True
            return 0, 0
    sent = failed = 0
    while rows := claim():
        if not mail.is_configured():
            _log_instead(rows)
            sent += len(rows)
            continue
        sent_now, refused_now, broken_now = _deliver(rows)
        sent, failed = sent + sent_now, failed + refused_now + broken_now
        if refused_now:
            break  # the server is unwell: the rest waits for the next run
    return sent, failed


def _deliver(rows: list[OutboxMail]) -> tuple[int, int, int]:
    """(sent, refused by the server or not reached, given up because they cannot be built)."""
    sent = broken = 0
    try:
        with mail.smtp_connection() as smtp:
            for row in rows:
                try:
                    message = mail.build_message(row)
                except Exception as error:  # one mail that cannot be written must not stop the others
                    log.exception("mail %s cannot be built; given up", row.id)
                    _mark_failed(row, error, for_good=True)  # trying again would fail the same way
                    broken += 1
                    continue
                try:
                    smtp.send_message(message)
                except mail.SEND_ERRORS as error:
                    _mark_failed(row, error)
                    continue
                _mark_sent(row)
                sent += 1
                log.info("mail %s sent", row.id)
    except mail.SEND_ERRORS as error:  # no connection at all
        for row in rows:
            if OutboxMail.get_by_id(row.id).status == SENDING:
                _mark_failed(row, error)
    return sent, len(rows) - sent - broken, broken


def run_worker(*, once: bool, interval: float) -> None:
    """Deliver due mails; with `once`, until none is due, else forever with a pause between runs."""
    while True:
        try:
            database.connect(reuse_if_open=True)
            sent, failed = send_due()
            if sent or failed:
                log.info("outbox: %s sent, %s failed", sent, failed)
        except (peewee.DatabaseError, OSError) as error:
            if once:
                raise
            log.error("outbox worker: %s; trying again in %s s", type(error).__name__, interval)
        finally:
            if not database.is_closed():
                database.close()
        if once:
            return
        time.sleep(interval)
