"""Agreement comments get a revision number, so that editing or resolving a stale comment is
detected instead of overwriting what someone else saved."""
import peewee
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator, migrate


def upgrade(db):
    migrator = PostgresqlMigrator(db) if isinstance(db, peewee.PostgresqlDatabase) else SqliteMigrator(db)
    migrate(migrator.add_column("comment", "revision", peewee.IntegerField(default=1)))
