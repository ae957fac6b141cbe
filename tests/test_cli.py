"""The command line: db upgrade, create-user, seed-demo, backup; and `make run`'s first start."""
import contextlib
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from fh_intranet import demo
from fh_intranet.audit import AuditEvent
from fh_intranet.people.models import Organisation, Person

from .conftest import free_port

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("command", [["db", "upgrade"], ["create-user"], ["seed-demo"], ["backup"], ["demo-logins"]])
def test_every_command_has_help(app, command):
    result = app.test_cli_runner().invoke(args=[*command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_db_upgrade_reports_up_to_date(app):
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0 and "up to date" in result.output


def test_create_user_with_password_from_stdin(app, client):
    result = app.test_cli_runner().invoke(
        args=["create-user", "Erste@Example.org", "--name", "Erste Koordination", "--role", "coordinator",
              "--password-stdin"], input="Kranich-ueber-dem-Moor-9\n")
    assert result.exit_code == 0, result.output
    person = Person.get(Person.email == "erste@example.org")
    assert person.role == "coordinator" and person.is_active
    assert AuditEvent.get(AuditEvent.action == "person.created_on_cli").object_id == person.id
    from .test_auth import login
    assert login(client, "erste@example.org", "Kranich-ueber-dem-Moor-9").status_code == 303


def refused(result, message: str) -> bool:
    """Refused as a person at a terminal sees it: the message, exit status 1, no traceback."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert message in result.output, result.output
    return True


def test_create_user_refuses_weak_password_and_duplicates(app, people):
    runner = app.test_cli_runner()
    weak = runner.invoke(args=["create-user", "x@example.org", "--name", "X", "--password-stdin"], input="passwort1234\n")
    assert refused(weak, "This password is too common")
    assert not Person.select().where(Person.email == "x@example.org").exists()
    dup = runner.invoke(args=["create-user", people["member"].email, "--name", "X", "--password-stdin"],
                        input="Kranich-ueber-dem-Moor-9\n")
    assert refused(dup, "exists already")


@pytest.mark.parametrize("args, password, message", [
    (["x@example.org", "--name", "Xaver Yilmaz"], "kurz", "at least 12 characters"),
    (["xaver.yilmaz@example.org", "--name", "Xaver Yilmaz"], "Xaver.Yilmaz-am-Deich-7", "must not contain your name"),
    (["xaver.yilmaz@example.org", "--name", "Xaver Yilmaz"], "meine xaver.yilmaz@example.org", "must not contain your name"),
    (["keine-adresse", "--name", "Xaver Yilmaz"], "Kranich-ueber-dem-Moor-9", "Invalid e-mail address"),
    (["x@example.org", "--name", "   "], "Kranich-ueber-dem-Moor-9", "The name must not be empty"),
    (["x@example.org", "--name", "X" * 201], "Kranich-ueber-dem-Moor-9", "at most 200 characters"),
    (["x@example.org", "--name", "Xaver\x00Y"], "Kranich-ueber-dem-Moor-9", "no control characters"),
])
def test_create_user_refuses_bad_input_with_a_message(app, args, password, message):
    result = app.test_cli_runner().invoke(args=["create-user", *args, "--password-stdin"], input=password + "\n")
    assert refused(result, message)
    assert Person.select().count() == 0


def test_create_user_refusal_in_a_real_terminal_has_no_traceback(app, database_url, tmp_path):
    """The command as an administrator runs it: a separate process, stderr shown."""
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "x" * 32, "FH_ENV": "test",
           "INSTANCE_PATH": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "fh_intranet", "create-user",
                             "neu@example.org", "--name", "Neue Person", "--password-stdin"],
                            input="passwort1234\n", capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "request context" not in result.stderr
    assert "too common" in result.stderr


def test_db_upgrade_refuses_an_unknown_target(app):
    assert refused(app.test_cli_runner().invoke(args=["db", "upgrade", "--to", "m9999_nothing"]),
                   "Unknown migration")


def test_backup_into_a_missing_folder_is_a_message(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "fehlt" / "backup")])
    assert refused(result, "No such file or directory")


def test_backup_file_is_private(app, people, tmp_path):
    """It holds password hashes and tokens: owner read/write only, also over an existing file."""
    fresh, existing = tmp_path / "fresh", tmp_path / "existing"
    existing.write_text("old")
    existing.chmod(0o644)
    for target in (fresh, existing):
        result = app.test_cli_runner().invoke(args=["backup", str(target)])
        assert result.exit_code == 0, result.output
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert target.stat().st_size > 1000
    assert not [p.name for p in tmp_path.iterdir() if stat.S_IMODE(p.stat().st_mode) & 0o077]  # no journal left open


def test_seed_demo_fills_an_empty_database_once(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    for email in demo.LOGINS.values():
        assert email in result.output
    assert demo.PASSWORD in result.output
    assert Organisation.select().count() == len(demo.ORGANISATIONS) == 25
    assert 10 <= Person.select().count() <= 14
    assert {p.role for p in Person.select()} == {"coordinator", "member", "partner"}
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert again.exit_code == 0 and "not loaded" in again.output
    assert Organisation.select().count() == len(demo.ORGANISATIONS) == 25


def test_backup_writes_a_readable_copy(app, people, tmp_path):
    target = tmp_path / "backup"
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    if app.config["DATABASE_URL"].startswith("sqlite"):
        with sqlite3.connect(target) as copy:
            assert copy.execute("SELECT count(*) FROM person").fetchone()[0] == 3
    else:
        dump = subprocess.run(["pg_restore", "--file=-", str(target)], capture_output=True, text=True).stdout
        assert "CREATE TABLE" in dump and people["member"].email in dump


def test_make_run_first_start_on_an_empty_folder(tmp_path):
    """`make run` on a fresh instance folder: migrates, loads demo data, prints logins, serves."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "FH_ENV"}}
    env.update(INSTANCE_PATH=str(tmp_path / "instance"), PORT=str(port))
    process = subprocess.Popen(["make", "--no-print-directory", "run"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                response = requests.get(f"http://127.0.0.1:{port}/anmelden", timeout=2)
                break
            except requests.ConnectionError:
                assert process.poll() is None, process.stdout.read()
                time.sleep(0.3)
        else:
            pytest.fail("make run did not serve within two minutes")
        assert response.status_code == 200 and "Anmelden" in response.text
    finally:
        with contextlib.suppress(ProcessLookupError):  # it ended on its own: its output says why
            os.killpg(process.pid, signal.SIGTERM)
        output = process.communicate(timeout=30)[0]
    assert (tmp_path / "instance" / "fh_intranet.sqlite3").exists()
    assert (tmp_path / "instance" / "secret_key").exists()
    for email in demo.LOGINS.values():
        assert email in output
    assert demo.PASSWORD in output


def test_create_account_refuses_a_taken_address_inside_its_transaction(app, people):
    """What create-user relies on when someone else made the address in the meantime."""
    from fh_intranet.changes import Refused
    from fh_intranet.people import workflow

    with app.app_context(), pytest.raises(Refused) as refused:
        workflow.create_account(email=people["member"].email.upper(), name="X", role="member",
                                password="Kranich-ueber-dem-Moor-9")
    assert refused.value.code == "people.email_taken"
    assert Person.select().where(Person.email == people["member"].email).count() == 1
