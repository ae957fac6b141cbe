"""Organisations and people."""
import peewee


def upgrade(db):
    class Organisation(peewee.Model):
        name = peewee.CharField(max_length=200, unique=True)
        sector = peewee.CharField(max_length=40, default="other")
        address = peewee.TextField(default="")
        contact_name = peewee.CharField(max_length=200, default="")
        contact_email = peewee.CharField(max_length=254, default="")
        contact_phone = peewee.CharField(max_length=60, default="")
        created_at = peewee.DateTimeField()
        version = peewee.IntegerField(default=1)

        class Meta:
            database = db
            table_name = "organisation"

    class Person(peewee.Model):
        name = peewee.CharField(max_length=200)
        email = peewee.CharField(max_length=254, unique=True)
        organisation = peewee.ForeignKeyField(Organisation, null=True, on_delete="SET NULL")
        function = peewee.CharField(max_length=200, default="")
        role = peewee.CharField(max_length=20, default="partner")
        password_hash = peewee.CharField(max_length=255, null=True)
        active = peewee.BooleanField(default=True)
        locale = peewee.CharField(max_length=5, default="de")
        session_token = peewee.CharField(max_length=64)
        created_at = peewee.DateTimeField()
        last_login_at = peewee.DateTimeField(null=True)
        deactivated_at = peewee.DateTimeField(null=True)
        version = peewee.IntegerField(default=1)

        class Meta:
            database = db
            table_name = "person"

    db.create_tables([Organisation, Person])
