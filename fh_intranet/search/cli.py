"""`flask --app fh_intranet search-reindex`: build the search index anew from the data."""
import click
from flask.cli import with_appcontext

from ..db import refresh_planner_statistics, serialize, write_transaction
from .index import INDEX_TABLE, index_missing, rebuild
from .models import SearchDocument

# Several app servers may run `db upgrade` at once (each after the migrations' own lock): one
# builds or completes the index, the others then find it done.
INDEX_LOCK = "search.index"


def rebuild_index() -> dict:
    with write_transaction():
        serialize(INDEX_LOCK)
        counts = rebuild()
    refresh_planner_statistics(SearchDocument._meta.table_name, INDEX_TABLE)
    return counts


def index_missing_documents() -> dict:
    with write_transaction():
        serialize(INDEX_LOCK)
        counts = index_missing()
    if counts:
        refresh_planner_statistics(SearchDocument._meta.table_name, INDEX_TABLE)
    return counts


@click.command("search-reindex")
@with_appcontext
def search_reindex():
    """Rebuild the search index from all content (safe while the app runs)."""
    from ..cli import shows_refusals

    counts = shows_refusals(rebuild_index)()
    click.echo(f"Search index rebuilt: {sum(counts.values())} document(s) "
               f"({', '.join(f'{kind} {n}' for kind, n in counts.items())}).")
