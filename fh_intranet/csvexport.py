"""CSV that German Excel opens correctly: UTF-8 with BOM, semicolons, dates as TT.MM.JJJJ."""
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
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[_inert(cell) for cell in row] for row in rows])
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
