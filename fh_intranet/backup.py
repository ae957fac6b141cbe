"""Backup and restore of the whole database: `flask --app fh_intranet backup PATH` and `restore PATH`.

Uploaded files live in the database (workshops.models.Attachment), so one file holds everything
but the SECRET_KEY.

- SQLite: the online backup API copies a consistent snapshot while the app keeps writing (WAL
  readers do not block writers). Restore checks `PRAGMA integrity_check` and that every migration
  the copy records is known to this code, then copies it into the installation's database file.
- PostgreSQL: `pg_dump --format=custom` of the schema the app uses (one transaction, so
  consistent). Restore checks that `pg_restore --list` reads it and that its migration ledger is
  known, restores in one transaction, and compares the ledger afterwards.

Both refuse a database that holds data unless `--force` is given.
"""
from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import tempfile

import click
from flask import current_app
from flask.cli import with_appcontext

from . import migrations
from .cli import shows_refusals
from .db import current_schema, database, is_sqlite, refresh_planner_statistics, table_names, write_transaction
from .migrations.m0019_partner_register import DEFAULT_SECTORS
from .search.index import is_index_table

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
LEDGER = "schema_migration"
# Rows the migrations create in a new installation (m0005: the Steuerungsgruppe; m0019: the sectors).
SEEDED_ROWS = {"body": 1, "sector": len(DEFAULT_SECTORS)}


class BackupRefused(click.ClickException):
    """A backup file or a target that restore must not use; the message says why."""


# --- backup ------------------------------------------------------------------------------------------

@click.command("backup")
@with_appcontext
@click.argument("target", type=click.Path(dir_okay=False, writable=True))
@shows_refusals
def backup(target):
    """Write a consistent copy of the whole database to TARGET, also while the app runs.

    SQLite: a database file (online backup API). PostgreSQL: a pg_dump custom-format file of the
    app's schema. The file is readable by its owner only (mode 0600): it holds password hashes.
    """
    fd = _private_file(target)
    try:
        if is_sqlite():
            os.close(fd)
            fd = None
            _sqlite_backup(database.obj.database, target)
        else:
            _pg_dump(fd)
    except BaseException:
        os.unlink(target)  # no half-written backup that looks like a good one
        raise
    finally:
        if fd is not None:
            os.close(fd)
    click.echo(f"Backup written to {target}.")


def _private_file(target: str) -> int:
    """Create (or empty) `target` readable by its owner only, before anything is written to it."""
    old_umask = os.umask(0o077)  # also for files SQLite opens next to it (its journal)
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    finally:
        os.umask(old_umask)
    os.fchmod(fd, 0o600)  # an existing file keeps its old mode otherwise
    return fd


def _sqlite_backup(source_path: str, target: str) -> None:
    old_umask = os.umask(0o077)
    source, copy = sqlite3.connect(source_path), sqlite3.connect(target)
    try:
        # pages=-1: one step under one read snapshot, whatever other connections commit meanwhile.
        source.backup(copy, pages=-1)
        # One self-contained file: no -wal/-shm beside it, also when it is opened to check it.
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
        source.close()
        os.umask(old_umask)


def _libpq_url() -> str:
    """DATABASE_URL as pg_dump and pg_restore read it (peewee also knows e.g. postgresql+pool://)."""
    url = current_app.config["DATABASE_URL"]
    return re.sub(r"^[a-z+]+://", "postgresql://", url)


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, stderr=subprocess.PIPE, **kwargs)
    except FileNotFoundError:
        raise click.ClickException(f"{command[0]} was not found; install the PostgreSQL client tools.") from None


def _last_line(result: subprocess.CompletedProcess) -> str:
    lines = result.stderr.decode(errors="replace").strip().splitlines()
    return lines[-1] if lines else f"exit status {result.returncode}"


def _pg_dump(fd: int) -> None:
    schema = current_schema(database.obj)
    result = _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--schema={schema}",
                   f"--dbname={_libpq_url()}"], stdout=fd)
    if result.returncode != 0:
        raise click.ClickException(f"pg_dump failed: {_last_line(result)}")


# --- restore -----------------------------------------------------------------------------------------

@click.command("restore")
@with_appcontext
@click.argument("source", type=click.Path(exists=True, dir_okay=False, readable=True))
@click.option("--force", is_flag=True, help="Replace a database that holds data (it is lost).")
@shows_refusals
def restore(source, force):
    """Bring the backup SOURCE into this installation, after checking it.

    Refuses a damaged file, a backup from a newer version of FH-Intranet, and a database that
    holds data (unless --force). Stop the app while restoring.
    """
    with open(source, "rb") as file:
        magic = file.read(len(SQLITE_MAGIC))
    if is_sqlite():
        if not magic.startswith(SQLITE_MAGIC):
            raise BackupRefused(_not_a_backup(source, "SQLite", magic))
        ledger = _checked_sqlite_backup(source)
        _refuse_data_unless(force)
        _sqlite_restore(source)
    else:
        if not magic.startswith(PG_CUSTOM_MAGIC):
            raise BackupRefused(_not_a_backup(source, "PostgreSQL", magic))
        ledger = _checked_pg_backup(source)
        _refuse_data_unless(force)
        _pg_restore(source)
        refresh_planner_statistics()  # pg_restore brings the rows, not the planner's statistics of them
    restored = migrations.applied(database.obj)
    if restored != ledger:
        raise click.ClickException(f"The restored database records migrations {restored}, the backup {ledger}.")
    pending = [name for name in migrations.available() if name not in restored]
    click.echo(f"Restored {source} ({len(restored)} migrations).")
    if pending:
        click.echo("The backup is from an older version: run `flask --app fh_intranet db upgrade` next.")


def _not_a_backup(source: str, kind: str, magic: bytes) -> str:
    if magic.startswith(SQLITE_MAGIC) or magic.startswith(PG_CUSTOM_MAGIC):
        other = "SQLite" if magic.startswith(SQLITE_MAGIC) else "PostgreSQL"
        return f"{source} is a {other} backup; this installation uses {kind}."
    return f"{source} is not a backup written by `backup` (damaged, or another kind of file)."


def _checked_ledger(names: list[str], source: str) -> list[str]:
    if not names:
        raise BackupRefused(f"{source} holds no FH-Intranet schema (no migration ledger).")
    unknown = [name for name in names if name not in migrations.available()]
    if unknown:
        raise BackupRefused(f"{source} comes from a newer version of FH-Intranet (migrations "
                            f"{', '.join(unknown)} are unknown here); update the code first.")
    return sorted(names)


def _read_only(source: str) -> sqlite3.Connection:
    # immutable: no lock and no -wal/-shm files next to the backup, which nobody writes meanwhile.
    return sqlite3.connect(f"file:{source}?mode=ro&immutable=1", uri=True)


def _checked_sqlite_backup(source: str) -> list[str]:
    try:
        copy = _read_only(source)
        try:
            problems = [row[0] for row in copy.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise BackupRefused(f"{source} is damaged: {'; '.join(problems[:3])}")
            if not copy.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                (LEDGER,)).fetchone():
                names = []
            else:
                names = [row[0] for row in copy.execute(f"SELECT name FROM {LEDGER}")]
        finally:
            copy.close()
    except sqlite3.DatabaseError as error:
        raise BackupRefused(f"{source} is damaged: {error}") from None
    return _checked_ledger(names, source)


def _checked_pg_backup(source: str) -> list[str]:
    listing = _run(["pg_restore", "--list", source], stdout=subprocess.PIPE)
    if listing.returncode != 0:
        raise BackupRefused(f"{source} is damaged: {_last_line(listing)}")
    schemas = set(re.findall(r"^\d+; \d+ \d+ TABLE (?!DATA )(\S+) ", listing.stdout.decode(errors="replace"), re.M))
    schema = current_schema(database.obj)
    if schemas and schemas != {schema}:
        raise BackupRefused(f"{source} holds the schema {', '.join(sorted(schemas))}; this installation "
                            f"uses {schema}. Set DATABASE_URL's search_path to match.")
    data = _run(["pg_restore", "--data-only", f"--table={LEDGER}", "--file=-", source], stdout=subprocess.PIPE)
    if data.returncode != 0:
        raise BackupRefused(f"{source} is damaged: {_last_line(data)}")
    return _checked_ledger(_copy_rows(data.stdout.decode(errors="replace")), source)


def _copy_rows(script: str) -> list[str]:
    """The first column of the rows in a COPY … FROM stdin block of a pg_restore script."""
    names, inside = [], False
    for line in script.splitlines():
        if line.startswith("COPY "):
            inside = True
        elif inside and line == "\\.":
            inside = False
        elif inside:
            names.append(line.split("\t", 1)[0])
    return names


def _refuse_data_unless(force: bool) -> None:
    filled = [table for table in table_names(database.obj) if _holds_data(table)]
    if filled and not force:
        raise BackupRefused(f"The database is not empty ({len(filled)} tables hold data, e.g. {filled[0]}). "
                            "Restore into an empty installation, or add --force to replace everything in it.")


def _holds_data(table: str) -> bool:
    """More rows than `db upgrade` makes in a new installation."""
    if table == LEDGER or is_index_table(table):  # the search index of the seeded rows, see below
        return False
    seeded = SEEDED_ROWS.get(table, 0)
    return database.obj.execute_sql(f'SELECT 1 FROM "{table}" LIMIT 1 OFFSET {seeded}').fetchone() is not None


def _sqlite_restore(source: str) -> None:
    database.close()
    copy, target = _read_only(source), sqlite3.connect(database.obj.database)
    try:
        copy.backup(target, pages=-1)  # replaces every page of the target, WAL-aware
    finally:
        target.close()
        copy.close()
    database.connect(reuse_if_open=True)


def _pg_restore(source: str) -> None:
    listing = _run(["pg_restore", "--list", source], stdout=subprocess.PIPE).stdout.decode(errors="replace")
    db = database.obj
    schema = current_schema(db)
    in_backup = set(re.findall(r"^\d+; \d+ \d+ TABLE (?!DATA )\S+ (\S+) ", listing, re.M))
    with write_transaction():
        # Tables the backup does not know (from a newer migration) would stop `db upgrade` later.
        for table in table_names(db):
            if table not in in_backup:
                db.execute_sql(f'DROP TABLE "{schema}"."{table}" CASCADE')
    # The schema exists already (the installation's own): restore what is in it, not the schema itself.
    wanted = [line for line in listing.splitlines() if not re.match(r"^\d+; \d+ \d+ SCHEMA ", line)]
    with tempfile.NamedTemporaryFile("w", suffix=".list", delete=False) as use_list:
        use_list.write("\n".join(wanted) + "\n")
    try:
        database.close()  # pg_restore must not wait for a lock of ours
        # --clean --if-exists: an installation made by `db upgrade` has the (empty) tables already;
        # in one transaction with the restore, so a failure leaves the database as it was.
        result = _run(["pg_restore", "--no-owner", "--no-privileges", "--clean", "--if-exists",
                       "--single-transaction", "--exit-on-error", f"--use-list={use_list.name}",
                       f"--dbname={_libpq_url()}", source], stdout=subprocess.PIPE)
    finally:
        os.unlink(use_list.name)
        database.connect(reuse_if_open=True)
    if result.returncode != 0:
        raise click.ClickException(f"pg_restore failed, nothing was restored: {_last_line(result)}")
