"""How the app opens its database: through a pool per process, SQLite with its pragmas."""
import subprocess
import sys
import threading

import peewee
import pytest
from playhouse.pool import PooledDatabase, PooledPostgresqlDatabase, PooledSqliteDatabase

from fh_intranet.db import POOL_STALE_SECONDS, database, is_sqlite, open_database, write_transaction


def test_the_app_keeps_postgresql_connections_in_a_pool_others_open_their_own(app):
    url = "postgresql://fh:geheim@db.example:5432/fh_intranet?connect_timeout=5"
    pooled = open_database(url, max_connections=7)
    assert isinstance(pooled, PooledPostgresqlDatabase)
    assert (pooled._max_connections, pooled._stale_timeout) == (7, POOL_STALE_SECONDS)
    assert pooled.database == "fh_intranet"
    assert pooled.connect_params == {"user": "fh", "password": "geheim", "host": "db.example", "port": 5432,
                                     "connect_timeout": 5}
    assert not isinstance(open_database(url), PooledPostgresqlDatabase), "backup, restore and tools connect plainly"
    assert isinstance(database.obj, PooledDatabase)


def test_the_app_keeps_sqlite_connections_in_a_pool_with_their_pragmas(tmp_path):
    pooled = open_database(f"sqlite:///{tmp_path / 'pooled.sqlite3'}", max_connections=3)
    assert isinstance(pooled, PooledSqliteDatabase)
    assert pooled._max_connections == 3
    try:
        pooled.connect()
        assert pooled.execute_sql("PRAGMA journal_mode").fetchone() == ("wal",)
        assert pooled.execute_sql("PRAGMA foreign_keys").fetchone() == (1,)
        assert pooled.execute_sql("PRAGMA busy_timeout").fetchone() == (10_000,)
        pooled.close()
        # The next request may run on another thread of the same worker.
        seen = []
        thread = threading.Thread(target=lambda: (pooled.connect(), seen.append(pooled.execute_sql("SELECT 1").fetchone()),
                                                  pooled.close()))
        thread.start()
        thread.join()
        assert seen == [(1,)]
        assert len(pooled._connections) == 1, "the second thread took the pooled connection"
    finally:
        pooled.close_all()


def test_a_request_hands_its_connection_back(app, client):
    """The connection goes back to the pool and the next request takes it, so the pool does not grow
    with the requests."""
    client.get("/anmelden")
    idle = len(database.obj._connections)
    for _ in range(5):
        assert client.get("/anmelden").status_code == 200
        assert database.is_closed()
    assert idle >= 1 and len(database.obj._connections) == idle and not database.obj._in_use


def test_a_prepared_query_runs_with_each_new_value_as_the_plain_query_would(app, people, make_person):
    from peewee import JOIN

    from fh_intranet.db import Prepared
    from fh_intranet.people.models import Organisation, Person

    by_email = Prepared(lambda email: (Person.select(Person, Organisation)
                                       .join(Organisation, JOIN.LEFT_OUTER, on=(Person.organisation == Organisation.id))
                                       .where(Person.email == email, Person.active == True).limit(1)))  # noqa: E712
    loner = make_person("member", email="ohne.organisation@example.org")
    for person in [*people.values(), loner]:
        found = by_email.first(person.email)
        assert (found.id, found.name) == (person.id, person.name)
        assert getattr(found.organisation, "name", None) == getattr(person.organisation, "name", None)
    assert by_email.first("niemand@example.org") is None
    Person.update(active=False).where(Person.id == loner.id).execute()
    assert by_email.first(loner.email) is None, "the constant in the query stays in force"


HOLD_WRITER_TURN = """
import fcntl, sys
lock = open(sys.argv[1], "a+b")
fcntl.flock(lock, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.readline()
"""


def test_sqlite_writers_of_all_processes_queue_for_their_turn(app):
    """Another app server's writer holds the turn: ours waits for it (instead of polling SQLite's
    lock), and goes on as soon as it is handed over."""
    if not is_sqlite():
        pytest.skip("SQLite only: PostgreSQL writers queue on the rows they lock")
    holder = subprocess.Popen([sys.executable, "-c", HOLD_WRITER_TURN, f"{database.obj.database}-writer.lock"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    entered = threading.Event()

    def write():
        try:
            with write_transaction():
                entered.set()
        finally:
            database.close()

    writer = threading.Thread(target=write)
    try:
        assert holder.stdout.readline().strip() == "held"
        writer.start()
        assert not entered.wait(1), "a writer went ahead while another process had the turn"
        holder.stdin.write("release\n")
        holder.stdin.flush()
        assert entered.wait(60), "the writer did not get the turn once it was free"
    finally:
        holder.kill()
        holder.wait()
        writer.join(60)


def test_a_sqlite_writer_gives_up_as_sqlite_would_when_the_turn_does_not_come(app, monkeypatch):
    """A writer that holds the turn for long (a reindex) must not hang every request: after the
    busy timeout the others fail with SQLite's own "database is locked"."""
    if not is_sqlite():
        pytest.skip("SQLite only: PostgreSQL writers queue on the rows they lock")
    from fh_intranet import db

    monkeypatch.setitem(db.SQLITE_PRAGMAS, "busy_timeout", 300)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_WRITER_TURN, f"{database.obj.database}-writer.lock"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(peewee.OperationalError, match="database is locked"):
            with write_transaction():
                pass
    finally:
        holder.kill()
        holder.wait()
    with write_transaction():  # the turn is free again, and the lock of this process was given back
        pass
