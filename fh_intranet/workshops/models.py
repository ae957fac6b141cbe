"""Workshops (Thementische) at a meeting, their outputs and attachments."""
import peewee

from ..db import BaseModel, DateTimeField, utcnow
from ..meetings.models import Meeting, PartOfMeeting
from ..people.models import Person


class Workshop(PartOfMeeting, BaseModel):
    meeting = peewee.ForeignKeyField(Meeting, backref="workshops", on_delete="CASCADE")
    title = peewee.CharField(max_length=200)
    host = peewee.ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    position = peewee.IntegerField(default=0)
    created_at = DateTimeField(default=utcnow)
    version = peewee.IntegerField(default=1)  # title and host are edited (m0029)


OUTPUT_HEADING_OFFSET = 2  # an output's headings sit below its workshop's <h2>


class Output(BaseModel):
    workshop = peewee.ForeignKeyField(Workshop, backref="outputs", on_delete="CASCADE")
    text = peewee.TextField(default="")
    text_html = peewee.TextField(default="")  # markdown.keep(text, heading_offset=OUTPUT_HEADING_OFFSET)
    author = peewee.ForeignKeyField(Person, backref="+")
    created_at = DateTimeField(default=utcnow)
    edited_at = DateTimeField(null=True)
    version = peewee.IntegerField(default=1)

    @property
    def audit_context(self):
        return "Meeting", self.workshop.meeting_id


class Attachment(BaseModel):
    """A checked file, kept in the database so every app server and every backup has it."""

    output = peewee.ForeignKeyField(Output, backref="attachments", on_delete="CASCADE")
    filename = peewee.CharField(max_length=200)
    content_type = peewee.CharField(max_length=50)
    size = peewee.IntegerField()
    data = peewee.BlobField()
    preview = peewee.BlobField(null=True)  # small JPEG for images
    width = peewee.IntegerField(null=True)
    height = peewee.IntegerField(null=True)
    uploaded_by = peewee.ForeignKeyField(Person, backref="+")
    created_at = DateTimeField(default=utcnow)

    @property
    def is_image(self):
        return self.content_type.startswith("image/")
