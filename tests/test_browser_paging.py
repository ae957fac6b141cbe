"""In Debian's Chromium: a long list pages in place with htmx, the focus goes to the new entries,
the address follows, the back button returns, and every page passes axe."""
import pytest

from fh_intranet import demo
from fh_intranet.db import write_transaction
from fh_intranet.people.models import Person
from fh_intranet.topics.models import Topic

from .browser_helpers import assert_no_reload, axe_violations, log_in, wait_until

pytestmark = pytest.mark.browser


@pytest.fixture
def many_topics(demo_data):
    proposer = Person.get(Person.email == demo.LOGINS["member"])
    with write_transaction():
        Topic.insert_many([{"title": f"Thema {number:03d}", "proposed_by": proposer.id}
                           for number in range(1, 121)]).execute()


def test_more_link_pages_in_place_and_moves_the_focus(page, many_topics):
    log_in(page, "member")
    page.goto("/themen/")
    assert not axe_violations(page)
    still_same_page = assert_no_reload(page)
    first_titles = page.locator("#topic-list .item-list li > a").all_inner_texts()
    page.get_by_role("link", name="Weitere anzeigen").click()
    page.wait_for_url("**seite=2")
    status = page.locator("#topic-list .page-status")
    status.wait_for()
    assert "51–100" in status.inner_text()
    wait_until(page, "document.activeElement.classList.contains('page-status')")  # focus moved along
    second_titles = page.locator("#topic-list .item-list li > a").all_inner_texts()
    assert second_titles and not set(first_titles) & set(second_titles)
    assert still_same_page(), "paging reloaded the page"
    assert not axe_violations(page)
    page.go_back()
    page.wait_for_url("**/themen/")
    wait_until(page, "document.querySelector('#topic-list .page-status')?.innerText.includes('1–50')")
    # paging back in place: the focus comes along too
    page.goto("/themen/?seite=2")
    page.get_by_role("link", name="Vorherige Einträge").click()
    page.wait_for_url("**seite=1")
    wait_until(page, "document.activeElement.classList.contains('page-status')"
                     " && document.activeElement.innerText.includes('1–50')")
