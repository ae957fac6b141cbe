"""Barriers reported through the accessibility statement's feedback form."""
import datetime

import peewee


def upgrade(db):
    class Person(peewee.Model):
        class Meta:
            database = db
            table_name = "person"

    class AccessibilityFeedback(peewee.Model):
        created_at = peewee.DateTimeField(default=datetime.datetime.utcnow, index=True)
        person = peewee.ForeignKeyField(Person, null=True, on_delete="SET NULL")
        name = peewee.CharField(max_length=200, default="")
        email = peewee.CharField(max_length=254, default="")
        page = peewee.CharField(max_length=300, default="")
        message = peewee.TextField()

        class Meta:
            database = db
            table_name = "accessibility_feedback"

    db.create_tables([AccessibilityFeedback])
