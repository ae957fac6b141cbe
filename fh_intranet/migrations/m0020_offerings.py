"""Offerings (Angebote) of the organisations, update rounds and the confirmations given in them."""
import datetime

import peewee


def upgrade(db):
    class Organisation(peewee.Model):
        class Meta:
            database = db
            table_name = "organisation"

    class Person(peewee.Model):
        class Meta:
            database = db
            table_name = "person"

    class Offering(peewee.Model):
        uid = peewee.CharField(max_length=36, unique=True)
        organisation = peewee.ForeignKeyField(Organisation, on_delete="CASCADE")
        title = peewee.CharField(max_length=200)
        description = peewee.TextField(default="")
        target_groups = peewee.CharField(max_length=300, default="")
        languages = peewee.CharField(max_length=200, default="")
        cost = peewee.CharField(max_length=10, default="free")
        cost_note = peewee.CharField(max_length=300, default="")
        accessibility = peewee.TextField(default="")
        outreach = peewee.BooleanField(default=False)
        address = peewee.TextField(default="")
        district = peewee.CharField(max_length=100, default="", index=True)
        phone = peewee.CharField(max_length=60, default="")
        email = peewee.CharField(max_length=254, default="")
        hours = peewee.CharField(max_length=300, default="")
        registration_required = peewee.BooleanField(default=False)
        valid_until = peewee.DateField(null=True)
        published = peewee.BooleanField(default=True)
        created_at = peewee.DateTimeField(default=datetime.datetime.utcnow)
        updated_at = peewee.DateTimeField(default=datetime.datetime.utcnow)
        confirmed_at = peewee.DateTimeField(default=datetime.datetime.utcnow, index=True)
        confirmed_by = peewee.ForeignKeyField(Person, null=True, on_delete="SET NULL")
        version = peewee.IntegerField(default=1)

        class Meta:
            database = db
            table_name = "offering"

    class UpdateRound(peewee.Model):
        title = peewee.CharField(max_length=200)
        deadline = peewee.DateField()
        opened_at = peewee.DateTimeField(default=datetime.datetime.utcnow)
        opened_by = peewee.ForeignKeyField(Person, null=True, on_delete="SET NULL")
        reminded_at = peewee.DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "update_round"

    class RoundConfirmation(peewee.Model):
        round = peewee.ForeignKeyField(UpdateRound, on_delete="CASCADE")
        organisation = peewee.ForeignKeyField(Organisation, on_delete="CASCADE")
        notified_at = peewee.DateTimeField(default=datetime.datetime.utcnow)
        reminded_at = peewee.DateTimeField(null=True)
        confirmed_at = peewee.DateTimeField(null=True)
        confirmed_by = peewee.ForeignKeyField(Person, null=True, on_delete="SET NULL")

        class Meta:
            database = db
            table_name = "round_confirmation"
            indexes = ((("round", "organisation"), True),)

    db.create_tables([Offering, UpdateRound, RoundConfirmation])
