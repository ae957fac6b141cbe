"""In Debian's Chromium: the header's unread count follows what others do (htmx polling), the
notification pages pass axe-core, and read marks work without JavaScript."""
import json
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from fh_intranet import demo
from fh_intranet.db import utcnow
from fh_intranet.meetings import workflow as meetings
from fh_intranet.meetings.models import Body, BodyMember
from fh_intranet.people.models import Person

from .browser_helpers import assert_no_reload, axe_violations, log_in, wait_until

pytestmark = pytest.mark.browser


def _badge_count(page) -> int:
    badge = page.locator("#unread-count .badge")
    return int(badge.inner_text()) if badge.count() else 0


def test_the_unread_count_changes_when_someone_else_acts(app, page, demo_data):
    app.config["NOTIFICATION_POLL_SECONDS"] = 1
    log_in(page, "member")
    page.goto("/benachrichtigungen/einstellungen")
    still_same_page = assert_no_reload(page)
    before = _badge_count(page)
    member = Person.get(Person.email == demo.LOGINS["member"])
    coordinator = Person.get(Person.email == demo.LOGINS["coordinator"])
    body = Body.select().join(BodyMember).where(BodyMember.person == member.id).first()
    starts = utcnow() + timedelta(days=30)
    meetings.create_meeting(body, title="Zusatzsitzung im Browser", kind="session", starts_at=starts,
                            ends_at=starts + timedelta(hours=2), place="Rathaus", actor=coordinator)
    expect(page.locator("#unread-count .badge")).to_have_text(str(before + 1), timeout=10_000)
    assert still_same_page(), "the count was updated in place, without a reload"
    assert not axe_violations(page)


def _unsubscribe_path(app, kind: str) -> str:
    from fh_intranet.notifications.preferences import unsubscribe_token

    member = Person.get(Person.email == demo.LOGINS["member"])
    with app.test_request_context():
        return f"/benachrichtigungen/abbestellen/{unsubscribe_token(member, [kind])}"


def test_notification_pages_pass_axe(app, page, demo_data):
    findings = []
    page.goto(_unsubscribe_path(app, "minutes.corrected"))  # without login
    findings += axe_violations(page)
    page.get_by_role("button", name="Ja, abbestellen").click()
    page.get_by_text("Erledigt").wait_for()
    findings += axe_violations(page)
    log_in(page, "member")
    for path in ("/", "/benachrichtigungen/", "/benachrichtigungen/einstellungen"):
        page.goto(path)
        findings += axe_violations(page)
    assert not findings, "\n".join(findings)


def test_read_marks_preferences_and_unsubscribing_work_without_javascript(open_page, app, demo_data):
    page = open_page(javascript=False)
    page.set_default_timeout(15_000)
    page.goto(_unsubscribe_path(app, "minutes.corrected"))
    page.get_by_role("button", name="Ja, abbestellen").click()
    page.get_by_text("Erledigt").wait_for()
    log_in(page, "member")
    page.goto("/benachrichtigungen/")
    assert _badge_count(page) > 0, "the demo data leaves the member something to read"
    page.get_by_role("button", name="Alle als gelesen markieren").click()
    page.get_by_text("Alle Benachrichtigungen sind als gelesen markiert.").wait_for()
    assert _badge_count(page) == 0
    page.goto("/benachrichtigungen/einstellungen")
    def choice(kind, label):
        return page.get_by_role("group", name=kind, exact=True).get_by_label(label, exact=True)

    assert choice("Protokoll korrigiert", "aus").is_checked()  # unsubscribed above
    choice("Protokoll veröffentlicht", "täglich").check()
    page.get_by_role("button", name="Speichern").click()
    page.get_by_text("Ihre Einstellungen für Benachrichtigungen sind gespeichert.").wait_for()
    assert choice("Protokoll veröffentlicht", "täglich").is_checked()
    assert not choice("Protokoll veröffentlicht", "sofort").is_checked()


def test_marking_one_read_keeps_the_focus_on_it_and_updates_the_count(page, demo_data):
    log_in(page, "member")
    page.goto("/benachrichtigungen/")
    still_same_page = assert_no_reload(page)
    before = _badge_count(page)
    entry = page.locator(".notification-list li.unread").first
    link_text = entry.locator("a").first.inner_text()
    entry.get_by_role("button").focus()
    page.keyboard.press("Enter")
    # the button that had the focus is gone: the notification's own link has it
    wait_until(page, f"document.activeElement.tagName === 'A' && document.activeElement.innerText === {json.dumps(link_text)}")
    expect(page.locator("#unread-count .badge")).to_have_text(str(before - 1))
    assert still_same_page(), "marked in place"
    assert not axe_violations(page)
