"""Published documents as PDF, rendered once per revision and kept.

A published document changes only by a new revision (minutes: a correction; an agreement: a new
version, a state change or a signature), so its PDF is stored under a fingerprint of exactly
that, per language. A request for the same revision gets the stored bytes; anything that changes
the document changes the fingerprint and so makes a new PDF, and so does a new layout of the
PDFs themselves (`pdf.LAYOUT`) or a changed translation of their wording (the language's compiled
catalog). Drafts are kept too: a draft agreement by its numbered version, minutes by the audit
events that name the meeting (every change to them is audited in its transaction). The names a
PDF shows live in other rows: a renamed person or organisation makes kept minutes and
agreements again (`names_mark` in their fingerprints; the others are hashed whole), and an
anonymisation removes all kept ones at once (`forget_all`), so that no stored PDF keeps the
name. Documents made from live data (the annual
report until it is final, the offerings directory) are kept under a hash of everything they show
(`fingerprint_of`): fpdf2 takes from a tenth of a second to seconds to set them.
"""
import functools
import hashlib
import json
import threading
from pathlib import Path

import peewee
from peewee import fn

from .audit import AuditEvent
from .db import BaseModel, DateTimeField, utcnow, write_transaction
from .pdf import LAYOUT

TRANSLATIONS = Path(__file__).resolve().parent / "translations"


class RenderedPdf(BaseModel):
    kind = peewee.CharField(max_length=40)  # "minutes", "agreement", "report" (object_id: the year), "directory" (0)
    object_id = peewee.IntegerField()
    fingerprint = peewee.CharField(max_length=200)
    locale = peewee.CharField(max_length=5)
    data = peewee.BlobField()
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("kind", "object_id", "fingerprint", "locale"), True),)


def fingerprint_of(*shown) -> str:
    """A fingerprint of a document's content: what it shows, as JSON (dates as text)."""
    return hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode()).hexdigest()


# One lock per document and language: the first downloads after a change (minutes published, the
# whole steering group clicking at once) wait for one rendering instead of each making their own,
# seconds of CPU apiece. Per process: not inside a database transaction, which on SQLite would
# hold up every writer while fpdf2 works; two processes may still both render once.
_makers: dict[tuple, threading.Lock] = {}
_makers_lock = threading.Lock()


def _maker(kind: str, object_id: int, locale: str) -> threading.Lock:
    with _makers_lock:
        return _makers.setdefault((kind, object_id, locale), threading.Lock())


@functools.cache
def _wording(locale: str) -> str:
    """The compiled catalog a PDF in `locale` is worded from, as a short digest to add to its
    fingerprint; nothing for the language of the code itself, whose wording changes with the code
    (and LAYOUT). Read once per process, as Flask-Babel reads the catalog: a new one comes with a
    restart, and a PDF kept meanwhile is never stored under wording it does not have."""
    catalog = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.mo"
    if not catalog.exists():
        return ""
    return "-" + hashlib.sha256(catalog.read_bytes()).hexdigest()[:16]


# What changes a name that PDFs print (attendance, assignees, signers, organisations).
NAME_CHANGES = ("person.updated", "person.anonymised", "organisation.updated", "signature.signer_anonymised")


def names_mark() -> str:
    """A mark of the names PDFs print that live in other rows (people, organisations), for the
    fingerprint of a document that prints them and is not hashed whole (minutes, agreements).
    With the count: PostgreSQL numbers events when written, not when committed."""
    count, newest = (AuditEvent.select(fn.COUNT(AuditEvent.id), fn.MAX(AuditEvent.id))
                     .where(AuditEvent.action.in_(NAME_CHANGES)).tuples().first())
    return f"{count}.{newest or 0}"


def forget_all() -> None:
    """Remove every kept PDF (inside the caller's transaction): after an anonymisation no stored
    PDF may show the name any more."""
    RenderedPdf.delete().execute()


def cached(kind: str, object_id: int, fingerprint: str, locale: str, make) -> bytes:
    """The stored PDF for this revision, or `make()`'s bytes, stored for the next request."""
    fingerprint = f"{fingerprint}-layout{LAYOUT}{_wording(locale)}"
    key = (RenderedPdf.kind == kind) & (RenderedPdf.object_id == object_id) & (
        RenderedPdf.fingerprint == fingerprint) & (RenderedPdf.locale == locale)

    def stored():
        row = RenderedPdf.select(RenderedPdf.data).where(key).first()
        return bytes(row.data) if row is not None else None

    data = stored()
    if data is not None:
        return data
    with _maker(kind, object_id, locale):
        data = stored()  # made while this request waited
        if data is not None:
            return data
        data = make()
        with write_transaction():
            # Two processes at once render twice; the unique index keeps one copy.
            RenderedPdf.insert(kind=kind, object_id=object_id, fingerprint=fingerprint, locale=locale,
                               data=data).on_conflict_ignore().execute()
            # Older revisions of this document are not offered any more: keep only the newest, per
            # language (a fingerprint of content differs by language where the content is translated).
            RenderedPdf.delete().where((RenderedPdf.kind == kind) & (RenderedPdf.object_id == object_id)
                                       & (RenderedPdf.locale == locale)
                                       & (RenderedPdf.fingerprint != fingerprint)).execute()
    return data
