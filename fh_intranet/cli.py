"""Command line: `flask --app fh_intranet <command>`. These names are an interface: keep them."""
import sqlite3
import subprocess
import sys

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from . import demo, migrations
from .auth.passwords import policy_problems
from .changes import Refused
from .db import database, is_sqlite
from .people import workflow as people_workflow
from .people.models import ROLES, Person

db_cli = AppGroup("db", help="Database schema commands.")


@db_cli.command("upgrade")
@click.option("--to", "target", default=None, help="Stop after this migration (for tests and rollbacks).")
def db_upgrade(target):
    """Create or update the database schema to the newest version."""
    ran = migrations.upgrade(database.obj, target=target)
    click.echo(f"Applied {len(ran)} migration(s): {', '.join(ran)}" if ran else "Database is up to date.")


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--name", required=True, help="Full name as others will see it.")
@click.option("--role", type=click.Choice(ROLES), default="coordinator", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(email, name, role, password_stdin):
    """Create a person who can log in at once (the first coordinator is made this way)."""
    email = people_workflow.normalise_email(email)
    exists = click.ClickException(f"A person with the e-mail {email} exists already.")
    if Person.select().where(Person.email == email).exists():
        raise exists  # before asking for a password that could not be used
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
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


@click.command("seed-demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has people already.")
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
def demo_logins():
    """Print the demo logins (when the demo data is loaded)."""
    for role, email in demo.LOGINS.items():
        if Person.select().where(Person.email == email).exists():
            click.echo(f"  {role:<12} {email}   password: {demo.PASSWORD}")


@click.command("backup")
@with_appcontext
@click.argument("target", type=click.Path(dir_okay=False, writable=True))
def backup(target):
    """Write a consistent copy of the whole database to TARGET (SQLite file or SQL dump)."""
    if is_sqlite():
        source = sqlite3.connect(database.obj.database)
        with sqlite3.connect(target) as copy:
            source.backup(copy)
        source.close()
    else:
        url = current_app.config["DATABASE_URL"]
        try:
            subprocess.run(["pg_dump", "--no-owner", "--file", target, url], check=True)
        except FileNotFoundError:
            raise click.ClickException("pg_dump was not found; install the PostgreSQL client tools.") from None
    click.echo(f"Backup written to {target}.")


def init_app(app):
    app.cli.add_command(db_cli)
    for command in (create_user, seed_demo, demo_logins, backup):
        app.cli.add_command(command)
