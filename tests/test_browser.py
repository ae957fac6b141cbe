"""In Debian's Chromium: keyboard use, axe-core on every page of the demo data, htmx, no-JS."""
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from fh_intranet import demo
from fh_intranet.meetings.models import Body
from fh_intranet.people.models import Person
from fh_intranet.topics.models import Topic, VotingRound

from .browser_helpers import assert_no_reload, axe_violations, hidden_suffix, log_in, wait_until
from .page_kinds import walk
from .topic_fixtures import make_round

pytestmark = pytest.mark.browser



def test_login_navigate_and_logout_by_keyboard_only(page, demo_data):
    page.goto("/anmelden")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Zum Inhalt springen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # Tab from the main region reaches the e-mail field first
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "email"
    page.keyboard.type(demo.LOGINS["member"])
    page.keyboard.press("Tab")
    page.keyboard.type(demo.PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/")
    assert page.locator("h1").inner_text().startswith("Guten Tag")

    # walk the main navigation by Tab until "Organisationen", open it with Enter
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Organisationen":
            break
    else:
        pytest.fail("main navigation link not reachable by Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/organisationen/")
    assert page.title() == "Organisationen – FH-Intranet"
    page.go_back()  # hx-boost keeps history and titles right
    page.wait_for_url("**/")
    wait_until(page, "document.title === 'Start – FH-Intranet'")
    page.go_forward()
    page.wait_for_url("**/organisationen/")
    page.locator("#main").focus()

    for _ in range(80):  # past the list of the demo's 25 organisations
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Abmelden":
            break
    else:
        pytest.fail("logout button not reachable by Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/anmelden")
    assert "Sie wurden abgemeldet." in page.content()


def test_focus_is_visible(page, demo_data):
    page.goto("/anmelden")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    style = page.evaluate("(() => { const s = getComputedStyle(document.activeElement);"
                          " return [s.outlineStyle, s.outlineWidth]; })()")
    assert style[0] != "none" and style[1] != "0px"


# What a page at 320 CSS px on a touch screen must hold (WCAG 2.1 1.4.10 reflow, 2.5.5 target size):
# no sideways scrolling, every control inside the viewport, every link and button at least 44 px high.
REFLOW_PROBLEMS = """() => {
  const width = document.documentElement.clientWidth, problems = [];
  if (document.documentElement.scrollWidth > width)
    problems.push(`page is ${document.documentElement.scrollWidth} px wide`);
  for (const el of document.querySelectorAll('a[href], button, summary, input:not([type=hidden]), select, textarea')) {
    const box = el.getBoundingClientRect();
    if (!box.width && !box.height) continue;  // not rendered (a closed menu, a hidden field)
    if (el.closest('.visually-hidden, .default-submit, .skip-link')) continue;
    const name = (el.innerText || el.name || el.id || '').trim().slice(0, 40);
    if (box.left < -1 || box.right > width + 1) problems.push(`${el.tagName} "${name}" outside the viewport`);
    if (el.matches('a, button, summary') && box.height < 44)
      problems.push(`${el.tagName} "${name}" only ${Math.round(box.height)} px high`);
  }
  return problems;
}"""


# axe and the reflow checks take about a second a page in the browser: two pages of each view (the
# Nu checker, working on the test client's HTML, reads three).
PHONE_PAGES_PER_KIND = 2


def crawl(app, page, start="/"):
    """Every page reachable by links from `start`, a few per kind, with its axe and reflow findings."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    findings, visited = [], []

    def visit(path):
        response = page.goto(path)
        assert response.status < 500, f"{path} answered {response.status}"
        visited.append(path)
        findings.extend(axe_violations(page))
        findings.extend(f"{path}: {problem}" for problem in page.evaluate(REFLOW_PROBLEMS))
        if page.locator("h1").count() != 1:
            findings.append(f"{path}: {page.locator('h1').count()} <h1> elements, expected one")
        return page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")

    walk(app, start, visit, PHONE_PAGES_PER_KIND, origin)
    return visited, findings


@pytest.mark.parametrize("role", ["partner", "member", "coordinator"])
def test_every_reachable_page_on_a_phone_passes_axe_and_reflows(open_page, app, demo_data, role):
    """At 320 px on a touch screen: axe (target-size included), reflow, touch targets, no console errors."""
    page = open_page(phone=True)
    console_errors = []
    page.on("console", lambda message: console_errors.append(f"{page.url}: {message.text}")
            if message.type == "error" else None)
    log_in(page, role)
    visited, findings = crawl(app, page)
    assert len(visited) >= 4
    assert not findings, "\n".join(findings)
    assert not console_errors, "\n".join(console_errors)


def test_axe_on_anonymous_pages(page, demo_data):
    findings = []
    for path in ["/anmelden", "/passwort-vergessen", "/einladung/abgelaufen", "/gibt-es-nicht", "/barrierefreiheit/"]:
        page.goto(path)
        findings += axe_violations(page)
    # a form with errors
    page.goto("/anmelden")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_selector(".form-errors")
    findings += axe_violations(page)
    page.goto("/barrierefreiheit/")
    page.get_by_role("button", name="Rückmeldung senden").click()
    page.wait_for_selector(".form-errors")
    findings += axe_violations(page)
    assert not findings, "\n".join(findings)


def test_axe_on_forms_with_errors_and_edit_pages(page, demo_data):
    log_in(page, "coordinator")
    findings = []
    for path in ["/personen/einladen", "/organisationen/neu", "/personen/1/bearbeiten", "/organisationen/1/bearbeiten"]:
        page.goto(path)
        findings += axe_violations(page)
    page.goto("/personen/einladen")
    page.get_by_role("button", name="Einladung senden").click()
    page.wait_for_selector(".form-errors")
    findings += axe_violations(page)
    # a round's topics, changed before its first vote: the form, its error, and the page once votes exist
    planned = make_round(Body.get(Body.name == "Steuerungsgruppe"), Person.get(Person.role == "coordinator"),
                         list(Topic.select().where(Topic.state == "proposed").order_by(Topic.id).limit(3)),
                         status="planned", title="Jahresplanung")
    page.goto(f"/abstimmungen/{planned.id}")
    page.get_by_role("link", name="Themen ändern").click()
    page.wait_for_selector("fieldset.checkbox-list")
    findings += axe_violations(page)
    boxes = page.locator("input[name=topics]")
    for index in range(1, boxes.count()):  # one topic is too few
        boxes.nth(index).uncheck()
    page.get_by_role("button", name="Themen speichern").last.click()
    page.wait_for_selector(".form-errors")
    findings += axe_violations(page)
    running = VotingRound.get(VotingRound.title == "Themen für den Fachtag im Frühjahr")  # has votes
    page.goto(f"/abstimmungen/{running.id}/themen")
    expect(page.locator(".kern-alert--danger")).to_contain_text("Es wurde bereits abgestimmt.")
    findings += axe_violations(page)
    assert not findings, "\n".join(findings)


def test_htmx_filter_updates_the_list_in_place(page, demo_data):
    log_in(page, "partner")
    page.goto("/organisationen/")
    still_same_page = assert_no_reload(page)
    page.get_by_label("Bereich").select_option("midwives")
    page.wait_for_url("**bereich=midwives")
    from fh_intranet.people.models import Organisation

    midwives = Organisation.select().where(Organisation.sector == "midwives").count()
    rows = page.locator("#organisation-list tbody tr")
    rows.first.wait_for()
    assert rows.count() == midwives and "Hebammenpraxis Lindenhof" in page.locator("#organisation-list tbody").inner_text()
    assert still_same_page(), "the filter reloaded the page"
    page.go_back()
    page.wait_for_url("**/organisationen/")
    wait_until(page, f"document.querySelectorAll('#organisation-list tbody tr').length === "
                           f"{Organisation.select().count()}")


def test_htmx_form_error_is_swapped_in_place_with_csrf(page, demo_data):
    log_in(page, "member")
    page.goto("/konto/")
    still_same_page = assert_no_reload(page)
    page.get_by_label("Bisheriges Passwort").fill("nicht-das-richtige")
    page.locator("#password").fill("Ginster-am-Deich-44")
    page.get_by_label("Neues Passwort wiederholen").fill("Ginster-am-Deich-44")
    page.get_by_role("button", name="Passwort ändern").click()
    page.get_by_text("Das bisherige Passwort stimmt nicht.").wait_for()
    assert still_same_page()


def test_works_without_javascript(open_page, demo_data):
    page = open_page(javascript=False)
    log_in(page, "coordinator")
    page.goto("/organisationen/")
    page.get_by_label("Bereich").select_option("day_care")
    page.get_by_role("button", name="Filtern").click()
    page.wait_for_url("**bereich=day_care")
    from fh_intranet.people.models import Organisation

    assert page.locator("#organisation-list tbody tr").count() == (
        Organisation.select().where(Organisation.sector == "day_care").count())
    page.goto("/konto/")
    page.get_by_label("Bisheriges Passwort").fill("nicht-das-richtige")
    page.locator("#password").fill("Ginster-am-Deich-44")
    page.get_by_label("Neues Passwort wiederholen").fill("Ginster-am-Deich-44")
    page.get_by_role("button", name="Passwort ändern").click()
    page.get_by_text("Das bisherige Passwort stimmt nicht.").wait_for()
    assert "<html" in page.content()

    # the same ballot, agenda and comment forms work as plain forms
    from fh_intranet.agreements.models import Agreement, Comment
    from fh_intranet.meetings.models import Meeting
    from fh_intranet.topics.models import VotingRound

    round_ = VotingRound.get(VotingRound.title == "Themen für den Fachtag im Frühjahr")
    page.goto(f"/abstimmungen/{round_.id}")
    page.get_by_role("button", name=hidden_suffix("+ Punkt geben", "Digitale Elternsprechstunde")).click()
    expect(page.locator("#budget")).to_have_text("Noch 4 von 5 Punkten zu vergeben.")
    meeting = Meeting.get(Meeting.title == "4. Sitzung der Steuerungsgruppe")
    page.goto(f"/sitzungen/{meeting.id}")
    page.get_by_label("Neuer Tagesordnungspunkt").fill("Ohne JavaScript")
    page.get_by_role("button", name="TOP hinzufügen").click()
    page.get_by_role("heading", name="TOP 1: Ohne JavaScript").wait_for()
    agreement = Agreement.get(Agreement.state == "consultation")
    page.goto(f"/vereinbarungen/{agreement.id}")
    page.locator("#s-1-ziele").get_by_role("link", name="Kommentieren").click()
    page.get_by_role("textbox", name="Kommentar").fill("Plain form comment")
    page.get_by_role("button", name="Speichern").click()
    page.get_by_text("Plain form comment").wait_for()
    saved = Comment.get(Comment.body == "Plain form comment")
    assert page.url.endswith(f"/vereinbarungen/{agreement.id}#comment-{saved.id}")  # at the comment itself


def test_phone_navigation_is_a_menu_that_opens_with_and_without_javascript(open_page, demo_data):
    for javascript in (True, False):
        page = open_page(javascript=javascript, phone=True)
        log_in(page, "member")
        nav = page.get_by_role("navigation", name="Hauptnavigation")
        people = nav.get_by_role("link", name="Personen")
        assert not people.is_visible(), "the menu starts closed on a phone"
        nav.get_by_text("Menü").tap()
        for name in ["Start", "Personen", "Organisationen", "Mein Konto"]:
            box = nav.get_by_role("link", name=name).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 320 and box["height"] >= 44
        # open, the menu pushes the page down: nothing Tab reaches next lies hidden under it
        last = nav.get_by_role("link", name="Mein Konto").bounding_box()
        assert page.get_by_role("searchbox", name="Suche").bounding_box()["y"] >= last["y"] + last["height"]
        people.tap()
        page.wait_for_url("**/personen/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        # the header leaves the screen to the page: the heading begins in its upper third (was at
        # 388 of 640 px, below brand, search, name, "Abmelden" and the menu button stacked)
        assert page.get_by_role("heading", level=1).bounding_box()["y"] < 640 / 3
        search = page.get_by_role("searchbox", name="Suche").bounding_box()
        assert search["x"] + search["width"] <= 320 and search["height"] >= 44
        assert search["width"] >= 150, "room for what is typed (was 94 px: two letters)"


def test_escape_closes_the_phone_menu_and_gives_the_focus_back_to_its_button(open_page, demo_data):
    page = open_page(phone=True)
    log_in(page, "member")
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    nav.locator("summary", has_text="Menü").focus()
    page.keyboard.press("Enter")
    people = nav.get_by_role("link", name="Personen")
    assert people.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Start"
    page.keyboard.press("Escape")
    assert not people.is_visible()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    # Escape elsewhere on the page leaves an open menu as it is (a dialog or a field may want it)
    page.keyboard.press("Enter")
    page.get_by_role("searchbox", name="Suche").focus()
    page.keyboard.press("Escape")
    assert people.is_visible()


def test_a_round_without_topics_says_so_where_the_topics_are_on_a_phone(open_page, demo_data):
    """The message stood below every topic in a list that scrolled inside the page: out of sight."""
    page = open_page(phone=True)
    log_in(page, "coordinator")
    page.goto("/abstimmungen/neu")
    page.get_by_role("button", name="Abstimmung anlegen").last.click()
    error = page.locator("#topics-error", has_text="Bitte mindestens zwei Themen wählen.")
    error.wait_for()
    topics = page.get_by_role("group", name="Themen")
    # measured in one go: the page may still be scrolling to the focused summary
    below_the_legend = error.evaluate("""message => message.getBoundingClientRect().top
                                         - message.closest('fieldset').querySelector('legend').getBoundingClientRect().bottom""")
    assert 0 <= below_the_legend < 40, "right under the legend"
    boxes = topics.get_by_role("checkbox")
    assert boxes.count() >= 2
    assert all(box.get_attribute("aria-invalid") == "true" and box.get_attribute("aria-describedby") == "topics-error"
               for box in boxes.all())
    assert topics.evaluate("list => list.scrollHeight <= list.clientHeight + 1"), "the whole list is in the page"
    assert not axe_violations(page)
    # "Alle Themen auswählen" ticks them all and keeps the focus (it fell to the top of the page)
    page.get_by_role("button", name="Alle Themen auswählen").focus()
    with page.expect_response(lambda response: response.request.method == "POST"):
        page.keyboard.press("Enter")
    wait_until(page, "document.querySelectorAll('.checkbox-list input:checked').length >= 2")  # swapped in
    wait_until(page, "document.activeElement.textContent.trim() === 'Alle Themen auswählen'")
    assert all(box.is_checked() for box in page.get_by_role("group", name="Themen").get_by_role("checkbox").all())


def test_checkboxes_and_selects_are_big_enough_to_see_hit_and_read(page, open_page, demo_data):
    """KERN's class on a checkbox left it at the browser's 13 px (our KERN subset draws none); the
    round form's „live während der Abstimmung“ was cut off in its select on a phone."""
    page.goto("/anmelden")
    box = page.get_by_label("Angemeldet bleiben").bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24
    phone = open_page(phone=True)
    log_in(phone, "coordinator")
    phone.goto("/abstimmungen/neu")
    assert phone.locator(".checkbox-list input[type=checkbox]").first.bounding_box()["width"] >= 24
    for choice in ("während der Abstimmung", "erst nach dem Ende"):  # each choice whole, beside its button
        label = phone.get_by_role("group", name="Ergebnisse sichtbar").locator("label", has_text=choice)
        box = label.bounding_box()
        assert box["x"] + box["width"] <= 320 and label.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), choice
    phone.get_by_label("erst nach dem Ende").check()
    assert phone.get_by_label("erst nach dem Ende").is_checked() and not axe_violations(phone)


def test_dates_in_tables_stay_whole(page, demo_data):
    """Cells wrap anywhere so that a long address cannot widen a table; a due date broke as „30.01.2|027“."""
    log_in(page, "coordinator")
    for width in (1280, 1024):
        page.set_viewport_size({"width": width, "height": 900})
        for path in ("/", "/aufgaben/?stand=alle", "/beschluesse/", "/protokoll/"):
            page.goto(path)
            cells = page.locator("td.when")
            assert cells.count() >= 1, path
            broken = page.evaluate("""() => [...document.querySelectorAll('td.when')].filter(cell => {
                const range = document.createRange();
                range.selectNodeContents(cell);
                return new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size > 1;
            }).map(cell => cell.textContent.trim())""")
            assert not broken, (width, path, broken)


def test_attendance_on_a_phone_is_chosen_by_its_visible_label(open_page, demo_data):
    """Was: a 13 px radio button under an „anwesend:“ drawn by CSS that could not be tapped."""
    from fh_intranet.meetings.models import Meeting

    meeting = Meeting.get(Meeting.title == "4. Sitzung der Steuerungsgruppe")
    page = open_page(phone=True)
    log_in(page, "coordinator")
    page.goto(f"/sitzungen/{meeting.id}")
    radio = page.get_by_role("radio", name="Anna Lehmann: entschuldigt")
    label = page.locator(f"label[for='{radio.get_attribute('id')}']")
    assert label.locator(".choice-label").is_visible() and label.locator(".choice-label").inner_text() == "entschuldigt"
    box = label.bounding_box()
    assert box["height"] >= 44 and box["x"] + box["width"] <= 320
    label.tap()
    assert radio.is_checked()
    assert not axe_violations(page)


def test_the_navigation_is_always_open_on_a_desktop(page, demo_data):
    log_in(page, "member")
    assert page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Personen").is_visible()
    assert not page.get_by_text("Menü").is_visible()


def test_no_request_leaves_the_site_and_no_csp_violation(page, live_server, demo_data):
    requested, errors = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, "coordinator")
    for path in ["/", "/personen/", "/organisationen/", "/konto/"]:
        page.goto(path)
    assert requested and all(url.startswith(live_server) for url in requested), requested
    assert not [text for text in errors if "Content Security Policy" in text], errors


def test_member_comments_on_a_section_without_page_load(page, demo_data):
    from fh_intranet.agreements.models import Agreement

    agreement = Agreement.get(Agreement.state == "consultation")
    log_in(page, "member")
    page.goto(f"/vereinbarungen/{agreement.id}")
    still_same_page = assert_no_reload(page)
    section = page.locator("#s-2-zielgruppe")
    assert section.locator("#s-2-zielgruppe-count").inner_text() == "0 Kommentare"
    section.get_by_role("link", name="Kommentieren").click()
    box = section.get_by_role("textbox", name="Kommentar")
    box.wait_for()
    wait_until(page, "document.activeElement.tagName === 'TEXTAREA'")  # the cursor is in the box
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Speichern"
    page.keyboard.press("Enter")  # empty: refused in place, the message takes the focus
    wait_until(page, "document.activeElement.classList.contains('form-errors')")
    box.fill("Bitte Pflegefamilien ausdrücklich nennen.")
    section.get_by_role("button", name="Speichern").focus()
    page.keyboard.press("Enter")
    section.get_by_text("Bitte Pflegefamilien ausdrücklich nennen.").wait_for()
    assert section.locator("#s-2-zielgruppe-count").inner_text() == "1 Kommentar"
    assert section.locator("form.comment-form").count() == 0  # the form closed
    # the form that had the focus is gone: the new comment has it, and a screen reader reads it
    wait_until(page, "document.activeElement.tagName === 'ARTICLE'")
    assert "Bitte Pflegefamilien" in page.evaluate("document.activeElement.textContent")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith("Kommentar von ")
    assert still_same_page(), "commenting reloaded the page"
    assert not axe_violations(page)


def test_a_reply_is_edited_in_place_and_shown_discussions_take_the_focus(page, demo_data):
    """A reply's „Bearbeiten“ found no place to open in and loaded a page of its own; the link that
    shows a section's resolved discussions was swapped away with the focus, which fell to the body."""

    from fh_intranet.agreements import workflow as agreements
    from fh_intranet.agreements.models import Agreement, Comment
    from fh_intranet.people.models import Person

    agreement = Agreement.get(Agreement.title == "Kooperationsvereinbarung Frühe Hilfen 2027–2030")
    member = Person.get(Person.email == demo.LOGINS["member"])
    thread = Comment.select().where(Comment.agreement == agreement, Comment.parent.is_null(),
                                    Comment.resolved_at.is_null()).order_by(Comment.id).first()
    reply = agreements.add_comment(agreement, agreements.latest_version(agreement), anchor=thread.section_anchor,
                                   heading=thread.section_heading, body="Meine Antwort, noch mit Tippfehler.",
                                   author=member, parent=thread)
    log_in(page, "member")
    page.goto(f"/vereinbarungen/{agreement.id}")
    still_same_page = assert_no_reload(page)
    shown = page.locator(".thread-folded a").first  # „1 erledigte Diskussion anzeigen (1 Beitrag)“
    shown.focus()
    page.keyboard.press("Enter")
    # the first discussion shown takes the focus (not the body, nor the section's top screens above)
    wait_until(page, "document.activeElement.matches('article.comment.resolved')")

    page.locator(f"#comment-{reply.id}").get_by_role("link", name=re.compile("^Bearbeiten")).click()
    box = page.locator(f"#comment-{reply.id}-form").get_by_role("textbox")
    box.wait_for()
    box.fill("Meine Antwort, korrigiert.")
    page.locator(f"#comment-{reply.id}-form").get_by_role("button", name="Speichern").click()
    page.locator(f"#comment-{reply.id}").get_by_text("Meine Antwort, korrigiert.").wait_for()
    wait_until(page, f"document.activeElement.id === 'comment-{reply.id}'")
    assert Comment.get_by_id(reply.id).body == "Meine Antwort, korrigiert."
    assert still_same_page(), "editing a reply loaded a page"
    assert not axe_violations(page)


def test_a_form_opened_in_place_closes_by_escape_or_abbrechen_and_gives_the_focus_back(open_page, page, demo_data):
    """A reply or an agenda item's edit form, once opened, stayed open: no „Abbrechen“, Escape did
    nothing. Both close it in place and the focus returns to the link that opened it; typed input
    is dropped only when the person says so."""
    from fh_intranet.agreements.models import Agreement, Comment
    from fh_intranet.meetings.models import AgendaItem, Meeting

    agreement = Agreement.get(Agreement.title == "Kooperationsvereinbarung Frühe Hilfen 2027–2030")
    thread = Comment.select().where(Comment.agreement == agreement, Comment.parent.is_null(),
                                    Comment.resolved_at.is_null()).order_by(Comment.id).first()
    log_in(page, "member")
    page.goto(f"/vereinbarungen/{agreement.id}")
    still_same_page = assert_no_reload(page)
    slot = page.locator(f"#comment-{thread.id}-form")
    reply = page.locator(f"#comment-{thread.id} .actions").get_by_role("link", name=re.compile("^Antworten"))
    reply.focus()
    page.keyboard.press("Enter")
    box = slot.get_by_role("textbox")
    box.wait_for()
    wait_until(page, f"document.activeElement.closest('#comment-{thread.id}-form') !== null")
    page.keyboard.press("Escape")
    expect(slot.locator("form")).to_have_count(0)
    wait_until(page, f"document.activeElement.closest('#comment-{thread.id} .actions') !== null"
                     " && document.activeElement.textContent.startsWith('Antworten')")

    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    reply.click()
    box.wait_for()
    box.fill("Halb geschrieben")
    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    slot.get_by_role("link", name="Abbrechen").click()
    wait_until(page, f"document.activeElement.closest('#comment-{thread.id}-form') !== null")
    assert box.input_value() == "Halb geschrieben" and "nicht gespeichert" in questions[0]
    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.keyboard.press("Escape")
    expect(slot.locator("form")).to_have_count(0)
    wait_until(page, "document.activeElement.textContent.startsWith('Antworten')")
    assert len(questions) == 2 and still_same_page()
    assert not Comment.select().where(Comment.body == "Halb geschrieben").exists()

    meeting = Meeting.get(Meeting.title == "3. Sitzung der Steuerungsgruppe")
    item = AgendaItem.select().where(AgendaItem.meeting == meeting).order_by(AgendaItem.position).first()
    page = open_page()
    log_in(page, "coordinator")
    page.goto(f"/sitzungen/{meeting.id}")
    still_same_page = assert_no_reload(page)
    edit = page.get_by_role("link", name=hidden_suffix("Bearbeiten", "TOP 1"))
    edit.click()
    page.locator(f"#top-{item.id}-edit form").wait_for()
    page.locator(f"#top-{item.id}-edit").get_by_role("link", name="Abbrechen").click()
    expect(page.locator(f"#top-{item.id}-edit form")).to_have_count(0)
    wait_until(page, "document.activeElement.textContent.startsWith('Bearbeiten')")
    assert page.evaluate("document.activeElement.closest('li').id") == f"top-{item.id}"
    # a form given back after a refusal holds unsaved input as its defaults: still asked first
    edit.click()
    slot = page.locator(f"#top-{item.id}-edit")
    slot.get_by_label("Titel").fill("")
    slot.get_by_label("Notizen").fill("Nur hier getippt")
    slot.get_by_role("button", name="Speichern").click()
    slot.locator(".form-errors").wait_for()
    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    slot.get_by_label("Notizen").press("Escape")
    wait_until(page, f"document.activeElement.closest('#top-{item.id}-edit') !== null")
    assert slot.get_by_label("Notizen").input_value() == "Nur hier getippt" and len(questions) == 3
    assert still_same_page() and not axe_violations(page)


def test_axe_on_agreement_pages_with_forms_open(page, demo_data):
    from fh_intranet.agreements.models import Agreement

    agreement = Agreement.get(Agreement.state == "consultation")
    log_in(page, "coordinator")
    findings = []
    page.goto(f"/vereinbarungen/{agreement.id}")
    page.locator("#s-1-ziele").get_by_role("link", name="Kommentieren").click()
    page.locator("#s-1-ziele form.comment-form").wait_for()
    page.locator("#s-1-ziele").get_by_role("button", name="Speichern").click()  # empty: 422 in place
    page.locator("#s-1-ziele .form-errors").wait_for()
    findings += axe_violations(page)
    for path in [f"/vereinbarungen/{agreement.id}/bearbeiten", f"/vereinbarungen/{agreement.id}/vergleich?ansicht=nebeneinander",
                 f"/vereinbarungen/{agreement.id}/druck", "/vereinbarungen/neu"]:
        page.goto(path)
        findings += axe_violations(page)
    assert not findings, "\n".join(findings)


def test_coordinator_builds_agenda_and_ticks_without_page_load(page, demo_data):
    from fh_intranet.meetings.models import Meeting

    meeting = Meeting.get(Meeting.title == "4. Sitzung der Steuerungsgruppe")
    log_in(page, "coordinator")
    page.goto(f"/sitzungen/{meeting.id}")
    still_same_page = assert_no_reload(page)
    for title in ["Begrüßung", "Haushalt 2027", "Verschiedenes"]:
        page.get_by_label("Neuer Tagesordnungspunkt").fill(title)
        page.get_by_role("button", name="TOP hinzufügen").click()
        page.get_by_role("heading", name=f"TOP {['Begrüßung', 'Haushalt 2027', 'Verschiedenes'].index(title) + 1}: {title}").wait_for()
    page.get_by_role("button", name=hidden_suffix("Nach oben", "TOP 3 Verschiedenes")).click()
    page.get_by_role("heading", name="TOP 2: Verschiedenes").wait_for()
    assert page.get_by_role("heading", name="TOP 3: Haushalt 2027").is_visible()
    # the button that moved the item is gone: the item's heading, at its new place, has the focus
    wait_until(page, "document.activeElement.textContent.trim() === 'TOP 2: Verschiedenes'")
    # an action item, added and ticked in place
    page.get_by_text("Beschluss oder Aufgabe hinzufügen: TOP 1").click()
    first = page.locator(".agenda-item").first
    first.get_by_label("Aufgabe (Pflichtfeld)", exact=True).fill("Raum reservieren")
    first.get_by_label("Wer").select_option(label="Katrin Albers")
    first.get_by_role("button", name="Aufgabe hinzufügen").click()
    page.get_by_role("button", name=hidden_suffix("Als erledigt abhaken", "Raum reservieren")).wait_for()
    wait_until(page, "document.activeElement.textContent.trim() === 'TOP 1: Begrüßung'")
    page.get_by_role("button", name=hidden_suffix("Als erledigt abhaken", "Raum reservieren")).focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name=hidden_suffix("Wieder öffnen", "Raum reservieren")).wait_for()
    # the focus stays on the button, which now says the opposite
    wait_until(page, "document.activeElement.textContent.trim().startsWith('Wieder öffnen')")
    assert still_same_page(), "building the agenda reloaded the page"
    assert not axe_violations(page)


def test_focus_and_typed_input_survive_partial_page_loads(page, demo_data):
    """A page changed by hx-boost puts the focus on its heading (it stayed on the body: nothing was
    announced, Tab began at the header); two agenda items' edit forms open at once each name their
    own fields; the header's search as you type does not replace a form holding unsaved input, and
    a second „Bearbeiten“ does not reload it. Enter in the search still searches."""
    from fh_intranet.meetings.models import AgendaItem, Meeting

    meeting = Meeting.get(Meeting.title == "3. Sitzung der Steuerungsgruppe")
    first, second = AgendaItem.select().where(AgendaItem.meeting == meeting).order_by(AgendaItem.position)[:2]
    log_in(page, "coordinator")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Sitzungen").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/sitzungen/")
    wait_until(page, "document.activeElement.tagName === 'H1'")

    page.goto(f"/sitzungen/{meeting.id}")
    still_same_page = assert_no_reload(page)
    for number, item in ((1, first), (2, second)):
        page.get_by_role("link", name=hidden_suffix("Bearbeiten", f"TOP {number}")).click()
        page.locator(f"#top-{item.id}-edit form").wait_for()
    wait_until(page, "!document.querySelector('.htmx-request, .htmx-settling')")  # both forms in place, settled
    ids = page.evaluate("Array.from(document.querySelectorAll('[id]'), element => element.id)")
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    title = page.locator(f"#top-{first.id}-edit").get_by_label("Titel")
    assert title.count() == 1
    title.fill("Neu getippt, noch nicht gespeichert")
    page.get_by_role("link", name=hidden_suffix("Bearbeiten", "TOP 1")).click()
    wait_until(page, f"document.activeElement.id === 'top-{first.id}-edit-title'")
    page.get_by_role("searchbox", name="Suche").press_sequentially("Kommentierung", delay=30)
    page.wait_for_timeout(1500)  # three times the search's delay: nothing may happen meanwhile
    assert f"/sitzungen/{meeting.id}" in page.url and title.input_value() == "Neu getippt, noch nicht gespeichert"
    assert still_same_page()
    # a form sent into the agenda, which holds the edit form with typed input, asks first
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.get_by_label("Neuer Tagesordnungspunkt").fill("Noch ein Punkt")
    page.get_by_role("button", name="TOP hinzufügen").click()
    wait_until(page, f"document.activeElement.id === 'top-{first.id}-edit-title'")
    assert questions and "nicht gespeichert" in questions[0]
    assert title.input_value() == "Neu getippt, noch nicht gespeichert"
    assert not AgendaItem.select().where(AgendaItem.title == "Noch ein Punkt").exists()
    page.get_by_role("searchbox", name="Suche").press("Escape")  # emptied: nothing to search, the page stays
    page.wait_for_timeout(1500)
    assert f"/sitzungen/{meeting.id}" in page.url and title.input_value() == "Neu getippt, noch nicht gespeichert"
    page.get_by_role("searchbox", name="Suche").fill("Kommentierung")
    page.get_by_role("searchbox", name="Suche").press("Enter")
    page.wait_for_url("**/suche/?q=Kommentierung")
    page.locator("#search-results").wait_for()
    assert not axe_violations(page)
    # a form nobody typed into (its selects show their first choice) lets the search show results
    page.goto("/themen/neu")
    page.get_by_role("searchbox", name="Suche").press_sequentially("Väter", delay=30)
    page.wait_for_url("**/suche/?q=V%C3%A4ter")


def test_a_refused_point_without_javascript_is_said_at_the_ballot_on_a_phone(open_page, demo_data):
    """The page came back at its top, the message screens further down in the ballot."""
    from fh_intranet.topics.models import VotingRound

    round_ = VotingRound.get(VotingRound.title == "Themen für den Fachtag im Frühjahr")
    page = open_page(javascript=False, phone=True)
    log_in(page, "member")
    page.goto(f"/abstimmungen/{round_.id}")
    page.get_by_role("button", name=hidden_suffix("− Punkt zurücknehmen", "Väter stärker einbeziehen")).click()
    alert = page.locator("#messages [role=alert]", has_text="Auf „Väter stärker einbeziehen“ haben Sie keinen Punkt")
    alert.wait_for()
    box = alert.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= page.viewport_size["height"], "in view where the page begins"
    at_the_ballot = page.locator("#ballot .flash.refused")  # and at the ballot, marked as the error it is
    assert alert.locator(".kern-body").inner_text() in at_the_ballot.inner_text()
    assert at_the_ballot.inner_text().startswith("Fehler:")
    assert page.locator("[role=alert]").count() == 1, "announced once"


def test_voting_updates_budget_and_chart_in_place_and_reaches_others(open_page, page, demo_data):
    from fh_intranet.topics.models import VotingRound

    round_ = VotingRound.get(VotingRound.title == "Themen für den Fachtag im Frühjahr")
    log_in(page, "member")
    page.goto(f"/abstimmungen/{round_.id}")
    still_same_page = assert_no_reload(page)
    topic = "Väter stärker einbeziehen"
    score = page.locator("#results tr", has_text=topic).locator("td").nth(1)
    before = int(score.inner_text())
    assert page.locator("#budget").inner_text() == "Noch 5 von 5 Punkten zu vergeben."

    # a second person watching the same round
    other = open_page()
    log_in(other, "coordinator")
    other.goto(f"/abstimmungen/{round_.id}")
    other_score = other.locator("#results tr", has_text=topic).locator("td").nth(1)
    assert int(other_score.inner_text()) == before

    page.get_by_role("button", name=hidden_suffix("+ Punkt geben", topic)).click()
    expect(page.locator("#budget")).to_have_text("Noch 4 von 5 Punkten zu vergeben.")
    assert int(score.inner_text()) == before + 1  # the chart moved with the click
    for remaining in (3, 2):  # each click answers before the next (a click on a button being swapped is lost)
        page.get_by_role("button", name=hidden_suffix("+ Punkt geben", topic)).click()
        expect(page.locator("#budget")).to_have_text(f"Noch {remaining} von 5 Punkten zu vergeben.")
    page.get_by_role("button", name=hidden_suffix("+ Punkt geben", topic)).click()  # a fourth: over the maximum
    page.locator("#ballot").get_by_text(f"Mehr Punkte gehen auf „{topic}“ nicht.").wait_for()
    expect(page.locator("#ballot-status")).to_have_text(f"Mehr Punkte gehen auf „{topic}“ nicht.")
    assert page.locator("#budget").inner_text() == "Noch 2 von 5 Punkten zu vergeben."
    assert still_same_page(), "voting reloaded the page"
    # the other browser sees it within a few seconds, by polling
    expect(other.locator("#results tr", has_text=topic).locator("td").nth(1)).to_have_text(str(before + 3), timeout=8000)
    assert not axe_violations(page)


def test_ranking_by_keyboard(page, demo_data, people_for_ranking):
    round_id = people_for_ranking
    log_in(page, "member")
    page.goto(f"/abstimmungen/{round_id}")
    selects = page.locator("#ballot select")
    selects.first.focus()
    for presses in (1, 2, 3):  # places 1, 2, 3, one select after the other
        for _ in range(presses):
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "rank-partial"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#ballot-status")).to_have_text("Ihre Rangfolge ist gespeichert.")
    assert page.evaluate("document.activeElement.id") == "rank-save", "the focus stays on the ballot"
    assert [selects.nth(n).input_value() for n in range(3)] == ["1", "2", "3"]
    assert not axe_violations(page)


def test_a_duplicate_place_keeps_the_choices_by_keyboard(page, demo_data, people_for_ranking):
    log_in(page, "member")
    page.goto(f"/abstimmungen/{people_for_ranking}")
    for label in ("Platz für „Väter stärker einbeziehen“", "Platz für „Digitale Elternsprechstunde“"):
        page.get_by_label(label).select_option("1")
    page.get_by_label("Platz für „Wartezeiten in der Frühförderung“").select_option("2")
    page.get_by_role("button", name="Rangfolge speichern").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Platz 1 ist mehrfach vergeben.").first.wait_for()
    # the message takes the focus (it stayed on the button, below the refused places), read once
    wait_until(page, "document.activeElement.matches('#ballot .flash.refused')")
    assert "Jeder Platz nur einmal" in page.evaluate("document.activeElement.textContent")
    expect(page.locator("#ballot-status")).to_have_text("")
    page.keyboard.press("Tab")  # on to the first place
    assert page.evaluate("document.activeElement.id") == page.locator("#ballot select").first.get_attribute("id")
    assert page.get_by_label("Platz für „Digitale Elternsprechstunde“").input_value() == "1"
    assert page.get_by_label("Platz für „Wartezeiten in der Frühförderung“").input_value() == "2"
    # the refusal is marked as one, and each refused place over the whole of its box (was 60 % of it)
    assert page.locator("#ballot .flash.refused", has_text="Jeder Platz nur einmal").count() == 1
    refused = page.get_by_label("Platz für „Väter stärker einbeziehen“")
    assert refused.evaluate("select => select.getBoundingClientRect().width === "
                            "select.closest('.kern-form-input__select-wrapper').getBoundingClientRect().width")
    assert not axe_violations(page)


def press_and_settle(page, key):
    """Press `key` and wait until htmx has settled the swap it caused: only then are the new
    buttons htmx buttons (a key pressed within those milliseconds sends the plain form instead)."""
    page.evaluate("window.__settled = new Promise(done => document.body.addEventListener("
                  "'htmx:afterSettle', () => done(true), {once: true}))")
    page.keyboard.press(key)
    page.evaluate("window.__settled")


def test_dots_by_keyboard_keep_focus_and_announce_the_budget(page, demo_data):
    from fh_intranet.topics.models import VotingRound

    round_ = VotingRound.get(VotingRound.title == "Themen für den Fachtag im Frühjahr")
    log_in(page, "member")
    page.goto(f"/abstimmungen/{round_.id}")
    plus = page.get_by_role("button", name=hidden_suffix("+ Punkt geben", "Väter stärker einbeziehen"))
    plus.focus()
    button_id = plus.get_attribute("id")
    for remaining in (4, 3):
        press_and_settle(page, "Enter")
        expect(page.locator("#ballot-status")).to_have_text(f"Gespeichert. Noch {remaining} von 5 Punkten zu vergeben.")
        assert page.evaluate("document.activeElement.id") == button_id, "the focus stays on the button"
    page.keyboard.press("Shift+Tab")  # to "−" of the same topic
    press_and_settle(page, "Enter")
    expect(page.locator("#ballot-status")).to_have_text("Gespeichert. Noch 4 von 5 Punkten zu vergeben.")
    assert page.evaluate("document.activeElement.id") == button_id.replace("plus", "minus")


@pytest.fixture
def people_for_ranking(demo_data):
    """A running ranking round over the demo topics, for the Steuerungsgruppe."""
    from datetime import timedelta

    from fh_intranet.db import utcnow
    from fh_intranet.meetings.models import Body
    from fh_intranet.people.models import Person
    from fh_intranet.topics.models import RANKING, RoundTopic, Topic, VotingRound

    round_ = VotingRound.create(title="Rangfolge", method=RANKING, rank_limit=3, body=Body.get(Body.name == "Steuerungsgruppe"),
                                opens_at=utcnow() - timedelta(hours=1), closes_at=utcnow() + timedelta(days=1),
                                created_by=Person.get(Person.role == "coordinator"))
    for title in ["Väter stärker einbeziehen", "Digitale Elternsprechstunde", "Wartezeiten in der Frühförderung"]:
        RoundTopic.create(round=round_, topic=Topic.get(Topic.title == title))
    return round_.id


def test_member_adds_an_output_with_a_photo_on_a_phone(open_page, demo_data, tmp_path):
    from fh_intranet.workshops.models import Attachment, Workshop

    from .workshop_fixtures import jpeg_with_gps

    workshop = Workshop.get(Workshop.title.startswith("Thementisch 3"))
    photo = tmp_path / "flipchart.jpg"
    photo.write_bytes(jpeg_with_gps())
    page = open_page(viewport={"width": 375, "height": 760}, is_mobile=True, has_touch=True)
    log_in(page, "member")
    page.goto(f"/sitzungen/{workshop.meeting_id}/thementische")
    page.get_by_role("link", name=hidden_suffix("Ergebnis eintragen", workshop.title)).tap()
    page.get_by_label("Ergebnis", exact=True).fill("- Broschüre in vier Sprachen\n- Piktogramme")
    page.get_by_label("Fotos oder PDF (optional)").set_input_files(str(photo))
    findings = axe_violations(page)
    page.get_by_role("button", name="Speichern").tap()
    page.get_by_text("Das Ergebnis ist gespeichert.").wait_for()
    assert page.get_by_text("Broschüre in vier Sprachen").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    stored = Attachment.select().order_by(Attachment.id.desc()).first()
    assert stored.output.workshop_id == workshop.id and stored.content_type == "image/jpeg"
    findings += axe_violations(page)
    page.goto(f"/sitzungen/{workshop.meeting_id}/fotos")
    findings += axe_violations(page)
    assert not findings, "\n".join(findings)


def test_removing_an_agenda_item_asks_first_with_and_without_javascript(open_page, page, demo_data):
    """The in-place "Entfernen" of htmx and the plain form both lead to the second look; its
    heading takes the focus, "Abbrechen" changes nothing, "Ja, entfernen" removes."""
    from fh_intranet.meetings.models import AgendaItem, Meeting

    meeting = Meeting.get(Meeting.title == "4. Sitzung der Steuerungsgruppe")
    for title in ["Begrüßung", "Verschiedenes"]:
        AgendaItem.create(meeting=meeting, title=title, position=AgendaItem.select().where(
            AgendaItem.meeting == meeting).count() + 1)
    log_in(page, "coordinator")
    page.goto(f"/sitzungen/{meeting.id}")
    page.get_by_role("button", name=hidden_suffix("Entfernen", "TOP 1 Begrüßung")).click()
    heading = page.get_by_role("heading", level=1, name="Tagesordnungspunkt „Begrüßung“ entfernen?")
    heading.wait_for()
    expect(heading).to_be_focused()
    assert not axe_violations(page)
    page.get_by_role("link", name="Abbrechen").click()
    page.get_by_role("heading", name="TOP 1: Begrüßung").wait_for()
    # back where the question was asked, with the focus there (it stayed on the body, at the page's top)
    wait_until(page, "document.activeElement.id.startsWith('top-') || document.activeElement.id === 'agenda'")
    page.get_by_role("button", name="Sitzung absagen").click()
    page.get_by_role("link", name="Abbrechen").click()
    wait_until(page, "document.activeElement.id === 'aktionen'")
    page.get_by_role("button", name=hidden_suffix("Entfernen", "TOP 1 Begrüßung")).click()
    page.get_by_role("button", name="Ja, entfernen").click()
    page.get_by_role("heading", name="TOP 1: Verschiedenes").wait_for()
    assert [i.title for i in AgendaItem.select().where(AgendaItem.meeting == meeting)] == ["Verschiedenes"]

    nojs = open_page(javascript=False)
    log_in(nojs, "coordinator")
    nojs.goto(f"/sitzungen/{meeting.id}")
    nojs.get_by_role("button", name=hidden_suffix("Entfernen", "TOP 1 Verschiedenes")).click()
    nojs.get_by_role("button", name="Ja, entfernen").click()
    nojs.get_by_role("heading", level=1, name=meeting.title).wait_for()
    assert not AgendaItem.select().where(AgendaItem.meeting == meeting).exists()


def test_after_a_confirmed_action_the_focus_is_on_its_message(page, demo_data):
    """Was: back on the meeting page the focus was on <body>, some 30 Tabs from where the person
    had been; now the message saying what happened has it, and is read out."""
    from fh_intranet.meetings.models import Meeting

    meeting = Meeting.get(Meeting.title == "4. Sitzung der Steuerungsgruppe")
    log_in(page, "coordinator")
    page.goto(f"/sitzungen/{meeting.id}")
    page.get_by_role("button", name="Protokoll veröffentlichen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    # htmx done with the swap first: settling, it gave the question's heading the focus again, taken
    # back from the button when the machine was busy, and Enter then pressed nothing
    wait_until(page, "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')")
    page.get_by_role("button", name="Ja, veröffentlichen").focus()
    page.keyboard.press("Enter")
    message = page.locator(".flash-success", has_text="Das Protokoll ist veröffentlicht.")
    message.wait_for()
    expect(message).to_be_focused()
    page.keyboard.press("Tab")  # on from the message into the page, not from its top
    assert page.evaluate("document.activeElement.closest('main') !== null")
    assert not axe_violations(page)


def test_own_data_page_and_anonymisation_without_javascript(open_page, page, demo_data):
    """The DSGVO pages pass axe, and the anonymisation's confirmation works as a plain form.
    (axe needs JavaScript, so it checks the pages in a normal tab; the form runs in a tab without.)"""
    from fh_intranet.people.models import Person

    person = Person.get(Person.email == demo.LOGINS["partner"])
    log_in(page, "coordinator")
    page.goto("/konto/")
    page.get_by_role("link", name="Meine gespeicherten Daten ansehen und herunterladen").click()
    page.wait_for_url("**/konto/meine-daten")
    findings = axe_violations(page)
    assert page.get_by_role("link", name="Meine Daten herunterladen (ZIP)").count() == 1
    page.goto(f"/personen/{person.id}/anonymisieren")
    findings += axe_violations(page)
    page.get_by_role("button", name="Endgültig anonymisieren").click()
    page.get_by_text("Bitte bestätigen Sie, dass die Person anonymisiert werden soll.").wait_for()
    findings += axe_violations(page)
    assert not findings, "\n".join(findings)

    plain = open_page(javascript=False)
    log_in(plain, "coordinator")
    plain.goto(f"/personen/{person.id}")
    plain.get_by_role("link", name="Anonymisieren …").click()
    plain.wait_for_url(f"**/personen/{person.id}/anonymisieren")
    plain.get_by_role("button", name="Endgültig anonymisieren").click()
    plain.get_by_text("Bitte bestätigen Sie, dass die Person anonymisiert werden soll.").wait_for()
    plain.get_by_label("Ich habe verstanden").check()
    plain.get_by_role("button", name="Endgültig anonymisieren").click()
    plain.wait_for_url(f"**/personen/{person.id}")
    plain.get_by_role("heading", name="ehemaliges Mitglied 1").wait_for()


def test_a_thementisch_is_edited_and_deleted_on_a_phone_by_keyboard_and_without_javascript(open_page, demo_data):
    """The edit page, its refused input and the deletion's second look pass axe and reflow at
    320 px, are used by keyboard; the same steps work without JavaScript."""
    from fh_intranet.workshops import workflow as workshops
    from fh_intranet.workshops.models import Workshop

    table = Workshop.select().first()
    coordinator = Person.get(Person.role == "coordinator")
    findings = []
    for javascript in (True, False):
        empty = workshops.create_workshop(table.meeting, title="Fiel aus", host_id=None, actor=coordinator)
        page = open_page(phone=True, javascript=javascript)
        log_in(page, "coordinator")

        def look(what, page=page, javascript=javascript):
            if javascript:  # axe and the reflow check run as scripts in the page
                findings.extend(axe_violations(page))
                findings.extend(f"{what}: {problem}" for problem in page.evaluate(REFLOW_PROBLEMS))

        page.goto(f"/sitzungen/{table.meeting_id}/thementische")
        page.get_by_role("link", name=hidden_suffix("Thementisch bearbeiten", table.title)).focus()
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/thementische/{table.id}/bearbeiten")
        look("edit")
        assert page.locator("form[action$='/loeschen']").count() == 0, "a table with results is not offered for deletion"
        page.locator("#title").fill("")
        page.locator("#title").press("Enter")
        page.locator(".form-errors").wait_for()
        look("edit, refused")
        title = f"Sprache von Anfang an ({'mit' if javascript else 'ohne'} JavaScript)"
        page.locator("#title").fill(title)
        page.locator("#title").press("Enter")
        page.get_by_text(f"Der Thementisch „{title}“ ist gespeichert.").wait_for()
        assert Workshop.get_by_id(table.id).title == title

        page.goto(f"/thementische/{empty.id}/bearbeiten")
        page.get_by_role("button", name="Thementisch löschen").focus()
        page.keyboard.press("Enter")
        page.get_by_role("button", name="Ja, löschen").wait_for()
        look("delete, asked")
        page.get_by_role("button", name="Ja, löschen").focus()
        page.keyboard.press("Enter")
        page.get_by_text("Der Thementisch „Fiel aus“ wurde gelöscht.").wait_for()
        assert Workshop.get_or_none(Workshop.id == empty.id) is None
        table = Workshop.get_by_id(table.id)
    assert not findings, "\n".join(findings)
