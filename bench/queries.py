"""Counting the SQL statements a piece of work sends (for the bench and the query-count test)."""
import contextlib

from fh_intranet.db import database


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@contextlib.contextmanager
def counting():
    """Count every statement peewee sends through the bound database while the block runs.

    Wraps the database object's execute_sql (all peewee queries pass through it), and takes the
    wrapper away again afterwards.
    """
    db = database.obj
    counter = QueryCounter()
    original = db.execute_sql

    def execute_sql(sql, params=None, *args, **kwargs):
        counter.statements.append(sql)
        return original(sql, params, *args, **kwargs)

    db.execute_sql = execute_sql
    try:
        yield counter
    finally:
        del db.execute_sql  # the instance attribute; the class's method shows again
