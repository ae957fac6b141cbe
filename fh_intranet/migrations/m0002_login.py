"""Login throttling and single-use account links."""
import peewee


def upgrade(db):
    class Person(peewee.Model):
        class Meta:
            database = db
            table_name = "person"

    class LoginFailure(peewee.Model):
        key = peewee.CharField(max_length=64, index=True)
        created_at = peewee.DateTimeField(index=True)

        class Meta:
            database = db
            table_name = "login_failure"

    class AccountToken(peewee.Model):
        person = peewee.ForeignKeyField(Person, on_delete="CASCADE")
        purpose = peewee.CharField(max_length=20)
        token_hash = peewee.CharField(max_length=64, unique=True)
        created_at = peewee.DateTimeField()
        expires_at = peewee.DateTimeField()
        used_at = peewee.DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "account_token"

    db.create_tables([LoginFailure, AccountToken])
