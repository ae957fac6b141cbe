"""Commands of the notifications: the mail worker and the daily run."""
import click
from flask.cli import with_appcontext

from . import outbox


@click.command("send-mail")
@with_appcontext
@click.option("--once", is_flag=True, help="Deliver what is due, then exit (for cron or tests).")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between looks at the outbox.")
def send_mail(once, interval):
    """Deliver the mails waiting in the outbox (the worker: runs until stopped unless --once)."""
    from ..cli import shows_refusals

    shows_refusals(outbox.run_worker)(once=once, interval=interval)


COMMANDS = (send_mail,)
