"""Command line: `flask --app fh_intranet <command>`. These names are an interface: keep them.

Every command answers refused input and failed operations with a message and a non-zero exit
status, never a traceback (`shows_refusals`).
"""
import functools
import sqlite3
import sys

import click
import peewee
from email_validator import EmailNotValidError, validate_email
from flask.cli import AppGroup, with_appcontext
from flask_babel import force_locale

from . import demo, kept_renderings, migrations
from .auth.passwords import policy_problems
from .changes import Refused
from .db import database
from .people import workflow as people_workflow
from .people.models import ROLES, Person
from .search.cli import index_missing_documents, search_reindex
from .search.cli import rebuild_index as rebuild_search_index
from .security import CONTROL_CHARACTERS

# The command line speaks English (its own messages are English); refusals from the app's rules
# come translated, German where no translation exists yet.
CLI_LOCALE = "en"
SEARCH_MIGRATION = "m0015_search"
NAME_MAX = 200
EMAIL_MAX = 254


def shows_refusals(command):
    """Run `command` in the CLI's language; refusals and failures become a message and exit 1."""

    @functools.wraps(command)
    def wrapped(*args, **kwargs):
        try:
            with force_locale(CLI_LOCALE):
                return command(*args, **kwargs)
        except click.ClickException:
            raise
        except Refused as refused:
            raise click.ClickException(str(refused.message)) from None
        except (peewee.DatabaseError, sqlite3.Error) as error:
            raise click.ClickException(f"Database error: {error}. Is DATABASE_URL right, and did "
                                       "`flask --app fh_intranet db upgrade` run?") from None
        except OSError as error:
            where = f": {error.filename}" if error.filename else ""
            raise click.ClickException(f"{error.strerror or error}{where}") from None

    return wrapped


db_cli = AppGroup("db", help="Database schema commands.")


@db_cli.command("upgrade")
@click.option("--to", "target", default=None, help="Stop after this migration (for tests and rollbacks).")
@shows_refusals
def db_upgrade(target):
    """Create or update the database schema to the newest version."""
    if target is not None and target not in migrations.available():
        raise click.ClickException(f"Unknown migration {target!r}; known: {', '.join(migrations.available())}")
    ran = migrations.upgrade(database.obj, target=target)
    click.echo(f"Applied {len(ran)} migration(s): {', '.join(ran)}" if ran else "Database is up to date.")
    if target not in (None, migrations.available()[-1]):
        return  # the index is built with today's code, on today's schema only
    if SEARCH_MIGRATION in ran:
        counts = rebuild_search_index()  # the data that existed before search came
        click.echo(f"Search index built: {sum(counts.values())} document(s).")
    elif counts := index_missing_documents():  # content that became searchable with this version
        click.echo(f"Search index: {', '.join(f'{kind} {n}' for kind, n in counts.items())} document(s) added.")
    if counts := kept_renderings.refresh():  # texts rendered by an earlier version of the renderer
        click.echo(f"Rendered again: {', '.join(f'{table} {n}' for table, n in counts.items())}.")


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--name", required=True, help="Full name as others will see it.")
@click.option("--role", type=click.Choice(ROLES), default="coordinator", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@shows_refusals
def create_user(email, name, role, password_stdin):
    """Create a person who can log in at once (the first coordinator is made this way)."""
    email, name = _checked_email(email), _checked_name(name)
    exists = click.ClickException(f"A person with the e-mail {email} exists already.")
    if Person.select().where(Person.email == email).exists():
        raise exists  # before asking for a password that could not be used
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problems = policy_problems(password, email=email, name=name)
    if problems:
        raise click.ClickException(" ".join(problems))
    try:
        people_workflow.create_account(email=email, name=name, role=role, password=password)
    except Refused:  # created by someone else in the meantime
        raise exists from None
    click.echo(f"Created {role} {name} <{email}>.")


def _checked_email(email: str) -> str:
    email = people_workflow.normalise_email(email)
    if len(email) > EMAIL_MAX or CONTROL_CHARACTERS.search(email):
        raise click.ClickException(f"Invalid e-mail address: at most {EMAIL_MAX} characters, no control characters.")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        raise click.ClickException(f"Invalid e-mail address {email!r}: {error}") from None
    return email


def _checked_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise click.ClickException("The name must not be empty.")
    if len(name) > NAME_MAX or CONTROL_CHARACTERS.search(name):
        raise click.ClickException(f"Invalid name: at most {NAME_MAX} characters, no control characters.")
    return name


@click.command("seed-demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has people already.")
@shows_refusals
def seed_demo(if_empty):
    """Load the invented demo network and print one login per role."""
    if Person.select().exists():
        if if_empty:
            click.echo("The database holds data already; demo data not loaded.")
            return
        raise click.ClickException("The database is not empty; seed-demo only fills an empty one.")
    logins = demo.seed()
    click.echo("Demo data loaded. Demo logins (password for all: %s):" % demo.PASSWORD)
    for role, email in logins.items():
        click.echo(f"  {role:<12} {email}")


@click.command("demo-logins")
@with_appcontext
@shows_refusals
def demo_logins():
    """Print the demo logins (when the demo data is loaded)."""
    for role, email in demo.LOGINS.items():
        if Person.select().where(Person.email == email).exists():
            click.echo(f"  {role:<12} {email}   password: {demo.PASSWORD}")


def init_app(app):
    from .bench_cli import seed_bench

    app.cli.add_command(db_cli)
    app.cli.add_command(seed_bench)
    for command in (create_user, seed_demo, demo_logins, search_reindex):
        app.cli.add_command(command)
    from . import backup

    for command in (backup.backup, backup.restore):
        app.cli.add_command(command)
    from .notifications.cli import COMMANDS as notification_commands  # noqa: E402 - avoids an import cycle

    for command in notification_commands:
        app.cli.add_command(command)
