"""One way to record a change: an audit event written in the change's own transaction."""
import json

import peewee
from flask import has_request_context
from flask_login import current_user

from .db import BaseModel, DateTimeField, database, note_touched, utcnow
from .people.models import Person


class AuditEvent(BaseModel):
    created_at = DateTimeField(default=utcnow, index=True)
    actor = peewee.ForeignKeyField(Person, null=True, backref="audit_events", on_delete="SET NULL")
    action = peewee.CharField(max_length=60, index=True)
    object_type = peewee.CharField(max_length=40, default="")
    object_id = peewee.IntegerField(null=True)
    details = peewee.TextField(default="{}")
    # The object whose history shows this event too (a comment's agreement, an agenda item's
    # meeting), so that a history is two index lookups, also for parts deleted since.
    context_type = peewee.CharField(max_length=40, default="")
    context_id = peewee.IntegerField(null=True)

    @property
    def details_dict(self) -> dict:
        return json.loads(self.details or "{}")

    class Meta:
        # Ending with the time: a history reads its newest events from the index (m0024).
        indexes = ((("object_type", "object_id", "created_at"), False),
                   (("context_type", "context_id", "created_at"), False))


# Actions that change nothing anyone reads or searches (logins, sessions, votes, feeds): the
# transaction need not reindex their object.
QUIET_ACTIONS = ("login", "logout", "session.", "password.", "calendar_feed.", "vote.", "person.locale_changed")


class NotInTransaction(RuntimeError):
    pass


def _current_actor():
    if has_request_context() and current_user.is_authenticated:
        return current_user.id
    return None


def record(action: str, obj=None, *, actor=None, **details) -> AuditEvent:
    """Record `action` on `obj` (a model instance or None).

    Must run inside the `write_transaction()` block that makes the change, so that the change
    and its record are committed together or not at all. Details must not hold passwords,
    tokens or other secrets.
    """
    if not database.in_transaction():
        raise NotInTransaction(f"audit.record({action!r}) outside the change's transaction")
    actor_id = actor.id if isinstance(actor, Person) else actor
    if actor_id is None:
        actor_id = _current_actor()
    object_type = type(obj).__name__ if obj is not None else ""
    object_id = getattr(obj, "id", None)
    context_type, context_id = getattr(obj, "audit_context", ("", None))
    if not action.startswith(QUIET_ACTIONS):
        note_touched(object_type, object_id)  # the search index follows before the commit
    return AuditEvent.create(
        actor=actor_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        context_type=context_type,
        context_id=context_id,
        details=json.dumps(details, ensure_ascii=False, default=str, sort_keys=True),
    )
