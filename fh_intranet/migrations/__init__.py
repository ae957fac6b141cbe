"""Versioned schema migrations.

Each module `mNNNN_<what>.py` here has `upgrade(db)`; the table `schema_migration` records which
ran. Migrations define the tables as they were at that point (frozen), never by importing
today's models, so an old database can always be brought up to date.
"""
import importlib
import pkgutil

import peewee

from ..db import table_names, utcnow


def available() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("m"))


def _ledger(db: peewee.Database):
    class SchemaMigration(peewee.Model):
        name = peewee.CharField(max_length=100, primary_key=True)
        applied_at = peewee.DateTimeField(default=utcnow)

        class Meta:
            database = db
            table_name = "schema_migration"

    return SchemaMigration


def applied(db: peewee.Database) -> list[str]:
    ledger = _ledger(db)
    if ledger._meta.table_name not in table_names(db):
        return []
    return [row.name for row in ledger.select().order_by(ledger.name)]


def upgrade(db: peewee.Database, target: str | None = None) -> list[str]:
    """Apply pending migrations up to and including `target` (default: all). Returns their names."""
    ledger = _ledger(db)
    ran = []
    with db.atomic():
        if isinstance(db, peewee.PostgresqlDatabase):
            # Several app servers may start at once: one migrates, the others wait.
            db.execute_sql("SELECT pg_advisory_xact_lock(427001)")
        ledger.create_table(safe=True)
        done = set(applied(db))
        for name in available():
            if name not in done:
                importlib.import_module(f"{__name__}.{name}").upgrade(db)
                ledger.create(name=name)
                ran.append(name)
            if name == target:
                break
    return ran
