"""Backup while the app writes, restore into an empty installation, and the checks restore makes.

Each restore runs `flask --app fh_intranet restore` as its own process against a second database
(SQLite: another file; PostgreSQL: a database this test creates and drops), as an operator would.
"""
import os
import secrets
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from playhouse.db_url import connect

from fh_intranet.db import current_schema, database, open_database, utcnow
from fh_intranet.workshops.models import Attachment

ROOT = Path(__file__).resolve().parent.parent


def is_postgres(app) -> bool:
    return not app.config["DATABASE_URL"].startswith("sqlite")


def flask_command(args: list[str], url: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "FH_ENV": "test", "SECRET_KEY": "backup-test-key",
           "INSTANCE_PATH": str(tmp_path / "instance")}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "fh_intranet", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


@contextmanager
def empty_installation(app, tmp_path):
    """The URL of a second, empty installation (`db upgrade` ran, no data), removed afterwards."""
    if not is_postgres(app):
        url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        assert flask_command(["db", "upgrade"], url, tmp_path).returncode == 0
        yield url
        return
    # The backup names the app's schema: the fresh database gets a schema of the same name.
    schema = current_schema(database.obj)
    base = os.environ["DATABASE_URL"]
    name = f"restore_{secrets.token_hex(5)}"
    admin = connect(base)
    admin.execute_sql(f'CREATE DATABASE "{name}"')
    parts = urlsplit(base)
    target_base = urlunsplit(parts._replace(path=f"/{name}", query=""))
    try:
        fresh = connect(target_base)
        fresh.execute_sql(f'CREATE SCHEMA "{schema}"')
        fresh.close()
        url = f"{target_base}?options={quote(f'-csearch_path={schema}')}"
        assert flask_command(["db", "upgrade"], url, tmp_path).returncode == 0
        yield url
    finally:
        admin.execute_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


class Writer(threading.Thread):
    """Another writer with its own connection: each transaction adds an organisation and the audit
    event about it, so a copy that holds one without the other was not taken at one moment."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.db = open_database(url)
        self.committed: list[str] = []
        self.stop = threading.Event()
        self.error = None

    def run(self):
        p = self.db.param
        try:
            n = 0
            while not self.stop.is_set():
                n += 1
                name = f"Schreibtest {n}"
                with self.db.atomic():
                    self.db.execute_sql(
                        "INSERT INTO organisation (name, sector, address, contact_name, contact_email, contact_phone, "
                        f"created_at, version) VALUES ({p}, 'other', '', '', '', '', {p}, 1)", (name, utcnow()))
                    org_id = self.db.execute_sql(
                        f"SELECT id FROM organisation WHERE name = {p}", (name,)).fetchone()[0]
                    self.db.execute_sql(
                        "INSERT INTO audit_event (created_at, action, object_type, object_id, details) "
                        f"VALUES ({p}, 'organisation.created', 'Organisation', {p}, '{{}}')", (utcnow(), org_id))
                self.committed.append(name)
        except Exception as error:  # noqa: BLE001 - reported by the test
            self.error = error
        finally:
            self.db.close()


def rows(url: str, sql: str) -> list[tuple]:
    db = open_database(url)
    try:
        return list(db.execute_sql(sql).fetchall())
    finally:
        db.close()


def test_backup_while_another_connection_writes_restores_every_committed_row(app, people, workshops, tmp_path):
    photo = workshops["past"]["photo"]
    writer = Writer(app.config["DATABASE_URL"])
    writer.start()
    try:
        deadline = time.monotonic() + 60
        while len(writer.committed) < 20 and time.monotonic() < deadline:
            time.sleep(0.05)
        before = list(writer.committed)
        assert len(before) >= 20, writer.error
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "copy")])
        assert result.exit_code == 0, result.output
        time.sleep(0.2)  # the writer keeps going after the copy, too
    finally:
        writer.stop.set()
        writer.join(60)
    assert writer.error is None
    backup_file = tmp_path / "copy"
    assert stat.S_IMODE(backup_file.stat().st_mode) == 0o600

    with empty_installation(app, tmp_path) as target:
        restored = flask_command(["restore", str(backup_file)], target, tmp_path)
        assert restored.returncode == 0, restored.stderr
        assert not list(tmp_path.glob("copy?*"))  # one self-contained file: no -wal/-shm beside it
        names = {row[0] for row in rows(target, "SELECT name FROM organisation")}
        assert set(before) <= names
        # every organisation came with its audit event (one transaction), none half
        pairs = rows(target, "SELECT o.name, a.id FROM organisation o LEFT JOIN audit_event a "
                             "ON a.object_type = 'Organisation' AND a.object_id = o.id")
        assert all(event is not None for name, event in pairs if name.startswith("Schreibtest"))
        emails = {row[0] for row in rows(target, "SELECT email FROM person")}
        assert emails == {person.email for person in people.values()}
        if is_postgres(app):  # the planner has the columns' statistics at once (pg_restore brings none)
            assert rows(target, "SELECT COUNT(*) FROM pg_stats WHERE tablename = 'person' "
                                "AND schemaname = current_schema()")[0][0] > 0
        # uploaded files are in the database, so in the backup
        data = rows(target, f"SELECT data FROM attachment WHERE id = {photo.id}")[0][0]
        assert bytes(data) == bytes(Attachment.get_by_id(photo.id).data)
        ledger = [row[0] for row in rows(target, "SELECT name FROM schema_migration ORDER BY name")]
        assert ledger == [row[0] for row in database.execute_sql("SELECT name FROM schema_migration ORDER BY name")]

        # now it holds data: a second restore is refused, unless forced
        again = flask_command(["restore", str(backup_file)], target, tmp_path)
        assert again.returncode == 1 and "not empty" in again.stderr and "Traceback" not in again.stderr
        forced = flask_command(["restore", "--force", str(backup_file)], target, tmp_path)
        assert forced.returncode == 0, forced.stderr
        assert {row[0] for row in rows(target, "SELECT name FROM organisation")} == names


def _damaged_copies(app, tmp_path) -> dict[str, Path]:
    good = tmp_path / "good"
    assert app.test_cli_runner().invoke(args=["backup", str(good)]).exit_code == 0
    data = good.read_bytes()
    copies = {
        "truncated": data[: len(data) // 2],
        "flipped": data[:100] + bytes(b ^ 0x5A for b in data[100:]),
        "text": b"-- not a backup\n" * 100,
        "empty": b"",
    }
    paths = {}
    for name, content in copies.items():
        paths[name] = tmp_path / name
        paths[name].write_bytes(content)
    return paths


def test_restore_refuses_a_damaged_file_and_leaves_the_installation_empty(app, people, tmp_path):
    with empty_installation(app, tmp_path) as target:
        for name, path in _damaged_copies(app, tmp_path).items():
            result = flask_command(["restore", str(path)], target, tmp_path)
            assert result.returncode == 1, (name, result.stdout, result.stderr)
            assert "Traceback" not in result.stderr, (name, result.stderr)
            assert rows(target, "SELECT count(*) FROM person") == [(0,)], name


def test_restore_refuses_a_backup_from_a_newer_version(app, people, tmp_path):
    if is_postgres(app):
        pytest.skip("the ledger check is the same code on both; SQLite lets the test edit the copy")
    copy = tmp_path / "copy"
    assert app.test_cli_runner().invoke(args=["backup", str(copy)]).exit_code == 0
    with sqlite3.connect(copy) as db:
        db.execute("INSERT INTO schema_migration (name, applied_at) VALUES ('m9999_future', '2030-01-01')")
    with empty_installation(app, tmp_path) as target:
        result = flask_command(["restore", str(copy)], target, tmp_path)
        assert result.returncode == 1 and "newer version" in result.stderr and "m9999_future" in result.stderr


def test_restore_has_help_and_needs_an_existing_file(app, tmp_path):
    runner = app.test_cli_runner()
    assert "--force" in runner.invoke(args=["restore", "--help"]).output
    assert runner.invoke(args=["restore", str(tmp_path / "missing")]).exit_code != 0


@pytest.mark.skipif(not shutil.which("pg_restore"), reason="needs the PostgreSQL client tools")
def test_postgresql_backup_is_a_custom_format_dump(app, people, tmp_path):
    if not is_postgres(app):
        pytest.skip("PostgreSQL only")
    target = tmp_path / "dump"
    assert app.test_cli_runner().invoke(args=["backup", str(target)]).exit_code == 0
    assert target.read_bytes()[:5] == b"PGDMP"
    listing = subprocess.run(["pg_restore", "--list", str(target)], capture_output=True, text=True)
    assert listing.returncode == 0 and " TABLE DATA " in listing.stdout
