"""Paging: every entry of a long list is reachable by following "Weitere anzeigen", as a plain
link and via htmx (the region's fragment), and the filters travel along."""
import re
from collections import Counter
from html import unescape

import pytest

from fh_intranet import paging
from fh_intranet.agreements.models import Agreement
from fh_intranet.db import utcnow
from fh_intranet.meetings.models import ActionItem, Decision, Meeting
from fh_intranet.notifications.models import Notification
from fh_intranet.topics.models import PROPOSED, Topic, VotingRound

NEXT = re.compile(r'<a href="([^"]+)" rel="next"\s+hx-get="([^"]+)" hx-target="#([\w-]+)" hx-select="#([\w-]+)"')


@pytest.fixture
def long_lists(app, monkeypatch):
    monkeypatch.setattr(paging, "PAGE_SIZE", 10)  # many pages from a small data set
    result = app.test_cli_runner().invoke(args=["seed-bench", "--years", "3", "--scale", "0.7"])
    assert result.exit_code == 0, result.output


def walk(client, url, htmx: bool) -> list[str]:
    """The pages of a list, following the next link until there is none."""
    headers = {"HX-Request": "true", "X-Paging": "1"} if htmx else {}  # as the pager's links send them
    pages, seen = [], set()
    while url:
        assert url not in seen, f"paging loops at {url}"
        seen.add(url)
        response = client.get(url, headers=headers)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        if htmx:
            assert "<html" not in html, "htmx gets the list's region only"
            assert 'id="list-status"' not in html, "a turned page is said by its focused status, once"
        pages.append(html)
        found = NEXT.search(html)
        if found:
            href, hx_get, target, select = (unescape(g) for g in found.groups())
            assert href == hx_get and target == select and f'id="{target}"' in html
            url = hx_get if htmx else href
        else:
            url = None
    return pages


def ids(pages, pattern) -> Counter:
    return Counter(int(i) for html in pages for i in re.findall(pattern, html))


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_every_entry_of_every_long_list_is_reachable(long_lists, client_as, people, htmx):
    client = client_as("coordinator")
    now = utcnow()

    pages = walk(client, "/sitzungen/", htmx)
    assert len(pages) > 2
    past = ids([html.split('id="past-heading"')[1] for html in pages], r'<li><a href="/sitzungen/(\d+)">')
    assert past == Counter(m.id for m in Meeting.select().where(Meeting.ends_at < now))

    pages = walk(client, "/beschluesse/?jahr=alle", htmx)
    labels = Counter(label for html in pages for label in re.findall(r"<tr[^>]*><td[^>]*>(\d{4}/\d{2,})</td>", html))
    assert labels == Counter(d.label for d in Decision.select().where(Decision.number.is_null(False)))
    assert len(pages) > 2

    pages = walk(client, "/aufgaben/?status=alle", htmx)
    texts = Counter(unescape(t) for html in pages for t in re.findall(r"<tr[^>]*>\s*<td[^>]*>([^<]+)</td>", html))
    published = ActionItem.select().join(Meeting).where(Meeting.state == "published")
    drafts = ActionItem.select().join(Meeting).where(Meeting.state != "published")
    assert texts == Counter(a.what for a in published) + Counter(a.what for a in drafts)
    # Open items come first.
    open_items = {a.what for a in ActionItem.select().where(ActionItem.done_at.is_null())}
    first_page = [unescape(t) for t in re.findall(r"<tr[^>]*>\s*<td[^>]*>([^<]+)</td>", pages[0])]
    assert len(open_items) > 10 and first_page and set(first_page) <= open_items

    for url, expected in [("/themen/", Topic.select().where(Topic.state == PROPOSED)),
                          ("/themen/?zeigen=archiv", Topic.select().where(Topic.state != PROPOSED))]:
        pages = walk(client, url, htmx)
        assert ids(pages, r'<li><a href="/themen/(\d+)">') == Counter(t.id for t in expected)
    assert len(walk(client, "/themen/", htmx)) > 1

    pages = walk(client, "/abstimmungen/", htmx)
    assert len(pages) > 1
    assert ids(pages, r'<li><a href="/abstimmungen/(\d+)">') == Counter(r.id for r in VotingRound.select())

    pages = walk(client, "/vereinbarungen/", htmx)
    assert ids(pages, r'<a href="/vereinbarungen/(\d+)">') == Counter(a.id for a in Agreement.select())

    # a person's notifications: all of them (the list used to end at the newest hundred)
    meeting = Meeting.select().first()
    Notification.insert_many([{"person": people["coordinator"], "kind": "meeting.moved", "object_type": "Meeting",
                               "object_id": meeting.id, "text": f"Nachricht {n}"} for n in range(25)]).execute()
    pages = walk(client, "/benachrichtigungen/", htmx)
    mine = Notification.select().where(Notification.person == people["coordinator"])
    assert len(pages) >= 3
    assert ids(pages, r'<li id="note-(\d+)"') == Counter(n.id for n in mine)


def test_filters_travel_with_the_pages_and_defaults_show_the_newest(long_lists, client_as):
    client = client_as("member")
    newest = Decision.select(Decision.year).where(Decision.year.is_null(False)).order_by(Decision.year.desc()).first().year
    first = client.get("/beschluesse/").get_data(as_text=True)
    assert f'<option value="{newest}" selected>' in first
    pages = walk(client, "/beschluesse/", False)
    labels = [label for html in pages for label in re.findall(r"<tr[^>]*><td[^>]*>(\d{4})/\d{2,}</td>", html)]
    assert set(labels) == {str(newest)}
    assert len(labels) == Decision.select().where(Decision.year == newest).count()
    # A filter's answer leaves the focus in the filter (its status line took it after one arrow key);
    # a page turned by the pager gives it to the status line of the new entries.
    filtered = client.get("/beschluesse/?jahr=alle", headers={"HX-Request": "true"}).get_data(as_text=True)
    turned = client.get("/beschluesse/?jahr=alle&seite=2", headers={"HX-Request": "true", "X-Paging": "1"})
    assert 'class="page-status" tabindex="-1">' in filtered and "autofocus" not in filtered
    assert 'class="page-status" tabindex="-1" autofocus>' in turned.get_data(as_text=True)
    # A page number past the end shows the last page, not an empty list.
    assert "Keine Beschlüsse" not in client.get("/beschluesse/?jahr=alle&seite=99999").get_data(as_text=True)
    # The CSV of everything is offered next to the filtered one.
    assert 'href="/beschluesse.csv"' in first
    csv = client.get("/beschluesse.csv").get_data(as_text=True)
    assert csv.count("\n") == Decision.select().where(Decision.number.is_null(False)).count() + 1
