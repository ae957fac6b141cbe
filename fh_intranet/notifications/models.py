"""What a person should learn about, how they want to hear of it, and the mails on their way."""
import json

import peewee

from ..db import BaseModel, DateField, DateTimeField, utcnow
from ..people.models import Person

IMMEDIATE, DIGEST, OFF = "immediate", "digest", "off"
CHANNELS = (IMMEDIATE, DIGEST, OFF)


class Notification(BaseModel):
    """Something a person should learn about: listed in the app, mailed as they chose."""

    person = peewee.ForeignKeyField(Person, backref="notifications", on_delete="CASCADE")
    kind = peewee.CharField(max_length=40)
    object_type = peewee.CharField(max_length=40)
    object_id = peewee.IntegerField()
    text = peewee.CharField(max_length=300)
    # What the change replaced, as JSON data (a moved meeting's former starts_at, ends_at, place;
    # m0030): formatted when shown, in the reader's language, like the details read with it.
    previous = peewee.TextField(null=True)
    created_at = DateTimeField(default=utcnow, index=True)
    read_at = DateTimeField(null=True)
    # Waiting for the person's daily summary mail; cleared when the summary is written.
    digest_pending = peewee.BooleanField(default=False)

    class Meta:
        table_name = "notification"
        indexes = ((("person", "read_at"), False),)

    @property
    def previous_values(self) -> dict:
        """`previous` read back ({} when the change replaced nothing said in the notification)."""
        return json.loads(self.previous) if self.previous else {}


def kept_previous(values: dict | None) -> str | None:
    """What a change replaced, as `Notification.previous` keeps it (JSON; times as naive UTC)."""
    return json.dumps(values, default=str) if values else None


class NotificationPreference(BaseModel):
    """How a person wants to hear of one kind of event; no row means the kind's default."""

    person = peewee.ForeignKeyField(Person, backref="+", on_delete="CASCADE")
    kind = peewee.CharField(max_length=40)
    channel = peewee.CharField(max_length=10)

    class Meta:
        indexes = ((("person", "kind"), True),)


class DailyMailing(BaseModel):
    """One daily mail (summary or reminder) already written for a person and day: never twice."""

    person = peewee.ForeignKeyField(Person, backref="+", on_delete="CASCADE")
    day = DateField()
    what = peewee.CharField(max_length=80)  # "digest", or the reminder's kind and object
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("person", "day", "what"), True),)


class StartPageVisit(BaseModel):
    """The "since your last visit" boundary: `seen_until` is when the person last opened the start
    page before the current visit; `last_view_at` is the current visit."""

    person = peewee.ForeignKeyField(Person, backref="+", unique=True, on_delete="CASCADE")
    seen_until = DateTimeField(null=True)
    last_view_at = DateTimeField()


QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"


class OutboxMail(BaseModel):
    """A mail written in the transaction of the change it reports, delivered by the worker."""

    recipient = peewee.CharField(max_length=254)
    # whom it was written for: their own data, and where it goes when their address changes
    person = peewee.ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    subject = peewee.CharField(max_length=300)
    text_body = peewee.TextField()
    html_body = peewee.TextField(default="")
    headers = peewee.TextField(default="{}")  # JSON: extra headers such as List-Unsubscribe
    ics = peewee.TextField(default="")  # an iCalendar attachment (invitation.ics), or empty
    ics_method = peewee.CharField(max_length=20, default="")
    # Bodies with a one-time link (invitation, password reset) are blanked once sent.
    sensitive = peewee.BooleanField(default=False)
    status = peewee.CharField(max_length=10, default=QUEUED)
    attempts = peewee.IntegerField(default=0)
    next_attempt_at = DateTimeField(default=utcnow)
    claimed_at = DateTimeField(null=True)
    sent_at = DateTimeField(null=True)
    last_error = peewee.CharField(max_length=300, default="")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("status", "next_attempt_at"), False),)
