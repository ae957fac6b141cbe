"""When a departed person was anonymised (DSGVO): their name became "ehemaliges Mitglied N"."""
import peewee
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator, migrate


def upgrade(db):
    migrator = PostgresqlMigrator(db) if isinstance(db, peewee.PostgresqlDatabase) else SqliteMigrator(db)
    migrate(migrator.add_column("person", "anonymised_at", peewee.DateTimeField(null=True)))
