"""Test fixtures: a fresh database per run (SQLite, or its own PostgreSQL schema), a clean one per test.

DATABASE_URL=postgresql://… runs the suite against PostgreSQL in a schema that this run makes
and drops; without it, SQLite in a temporary folder.
"""
import os
import re
import secrets
import shutil
import socket
import threading
from contextlib import contextmanager
from urllib.parse import quote

import peewee
import pytest
from flask.testing import FlaskClient
from flask_login.utils import _create_identifier
from playhouse.db_url import connect
from werkzeug.serving import make_server

os.environ.setdefault("FH_ENV", "test")

from fh_intranet import create_app, migrations  # noqa: E402
from fh_intranet.auth.passwords import hash_password  # noqa: E402
from fh_intranet.db import database, table_names  # noqa: E402
from fh_intranet.people.models import COORDINATOR, MEMBER, PARTNER, Organisation, Person  # noqa: E402

from .snapshot import Snapshot, fts_shadow_tables  # noqa: E402

pytest_plugins = ["tests.agreement_fixtures", "tests.meeting_fixtures", "tests.topic_fixtures",
                  "tests.workshop_fixtures", "tests.route_fixtures"]

PASSWORD = "Storchennest-am-Fluss-7"
ROLES = (COORDINATOR, MEMBER, PARTNER)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith("postgres"):
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    schema = f"test_{secrets.token_hex(6)}"
    admin = connect(base_url)
    admin.execute_sql(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in base_url else "?"
    try:
        # synchronous_commit=off: a test run needs no durability, and waiting for each commit's flush
        # to disk would cost most of the suite's time on PostgreSQL.
        options = quote(f"-csearch_path={schema} -csynchronous_commit=off")
        yield f"{base_url}{separator}options={options}"
    finally:
        if not database.is_closed():
            database.close()
        admin.execute_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()


class LoginClient(FlaskClient):
    """test_client(user=person): a client with that person's login session, as the login form makes
    it (a server-side session row, its cookie value in the Flask session)."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.login_session = None
        if user is not None:
            from fh_intranet.auth import sessions

            with self.application.test_request_context(environ_base=self.environ_base):
                identifier = _create_identifier()
                self.login_session, cookie_id = sessions.start(user, remember=False, user_agent="")
            with self.session_transaction() as session:
                session.update({"_user_id": cookie_id, "_fresh": True, "_id": identifier})


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
        "MAIL_SERVER": "",
    })
    app.test_client_class = LoginClient
    migrations.upgrade(database.obj)
    database.close()
    return app


def reset_database():
    db = database.obj
    tables = [t for t in table_names(db) if t != "schema_migration"]
    if isinstance(db, peewee.PostgresqlDatabase):
        _empty_postgresql(db, tables)
    else:
        db.execute_sql("PRAGMA foreign_keys = OFF")
        tables = [t for t in tables if t not in fts_shadow_tables(db)]  # emptied with their FTS table
        for table in tables:
            db.execute_sql(f'DELETE FROM "{table}"')
        if db.execute_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone():
            db.execute_sql("DELETE FROM sqlite_sequence")
        db.execute_sql("PRAGMA foreign_keys = ON")
    # The sector list is data a migration seeds (m0019); every test starts with the seeded list.
    from fh_intranet.migrations.m0019_partner_register import insert_default_sectors

    insert_default_sectors(db)


_DELETE_ORDER: dict[tuple, list[str]] = {}


def _empty_postgresql(db, tables):
    """DELETE children before parents and restart the sequences: on tables holding a test's few rows
    this is ~50 times faster than TRUNCATE, which makes new files for every table and index."""
    key = tuple(sorted(tables))
    if key not in _DELETE_ORDER:
        from graphlib import TopologicalSorter

        references = db.execute_sql("""
            SELECT child.relname, parent.relname FROM pg_constraint c
            JOIN pg_class child ON child.oid = c.conrelid JOIN pg_class parent ON parent.oid = c.confrelid
            JOIN pg_namespace n ON n.oid = c.connamespace
            WHERE c.contype = 'f' AND n.nspname = current_schema() AND child.oid <> parent.oid""").fetchall()
        graph = {table: set() for table in tables}
        for child, parent in references:
            if child in graph and parent in graph:
                graph[parent].add(child)  # a parent waits until its children are empty
        _DELETE_ORDER[key] = list(TopologicalSorter(graph).static_order())
    sequences = [row[0] for row in db.execute_sql(
        "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()").fetchall()]
    statements = [f'DELETE FROM "{table}"' for table in _DELETE_ORDER[key]]
    statements += [f'ALTER SEQUENCE "{sequence}" RESTART' for sequence in sequences]
    with db.atomic():
        db.execute_sql("; ".join(statements))


@pytest.fixture(autouse=True)
def clean_database(app):
    """Every test starts from empty tables (the schema stays)."""
    saved = dict(app.config)
    with app.app_context():
        database.connect(reuse_if_open=True)
        reset_database()
    yield
    app.config.clear()
    app.config.update(saved)
    if not database.is_closed():
        database.close()


@pytest.fixture(scope="session")
def demo_copy(app):
    """The demo data, seeded once per run (seeding through the app takes seconds; a copy, a moment)."""
    from fh_intranet import demo

    with app.app_context():
        database.connect(reuse_if_open=True)
        reset_database()
        demo.seed()
        return Snapshot()


@pytest.fixture
def demo_data(app, demo_copy):
    """The demo's network, as `flask seed-demo` makes it (see fh_intranet/demo.py)."""
    with app.app_context():
        demo_copy.put_back()


@pytest.fixture(scope="session")
def password_hash():
    return hash_password(PASSWORD)


@pytest.fixture
def make_person(app, password_hash):
    """Create a person: make_person(role, name=…, email=…, organisation=…, active=…, accepted=…)."""
    counter = iter(range(1, 10_000))

    def make(role=MEMBER, *, name=None, email=None, organisation=None, active=True, accepted=True):
        n = next(counter)
        return Person.create(
            name=name or f"Testperson {role} {n}",
            email=email or f"{role}{n}@example.org",
            role=role, organisation=organisation, active=active,
            password_hash=password_hash if accepted else None,
        )

    return make


@pytest.fixture
def organisation(app):
    return Organisation.create(name="Familienzentrum Lindenhof", sector="family_education")


@pytest.fixture
def people(make_person, organisation):
    """One active person per role."""
    return {role: make_person(role, organisation=organisation) for role in ROLES}


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def client_as(app, people):
    """client_as("member") → a test client logged in as that role's person."""

    def make(role_or_person):
        person = people[role_or_person] if isinstance(role_or_person, str) else role_or_person
        return app.test_client(user=person)

    return make


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page carries no CSRF token"
    return match.group(1) or match.group(2)


def submit(client, page_url, data=None, action=None, headers=None):
    """Open `page_url` like a browser, then post `data` with the page's CSRF token to `action`."""
    page = client.get(page_url)
    token = csrf_from(page.get_data(as_text=True))
    return client.post(action or page_url, data={"csrf_token": token, **(data or {})}, headers=headers or {})


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- real SMTP -----------------------------------------------------------------------------------

def deliver_queued_mail(app) -> tuple[int, int]:
    """Run the outbox worker once, as `flask send-mail --once` does: (sent, failed)."""
    from fh_intranet.auth.workflow import wait_for_background_work
    from fh_intranet.notifications import outbox

    wait_for_background_work()  # a reset link is queued after its response
    with app.app_context():
        return outbox.send_due()


class Mailbox(list):
    """What the SMTP sink received. Requests only queue mail (the outbox); reading the mailbox
    first runs the real worker once, as the `send-mail` worker would before anyone reads mail."""

    def __init__(self, app):
        super().__init__()
        self.app = app

    def _deliver(self):
        deliver_queued_mail(self.app)

    def __len__(self):
        self._deliver()
        return super().__len__()

    def __getitem__(self, index):
        self._deliver()
        return super().__getitem__(index)

    def __iter__(self):
        self._deliver()
        return super().__iter__()

    def __eq__(self, other):
        self._deliver()
        return list.__eq__(self, other)

    __hash__ = None


@contextmanager
def smtp_sink(app, *, delay: float = 0.0):
    """A real SMTP server on loopback (answering each mail after `delay` seconds, as a distant one
    may); app mail goes there inside the block. Yields the received messages."""
    import asyncio
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    class Collect:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            if delay:
                await asyncio.sleep(delay)
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
            return "250 OK"

    handler = Collect()
    handler.messages = Mailbox(app)
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    try:
        yield handler.messages
    finally:
        controller.stop()


@pytest.fixture
def mail_sink(app):
    """A real SMTP server on loopback; app mail goes there during the test."""
    with smtp_sink(app) as messages:
        yield messages


def link_in(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"https?://\S+", body)
    assert match, body
    return match.group(0)


# --- live server and browser ---------------------------------------------------------------------

@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("FH_REQUIRE_BROWSER"):
            pytest.fail(f"FH_REQUIRE_BROWSER is set but {CHROMIUM} is missing")
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=30_000)  # as the contexts' own (open_page)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, live_server):
    """open_page(phone=False, javascript=True, **context_options): a page in a browser context of
    its own on the live server, in German; every context is closed after the test."""
    from .browser_helpers import PHONE

    contexts = []

    def open_(*, phone=False, javascript=True, **options):
        context = browser.new_context(base_url=live_server, locale="de-DE", java_script_enabled=javascript,
                                      **{**(PHONE if phone else {}), **options})
        # Generous: the machine may be busy (two suites and their browsers at once in CI), and a
        # page that publishes minutes writes notifications, mails and the search index first.
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context.new_page()

    try:
        yield open_
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def page(open_page):
    return open_page()
