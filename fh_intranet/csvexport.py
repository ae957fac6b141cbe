"""CSV that German Excel opens correctly: UTF-8 with BOM, semicolons, dates as TT.MM.JJJJ.

Every file is one clean table: a header row and rows of exactly its width, nothing below or
beside it, so that it sorts, filters and imports as a table. Facts about the whole export go into
a column of their own (repeated per row) or stay on the page.
"""
import csv
import io

from flask import Response


def german_date(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _inert(cell):
    """Excel runs cells that start with = + - @ as formulas: text written by people must not."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell


def response(header: list[str], rows, filename: str) -> Response:
    rows = [list(row) for row in rows]
    ragged = next((row for row in rows if len(row) != len(header)), None)
    if ragged is not None:  # a programming error: a summary line or a forgotten column
        raise ValueError(f"CSV row with {len(ragged)} cells under a header of {len(header)}: {filename}")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[_inert(cell) for cell in row] for row in rows])
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
