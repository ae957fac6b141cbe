"""The annual network report: the coordinator's text blocks per year and the finalised snapshot."""
import datetime

import peewee


def upgrade(db):
    class Person(peewee.Model):
        class Meta:
            database = db
            table_name = "person"

    class AnnualReport(peewee.Model):
        year = peewee.IntegerField(unique=True)
        introduction = peewee.TextField(default="")
        outlook = peewee.TextField(default="")
        version = peewee.IntegerField(default=1)
        finalised_at = peewee.DateTimeField(null=True)
        finalised_by = peewee.ForeignKeyField(Person, null=True, on_delete="SET NULL")
        snapshot = peewee.TextField(null=True)
        created_at = peewee.DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            database = db
            table_name = "annual_report"

    db.create_tables([AnnualReport])
