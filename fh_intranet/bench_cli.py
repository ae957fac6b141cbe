"""`flask --app fh_intranet seed-bench`: the benchmark data set (see bench_data)."""
import time

import click
from flask.cli import with_appcontext

from . import bench_data
from .db import refresh_planner_statistics


@click.command("seed-bench")
@with_appcontext
@click.option("--years", type=click.IntRange(1, 50), default=10, show_default=True,
              help="How many years of network life to generate.")
@click.option("--scale", type=click.FloatRange(0.01, 10), default=1.0, show_default=True,
              help="Multiplies the yearly sizes (small values for tests).")
def seed_bench(years, scale):
    """Fill an EMPTY database with a realistic network of N years (for benchmarks)."""
    started = time.monotonic()
    try:
        counts = bench_data.seed(years, scale)
    except bench_data.NotEmpty as error:
        raise click.ClickException(str(error)) from None
    refresh_planner_statistics()
    click.echo(f"Benchmark data for {years} year(s) at scale {scale} in {time.monotonic() - started:.1f} s:")
    for name, count in sorted(counts.items()):
        click.echo(f"  {name:<18} {count:>7}")
    # The rows went in without the writers, as after a restore: the search index knows none of them.
    click.echo("To search this data, build the search index: flask --app fh_intranet search-reindex "
               "(a minute or two for ten years; make bench does it).")
    click.echo(f"Logins (password for all: {bench_data.PASSWORD}):")
    for role, email in bench_data.LOGINS.items():
        click.echo(f"  {role:<12} {email}")
