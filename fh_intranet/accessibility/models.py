import peewee

from ..db import BaseModel, DateTimeField, utcnow
from ..people.models import Person


class AccessibilityFeedback(BaseModel):
    """A barrier someone reported through the statement's form, with or without a login."""

    created_at = DateTimeField(default=utcnow, index=True)
    person = peewee.ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    name = peewee.CharField(max_length=200, default="")
    email = peewee.CharField(max_length=254, default="")
    page = peewee.CharField(max_length=300, default="")
    message = peewee.TextField()
