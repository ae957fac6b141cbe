"""In Debian's Chromium: search as you type from the header, the search and log pages under axe-core,
both without JavaScript."""
import pytest

from .browser_helpers import assert_no_reload, axe_violations, log_in, wait_until

pytestmark = pytest.mark.browser


def test_results_appear_as_you_type_without_a_page_load(page, demo_data):
    log_in(page, "member")
    still_same_page = assert_no_reload(page)
    box = page.get_by_role("searchbox", name="Suche")
    box.press_sequentially("Vereinbarungen", delay=30)
    page.wait_for_url("**/suche/?q=Vereinbarungen")
    page.locator("#search-results").wait_for()
    assert page.locator("#search-results .search-hits li").count() >= 1
    assert "Treffer für „Vereinbarungen“" in page.locator("#search-live").inner_text()
    assert page.evaluate("document.activeElement.id") == "site-search"  # the cursor stays in the box
    assert page.title() == "Suche: Vereinbarungen – FH-Intranet"
    assert still_same_page(), "typing reloaded the page"
    box.fill("Wortohnetreffer")
    page.get_by_text("Keine Treffer für „Wortohnetreffer“.").first.wait_for()
    assert still_same_page()
    assert not axe_violations(page)


@pytest.mark.parametrize("role", ["partner", "member", "coordinator"])
def test_axe_on_search_pages(page, demo_data, role):
    log_in(page, role)
    findings = []
    for path in ["/suche/", "/suche/?q=Netzwerk", "/suche/?q=Vereinbarung&art=agreement", "/suche/?q=e",
                 "/suche/?q=e&seite=2", "/suche/?q=Wortohnetreffer"]:
        response = page.goto(path)
        assert response.status == 200, path
        assert page.locator("h1").count() == 1
        findings += axe_violations(page)
    assert not findings, "\n".join(findings)


def test_axe_on_the_log_and_the_history_sections(page, demo_data):
    log_in(page, "coordinator")
    findings = []
    for path in ["/protokoll/", "/protokoll/?seite=2", "/protokoll/?objektart=Agreement",
                 "/protokoll/?aktion=wird.nicht.gefunden", "/vereinbarungen/1", "/sitzungen/1", "/organisationen/1",
                 "/personen/1", "/gremien/1"]:
        response = page.goto(path)
        assert response.status == 200, path
        summary = page.locator(".change-history summary")
        if summary.count():
            summary.click()  # the opened history, too
        findings += axe_violations(page)
    assert not findings, "\n".join(findings)
    page.goto("/protokoll/")
    still_same_page = assert_no_reload(page)
    page.get_by_label("Objektart").select_option("Agreement")
    page.wait_for_url("**objektart=Agreement**")
    page.locator("#audit-log tbody tr").first.wait_for()
    assert all("Vereinbarung" in text for text in page.locator("#audit-log tbody td:nth-child(4)").all_inner_texts())
    assert still_same_page()


FILTERED_LISTS = ["/protokoll/", "/netzwerk/partner", "/sitzungen/", "/aufgaben/", "/beschluesse/", "/organisationen/",
                  "/angebote/"]


def test_filtern_updates_the_list_in_place_and_leaves_the_focus_on_the_button(page, demo_data):
    """Pressing „Filtern“ loaded the whole page: the focus fell back to its top, the next Tab on
    „Zum Inhalt springen“, a screen reader's user back at the start."""
    log_in(page, "coordinator")
    for path in FILTERED_LISTS:
        page.goto(path)
        still_same_page = assert_no_reload(page)
        button = page.locator("main form.filter").get_by_role("button", name="Filtern")
        button.focus()
        with page.expect_response(lambda response: response.request.headers.get("hx-request") == "true"):
            page.keyboard.press("Enter")
        wait_until(page, "document.activeElement.textContent.trim() === 'Filtern'")
        assert still_same_page(), path


def test_a_filtered_log_is_announced_by_a_live_region_that_stays(page, demo_data):
    """The live region was swapped with the list: put in anew, it was never read out."""
    log_in(page, "coordinator")
    page.goto("/protokoll/")
    status = page.locator("#list-status")
    assert status.get_attribute("role") == "status" and status.inner_text() == ""
    page.evaluate("window.__logStatus = document.getElementById('list-status')")
    page.get_by_label("Objektart").select_option("Agreement")
    page.wait_for_url("**objektart=Agreement**")
    wait_until(page, "document.getElementById('list-status').textContent.includes('Änderung')")
    assert page.evaluate("window.__logStatus === document.getElementById('list-status')"), "the same element"
    caption = page.locator("#audit-log caption").inner_text()
    assert status.inner_text() in caption


def test_letters_for_the_logs_object_number_are_named_not_dropped(page, demo_data):
    log_in(page, "coordinator")
    page.goto("/protokoll/")
    page.get_by_label("Objekt-Nr.").fill("abc")
    page.get_by_role("button", name="Filtern").click()
    page.locator("#objekt-error", has_text="Bitte die Nummer eines Objekts in Ziffern angeben").wait_for()
    assert page.get_by_label("Objekt-Nr.").get_attribute("aria-invalid") == "true"
    wait_until(page, "document.activeElement.classList.contains('form-errors')")
    assert not axe_violations(page)


def test_search_and_log_work_without_javascript(open_page, demo_data):
    page = open_page(javascript=False)
    log_in(page, "coordinator")
    box = page.get_by_role("searchbox", name="Suche")
    box.fill("Familie")
    box.press("Enter")
    page.wait_for_url("**/suche/?q=Familie")
    assert page.locator("#search-results .search-hits li").count() == 20
    page.get_by_role("link", name="Nächste Seite").first.click()
    page.wait_for_url("**seite=2")
    assert page.locator("#search-results .search-hits li").count() >= 1
    page.goto("/protokoll/")
    page.get_by_label("Objektart").select_option("Meeting")
    page.get_by_role("button", name="Filtern").click()
    page.wait_for_url("**objektart=Meeting**")
    assert page.locator("#audit-log tbody tr").count() >= 1
    response = page.request.get("/protokoll/export.csv?objektart=Meeting")
    assert response.status == 200 and response.body().startswith(b"\xef\xbb\xbf")
