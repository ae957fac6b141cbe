"""One write path: views never write, every writer opens its transaction as a write, every refusal
has its own message in both languages."""
import ast
from pathlib import Path

import peewee
import pytest
from flask_babel import force_locale

from fh_intranet import changes

PACKAGE = Path(__file__).resolve().parent.parent / "fh_intranet"

# Calls that change data or open a transaction; a view hands such work to its area's workflow.
WRITE_CALLS = {"write_transaction", "atomic", "record", "save", "create", "insert", "insert_many",
               "delete_instance", "execute", "get_or_create", "bump_version", "update_versioned",
               "create_once", "delete"}


def view_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*views.py"))


def calls_in(path: Path, *, skip_our_modules: bool = True):
    """(name, line) of every call; unless told otherwise, not calls on a module of ours
    (`workflow.create(...)` is a view handing work over, not a write)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    our_modules = {alias.asname or alias.name for node in ast.walk(tree)
                   if isinstance(node, ast.ImportFrom) and node.level > 0 for alias in node.names
                   if alias.name.islower()}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if (skip_our_modules and isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                    and func.value.id in our_modules):
                continue
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            yield name, node.lineno


def test_there_are_view_modules_to_check():
    assert len(view_modules()) >= 10


@pytest.mark.parametrize("path", view_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_views_never_write(path):
    writes = [f"{path.name}:{line} {name}()" for name, line in calls_in(path) if name in WRITE_CALLS]
    assert not writes, f"views must call their area's workflow instead: {writes}"


def test_no_deferred_transactions_anywhere():
    """`database.atomic()` on SQLite starts deferred: a writer that reads first then fails with
    "database is locked". Only db.py may build transactions; everyone else uses write_transaction()."""
    allowed = {PACKAGE / "db.py", PACKAGE / "migrations" / "__init__.py"}
    offenders = [f"{path.relative_to(PACKAGE)}:{line}" for path in PACKAGE.rglob("*.py") if path not in allowed
                 for name, line in calls_in(path, skip_our_modules=False)
                 if name in ("atomic", "transaction", "manual_commit")]
    assert not offenders


def test_a_writer_holds_its_lock_until_it_commits(app, people):
    """A second writer cannot get in between a writer's read and its write: on SQLite the whole
    database is locked from BEGIN IMMEDIATE on, on PostgreSQL the rows read with locked()."""
    from playhouse.db_url import connect

    from fh_intranet.changes import locked
    from fh_intranet.db import database, is_sqlite, write_transaction
    from fh_intranet.people.models import Person

    member = people["member"]
    other = connect(app.config["DATABASE_URL"])
    try:
        with write_transaction():
            locked(Person.select().where(Person.id == member.id)).get()
            if is_sqlite():
                other.execute_sql("PRAGMA busy_timeout = 0")
                with pytest.raises(peewee.OperationalError, match="locked"):
                    other.execute_sql("BEGIN IMMEDIATE")
            else:
                with pytest.raises(peewee.OperationalError, match="lock"):
                    other.execute_sql("SELECT id FROM person WHERE id = %s FOR UPDATE NOWAIT", (member.id,))
                # A row nobody locked stays free for others.
                other.execute_sql("SELECT id FROM person WHERE id = %s FOR UPDATE NOWAIT", (people["partner"].id,))
            assert database.in_transaction()
    finally:
        other.close()


def test_every_refusal_has_a_message_in_both_languages(app):
    assert len(changes.REASONS) >= 15, sorted(changes.REASONS)
    with app.test_request_context():
        for code, why in sorted(changes.REASONS.items()):
            with force_locale("de"):
                german = why.text()
            with force_locale("en"):
                english = why.text()
            assert german and german != code, code
            assert english and english != german, f"{code} has no English translation: {german!r}"


def test_refusal_codes_are_unique(app):
    with pytest.raises(ValueError):
        changes.reason(next(iter(changes.REASONS)), "again")
