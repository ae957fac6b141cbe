"""The annual network report (/netzwerk/bericht/<year>): page, text blocks, finalising, PDF and CSV."""
import re
from datetime import date

from flask import Blueprint, Response, abort, flash, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from .. import confirm, csvexport, pdf_cache
from ..changes import EditConflict, Refused
from ..permissions import requires
from ..timezones import berlin_today
from ..web import content_disposition, render, render_form, see_other
from . import queries, workflow
from .forms import ReportTextForm
from .pdf import report_pdf
from .tables import tables

bp = Blueprint("report", __name__, url_prefix="/netzwerk/bericht")


@bp.app_template_filter("iso_date")
def iso_date(value: str) -> date:
    return date.fromisoformat(value)


def _year(year: int) -> int:
    if not queries.FIRST_YEAR <= year <= queries.LAST_YEAR:
        abort(404)
    return year


def _figures(year: int):
    """The stored snapshot of a finalised report, else the figures from today's data."""
    report = workflow.report_for(year)
    if report is not None and report.is_final:
        return report, report.figures
    return report, queries.build(year)


@bp.get("/")
@requires("report.view")
def index():
    """The report of the year just ended (the one coordinators write in the new year), or of the
    year the page's year field asks for."""
    asked = request.args.get("jahr", "").strip()
    if asked:
        if re.fullmatch("[0-9]{1,4}", asked) and queries.FIRST_YEAR <= int(asked) <= queries.LAST_YEAR:
            return see_other("report.show", year=int(asked))
        flash(_("Bitte geben Sie ein Jahr zwischen %(first)d und %(last)d an.",
                first=queries.FIRST_YEAR, last=queries.LAST_YEAR), "error")
    return see_other("report.show", year=berlin_today().year - 1)


@bp.get("/<int:year>")
@requires("report.view")
def show(year):
    report, figures = _figures(_year(year))
    this_year = berlin_today().year
    # The last six years as links, the one shown among them; any other by the year field.
    years = sorted({*range(this_year, this_year - 6, -1), year}, reverse=True)
    return render("report/show.html", year=year, report=report, figures=figures, years=years,
                  first_year=queries.FIRST_YEAR, last_year=queries.LAST_YEAR)


@bp.route("/<int:year>/texte", methods=["GET", "POST"])
@requires("report.manage")
def edit(year):
    report = workflow.report_for(_year(year))
    if report is not None and report.is_final:
        flash(_("Dieser Bericht ist bereits abgeschlossen und kann nicht mehr geändert werden."), "error")
        return see_other("report.show", year=year)
    if request.method == "POST":
        form = ReportTextForm()
    else:
        form = ReportTextForm(obj=report) if report is not None else ReportTextForm(version=0)
    if not form.validate_on_submit():
        return render_form("report/edit.html", form, year=year)
    try:
        workflow.save_texts(year, form.version.data, introduction=(form.introduction.data or "").strip(),
                            outlook=(form.outlook.data or "").strip(), actor=current_user._get_current_object())
    except (EditConflict, Refused) as outcome:
        return render_form("report/edit.html", form, outcome=outcome, year=year)
    flash(_("Die Texte des Berichts wurden gespeichert."), "success")
    return see_other("report.show", year=year)


@bp.post("/<int:year>/abschliessen")
@requires("report.manage")
def finalise(year):
    report = workflow.report_for(_year(year))
    if report is not None and report.is_final:
        flash(_("Dieser Bericht ist bereits abgeschlossen und kann nicht mehr geändert werden."), "error")
        return see_other("report.show", year=year)
    if not confirm.given():
        warnings = []
        if year >= berlin_today().year:
            warnings.append(_("Das Jahr %(year)d ist noch nicht zu Ende.", year=year))
        if report is None or not (report.introduction or report.outlook):
            warnings.append(_("Einleitung und Ausblick sind noch leer."))
        return confirm.ask(confirm.Question(
            title=_("Sachstandsbericht %(year)d abschließen?", year=year),
            happens=[_("Alle Zahlen und Tabellen werden so gespeichert, wie sie jetzt sind; spätere Änderungen "
                       "an den Daten ändern den Bericht nicht mehr."),
                     _("Einleitung und Ausblick können danach nicht mehr bearbeitet werden.")],
            button=_("Bericht abschließen"), back=url_for("report.show", year=year), warnings=warnings))
    try:
        workflow.finalise(year, actor=current_user._get_current_object())
    except Refused as refused:
        flash(refused.message, "error")
    else:
        flash(_("Der Sachstandsbericht %(year)d ist abgeschlossen.", year=year), "success")
    return see_other("report.show", year=year)


def _fingerprint(figures: dict, report, final: bool) -> str:
    """Everything the PDF shows: fpdf2 takes seconds to set a year's tables, which change rarely
    once the year is over (and never once the report is final)."""
    counted = {name: value for name, value in figures.items() if name != "built_at"}  # when, not shown
    return pdf_cache.fingerprint_of(counted, final, report.introduction if report else "",
                                    report.outlook if report else "")


@bp.get("/<int:year>.pdf")
@requires("report.view")
def pdf(year):
    report, figures = _figures(_year(year))
    final = bool(report and report.is_final)
    body = pdf_cache.cached("report", year, _fingerprint(figures, report, final), str(get_locale()),
                            lambda: report_pdf(year, figures, report, final=final))
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": content_disposition(f"sachstandsbericht-{year}.pdf")})


@bp.get("/<int:year>.csv")
@requires("report.view")
def csv(year):
    _report, figures = _figures(_year(year))
    rows = []
    for title, header, values in tables(figures):
        for row in values:
            for name, value in zip(header[1:], row[1:], strict=False):
                rows.append([title, row[0], name, value])
    return csvexport.response([_("Abschnitt"), _("Zeile"), _("Spalte"), _("Wert")], rows,
                              f"sachstandsbericht-{year}.csv")
