"""The bare baseline `make bench` compares against: Flask + peewee and nothing else.

GET /rows renders 50 rows of a table of the same database in a small template; POST /update
changes one row in a transaction (BEGIN IMMEDIATE on SQLite, as the app's writers do). Served by
gunicorn with the app's worker settings: `gunicorn bench.baseline:app`.
"""
import os

import peewee
from flask import Flask, render_template_string
from playhouse.db_url import parse
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

from fh_intranet.db import POOL_STALE_SECONDS, SQLITE_PRAGMAS

PAGE = """<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Baseline</title></head>
<body><main><h1>50 Zeilen</h1><table><thead><tr><th>Nummer</th><th>Text</th></tr></thead><tbody>
{% for row in rows %}<tr><td>{{ row.id }}</td><td>{{ row.text }}</td></tr>{% endfor %}
</tbody></table></main></body></html>"""

url = os.environ["DATABASE_URL"]
params = parse(url)
# Pooled, as the app's connections are (a connection per request would cost more than the page),
# with the app's SQLite settings: only the page and the update are bare.
if url.startswith("sqlite"):
    database = PooledSqliteDatabase(params.pop("database"), max_connections=20, stale_timeout=POOL_STALE_SECONDS,
                                    check_same_thread=False, pragmas=SQLITE_PRAGMAS)
else:
    database = PooledPostgresqlDatabase(params.pop("database"), max_connections=20, stale_timeout=POOL_STALE_SECONDS,
                                        **params)


class Row(peewee.Model):
    text = peewee.TextField()

    class Meta:
        database = database
        table_name = "decision"


class Counter(peewee.Model):
    value = peewee.IntegerField(default=0)

    class Meta:
        database = database
        table_name = "bench_counter"


app = Flask(__name__)


@app.before_request
def _connect():
    database.connect(reuse_if_open=True)


@app.teardown_request
def _close(exc):
    if not database.is_closed():
        database.close()


@app.get("/rows")
def rows():
    return render_template_string(PAGE, rows=Row.select(Row.id, Row.text).order_by(Row.id.desc()).limit(50))


@app.post("/update")
def update():
    transaction = (database.atomic(lock_type="IMMEDIATE") if isinstance(database, peewee.SqliteDatabase)
                   else database.atomic())
    with transaction:
        Counter.update(value=Counter.value + 1).where(Counter.id == 1).execute()
    return "ok"


def prepare() -> None:
    """The counter row the update changes (run once, before the servers start)."""
    database.create_tables([Counter], safe=True)
    if not Counter.select().where(Counter.id == 1).exists():
        Counter.create(id=1, value=0)
