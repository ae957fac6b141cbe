"""Commands of the notifications: the mail worker and the daily run."""
import click
from flask.cli import with_appcontext

from . import daily, outbox


@click.command("send-mail")
@with_appcontext
@click.option("--once", is_flag=True, help="Deliver what is due, then exit (for cron or tests).")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between looks at the outbox.")
def send_mail(once, interval):
    """Deliver the mails waiting in the outbox (the worker: runs until stopped unless --once)."""
    from ..cli import shows_refusals

    shows_refusals(outbox.run_worker)(once=once, interval=interval)


@click.command("send-daily")
@with_appcontext
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day to run for (default: today).")
def send_daily(day):
    """Once a day (cron): reminders of deadlines and due dates, and the daily summaries."""
    from ..cli import shows_refusals

    report = shows_refusals(daily.run)(day.date() if day else None)
    click.echo(f"{report.reminders} reminder(s), {report.digests} summary mail(s) queued.")


COMMANDS = (send_mail, send_daily)
