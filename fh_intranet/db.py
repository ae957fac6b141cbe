"""The database: one proxy, bound at app creation, one pooled connection per request."""
import fcntl
import os
import threading
import time
from contextlib import contextmanager, nullcontext
from datetime import date, datetime

import peewee
from playhouse.db_url import connect, parse
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

from .clock import utcnow  # noqa: F401  (models and writers take the time from here)

database = peewee.DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10_000,
    "synchronous": "normal",
}


class _ReadsIsoText:
    """Dates and times read with `fromisoformat`. SQLite hands them over as text, and peewee tries
    its formats with `strptime` one after another: a list page spent a tenth of its time there."""

    from_text = None

    def python_value(self, value):
        if isinstance(value, str):
            try:
                return self.from_text(value)
            except ValueError:
                pass
        return super().python_value(value)


class DateTimeField(_ReadsIsoText, peewee.DateTimeField):
    from_text = staticmethod(datetime.fromisoformat)


class DateField(_ReadsIsoText, peewee.DateField):
    from_text = staticmethod(date.fromisoformat)


class BaseModel(peewee.Model):
    class Meta:
        database = database
        legacy_table_names = False


# A pooled connection older than this is closed instead of handed out again.
POOL_STALE_SECONDS = 300
# How long a request waits for a free pooled connection before it fails.
POOL_WAIT_SECONDS = 30


def open_database(url: str, max_connections: int | None = None) -> peewee.Database:
    """The database at `url`. With `max_connections` (the app), connections are kept in a pool of
    that size per process and handed from request to request: opening one makes PostgreSQL start a
    process, which cost a small page most of its time, and costs SQLite its pragmas and, when the
    last connection closes, a checkpoint of its write-ahead log."""
    sqlite = url.startswith("sqlite")
    if not max_connections:
        return connect(url, pragmas=SQLITE_PRAGMAS) if sqlite else connect(url)
    params = parse(url)
    pool = dict(max_connections=max_connections, stale_timeout=POOL_STALE_SECONDS, timeout=POOL_WAIT_SECONDS)
    if sqlite:
        # A pooled connection serves one request at a time, but not always on the thread that made it.
        return _PooledSqlite(params.pop("database"), pragmas=SQLITE_PRAGMAS, check_same_thread=False,
                             **pool, **params)
    return PooledPostgresqlDatabase(params.pop("database"), **pool, **params)


class _PooledSqlite(PooledSqliteDatabase):
    def _can_reuse(self, conn) -> bool:
        # A connection handed back inside a transaction (a client gone mid-way through a streamed
        # export) would give the next request an old snapshot: it goes back clean, as PostgreSQL's do.
        if conn.in_transaction:
            conn.rollback()
        return True


def bind(url: str, max_connections: int | None = None) -> peewee.Database:
    db = open_database(url, max_connections)
    database.initialize(db)
    return db


class Prepared:
    """A SELECT whose SQL text is built once per database and then run with new values.

    peewee builds a query's text anew on every execution; for the wide join behind every request's
    login check that took longer than running it. `build` gets one placeholder per value and returns
    the query; `rows(*values)` runs it and gives its rows, `first(*values)` the first row or None
    (give that query its LIMIT). The values reach the driver as they are (no field conversion): ids,
    texts, numbers and naive UTC datetimes compared with DateTimeFields (as peewee sends them); not a
    date compared with a datetime, which peewee would convert, and never None (SQLite refuses
    `LIMIT NULL`, PostgreSQL reads it as no limit). Only values may vary: a query whose shape
    depends on anything else (the person's rights) needs one Prepared per shape.
    """

    def __init__(self, build):
        self.build = build
        self.compiled: dict = {}

    def _compile(self, db, count: int):
        markers = [object() for _ in range(count)]
        query = self.build(*[peewee.Value(marker, converter=False) for marker in markers])
        sql, params = query.sql()
        slots = [next((at for at, marker in enumerate(markers) if marker is param), None) for param in params]
        return db, query, sql, params, slots

    def rows(self, *values) -> list:
        if any(value is None for value in values):
            raise ValueError("a prepared query takes no None: say what is meant (a LIMIT without limit is a number)")
        db = database.obj
        compiled = self.compiled.get(len(values))
        if compiled is None or compiled[0] is not db:
            compiled = self.compiled[len(values)] = self._compile(db, len(values))
        _db, query, sql, params, slots = compiled
        cursor = db.execute_sql(sql, [param if slot is None else values[slot] for param, slot in zip(params, slots, strict=True)])
        # Read to the end: peewee then closes the cursor, and SQLite's statement ends.
        return list(query._get_cursor_wrapper(cursor))

    def first(self, *values):
        rows = self.rows(*values)
        return rows[0] if rows else None


def current_schema(db: peewee.Database) -> str | None:
    """The schema that unqualified names resolve to (PostgreSQL's search_path), or None."""
    if isinstance(db, peewee.PostgresqlDatabase):
        return db.execute_sql("SELECT current_schema()").fetchone()[0]
    return None


def table_names(db: peewee.Database) -> list[str]:
    # peewee's get_tables() looks at "public" unless told otherwise; we may live elsewhere.
    return db.get_tables(schema=current_schema(db))


def refresh_planner_statistics(*tables: str) -> None:
    """After a bulk load (a restore, a rebuilt search index): PostgreSQL plans from statistics that
    autovacuum gathers only some time later. Without them it took the role filter on the search
    documents to match one row and read every document's word vector: counting a common word's
    matches at ten years took 56 ms instead of 22. Only our schema's tables (default: all of them):
    a database may hold other schemas. SQLite plans from its indexes alone here (no sqlite_stat1).
    Outside a transaction it vacuums too, as autovacuum would later: the pages marked as seen by
    all let the search read its filter from an index alone (m0026)."""
    if is_sqlite():
        return
    db = database.obj
    schema = current_schema(db)
    command = "ANALYZE " if db.in_transaction() else "VACUUM (ANALYZE) "
    db.execute_sql(command + ", ".join(f'"{schema}"."{name}"' for name in (tables or table_names(db))))


class _WriteState(threading.local):
    """The objects the current write transaction touched (noted by `audit.record`)."""
    depth = 0
    touched: dict | None = None


_write_state = _WriteState()
# Called with the touched (object_type, object_id) keys just before a write transaction commits,
# inside it: what they write (the search index) commits with the change or not at all.
BEFORE_COMMIT: list = []


def before_commit(hook) -> None:
    if hook not in BEFORE_COMMIT:
        BEFORE_COMMIT.append(hook)


def note_touched(object_type: str, object_id) -> None:
    """Remember that the current write transaction changed this object (no-op outside one)."""
    if _write_state.depth and object_type and object_id is not None:
        _write_state.touched[(object_type, int(object_id))] = None


@contextmanager
def write_transaction():
    """A transaction that takes the write lock at once.

    On SQLite a plain BEGIN lets two writers read the same state and then collide; BEGIN
    IMMEDIATE makes the second wait, and the outermost one first queues for the writer's turn
    (`_sqlite_writers`). On PostgreSQL callers lock the rows they read (SELECT … FOR UPDATE)
    inside it. The outermost one runs the BEFORE_COMMIT hooks last.
    """
    state = _write_state
    sqlite = isinstance(database.obj, peewee.SqliteDatabase)
    turn = _sqlite_writers(database.obj) if sqlite and state.depth == 0 else nullcontext()
    with turn, (database.obj.atomic(lock_type="IMMEDIATE") if sqlite else database.atomic()) as txn:
        outermost = state.depth == 0
        if outermost:
            state.touched = {}
        state.depth += 1
        try:
            yield txn
            if outermost and state.touched:
                for hook in BEFORE_COMMIT:
                    hook(list(state.touched))
        finally:
            state.depth -= 1
            if outermost:
                state.touched = None


_writer_turns: dict[tuple[int, str], tuple[threading.Lock, int]] = {}
_writer_turns_lock = threading.Lock()


@contextmanager
def _sqlite_writers(db: peewee.SqliteDatabase):
    """One SQLite writer at a time, queued: the threads of a process on a lock, the processes on
    an exclusive `flock` of a file beside the database. SQLite's own busy handler lets a waiting
    writer sleep and poll (1, 2, 5 … 100 ms), so eight people voting at once spent most of their
    time asleep while the lock was free. Here the threads of a process wait on a lock that wakes one
    of them the moment it is released, and the processes poll the file every half millisecond."""
    path = db.database
    if path == ":memory:" or path.startswith("file:"):
        yield
        return
    # Per process: a forked server must not share its parent's open file (and with it the lock).
    # Read-only: a lock file made by another user (a cron job) still serves.
    key = (os.getpid(), path)
    with _writer_turns_lock:
        if key not in _writer_turns:
            _writer_turns[key] = (threading.Lock(), os.open(f"{path}-writer.lock", os.O_RDONLY | os.O_CREAT, 0o660))
        thread_turn, lock_file = _writer_turns[key]
    # As long as SQLite itself would wait, then the error it would give: a writer that holds the
    # turn for long (a reindex) must not hang every request.
    wait = SQLITE_PRAGMAS["busy_timeout"] / 1000
    deadline = time.monotonic() + wait
    if not thread_turn.acquire(timeout=wait):
        raise peewee.OperationalError("database is locked")
    try:
        while True:
            try:
                fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise peewee.OperationalError("database is locked") from None
                time.sleep(0.0005)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
    finally:
        thread_turn.release()


def serialize(name: str) -> None:
    """Inside a write transaction: one at a time per `name`, across all app servers.

    PostgreSQL takes an advisory lock until the transaction ends; on SQLite the write lock of
    `write_transaction()` serialises already.
    """
    if not is_sqlite():
        database.execute_sql("SELECT pg_advisory_xact_lock(hashtext(%s))", (name,))


def is_sqlite() -> bool:
    return isinstance(database.obj, peewee.SqliteDatabase)


def init_app(app):
    bind(app.config["DATABASE_URL"], app.config["DATABASE_MAX_CONNECTIONS"])

    @app.before_request
    def _connect():
        database.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc):
        # A stand-in request made inside a writer's transaction (for building mail links) ends
        # before the transaction does: that connection stays with the transaction.
        if not database.is_closed() and not database.in_transaction():
            database.close()
