"""Bodies, meetings, minutes, calendar feeds, notifications; the Steuerungsgruppe exists from the start."""
from datetime import datetime, timezone

import peewee


def upgrade(db):
    class Person(peewee.Model):
        class Meta:
            database = db
            table_name = "person"

    class Body(peewee.Model):
        name = peewee.CharField(max_length=200, unique=True)
        kind = peewee.CharField(max_length=30, default="working_group")
        description = peewee.TextField(default="")
        chair = peewee.ForeignKeyField(Person, null=True, on_delete="SET NULL")
        archived = peewee.BooleanField(default=False)
        created_at = peewee.DateTimeField()
        version = peewee.IntegerField(default=1)

        class Meta:
            database = db
            table_name = "body"

    class BodyMember(peewee.Model):
        body = peewee.ForeignKeyField(Body, on_delete="CASCADE")
        person = peewee.ForeignKeyField(Person, on_delete="CASCADE")

        class Meta:
            database = db
            table_name = "body_member"
            indexes = ((("body", "person"), True),)

    class Meeting(peewee.Model):
        body = peewee.ForeignKeyField(Body, on_delete="RESTRICT")
        kind = peewee.CharField(max_length=20, default="session")
        title = peewee.CharField(max_length=200)
        starts_at = peewee.DateTimeField(index=True)
        ends_at = peewee.DateTimeField()
        place = peewee.CharField(max_length=300, default="")
        state = peewee.CharField(max_length=20, default="draft", index=True)
        published_at = peewee.DateTimeField(null=True)
        created_at = peewee.DateTimeField()
        version = peewee.IntegerField(default=1)

        class Meta:
            database = db
            table_name = "meeting"

    class AgendaItem(peewee.Model):
        meeting = peewee.ForeignKeyField(Meeting, on_delete="CASCADE")
        position = peewee.IntegerField()
        title = peewee.CharField(max_length=300)
        notes = peewee.TextField(default="")
        version = peewee.IntegerField(default=1)

        class Meta:
            database = db
            table_name = "agenda_item"

    class Decision(peewee.Model):
        meeting = peewee.ForeignKeyField(Meeting, on_delete="CASCADE")
        agenda_item = peewee.ForeignKeyField(AgendaItem, on_delete="CASCADE")
        text = peewee.TextField()
        year = peewee.IntegerField(null=True)
        number = peewee.IntegerField(null=True)
        created_at = peewee.DateTimeField()

        class Meta:
            database = db
            table_name = "decision"
            indexes = ((("year", "number"), True),)

    class ActionItem(peewee.Model):
        meeting = peewee.ForeignKeyField(Meeting, on_delete="CASCADE")
        agenda_item = peewee.ForeignKeyField(AgendaItem, on_delete="CASCADE")
        what = peewee.TextField()
        person = peewee.ForeignKeyField(Person, on_delete="RESTRICT")
        due_on = peewee.DateField(null=True)
        done_at = peewee.DateTimeField(null=True)
        done_by = peewee.ForeignKeyField(Person, null=True)
        created_at = peewee.DateTimeField()

        class Meta:
            database = db
            table_name = "action_item"

    class Attendance(peewee.Model):
        meeting = peewee.ForeignKeyField(Meeting, on_delete="CASCADE")
        person = peewee.ForeignKeyField(Person, on_delete="CASCADE")
        status = peewee.CharField(max_length=20, null=True)

        class Meta:
            database = db
            table_name = "attendance"
            indexes = ((("meeting", "person"), True),)

    class Guest(peewee.Model):
        meeting = peewee.ForeignKeyField(Meeting, on_delete="CASCADE")
        name = peewee.CharField(max_length=200)
        organisation = peewee.CharField(max_length=200, default="")

        class Meta:
            database = db
            table_name = "guest"

    class MinutesComment(peewee.Model):
        meeting = peewee.ForeignKeyField(Meeting, on_delete="CASCADE")
        author = peewee.ForeignKeyField(Person)
        body = peewee.TextField()
        created_at = peewee.DateTimeField()

        class Meta:
            database = db
            table_name = "minutes_comment"

    class MinutesRevision(peewee.Model):
        meeting = peewee.ForeignKeyField(Meeting, on_delete="CASCADE")
        number = peewee.IntegerField()
        reason = peewee.TextField(default="")
        snapshot = peewee.TextField()
        author = peewee.ForeignKeyField(Person)
        created_at = peewee.DateTimeField()

        class Meta:
            database = db
            table_name = "minutes_revision"
            indexes = ((("meeting", "number"), True),)

    class CalendarFeed(peewee.Model):
        person = peewee.ForeignKeyField(Person, unique=True, on_delete="CASCADE")
        token = peewee.CharField(max_length=64, unique=True)
        created_at = peewee.DateTimeField()

        class Meta:
            database = db
            table_name = "calendar_feed"

    class Notification(peewee.Model):
        person = peewee.ForeignKeyField(Person, on_delete="CASCADE")
        kind = peewee.CharField(max_length=40)
        object_type = peewee.CharField(max_length=40)
        object_id = peewee.IntegerField()
        text = peewee.CharField(max_length=300)
        created_at = peewee.DateTimeField(index=True)
        read_at = peewee.DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "notification"

    db.create_tables([Body, BodyMember, Meeting, AgendaItem, Decision, ActionItem, Attendance, Guest,
                      MinutesComment, MinutesRevision, CalendarFeed, Notification])
    Body.insert(name="Steuerungsgruppe", kind="steering_group",
                description="Setzt die Schwerpunkte des Netzwerks und schreibt die Kooperationsvereinbarung.",
                created_at=datetime.now(timezone.utc).replace(tzinfo=None)).execute()
