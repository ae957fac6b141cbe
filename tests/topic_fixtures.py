"""Topics and voting rounds for the tests."""
import re
from datetime import timedelta
from html import unescape

import pytest

from fh_intranet.db import utcnow
from fh_intranet.topics.models import DOTS, RANKING, RoundTopic, Topic, VotingRound


def make_round(body, creator, topics, *, method=DOTS, status="open", results="live", anonymous=False,
               budget=5, max_per_topic=3, rank_limit=3, title=None):
    now = utcnow()
    opens, closes = {"open": (now - timedelta(hours=1), now + timedelta(days=1)),
                     "planned": (now + timedelta(days=1), now + timedelta(days=2)),
                     "closed": (now - timedelta(days=2), now - timedelta(days=1))}[status]
    round_ = VotingRound.create(title=title or f"Runde {method} {status}", method=method, budget=budget,
                                max_per_topic=max_per_topic, rank_limit=rank_limit, body=body, opens_at=opens,
                                closes_at=closes, results=results, anonymous=anonymous, created_by=creator)
    for topic in topics:
        RoundTopic.create(round=round_, topic=topic)
    return round_


@pytest.fixture
def topics(people):
    return [Topic.create(title=title, proposed_by=people["member"])
            for title in ("Väter einbeziehen", "Einfache Sprache", "Übergang Klinik", "Wartezeiten")]


@pytest.fixture
def rounds(body, people, topics):
    coordinator = people["coordinator"]
    return {
        "open": make_round(body, coordinator, topics),
        "planned": make_round(body, coordinator, topics, status="planned"),
        "closed": make_round(body, coordinator, topics, status="closed"),
        "ranking": make_round(body, coordinator, topics, method=RANKING),
    }


def end_by_time(round_):
    """Let the round's end time pass, without anyone closing it (as happens at night)."""
    VotingRound.update(closes_at=utcnow() - timedelta(seconds=1)).where(VotingRound.id == round_.id).execute()


def hidden(html: str, name: str) -> str:
    """The value of the first hidden field `name` on a page."""
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html)
    assert match, f"the page has no field {name}"
    return unescape(match.group(1))


def form_data(client, page_url: str, fields=("csrf_token", "form_token", "version"), **data) -> dict:
    """Load a form page like a browser and return what it would send: its hidden fields plus `data`."""
    html = client.get(page_url).get_data(as_text=True)
    found = {name: hidden(html, name) for name in fields if f'name="{name}"' in html}
    return {**found, **data}


def results_table(html: str) -> str:
    match = re.search(r'<table class="kern-table results">.*?</table>', html, re.S)
    assert match, "the page shows no results"
    return match.group(0)
