"""Being informed: the mail outbox, notification preferences, daily mailings, start-page visits,
and notifications waiting for a daily summary."""
import peewee
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator, migrate


def upgrade(db):
    class Person(peewee.Model):
        class Meta:
            database = db
            table_name = "person"

    class NotificationPreference(peewee.Model):
        person = peewee.ForeignKeyField(Person, on_delete="CASCADE")
        kind = peewee.CharField(max_length=40)
        channel = peewee.CharField(max_length=10)

        class Meta:
            database = db
            table_name = "notification_preference"
            indexes = ((("person", "kind"), True),)

    class DailyMailing(peewee.Model):
        person = peewee.ForeignKeyField(Person, on_delete="CASCADE")
        day = peewee.DateField()
        what = peewee.CharField(max_length=80)
        created_at = peewee.DateTimeField()

        class Meta:
            database = db
            table_name = "daily_mailing"
            indexes = ((("person", "day", "what"), True),)

    class StartPageVisit(peewee.Model):
        person = peewee.ForeignKeyField(Person, unique=True, on_delete="CASCADE")
        seen_until = peewee.DateTimeField(null=True)
        last_view_at = peewee.DateTimeField()

        class Meta:
            database = db
            table_name = "start_page_visit"

    class OutboxMail(peewee.Model):
        recipient = peewee.CharField(max_length=254)
        subject = peewee.CharField(max_length=300)
        text_body = peewee.TextField()
        html_body = peewee.TextField(default="")
        headers = peewee.TextField(default="{}")
        ics = peewee.TextField(default="")
        ics_method = peewee.CharField(max_length=20, default="")
        sensitive = peewee.BooleanField(default=False)
        status = peewee.CharField(max_length=10, default="queued")
        attempts = peewee.IntegerField(default=0)
        next_attempt_at = peewee.DateTimeField()
        claimed_at = peewee.DateTimeField(null=True)
        sent_at = peewee.DateTimeField(null=True)
        last_error = peewee.CharField(max_length=300, default="")
        created_at = peewee.DateTimeField()

        class Meta:
            database = db
            table_name = "outbox_mail"
            indexes = ((("status", "next_attempt_at"), False),)

    db.create_tables([NotificationPreference, DailyMailing, StartPageVisit, OutboxMail])
    migrator = PostgresqlMigrator(db) if isinstance(db, peewee.PostgresqlDatabase) else SqliteMigrator(db)
    migrate(
        migrator.add_column("notification", "digest_pending", peewee.BooleanField(default=False)),
        migrator.add_index("notification", ("person_id", "read_at"), False),
    )
