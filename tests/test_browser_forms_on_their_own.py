"""In Debian's Chromium: a form made for a part of a page (the agenda, a comment thread), opened on
a page of its own (a new tab, the page after logging in), saves when htmx finds no part to update:
it is sent as without JavaScript instead of doing nothing."""
import pytest

from fh_intranet.agreements.models import Agreement, Comment
from fh_intranet.meetings.models import DRAFT, AgendaItem, Meeting

from .browser_helpers import log_in

pytestmark = pytest.mark.browser


def test_an_agenda_item_edited_on_its_own_page_is_saved(page, demo_data):
    item = (AgendaItem.select().join(Meeting)
            .where(Meeting.state == DRAFT).first())
    log_in(page, "coordinator")
    page.goto(f"/sitzungen/top/{item.id}/bearbeiten")
    page.get_by_label("Notizen").fill("Auf der eigenen Seite bearbeitet.")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(f"**/sitzungen/{item.meeting_id}#top-{item.id}")
    assert "Auf der eigenen Seite bearbeitet." in page.locator(f"#top-{item.id}").inner_text()
    assert AgendaItem.get_by_id(item.id).notes == "Auf der eigenen Seite bearbeitet."


def test_a_comment_written_on_its_own_page_is_saved(page, demo_data):
    agreement = Agreement.get(Agreement.state == "consultation")
    log_in(page, "member")
    page.goto(f"/vereinbarungen/{agreement.id}/abschnitte/s-2-zielgruppe/kommentar")
    page.get_by_role("textbox", name="Kommentar").fill("Geschrieben auf der Seite des Formulars.")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(f"**/vereinbarungen/{agreement.id}**")
    page.get_by_text("Geschrieben auf der Seite des Formulars.").wait_for()
    assert Comment.select().where(Comment.body == "Geschrieben auf der Seite des Formulars.").count() == 1
