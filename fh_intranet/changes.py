"""The one way to change something: a write transaction, refusals with their reason, optimistic
locking against lost edits, and idempotent creation against double submits.

Every writer (the `workflow` module of its area) follows the same shape:

    def do_something(obj, …, actor) -> …:
        with write_transaction():
            current = locked(Model.select().where(Model.id == obj.id)).get()   # read what the rule checks
            if not allowed(current):
                raise Refused(NOT_ALLOWED)                                      # reason defined next to the rule
            changed = update_versioned(current, expected_version, {...})       # raises EditConflict
            audit.record("thing.changed", current, actor=actor, changes=changed)

Views never open transactions or record audit events; they parse, call, and render the outcome
(`web.render_form` for form pages).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import peewee
from flask_babel import lazy_gettext as _l

from .db import BaseModel, DateTimeField, database, is_sqlite, utcnow, write_transaction

__all__ = ["CONFLICT_MESSAGE", "EditConflict", "Reason", "Refused", "create_once", "fingerprint", "locked",
           "parse_version", "reason", "update_versioned", "write_transaction", "REASONS"]

CONFLICT_MESSAGE = _l(
    "Jemand anderes hat diese Angaben gespeichert, während Sie sie bearbeitet haben. Ihre Eingaben "
    "stehen noch im Formular; die gespeicherte Fassung sehen Sie daneben. Prüfen Sie beides und "
    "speichern Sie erneut.")


def fingerprint(text: str) -> str:
    """Names a text a form showed, so that the form can tell which of its texts the person changed
    (browsers send a textarea's line breaks as CRLF, whatever it showed)."""
    return hashlib.sha256(text.replace("\r\n", "\n").encode()).hexdigest()[:16]


# --- refusals -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reason:
    """Why a rule refuses an action, with the message the person reads (German source, translated)."""
    code: str
    message: object  # a lazy string

    def text(self, **params) -> str:
        return str(self.message) % params if params else str(self.message)


REASONS: dict[str, Reason] = {}


def reason(code: str, message) -> Reason:
    """Define a refusal reason next to the rule that raises it; codes are unique across the app."""
    if code in REASONS:
        raise ValueError(f"refusal reason {code!r} is defined twice")
    REASONS[code] = Reason(code, message)
    return REASONS[code]


class Refused(Exception):
    """An action the rules or the object's current state do not allow.

    `refused.message` is what the person reads; views show it, never translate codes themselves.
    """

    def __init__(self, why: Reason, **params):
        super().__init__(why.code)
        self.reason = why
        self.params = params

    @property
    def code(self) -> str:
        return self.reason.code

    @property
    def message(self) -> str:
        return self.reason.text(**self.params)


# --- edit conflicts -------------------------------------------------------------------------------

class EditConflict(Exception):
    """Someone else saved the same record since the editor loaded it.

    `current` is the record as it is stored now; `saved` optionally lists (label, value) pairs to
    show the editor what the other person saved, where the form's fields do not map onto `current`.
    `version` is what the form must carry to build on the stored state.
    """

    def __init__(self, current, *, saved: list[tuple[str, str]] | None = None, version=None):
        super().__init__(f"edit conflict on {type(current).__name__} {getattr(current, 'id', '')}")
        self.current = current
        self.saved = saved
        self.version = version if version is not None else getattr(current, "version", None)


def parse_version(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return -1


def update_versioned(obj: peewee.Model, expected_version, changes: dict) -> dict:
    """Write `changes` to `obj` if it is still at `expected_version`.

    Returns {field: [old, new]} for the fields that really changed (for the audit record).
    Raises EditConflict carrying the stored row when the version moved on. Call inside
    `write_transaction()`.
    """
    model = type(obj)
    updated = (model.update({**changes, model.version: model.version + 1})
               .where(model.id == obj.id, model.version == parse_version(expected_version))
               .execute())
    if not updated:
        raise EditConflict(model.get_by_id(obj.id))
    changed = {name: [getattr(obj, name), value] for name, value in changes.items()
               if getattr(obj, name) != value}
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.version = parse_version(expected_version) + 1
    return {name: [_plain(old), _plain(new)] for name, (old, new) in changed.items()}


def bump_version(obj: peewee.Model, expected_version) -> None:
    """Claim the next version of `obj` for a change stored elsewhere (e.g. in child rows)."""
    update_versioned(obj, expected_version, {})


def _plain(value):
    return getattr(value, "id", value)


# --- locking --------------------------------------------------------------------------------------

def locked(query: peewee.Select) -> peewee.Select:
    """The rows a rule checks, locked until the transaction ends.

    PostgreSQL: SELECT … FOR UPDATE. SQLite has no row locks; `write_transaction()` already holds
    the database's write lock from BEGIN IMMEDIATE on, so nobody else writes in between.
    """
    return query if is_sqlite() else query.for_update()


# --- idempotent creation ----------------------------------------------------------------------------

class Submission(BaseModel):
    """A create form's one-time token, and what its first submission created."""
    token = peewee.CharField(max_length=80, unique=True)
    object_type = peewee.CharField(max_length=40, default="")
    object_id = peewee.IntegerField(null=True)
    created_at = DateTimeField(default=utcnow, index=True)


def create_once(token: str | None, model: type[peewee.Model], create):
    """Run `create()` (which returns a new `model` row) once per form token.

    A double click or a resent form carries the same token: the second request waits for the first
    (BEGIN IMMEDIATE on SQLite, the unique index on PostgreSQL) and then gets the first's object
    back instead of creating another one. Without a token (old pages, API use) it simply creates.
    """
    if not token:
        with write_transaction():
            return create()
    token = token[:80]
    try:
        with write_transaction():
            claim = Submission.create(token=token, object_type=model.__name__)
            obj = create()
            Submission.update(object_id=obj.id).where(Submission.id == claim.id).execute()
            return obj
    except peewee.IntegrityError:
        if database.in_transaction():
            raise
    with write_transaction():
        # The token is taken. Read under its lock: two resends at once take their turns here.
        first = locked(Submission.select().where(Submission.token == token)).get_or_none()
        if first is not None and first.object_type != model.__name__:
            # the token came with another form, whose own resend still finds its object by it
            return create()
        found = model.get_or_none(model.id == first.object_id) if first and first.object_id else None
        if found is not None:
            return found  # the double click: the first's object
        # Its object is gone (deleted since, and the form sent again from the browser's history):
        # this sending asks to create it again (it answered 500), and the token names the new one.
        obj = create()
        if first is None:
            Submission.create(token=token, object_type=model.__name__, object_id=obj.id)
        else:
            Submission.update(object_id=obj.id).where(Submission.id == first.id).execute()
        return obj
