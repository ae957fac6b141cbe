"""A double click creates one object: every create form carries a one-time token.

Each row sends the same filled form twice (as a browser does on a double click or a resend):
both answers look like success, one object exists. The crawl test fails when a page offers a
create form (one carrying `form_token`) without a row here.
"""
import threading
from dataclasses import dataclass, field

import pytest

from fh_intranet.accessibility.models import AccessibilityFeedback
from fh_intranet.agreements.models import Agreement, Comment, Signature
from fh_intranet.meetings.models import ActionItem, AgendaItem, Body, Decision, Guest, Meeting, MinutesComment
from fh_intranet.offerings.models import Offering, UpdateRound
from fh_intranet.people.models import Organisation, Person
from fh_intranet.register.models import Sector
from fh_intranet.topics.models import Topic, VotingRound
from fh_intranet.workshops.models import Output, Workshop

from .form_crawl import crawl
from .html_forms import form_posting_to


@dataclass(frozen=True)
class Create:
    endpoint: str
    page: str
    model: type
    values: dict = field(default_factory=dict)
    role: str = "coordinator"
    action: str | None = None


CREATES = [
    Create("people.invite", "/personen/einladen", Person,
           {"name": "Doppelt Geklickt", "email": "doppelt@example.org", "role": "member"}),
    Create("organisations.create", "/organisationen/neu", Organisation,
           {"name": "Hebammenpraxis Mühlbach", "sector": "midwives", "district": "Südviertel"}),
    Create("register.create_sector", "/netzwerk/bereiche/neu", Sector, {"label": "Lotsendienst"}),
    Create("agreements.create", "/vereinbarungen/neu", Agreement,
           {"title": "Vereinbarung Doppelklick", "text": "## Ziele\n\nEinmal angelegt."}),
    Create("agreements.comment", "/vereinbarungen/{consultation}/abschnitte/s-1-ziele/kommentar", Comment,
           {"body": "Einmal gemeint"}, role="member"),
    Create("agreements.reply", "/vereinbarungen/kommentare/{comment}/antwort", Comment,
           {"body": "Einmal geantwortet"}, role="member"),
    Create("agreements.sign", "/vereinbarungen/{adopted}", Signature,
           {"organisation": "{organisation}", "signer_name": "Dr. Vera Brandt", "signed_on": "2026-11-02"},
           action="/vereinbarungen/{adopted}/unterschriften"),
    Create("bodies.create", "/gremien/neu", Body, {"name": "Arbeitskreis Doppelklick"}),
    Create("meetings.create", "/sitzungen/neu?gremium={body}", Meeting,
           {"title": "Sitzung Doppelklick", "starts_at": "2027-02-01T14:00", "ends_at": "2027-02-01T16:00"}),
    Create("meetings.add_item", "/sitzungen/{draft_meeting}", AgendaItem, {"title": "TOP Doppelklick"},
           action="/sitzungen/{draft_meeting}/top"),
    Create("meetings.add_decision", "/sitzungen/{draft_meeting}", Decision, {"text": "Beschluss Doppelklick"},
           action="/sitzungen/top/{draft_item}/beschluesse"),
    Create("meetings.add_action", "/sitzungen/{draft_meeting}", ActionItem,
           {"what": "Aufgabe Doppelklick", "person": "{member}", "due_on": "2027-03-01"},
           action="/sitzungen/top/{draft_item}/aufgaben"),
    Create("meetings.add_guest", "/sitzungen/{draft_meeting}", Guest, {"name": "Gast Doppelklick"},
           action="/sitzungen/{draft_meeting}/gaeste"),
    Create("meetings.comment", "/sitzungen/{draft_meeting}", MinutesComment, {"body": "Anmerkung Doppelklick"},
           role="member", action="/sitzungen/{draft_meeting}/anmerkungen"),
    Create("topics.propose", "/themen/neu", Topic, {"title": "Thema Doppelklick"}, role="member"),
    Create("accessibility.statement", "/barrierefreiheit/", AccessibilityFeedback,
           {"message": "Der Kontrast der Knöpfe ist zu schwach."}, role="member"),
    Create("voting.create", "/abstimmungen/neu", VotingRound,
           {"title": "Runde Doppelklick", "body": "{body}", "topics": ["{topic}", "{other_topic}"], "opens_at": "2027-01-10T09:00",
            "closes_at": "2027-01-20T18:00"}),
    Create("workshops.create", "/sitzungen/{future_meeting}/thementische", Workshop, {"title": "Tisch Doppelklick"}),
    Create("workshops.add_output", "/thementische/{future_workshop}/ergebnis", Output, {"text": "Ergebnis Doppelklick"},
           role="member"),
    Create("workshops.to_topic", "/sitzungen/{past_meeting}/thementische", Topic, {},
           role="member", action="/ergebnisse/{past_output}/thema"),
    Create("offerings.create", "/angebote/organisation/{organisation}/neu", Offering,
           {"title": "Angebot Doppelklick", "district": "Bergheim", "target_groups": ["parents"]}, role="partner"),
    Create("offerings.rounds", "/angebote/runden/", UpdateRound,
           {"title": "Runde Doppelklick", "deadline": "2030-01-31"}),
]


def _filled(case, objects) -> dict:
    def fill(value):
        return [fill(v) for v in value] if isinstance(value, list) else str(value).format(**objects)

    return {name: fill(value) for name, value in case.values.items()}


def _prepare(case, client, objects):
    page = case.page.format(**objects)
    action = (case.action or case.page).format(**objects)
    form = form_posting_to(client.get(page).get_data(as_text=True), action, page)
    assert form.value("form_token"), f"{case.endpoint}: the create form carries a one-time token"
    return action, form.data(**_filled(case, objects))


@pytest.mark.parametrize("case", CREATES, ids=lambda case: case.endpoint)
def test_the_same_form_sent_twice_creates_one_object(client_as, route_objects, case):
    client = client_as(case.role)
    action, data = _prepare(case, client, route_objects)
    before = case.model.select().count()
    first = client.post(action, data=data)
    second = client.post(action, data=data)
    assert first.status_code in (200, 303), first.get_data(as_text=True)[:3000]
    assert second.status_code == first.status_code, "the second click answers like the first"
    assert second.headers.get("Location") == first.headers.get("Location")
    assert case.model.select().count() == before + 1


def test_a_form_sent_again_after_its_object_was_deleted_creates_it_again(client_as, route_objects):
    """Resent from the browser's history after the agenda item it made was removed, or with a token
    another form used: the form asks to create, and it answered 500 (the token's row was taken)."""
    client = client_as("coordinator")
    case = next(c for c in CREATES if c.model is AgendaItem)
    action, data = _prepare(case, client, route_objects)
    assert client.post(action, data=data).status_code in (200, 303)
    made = AgendaItem.select().order_by(AgendaItem.id.desc()).first()
    made.delete_instance()
    again = client.post(action, data=data)
    assert again.status_code in (200, 303), again.get_data(as_text=True)[:2000]
    assert AgendaItem.select().where(AgendaItem.title == made.title).count() == 1  # made again
    assert client.post(action, data=data).status_code in (200, 303)  # and a double click of that: once
    assert AgendaItem.select().where(AgendaItem.title == made.title).count() == 1
    guest = next(c for c in CREATES if c.model is Guest)
    guest_action, guest_data = _prepare(guest, client, route_objects)
    answer = client.post(guest_action, data={**guest_data, "form_token": data["form_token"]})
    assert answer.status_code in (200, 303) and Guest.select().where(Guest.name == guest_data["name"]).exists()
    assert client.post(action, data=data).status_code in (200, 303)  # the token still names the agenda item
    assert AgendaItem.select().where(AgendaItem.title == made.title).count() == 1


def test_a_token_someone_else_sent_first_creates_the_second_persons_own(client_as, make_person, route_objects):
    """A form token is its sender's: a token someone else came to know (a shared computer's history)
    made the second person's form answer with the first person's topic, and theirs went unsaved."""
    first, second = client_as("member"), client_as(make_person("member"))
    case = next(c for c in CREATES if c.endpoint == "topics.propose")
    action, data = _prepare(case, first, route_objects)
    assert first.post(action, data=data).status_code == 303
    _, own = _prepare(case, second, route_objects)
    answer = second.post(action, data={**own, "title": "Mein eigenes Thema", "form_token": data["form_token"]})
    assert answer.status_code == 303
    assert Topic.select().where(Topic.title == "Mein eigenes Thema").exists()
    assert Topic.select().where(Topic.title == data["title"]).count() == 1


def test_resends_at_once_after_the_object_was_deleted_make_one(app, people):
    """The second look for the token's object is made under the token's lock: resends at once take
    turns, the first makes the object again, the others get it."""
    from fh_intranet.changes import create_once
    from fh_intranet.db import write_transaction

    from .concurrency import at_once

    member = people["member"]
    first = create_once("token-resent", Topic, lambda: Topic.create(title="Einmal", proposed_by=member.id))
    with write_transaction():
        Topic.delete().where(Topic.id == first.id).execute()
    results = at_once(app, *[lambda: create_once("token-resent", Topic,
                                                 lambda: Topic.create(title="Wieder", proposed_by=member.id))] * 4)
    assert all(isinstance(r, Topic) for r in results), results
    assert Topic.select().where(Topic.title == "Wieder").count() == 1 and len({r.id for r in results}) == 1


def test_every_create_form_has_a_row(app, client_as, route_objects):
    covered = {case.endpoint for case in CREATES}
    forms = crawl(app, client_as, route_objects)
    tokened = {endpoint for _role, _url, endpoint, form in forms if "form_token" in form.names}
    missing = tokened - covered
    assert not missing, f"create forms without a double-submit row: {sorted(missing)}"
    untokened = covered - tokened
    assert not untokened, f"rows whose form carries no one-time token: {sorted(untokened)}"


def test_simultaneous_identical_topic_proposals_make_one_topic(app, live_server, people):
    """Six tabs send the same proposal at the same moment (threads against a real server)."""
    import requests

    from .servers import login_cookie

    cookie, _csrf = login_cookie(app, people["member"])
    http = requests.Session()
    http.cookies.set("session", cookie)
    http.headers["User-Agent"] = "fh-intranet-load-test"
    page = http.get(f"{live_server}/themen/neu", timeout=60)
    data = form_posting_to(page.text, "/themen/neu", "/themen/neu").data(title="Sechsmal gesendet")
    barrier = threading.Barrier(6)
    statuses = []

    def send():
        barrier.wait(timeout=60)
        statuses.append(http.post(f"{live_server}/themen/neu", data=data, timeout=60, allow_redirects=False).status_code)

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert statuses == [303] * 6, statuses
    assert Topic.select().where(Topic.title == "Sechsmal gesendet").count() == 1
