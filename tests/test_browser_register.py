"""The partner register in Debian's Chromium: axe-core on every new page, the htmx filter, the same
filter without JavaScript, and the coverage table on a 320 px phone."""
import pytest

from fh_intranet.people.models import Organisation
from fh_intranet.register.models import Sector
from fh_intranet.register.queries import active_condition
from fh_intranet.timezones import berlin_today

from .browser_helpers import assert_no_reload, axe_violations, log_in, wait_until

pytestmark = pytest.mark.browser


def test_axe_on_the_register_pages(page, demo_data):
    log_in(page, "coordinator")
    sector = Sector.get(Sector.key == "day_care")
    organisation = Organisation.get(Organisation.name == "Kita Sonnenhof")
    findings = []
    for path in ["/netzwerk/partner", "/netzwerk/partner?bereich=midwives&status=alle",
                 "/netzwerk/partner?unterzeichnet=nein&sozialraum=S%C3%BCdviertel", "/netzwerk/partner?bereich=police",
                 "/netzwerk/abdeckung", "/netzwerk/bereiche", "/netzwerk/bereiche/neu",
                 f"/netzwerk/bereiche/{sector.id}/bearbeiten", f"/organisationen/{organisation.id}",
                 f"/organisationen/{organisation.id}/bearbeiten"]:
        page.goto(path)
        assert page.locator("h1").count() == 1, path
        findings += axe_violations(page)
    # forms with errors
    page.goto("/netzwerk/bereiche/neu")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_selector(".form-errors")
    findings += axe_violations(page)
    page.goto(f"/organisationen/{organisation.id}/bearbeiten")
    page.get_by_label("Im Netzwerk seit").fill("2024-05-01")
    page.get_by_label("Ausgeschieden am").fill("2023-05-01")
    page.get_by_role("button", name="Speichern").click()
    page.get_by_text("Das Datum des Ausscheidens liegt vor dem Beitritt.").wait_for()
    findings += axe_violations(page)
    assert not findings, "\n".join(findings)


@pytest.mark.parametrize("role", ["partner", "member"])
def test_axe_for_the_other_roles(page, demo_data, role):
    log_in(page, role)
    findings = []
    for path in ["/netzwerk/partner"] + (["/netzwerk/abdeckung"] if role == "member" else []):
        page.goto(path)
        findings += axe_violations(page)
    assert not findings, "\n".join(findings)


def test_htmx_filter_updates_the_register_in_place(page, demo_data):
    log_in(page, "partner")
    page.goto("/netzwerk/partner")
    still_same_page = assert_no_reload(page)
    page.get_by_label("Sozialraum / Ort").select_option("Nordstadt")
    page.wait_for_url("**sozialraum=Nordstadt**")
    expected = Organisation.select().where(Organisation.district == "Nordstadt", active_condition()).count()
    wait_until(page, f"document.querySelectorAll('#register-list tbody tr').length === {expected}")
    assert still_same_page(), "the filter reloaded the page"
    csv_link = page.get_by_role("link", name="Diese Auswahl als CSV für Excel herunterladen")
    assert "sozialraum=Nordstadt" in csv_link.get_attribute("href"), "the CSV follows the filter"


def test_register_filter_works_without_javascript(open_page, demo_data):
    page = open_page(javascript=False)
    log_in(page, "member")
    page.goto("/netzwerk/partner")
    page.get_by_label("Bereich").select_option("day_care")
    page.get_by_label("Status").select_option("alle")
    page.get_by_role("button", name="Filtern").click()
    page.wait_for_url("**bereich=day_care**")
    assert page.locator("#register-list tbody tr").count() == (
        Organisation.select().where(Organisation.sector == "day_care").count())
    page.goto("/netzwerk/abdeckung")
    page.get_by_role("link", name="Partnerregister", exact=True).click()
    page.wait_for_url("**/netzwerk/partner")
    left = Organisation.select().where(Organisation.left_on <= berlin_today()).count()
    page.get_by_label("Status").select_option("ausgeschieden")
    page.get_by_role("button", name="Filtern").click()
    page.wait_for_url("**status=ausgeschieden**")
    assert page.locator("#register-list tbody tr").count() == left == 2


def test_coverage_reflows_on_a_phone(open_page, demo_data):
    """The table scrolls in its own box; the gaps list breaks long compounds at their brackets.
    (The register's filter row needs `.filter .field { min-width: 0 }` in app.css to do the same.)"""
    page = open_page(phone=True)
    log_in(page, "member")
    for path in ["/netzwerk/abdeckung"]:
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow} px"


def test_the_register_pages_mark_which_one_is_shown(page, demo_data):
    """Its links all looked alike; only a screen reader heard which page was open."""
    log_in(page, "coordinator")
    for path, name in [("/netzwerk/partner", "Partnerregister"), ("/netzwerk/abdeckung", "Abdeckung nach § 3 KKG"),
                       ("/organisationen/", "Organisationen")]:
        page.goto(path)
        links = page.get_by_role("navigation", name="Partnerregister").get_by_role("link")
        current = links.filter(has_text=name)
        assert current.get_attribute("aria-current") == "page", path
        weights = {link.inner_text(): link.evaluate("a => getComputedStyle(a).fontWeight") for link in links.all()}
        assert weights.pop(name) == "700" and all(weight != "700" for weight in weights.values()), (path, weights)
