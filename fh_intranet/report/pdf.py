"""The annual report as a PDF: the text blocks and every table."""
from flask_babel import gettext as _

from ..pdf import Document, reader_language
from .tables import tables


def report_pdf(year: int, figures: dict, report, final: bool) -> bytes:
    """Kept per hash of the figures and texts (report.views): a change to what this prints beyond
    them (a layout, a German wording) raises pdf.LAYOUT, or kept PDFs stay as they were."""
    document = Document(_("Sachstandsbericht %(year)d", year=year), language=reader_language())
    document.line(_("Abgeschlossene Fassung") if final else _("Vorläufig – Zahlen nach dem heutigen Datenstand"))
    if report is not None and report.introduction.strip():
        document.heading(_("Einleitung"))
        document.line(report.introduction)
    for title, header, rows in tables(figures):
        document.heading(title)
        if rows:
            document.table(header, [[str(value) for value in row] for row in rows])
        else:
            document.line(_("Keine."))
    missing = [(row["title"], row["missing_names"]) for row in figures["agreements"]["in_force"] if row["missing_names"]]
    if missing:
        document.heading(_("Fehlende Unterschriften"))
        for title, names in missing:
            document.line(f"{title}: {'; '.join(names)}")  # names hold commas („Kreisklinik, Geburtshilfe“)
    if figures["partners"]["joined_names"]:
        document.line(_("Beigetreten") + ": " + "; ".join(figures["partners"]["joined_names"]))
    if figures["partners"]["left_names"]:
        document.line(_("Ausgeschieden") + ": " + "; ".join(figures["partners"]["left_names"]))
    if report is not None and report.outlook.strip():
        document.heading(_("Ausblick"))
        document.line(report.outlook)
    return document.output()
