"""Workshops with outputs and attachments; a topic may come from an output."""
import peewee
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator, migrate


def upgrade(db):
    class Person(peewee.Model):
        class Meta:
            database = db
            table_name = "person"

    class Meeting(peewee.Model):
        class Meta:
            database = db
            table_name = "meeting"

    class Workshop(peewee.Model):
        meeting = peewee.ForeignKeyField(Meeting, on_delete="CASCADE")
        title = peewee.CharField(max_length=200)
        host = peewee.ForeignKeyField(Person, null=True, on_delete="SET NULL")
        position = peewee.IntegerField(default=0)
        created_at = peewee.DateTimeField()

        class Meta:
            database = db
            table_name = "workshop"

    class Output(peewee.Model):
        workshop = peewee.ForeignKeyField(Workshop, on_delete="CASCADE")
        text = peewee.TextField(default="")
        author = peewee.ForeignKeyField(Person)
        created_at = peewee.DateTimeField()
        edited_at = peewee.DateTimeField(null=True)
        version = peewee.IntegerField(default=1)

        class Meta:
            database = db
            table_name = "output"

    class Attachment(peewee.Model):
        output = peewee.ForeignKeyField(Output, on_delete="CASCADE")
        filename = peewee.CharField(max_length=200)
        content_type = peewee.CharField(max_length=50)
        size = peewee.IntegerField()
        data = peewee.BlobField()
        preview = peewee.BlobField(null=True)
        width = peewee.IntegerField(null=True)
        height = peewee.IntegerField(null=True)
        uploaded_by = peewee.ForeignKeyField(Person)
        created_at = peewee.DateTimeField()

        class Meta:
            database = db
            table_name = "attachment"

    db.create_tables([Workshop, Output, Attachment])
    migrator = PostgresqlMigrator(db) if isinstance(db, peewee.PostgresqlDatabase) else SqliteMigrator(db)
    source = peewee.ForeignKeyField(Output, field=Output.id, null=True, on_delete="SET NULL")
    migrate(migrator.add_column("topic", "source_output_id", source))
