"""Concurrency against a real server: gunicorn workers on loopback, 80+ voters clicking at once."""
import os
import random
import subprocess
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from flask import session
from flask_login.utils import _create_identifier
from flask_wtf.csrf import generate_csrf

from fh_intranet.meetings.models import BodyMember
from fh_intranet.topics import voting
from fh_intranet.topics.models import Vote

from .conftest import free_port
from .topic_fixtures import make_round

ROOT = Path(__file__).resolve().parent.parent
USER_AGENT = "fh-intranet-load-test"
VOTERS = 80
BUDGET, MAX_PER_TOPIC = 5, 3


@pytest.fixture
def server(app, database_url, tmp_path):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": app.config["SECRET_KEY"], "FH_ENV": "test",
           "INSTANCE_PATH": str(tmp_path), "LOG_LEVEL": "WARNING"}
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "4", "--threads", "4",
                                "--bind", f"127.0.0.1:{port}", "--timeout", "60", "wsgi:app"],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        assert process.poll() is None, process.stderr.read().decode()
        assert time.monotonic() < deadline, "gunicorn did not start"
        time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=30)


def login_cookie(app, person) -> tuple[str, str]:
    """A signed session cookie and CSRF token for `person`, as the login form would have made."""
    with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": USER_AGENT}):
        session.update({"_user_id": person.get_id(), "_fresh": True, "_id": _create_identifier()})
        token = generate_csrf()
        cookie = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    return cookie, token


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
