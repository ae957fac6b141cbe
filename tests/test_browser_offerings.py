"""Offerings in Debian's Chromium: axe-core on every new page, the directory without JavaScript,
and the public directory without login."""
import pytest

from fh_intranet.offerings.models import Offering, UpdateRound
from fh_intranet.people.models import Organisation

from .browser_helpers import axe_violations, log_in

pytestmark = pytest.mark.browser


def _check(page, paths) -> list[str]:
    findings = []
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        findings += axe_violations(page)
        if page.locator("h1").count() != 1:
            findings.append(f"{path}: {page.locator('h1').count()} <h1> elements")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > page.viewport_size["width"] + 1:
            findings.append(f"{path}: {width}px wide in a {page.viewport_size['width']}px window")
    return findings


def test_axe_on_the_offering_pages(page, demo_data):
    offering = Offering.select().where(Offering.published).order_by(Offering.id).first()
    organisation = Organisation.get(Organisation.name == "Familienzentrum Regenbogen")
    round_ = UpdateRound.get()
    log_in(page, "coordinator")
    findings = _check(page, ["/angebote/", "/angebote/?zielgruppe=fathers&kosten=free", f"/angebote/{offering.id}",
                             f"/angebote/organisation/{organisation.id}", f"/angebote/{offering.id}/bearbeiten",
                             f"/angebote/organisation/{organisation.id}/neu", "/angebote/runden/",
                             f"/angebote/runden/{round_.id}"])
    # a form with errors, and the question before deleting
    page.goto(f"/angebote/organisation/{organisation.id}/neu")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_selector(".form-errors")
    findings += axe_violations(page)
    page.goto(f"/angebote/{offering.id}")
    page.get_by_role("button", name="Löschen").click()
    page.wait_for_selector("#confirm-heading")
    findings += axe_violations(page)
    assert not findings, "\n".join(findings)


def test_axe_and_reflow_at_320_pixels(page, demo_data):
    page.set_viewport_size({"width": 320, "height": 640})
    log_in(page, "partner")
    own = Organisation.get(Organisation.name == "Kita Sonnenhof")
    findings = _check(page, ["/angebote/", f"/angebote/organisation/{own.id}"])
    assert not findings, "\n".join(findings)


def test_a_partner_confirms_and_filters_without_javascript(open_page, demo_data):
    page = open_page(javascript=False)
    log_in(page, "partner")
    page.goto("/angebote/")
    page.locator("#filter-zielgruppe").select_option("fathers")
    page.get_by_role("button", name="Filtern").click()
    page.wait_for_url("**zielgruppe=fathers**")
    assert "Väterfrühstück" in page.content() and "Stillcafé" not in page.content()

    page.get_by_role("link", name="Angebote meiner Organisation").click()
    assert "Aktualisierungsrunde: Familienwegweiser 2027" in page.content()
    page.get_by_role("button", name="Angaben sind aktuell").click()
    page.wait_for_selector(".flash-success")
    assert "als aktuell bestätigt" in page.content()
    assert "Ihre Organisation hat ihre Angaben am" in page.content()


def test_the_public_directory_without_login(app, page, demo_data):
    app.config["PUBLIC_DIRECTORY"] = True
    findings = _check(page, ["/verzeichnis/", "/verzeichnis/?zielgruppe=pregnancy"])
    assert not findings, "\n".join(findings)
    page.goto("/verzeichnis/")
    assert "Elterncafé Regenbogen" in page.content()
    assert "Impfsprechstunde am Samstag" not in page.content()  # the stale demo entry
    assert "Vorlesepaten" not in page.content()  # unpublished
    assert "Birgit Hoffmann" not in page.content()  # no people, only what the offerings publish
