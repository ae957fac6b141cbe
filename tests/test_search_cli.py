"""The search index from the command line: `search-reindex`, `db upgrade` onto data that existed
before search came, and `seed-demo` leaving an indexed database."""
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from playhouse.db_url import connect

from fh_intranet.db import database, is_sqlite, refresh_planner_statistics
from fh_intranet.people.models import Organisation
from fh_intranet.search import search
from fh_intranet.search.models import SearchDocument

from .concurrency import at_once

ROOT = Path(__file__).resolve().parent.parent


def test_search_reindex_rebuilds_from_the_data(app, people):
    Organisation.create(name="Hebammenzentrale Auental")  # written by a script: not indexed
    assert not search("Hebammenzentrale", people["member"]).hits
    result = app.test_cli_runner().invoke(args=["search-reindex"])
    assert result.exit_code == 0, result.output
    assert "Search index rebuilt: 5 document(s)" in result.output  # 3 people, 2 organisations
    assert [hit.document.title for hit in search("Hebammenzentrale", people["member"]).hits] == [
        "Hebammenzentrale Auental"]
    assert app.test_cli_runner().invoke(args=["search-reindex", "--help"]).exit_code == 0


@pytest.fixture
def reindexed_on_postgresql(app, people):
    """A search index just rebuilt by `search-reindex`, on PostgreSQL: SQLite keeps no planner
    statistics here, FTS5 writes its index directly, and SQLite reads the documents by row id."""
    if is_sqlite():
        pytest.skip("PostgreSQL only")
    result = app.test_cli_runner().invoke(args=["search-reindex"])
    assert result.exit_code == 0, result.output


def _in_our_schema(sql: str, *names: str) -> list:
    """Rows of `sql` about the relations `names` of the tests' schema (pg_class joined as c)."""
    return database.execute_sql(
        sql + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        f"WHERE n.nspname = current_schema() AND c.relname IN ({', '.join(['%s'] * len(names))})", names).fetchall()


def test_search_reindex_leaves_the_planner_statistics_of_what_it_wrote(reindexed_on_postgresql):
    # ANALYZE gathers the columns' statistics (too few rows were written here for autovacuum to come)
    analysed = dict(database.execute_sql(
        "SELECT tablename, COUNT(*) FROM pg_stats WHERE schemaname = current_schema() "
        "AND tablename IN ('search_document', 'search_index') GROUP BY tablename").fetchall())
    assert set(analysed) == {"search_document", "search_index"}
    # … and vacuums: pages marked as seen by all, so the search's covering index is read alone
    [(visible,)] = _in_our_schema("SELECT c.relallvisible", "search_document")
    assert visible > 0
    with database.atomic():  # VACUUM cannot run in a transaction: there ANALYZE alone
        refresh_planner_statistics("search_document")


def test_the_search_reads_narrow_indexes_on_postgresql(reindexed_on_postgresql):
    # With GIN's default (fastupdate) a reindex left every entry in an unsorted pending list that
    # each search read through: PostgreSQL then chose to read every word vector instead (24 ms for
    # a search without matches at ten years, 3 ms without the list). The filter's columns come
    # from an index of their own, not from the documents' wide rows (a common word 72 -> 50 ms).
    indexes = dict(_in_our_schema("SELECT c.relname, COALESCE(array_to_string(c.reloptions, ','), '')",
                                  "search_index_vector", "search_document_filter"))
    assert "fastupdate=off" in indexes["search_index_vector"]
    assert "search_document_filter" in indexes


def test_seed_demo_leaves_an_indexed_database(demo_data):
    kinds = {row.kind for row in SearchDocument.select(SearchDocument.kind).distinct()}
    assert {"agreement", "meeting", "agenda_item", "decision", "action_item", "output", "topic", "person",
            "organisation", "body", "offering"} <= kinds


def _own_database(tmp_path):
    """A URL for a database of this test's own (SQLite file or PostgreSQL schema), and its cleanup."""
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith("postgres"):
        return f"sqlite:///{tmp_path / 'old.sqlite3'}", lambda: None
    schema = f"cli_{secrets.token_hex(5)}"
    admin = connect(base_url)
    admin.execute_sql(f'CREATE SCHEMA "{schema}"')

    def drop():
        admin.execute_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()

    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}options={quote(f'-csearch_path={schema}')}", drop


def _flask_on(url, tmp_path):
    """The command line on the database at `url`, as an installation runs it."""
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "x" * 32, "FH_ENV": "test", "INSTANCE_PATH": str(tmp_path)}

    def flask(*args):
        return subprocess.run([sys.executable, "-m", "flask", "--app", "fh_intranet", *args], capture_output=True,
                              text=True, cwd=ROOT, env=env, timeout=180)

    return flask


def test_db_upgrade_indexes_the_data_that_was_there(app, tmp_path):
    url, drop = _own_database(tmp_path)
    flask = _flask_on(url, tmp_path)
    try:
        assert flask("db", "upgrade", "--to", "m0013_login_sessions").returncode == 0
        db = connect(url)
        db.execute_sql("INSERT INTO organisation (name, sector, address, contact_name, contact_email, contact_phone, "
                       "created_at, version) VALUES ('Frühförderstelle Auental', 'early_intervention', '', '', '', '', "
                       "'2026-01-05 10:00:00', 1)")
        db.close()
        result = flask("db", "upgrade")
        assert result.returncode == 0, result.stderr
        assert "m0015_search" in result.stdout and "Search index built:" in result.stdout
        db = connect(url)
        assert ("organisation", "Frühförderstelle Auental") in db.execute_sql(
            "SELECT kind, title FROM search_document").fetchall()
        db.close()
        assert "up to date" in flask("db", "upgrade").stdout
    finally:
        drop()


def test_db_upgrade_indexes_content_that_became_searchable_since(app, tmp_path):
    """Offerings came to search after the index was built: an upgrade indexes those without a
    document (a writer may have indexed one before the upgrade ran), once, also when two app
    servers upgrade at the same moment."""
    url, drop = _own_database(tmp_path)
    flask = _flask_on(url, tmp_path)
    try:
        assert flask("db", "upgrade").returncode == 0
        assert flask("seed-demo").returncode == 0
        db = connect(url)
        published = db.execute_sql("SELECT COUNT(*) FROM offering WHERE published").fetchone()[0]
        # as an index built before offerings were searchable holds it, but for one saved since
        db.execute_sql("DELETE FROM search_document WHERE kind = 'offering' AND object_id <> "
                       "(SELECT MIN(object_id) FROM search_document WHERE kind = 'offering')")
        db.close()
        upgrades = at_once(app, *[lambda: flask("db", "upgrade")] * 2, raise_errors=True)
        assert all(result.returncode == 0 for result in upgrades), [result.stderr[-2000:] for result in upgrades]
        assert sum("offering" in result.stdout and "added" in result.stdout for result in upgrades) == 1
        db = connect(url)
        assert db.execute_sql("SELECT COUNT(*) FROM search_document WHERE kind = 'offering'").fetchone()[0] >= published > 1
        db.close()
        again = flask("db", "upgrade").stdout
        assert "up to date" in again and "added" not in again
    finally:
        drop()
