"""The database: one proxy, bound at app creation, one connection per request."""
from datetime import datetime, timezone

import peewee
from playhouse.db_url import connect

database = peewee.DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10_000,
    "synchronous": "normal",
}


def utcnow() -> datetime:
    """Naive UTC: both SQLite and PostgreSQL store it the same way."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class BaseModel(peewee.Model):
    class Meta:
        database = database
        legacy_table_names = False


def open_database(url: str) -> peewee.Database:
    if url.startswith("sqlite"):
        db = connect(url, pragmas=SQLITE_PRAGMAS)
    else:
        db = connect(url)
    return db


def bind(url: str) -> peewee.Database:
    db = open_database(url)
    database.initialize(db)
    return db


def is_sqlite() -> bool:
    return isinstance(database.obj, peewee.SqliteDatabase)


def init_app(app):
    bind(app.config["DATABASE_URL"])

    @app.before_request
    def _connect():
        database.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc):
        if not database.is_closed():
            database.close()
