"""The annual report in Debian's Chromium: axe-core on its pages (open, with a form error, the
confirmation, finalised) and the whole way from texts to the finalised report without JavaScript."""
import pytest

from fh_intranet.report.models import AnnualReport

from .browser_helpers import axe_violations, log_in

pytestmark = pytest.mark.browser


def test_axe_on_the_report_pages(page, demo_data):
    log_in(page, "coordinator")
    findings = []
    for path in ["/netzwerk/bericht/2026", "/netzwerk/bericht/2025", "/netzwerk/bericht/2026/texte"]:
        page.goto(path)
        assert page.locator("h1").count() == 1, path
        findings += axe_violations(page)
    page.goto("/netzwerk/bericht/2026")
    page.get_by_role("button", name="Bericht abschließen").click()
    page.get_by_text("Sachstandsbericht 2026 abschließen?").wait_for()
    findings += axe_violations(page)
    page.locator("form.confirm-form button[type=submit]").click()
    page.get_by_text("Abgeschlossen am").wait_for()
    findings += axe_violations(page)
    assert not findings, "\n".join(findings)


def test_axe_for_members(page, demo_data):
    log_in(page, "member")
    page.goto("/netzwerk/bericht/2026")
    assert not axe_violations(page)


def test_texts_and_finalising_work_without_javascript(open_page, demo_data):
    page = open_page(javascript=False)
    log_in(page, "coordinator")
    page.goto("/netzwerk/partner")
    page.get_by_role("link", name="Sachstandsbericht").click()
    page.goto("/netzwerk/bericht/2026")
    page.get_by_role("link", name="Einleitung und Ausblick bearbeiten").click()
    page.get_by_label("Einleitung").fill("Ein Jahr mit neuen Partnern in Südviertel.")
    page.get_by_label("Ausblick").fill("Mehr Angebote für Väter.")
    page.get_by_role("button", name="Speichern").click()
    page.get_by_text("Ein Jahr mit neuen Partnern in Südviertel.").wait_for()
    page.get_by_role("button", name="Bericht abschließen").click()
    page.get_by_text("Sachstandsbericht 2026 abschließen?").wait_for()
    page.locator("form.confirm-form button[type=submit]").click()
    page.get_by_text("Abgeschlossen am").wait_for()
    report = AnnualReport.get(AnnualReport.year == 2026)
    assert report.is_final and report.outlook == "Mehr Angebote für Väter."
