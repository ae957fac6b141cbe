"""Server-side login sessions: logout, "abmelden" per device, a password change and deactivation
end the session and remember-me cookies on the server."""
import peewee


def upgrade(db):
    class Person(peewee.Model):
        class Meta:
            database = db
            table_name = "person"

    class LoginSession(peewee.Model):
        person = peewee.ForeignKeyField(Person, on_delete="CASCADE")
        secret_hash = peewee.CharField(max_length=64)
        created_at = peewee.DateTimeField()
        last_used_at = peewee.DateTimeField()
        expires_at = peewee.DateTimeField()
        user_agent = peewee.CharField(max_length=120, default="")
        remember = peewee.BooleanField(default=False)
        ended_at = peewee.DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "login_session"
            indexes = ((("person", "ended_at"), False),)

    # Cookies issued before this migration carried the person's session token instead of a
    # session row: they no longer load, so everyone logs in once more after the upgrade.
    db.create_tables([LoginSession])
