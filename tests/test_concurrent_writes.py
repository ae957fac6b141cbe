"""Nothing lost under load: 20+ people write at the same moment against gunicorn with several workers.

Each client loads its page first (fresh CSRF and form tokens), all wait at a barrier, then send.
Every answer must be a success or a clear refusal — never >= 500 — and every accepted write must be
stored exactly once.
"""
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest

from fh_intranet.agreements.models import Comment
from fh_intranet.meetings.models import ActionItem, AgendaItem, Attendance, BodyMember, Decision, MinutesComment

from .agreement_fixtures import make_agreement
from .html_forms import form_posting_to
from .meeting_fixtures import make_meeting
from .servers import Browserless, gunicorn

CLIENTS = 20


@pytest.fixture(scope="module")
def live(app, database_url, tmp_path_factory):
    """One server for the module: each test's rows are new, the server only reads the database."""
    with gunicorn(app, database_url, tmp_path_factory.mktemp("gunicorn")) as base:
        yield base


@pytest.fixture
def crowd(app, live, body, make_person):
    """CLIENTS coordinators and CLIENTS members of the body, each with a logged-in HTTP session."""
    coordinators = [make_person("coordinator") for _ in range(CLIENTS)]
    members = [make_person("member") for _ in range(CLIENTS)]
    for person in coordinators + members:
        BodyMember.create(body=body, person=person)
    return {"coordinator": [Browserless(app, live, p) for p in coordinators],
            "member": [Browserless(app, live, p) for p in members]}


def all_at_once(clients, prepare, send, rounds: int = 1):
    """prepare(client, i) -> payload (loads pages); then every client sends `rounds` times at the same moment."""
    payloads = [[prepare(client, i, r) for r in range(rounds)] for i, client in enumerate(clients)]
    barrier = threading.Barrier(len(clients))

    def run(i):
        barrier.wait(timeout=300)
        return [send(clients[i], payload) for payload in payloads[i]]

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        results = [status for statuses in pool.map(run, range(len(clients))) for status in statuses]
    return Counter(results)


def form_data(client, page: str, action: str, **changes) -> tuple[str, dict]:
    response = client.get(page)
    assert response.status_code == 200, (page, response.status_code)
    return action, form_posting_to(response.text, action, page).data(**changes)


def post(client, payload):
    action, data = payload
    return client.post(action, data).status_code


def assert_no_errors(statuses: Counter, accepted=(200, 303)):
    assert not [s for s in statuses if s >= 500], statuses
    assert set(statuses) <= set(accepted) | {409, 422}, statuses


def test_minutes_comments(crowd, body):
    meeting = make_meeting(body, "Entwurf mit Anmerkungen")
    page, action = f"/sitzungen/{meeting.id}", f"/sitzungen/{meeting.id}/anmerkungen"
    statuses = all_at_once(crowd["member"],
                           lambda c, i, r: form_data(c, page, action, body=f"Anmerkung {i}-{r}"), post, rounds=3)
    assert_no_errors(statuses)
    assert statuses[303] == CLIENTS * 3, statuses
    stored = [c.body for c in MinutesComment.select().where(MinutesComment.meeting == meeting)]
    assert sorted(stored) == sorted(f"Anmerkung {i}-{r}" for i in range(CLIENTS) for r in range(3))


def test_agreement_comments(crowd, people):
    agreement = make_agreement(people["coordinator"], state="consultation")
    page = f"/vereinbarungen/{agreement.id}/abschnitte/s-1-ziele/kommentar"
    statuses = all_at_once(crowd["member"],
                           lambda c, i, r: form_data(c, page, page, body=f"Kommentar {i}-{r}"), post, rounds=2)
    assert_no_errors(statuses)
    assert statuses[303] == CLIENTS * 2, statuses
    stored = [c.body for c in Comment.select()]
    assert sorted(stored) == sorted(f"Kommentar {i}-{r}" for i in range(CLIENTS) for r in range(2))


def test_agenda_items_decisions_and_action_items(crowd, body, people):
    meeting = make_meeting(body, "Viele Hände")
    page = f"/sitzungen/{meeting.id}"
    statuses = all_at_once(crowd["coordinator"],
                           lambda c, i, r: form_data(c, page, f"/sitzungen/{meeting.id}/top", title=f"TOP {i}"), post)
    assert_no_errors(statuses)
    assert statuses[303] == CLIENTS, statuses
    items = list(AgendaItem.select().where(AgendaItem.meeting == meeting).order_by(AgendaItem.position))
    assert sorted(item.title for item in items) == sorted(f"TOP {i}" for i in range(CLIENTS))
    assert [item.position for item in items] == list(range(1, CLIENTS + 1)), "TOP numbers are unique and gapless"

    item = items[0]
    statuses = all_at_once(crowd["coordinator"], lambda c, i, r: form_data(
        c, page, f"/sitzungen/top/{item.id}/beschluesse", text=f"Beschluss {i}"), post)
    assert_no_errors(statuses)
    assert sorted(d.text for d in Decision.select().where(Decision.meeting == meeting)) == sorted(
        f"Beschluss {i}" for i in range(CLIENTS))

    statuses = all_at_once(crowd["coordinator"], lambda c, i, r: form_data(
        c, page, f"/sitzungen/top/{item.id}/aufgaben", what=f"Aufgabe {i}", person=str(people["member"].id),
        due_on="2027-01-15"), post)
    assert_no_errors(statuses)
    assert sorted(a.what for a in ActionItem.select().where(ActionItem.meeting == meeting)) == sorted(
        f"Aufgabe {i}" for i in range(CLIENTS))


def test_attendance(crowd, body):
    """Everyone records attendance on the same stale page: one wins, the others are told, none fails."""
    meeting = make_meeting(body, "Anwesenheit", starts=datetime.now() - timedelta(days=1))
    page, action = f"/sitzungen/{meeting.id}", f"/sitzungen/{meeting.id}/anwesenheit"
    rows = list(Attendance.select().where(Attendance.meeting == meeting).order_by(Attendance.id))

    def prepare(client, i, r):
        action_, data = form_data(client, page, action)
        status = ("present", "excused", "absent")[i % 3]
        data.update({f"status-{row.person_id}": [status] for row in rows})
        return action_, data, status

    def send(client, payload):
        action_, data, status = payload
        return client.post(action_, data).status_code, status

    outcomes = all_at_once(crowd["coordinator"], prepare, send)
    statuses = Counter(code for (code, _status) in outcomes.elements())
    assert_no_errors(statuses)
    assert statuses[303] >= 1, statuses
    stored = {row.status for row in Attendance.select().where(Attendance.meeting == meeting)}
    winners = {status for (code, status) in outcomes.elements() if code == 303}
    assert len(stored) == 1 and stored <= winners, (stored, winners)
