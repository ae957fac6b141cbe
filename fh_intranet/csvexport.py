"""CSV that German Excel opens correctly: UTF-8 with BOM, semicolons, dates as TT.MM.JJJJ.

Every file is one clean table: a header row and rows of exactly its width, nothing below or
beside it, so that it sorts, filters and imports as a table. Facts about the whole export go into
a column of their own (repeated per row) or stay on the page.
"""
import csv
import io
from functools import lru_cache

import peewee
from flask import Response

from .db import database
from .timezones import berlin_day
from .web import content_disposition


# Both cached: a register of all years repeats its meetings' days row after row (3,000 decisions
# of 160 meetings), and strftime per row was a sixth of the export's time.
@lru_cache(maxsize=4096)
def german_date(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


@lru_cache(maxsize=4096)
def berlin_date(utc_value) -> str:
    """The Berlin day of a stored (UTC) time."""
    return german_date(berlin_day(utc_value)) if utc_value else ""


# Excel runs cells that start with these as formulas: text written by people must not.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _checked(header: list[str], row, filename: str) -> list:
    row = list(row)
    if len(row) != len(header):  # a programming error: a summary line or a forgotten column
        raise ValueError(f"CSV row with {len(row)} cells under a header of {len(header)}: {filename}")
    # inline, not a function per cell: a register of all years has 150,000 cells
    return [("'" + cell) if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell for cell in row]


def _writer(buffer):
    return csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")


def response(header: list[str], rows, filename: str) -> Response:
    rows = [_checked(header, row, filename) for row in rows]
    buffer = io.StringIO()
    writer = _writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": content_disposition(filename)})


STREAM_CHUNK_ROWS = 500


def streamed(header: list[str], query, to_row, filename: str) -> Response:
    """The same file as `response`, for a query of any length: a short one is answered at once
    (its size known, so small files stay uncompressed), a long one is written while the rows are
    read (`query.iterator()`), so that a long register never sits in memory whole.

    A streamed body is read after the request has ended and handed its database connection back:
    `to_row` must need no request context (translate before), and the reading takes a connection
    of its own for as long as it lasts (a client that goes away closes the generator, and with it
    the connection; a body never started takes none). It reads the first rows again: keeping the
    request's cursor open past the request would leave it on a pooled connection that another
    thread may take.
    """
    rows_of = _stored_rows if query._row_type == peewee.ROW.TUPLE else peewee.Select.iterator
    first = list(rows_of(query.limit(STREAM_CHUNK_ROWS + 1)))
    if len(first) <= STREAM_CHUNK_ROWS:
        return response(header, map(to_row, first), filename)

    def generate():
        buffer = io.StringIO()
        writer = _writer(buffer)
        buffer.write("\ufeff")
        writer.writerow(header)
        with database.connection_context():
            for number, row in enumerate(rows_of(query), start=1):
                writer.writerow(_checked(header, to_row(row), filename))
                if number % max(1, STREAM_CHUNK_ROWS) == 0:
                    yield buffer.getvalue()
                    buffer.seek(0)
                    buffer.truncate()
        yield buffer.getvalue()

    return Response(generate(), mimetype="text/csv",
                    headers={"Content-Disposition": content_disposition(filename)})


# Cells the database hands over as Python wants them; the others (dates SQLite keeps as text,
# booleans as 0/1) go through their field.
_AS_STORED = (peewee.IntegerField, peewee.CharField, peewee.TextField)


def _stored_rows(query):
    """The rows of a `.tuples()` query as the database gives them, converted only where needed:
    peewee passes every cell through its field, a third of the time of a register of all years."""
    converters = [(index, column.python_value) for index, column in enumerate(query.selected_columns)
                  if isinstance(column, peewee.Field) and not isinstance(column, _AS_STORED)]
    cursor = database.execute(query)
    try:
        for row in cursor:
            if converters:
                row = list(row)
                for index, convert in converters:
                    row[index] = convert(row[index])
            yield row
    finally:  # also when the client goes away in the middle
        cursor.close()
