"""Bodies (Gremien), their meetings, and the minutes of those meetings."""
import secrets

import peewee
from flask_babel import lazy_gettext as _l

from ..db import BaseModel, DateField, DateTimeField, utcnow
from ..people.models import Person
from ..timezones import berlin_today

BODY_KINDS = {
    "steering_group": _l("Steuerungsgruppe"),
    "conference": _l("Netzwerkkonferenz"),
    "working_group": _l("Arbeitsgruppe"),
    "other": _l("Sonstiges Gremium"),
}
MEETING_KINDS = {
    "session": _l("Sitzung"),
    "conference": _l("Netzwerkkonferenz"),
    "fachtag": _l("Fachtag"),
    "other": _l("Sonstiges Treffen"),
}
ATTENDANCE = {
    "present": _l("anwesend"),
    "excused": _l("entschuldigt"),
    "absent": _l("abwesend"),
}
# A meeting is planned and minuted as a draft, then published; or called off before it happens.
DRAFT, PUBLISHED, CANCELLED = "draft", "published", "cancelled"
NOTES_HEADING_OFFSET = 3  # agenda item notes sit below the item's <h3> on the minutes page


class Body(BaseModel):
    name = peewee.CharField(max_length=200, unique=True)
    kind = peewee.CharField(max_length=30, default="working_group")
    description = peewee.TextField(default="")
    chair = peewee.ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    archived = peewee.BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)
    version = peewee.IntegerField(default=1)

    @property
    def kind_label(self):
        return BODY_KINDS.get(self.kind, self.kind)


class BodyMember(BaseModel):
    body = peewee.ForeignKeyField(Body, backref="memberships", on_delete="CASCADE")
    person = peewee.ForeignKeyField(Person, backref="body_memberships", on_delete="CASCADE")

    class Meta:
        indexes = ((("body", "person"), True),)


class Meeting(BaseModel):
    body = peewee.ForeignKeyField(Body, backref="meetings", on_delete="RESTRICT")
    kind = peewee.CharField(max_length=20, default="session")
    title = peewee.CharField(max_length=200)
    starts_at = DateTimeField(index=True)  # UTC
    ends_at = DateTimeField()  # UTC
    place = peewee.CharField(max_length=300, default="")
    state = peewee.CharField(max_length=20, default=DRAFT, index=True)
    published_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)
    version = peewee.IntegerField(default=1)  # optimistic lock over the meeting's own fields
    # The attendance list is saved as one form: its own lock, so editing the title does not
    # make an open attendance form stale (and the other way round).
    attendance_version = peewee.IntegerField(default=1)

    @property
    def kind_label(self):
        return MEETING_KINDS.get(self.kind, self.kind)

    @property
    def is_published(self):
        return self.state == PUBLISHED

    @property
    def is_draft(self):
        return self.state == DRAFT

    @property
    def is_cancelled(self):
        return self.state == CANCELLED

    @property
    def is_past(self):
        return self.ends_at < utcnow()


class PartOfMeeting:
    """A row that belongs to one meeting: its audit events show in the meeting's history too."""

    @property
    def audit_context(self):
        return "Meeting", self.meeting_id


class AgendaItem(PartOfMeeting, BaseModel):
    meeting = peewee.ForeignKeyField(Meeting, backref="agenda_items", on_delete="CASCADE")
    position = peewee.IntegerField()
    title = peewee.CharField(max_length=300)
    notes = peewee.TextField(default="")
    notes_html = peewee.TextField(default="")  # markdown.keep(notes, heading_offset=NOTES_HEADING_OFFSET)
    version = peewee.IntegerField(default=1)


class Decision(PartOfMeeting, BaseModel):
    meeting = peewee.ForeignKeyField(Meeting, backref="decisions", on_delete="CASCADE")
    agenda_item = peewee.ForeignKeyField(AgendaItem, backref="decisions", on_delete="CASCADE")
    text = peewee.TextField()
    year = peewee.IntegerField(null=True)  # numbered when the minutes are published
    number = peewee.IntegerField(null=True)
    created_at = DateTimeField(default=utcnow)
    version = peewee.IntegerField(default=1)

    class Meta:
        indexes = ((("year", "number"), True),)

    @property
    def label(self):
        return decision_label(self.year, self.number)


def decision_label(year: int | None, number: int | None) -> str | None:
    """"2026/07": decisions are numbered per year when their minutes are published."""
    return f"{year}/{number:02d}" if number else None


class ActionItem(PartOfMeeting, BaseModel):
    meeting = peewee.ForeignKeyField(Meeting, backref="action_items", on_delete="CASCADE")
    agenda_item = peewee.ForeignKeyField(AgendaItem, backref="action_items", on_delete="CASCADE")
    what = peewee.TextField()
    person = peewee.ForeignKeyField(Person, backref="action_items", on_delete="RESTRICT")
    due_on = DateField(null=True)
    done_at = DateTimeField(null=True)
    done_by = peewee.ForeignKeyField(Person, null=True, backref="+")
    created_at = DateTimeField(default=utcnow)
    version = peewee.IntegerField(default=1)  # edits and ticks alike move it on

    @property
    def is_overdue(self):
        return self.done_at is None and self.due_on is not None and self.due_on < berlin_today()


class Attendance(BaseModel):
    meeting = peewee.ForeignKeyField(Meeting, backref="attendance", on_delete="CASCADE")
    person = peewee.ForeignKeyField(Person, backref="+", on_delete="CASCADE")
    status = peewee.CharField(max_length=20, null=True)  # None: not recorded yet

    class Meta:
        indexes = ((("meeting", "person"), True),)

    @property
    def status_label(self):
        return ATTENDANCE.get(self.status, _l("nicht erfasst"))


class Guest(BaseModel):
    meeting = peewee.ForeignKeyField(Meeting, backref="guests", on_delete="CASCADE")
    name = peewee.CharField(max_length=200)
    organisation = peewee.CharField(max_length=200, default="")


class MinutesComment(BaseModel):
    meeting = peewee.ForeignKeyField(Meeting, backref="comments", on_delete="CASCADE")
    author = peewee.ForeignKeyField(Person, backref="+")
    body = peewee.TextField()
    body_html = peewee.TextField(default="")  # markdown.keep(body)
    created_at = DateTimeField(default=utcnow)


class MinutesRevision(BaseModel):
    """A published state of the minutes: 1 at publishing, then one per correction."""

    meeting = peewee.ForeignKeyField(Meeting, backref="revisions", on_delete="CASCADE")
    number = peewee.IntegerField()
    reason = peewee.TextField(default="")
    snapshot = peewee.TextField()  # the minutes as plain text, for showing what changed
    author = peewee.ForeignKeyField(Person, backref="+")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("meeting", "number"), True),)


class CalendarFeed(BaseModel):
    """A person's secret address for subscribing to their bodies' meetings."""

    person = peewee.ForeignKeyField(Person, backref="+", unique=True, on_delete="CASCADE")
    token = peewee.CharField(max_length=64, unique=True, default=lambda: secrets.token_urlsafe(32))
    created_at = DateTimeField(default=utcnow)
