"""Concurrency against a real server: gunicorn workers on loopback, 80+ voters clicking at once."""
import random
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from fh_intranet.meetings.models import BodyMember
from fh_intranet.topics import voting
from fh_intranet.topics.models import Vote

from .servers import USER_AGENT, gunicorn, login_cookie
from .topic_fixtures import make_round

VOTERS = 80
BUDGET, MAX_PER_TOPIC = 5, 3


@pytest.fixture
def server(app, database_url, tmp_path):
    """gunicorn with 4 workers, patient with a slow start and always stopped (tests/servers.py)."""
    with gunicorn(app, database_url, tmp_path) as base:
        yield base


def test_budgets_hold_under_concurrent_clicks(app, server, body, people, topics, make_person):
    coordinator = people["coordinator"]
    voters = [make_person("member") for _ in range(VOTERS)]
    for voter in voters:
        BodyMember.create(body=body, person=voter)
    round_ = make_round(body, coordinator, topics, budget=BUDGET, max_per_topic=MAX_PER_TOPIC)
    url = f"{server}/abstimmungen/{round_.id}/punkte"
    credentials = {voter.id: login_cookie(app, voter) for voter in voters}
    rng = random.Random(20261124)

    clicks = []  # (voter, topic, delta)
    for voter in voters:
        clicks += [(voter, rng.choice(topics), 1) for _ in range(6)] + [(voter, rng.choice(topics), -1)]
    for voter in voters[:20]:  # bursts: one person hammering one topic
        clicks += [(voter, topics[0], 1)] * 8
    rng.shuffle(clicks)

    def send(click):
        voter, topic, delta = click
        cookie, token = credentials[voter.id]
        response = requests.post(url, data={"topic": topic.id, "delta": str(delta)}, timeout=60,
                                 cookies={"session": cookie},
                                 headers={"HX-Request": "true", "X-CSRFToken": token, "User-Agent": USER_AGENT})
        return voter.id, topic.id, delta, response.status_code

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=48) as pool:
        outcomes = list(pool.map(send, clicks))
    elapsed = time.monotonic() - started

    statuses = Counter(status for *_, status in outcomes)
    assert set(statuses) <= {200, 409}, statuses  # accepted or refused, never an error
    assert statuses[200] > VOTERS and statuses[409] > 0, statuses
    accepted = defaultdict(int)
    for voter_id, topic_id, delta, status in outcomes:
        if status == 200:
            accepted[(voter_id, topic_id)] += delta
    for voter in voters:
        stored = voting.ballot_state(round_, voter).points
        expected = {t.id: accepted[(voter.id, t.id)] for t in topics if accepted[(voter.id, t.id)]}
        assert stored == expected, f"voter {voter.id}: stored {stored}, accepted {expected}"
        assert sum(stored.values()) <= BUDGET and all(0 < p <= MAX_PER_TOPIC for p in stored.values())
    assert Vote.select().where(Vote.points < 0).count() == 0
    print(f"\n{len(clicks)} clicks from {VOTERS} voters in {elapsed:.1f}s: {dict(statuses)}")
