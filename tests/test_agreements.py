"""Cooperation agreements: state machine, versions and conflicts, comments, diff, signatures, XSS."""
import io
import logging
import re
import threading
from datetime import date, timedelta

import pytest
from markupsafe import escape
from pypdf import PdfReader

from fh_intranet import textdiff
from fh_intranet.agreements import workflow
from fh_intranet.agreements.models import (
    ADOPTED,
    SUPERSEDED,
    TRANSITIONS,
    Agreement,
    AgreementVersion,
    Comment,
    Signature,
    StateChange,
    transitions_from,
)
from fh_intranet.agreements.sections import split
from fh_intranet.audit import AuditEvent
from fh_intranet.changes import EditConflict
from fh_intranet.db import database, utcnow

from .agreement_fixtures import TEXT, make_agreement
from .conftest import csrf_from, submit
from .html_forms import form_posting_to, forms_of

HX = {"HX-Request": "true"}


def detail_page(client, agreement) -> str:
    response = client.get(f"/vereinbarungen/{agreement.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def state_forms(html: str, agreement) -> dict:
    """The page's state change forms by target, as the browser would send them."""
    action = f"/vereinbarungen/{agreement.id}/status"
    return {form.value("ziel"): form for form in forms_of(html, f"/vereinbarungen/{agreement.id}")
            if form.action == action}


def post_state(client, agreement, ziel, page=None, **values):
    """Send a state change as the detail page would (loaded now, or `page` loaded earlier), already
    confirmed (tests/test_confirmations.py covers the second look). A target the page offers no
    form for is sent like a forged request: same hidden fields, other target."""
    values.setdefault("bestaetigt", "1")
    page = page or detail_page(client, agreement)
    forms = state_forms(page, agreement)
    base = forms.get(ziel) or next(iter(forms.values()), None)
    data = base.data(ziel=ziel, **values) if base else {
        "csrf_token": csrf_from(page), "ziel": ziel, "version": str(agreement.version),
        "fassung": str(workflow.latest_version(agreement).number), **values}
    return client.post(f"/vereinbarungen/{agreement.id}/status", data=data)


def send(client, page_url, action=None, headers=None, **changes):
    """Open `page_url`, then send its form posting to `action` as the browser would, with `changes`."""
    action = action or page_url
    form = form_posting_to(client.get(page_url).get_data(as_text=True), action, page_url)
    return client.post(action, data=form.data(**changes), headers=headers or {})


def refused(response) -> str:
    """A refused action answers 409 with the page as it is now and the reason."""
    assert response.status_code == 409, response.status_code
    return response.get_data(as_text=True)


# --- state machine ----------------------------------------------------------------------------

ALL = ["draft", "consultation", "adopted", "superseded"]
ALLOWED = {("draft", "consultation"), ("consultation", "draft"), ("consultation", "adopted"),
           ("adopted", "superseded")}
FORM = {"consultation": {"deadline": "2099-01-31T18:00"}, "adopted": {"adopted_on": "2026-11-20"}}


def test_the_transitions_table_is_the_state_machine():
    assert {(step.source, step.target) for step in TRANSITIONS} == ALLOWED
    assert {step.target: step.asks for step in TRANSITIONS} == {
        "consultation": "deadline", "adopted": "adopted_on", "draft": None, "superseded": "superseded_by"}


@pytest.mark.parametrize("start", ALL)
@pytest.mark.parametrize("target", ALL)
def test_every_transition_as_coordinator(client_as, people, start, target):
    agreement = make_agreement(people["coordinator"], start)
    client = client_as("coordinator")
    response = post_state(client, agreement, target, **FORM.get(target, {}))
    stored = Agreement.get_by_id(agreement.id)
    if (start, target) in ALLOWED:
        assert stored.state == target
        change = StateChange.select().order_by(StateChange.id.desc()).first()
        assert (change.from_state, change.to_state, change.actor_id) == (start, target, people["coordinator"].id)
        assert stored.version == agreement.version + 1
    else:
        assert stored.state == start and stored.version == agreement.version
        assert "Dieser Statuswechsel ist nicht möglich." in refused(response)


@pytest.mark.parametrize("state", ALL)
def test_the_page_offers_exactly_the_transitions_the_workflow_accepts(client_as, people, state):
    """The detail page draws its state forms from the table; each one, sent as shown (with the
    value it asks for), is accepted, and no other target is offered."""
    client = client_as("coordinator")
    probe = make_agreement(people["coordinator"], state, title="Probe")
    forms = state_forms(detail_page(client, probe), probe)
    steps = transitions_from(state)
    assert set(forms) == {step.target for step in steps}
    for step in steps:
        agreement = make_agreement(people["coordinator"], state, title=f"Nach {step.target}")
        page = detail_page(client, agreement)
        form = state_forms(page, agreement)[step.target]
        assert str(step.label) in page
        if step.asks:
            assert step.asks in form.names
        response = client.post(form.action, data=form.data(**FORM.get(step.target, {})))
        if step.target in (ADOPTED, SUPERSEDED):  # a second look first (tests/test_confirmations.py)
            assert response.status_code == 200 and Agreement.get_by_id(agreement.id).state == state
            response = client.post(form.action, data=form.data(**FORM.get(step.target, {}), bestaetigt="1"))
        assert response.status_code == 303
        assert Agreement.get_by_id(agreement.id).state == step.target, step


@pytest.mark.parametrize("role", ["member", "partner"])
@pytest.mark.parametrize("start,target", sorted(ALLOWED))
def test_only_the_coordinator_changes_states(app, client_as, people, role, start, target):
    app.config["WTF_CSRF_ENABLED"] = False
    agreement = make_agreement(people["coordinator"], start)
    response = client_as(role).post(f"/vereinbarungen/{agreement.id}/status", data={"ziel": target, **FORM.get(target, {})})
    assert response.status_code == 403
    assert Agreement.get_by_id(agreement.id).state == start


def test_consultation_needs_a_future_deadline_in_berlin_time(client_as, people):
    agreement = make_agreement(people["coordinator"])
    client = client_as("coordinator")
    for deadline in ("2001-01-01T10:00", "", "morgen"):
        page = refused(post_state(client, agreement, "consultation", deadline=deadline))
        assert "Bitte eine Frist in der Zukunft angeben." in page
        assert state_forms(page, agreement)["consultation"].value("deadline") == deadline  # the input stays
        assert Agreement.get_by_id(agreement.id).state == "draft"
    post_state(client, agreement, "consultation", deadline="2099-07-01T12:00")
    stored = Agreement.get_by_id(agreement.id)
    assert stored.state == "consultation"
    assert stored.comment_deadline.hour == 10  # 12:00 summer time in Berlin is 10:00 UTC


def test_adoption_needs_its_date(client_as, people):
    agreement = make_agreement(people["coordinator"], "consultation")
    client = client_as("coordinator")
    response = post_state(client, agreement, "adopted", adopted_on="")
    assert "Bitte das Datum des Beschlusses angeben." in refused(response)
    assert Agreement.get_by_id(agreement.id).state == "consultation"


def test_the_second_look_before_adopting_names_what_is_still_open(client_as, people):
    agreement = make_agreement(people["coordinator"], "consultation")
    Agreement.update(comment_deadline=utcnow() + timedelta(days=19)).where(Agreement.id == agreement.id).execute()
    workflow.add_comment(agreement, workflow.latest_version(agreement), anchor="s-1-einleitung", heading="Einleitung",
                         body="Noch offen.", author=people["member"])
    question = post_state(client_as("coordinator"), agreement, "adopted", adopted_on="2026-11-20", bestaetigt="")
    html = question.get_data(as_text=True)
    assert "Die Kommentierung läuft noch bis" in html and "1 Diskussion ist noch nicht erledigt." in html
    assert "Ihre Unterschriften trägt die Netzwerkkoordination ein." in html, "partners do not sign themselves"
    assert Agreement.get_by_id(agreement.id).state == "consultation"
    Agreement.update(comment_deadline=utcnow() - timedelta(days=1)).where(Agreement.id == agreement.id).execute()
    Comment.update(resolved_at=utcnow()).execute()
    html = post_state(client_as("coordinator"), agreement, "adopted", adopted_on="2026-11-20",
                      bestaetigt="").get_data(as_text=True)
    assert "Bitte prüfen Sie" not in html, "nothing open, nothing to warn of"


def test_a_state_change_from_a_stale_page_is_refused(app, client_as, people):
    agreement = make_agreement(people["coordinator"], "consultation")
    first, second = client_as("coordinator"), app.test_client(user=people["coordinator"])
    stale = detail_page(second, agreement)
    post_state(first, agreement, "draft")
    post_state(first, Agreement.get_by_id(agreement.id), "consultation", deadline="2099-03-01T12:00")
    # Back in consultation, but not the one the second coordinator saw: their adoption is refused.
    response = post_state(second, agreement, "adopted", page=stale, adopted_on="2026-11-20")
    assert "Die Vereinbarung wurde inzwischen geändert (Status jetzt: In Kommentierung)" in refused(response)
    assert Agreement.get_by_id(agreement.id).state == "consultation"


def test_adopting_is_refused_when_a_newer_text_was_saved_meanwhile(client_as, people):
    agreement = make_agreement(people["coordinator"], "consultation")
    client = client_as("coordinator")
    page = detail_page(client, agreement)
    workflow.save_version(agreement, base_number=1, text=TEXT + "\nNachtrag.", change_note="x",
                          author=people["coordinator"])
    response = post_state(client, agreement, "adopted", page=page, adopted_on="2026-11-20")
    assert "Inzwischen wurde Fassung 2 gespeichert." in refused(response)
    assert Agreement.get_by_id(agreement.id).state == "consultation"
    post_state(client, agreement, "adopted", adopted_on="2026-11-20")  # read, then adopt
    assert Agreement.get_by_id(agreement.id).state == "adopted"


def test_transitions_are_shown_on_the_page(client_as, agreements):
    text = client_as("member").get(f"/vereinbarungen/{agreements['adopted'].id}").get_data(as_text=True)
    assert "Statuswechsel" in text and "Beschlossen (Testperson coordinator" in text
    assert "Status ändern" not in text  # members see the history, not the forms


# --- successor ------------------------------------------------------------------------------

@pytest.fixture
def generations(people):
    """Three adopted agreements: 2020, 2024 and 2024 again (written later), and a draft."""
    coordinator = people["coordinator"]
    return {"old": make_agreement(coordinator, "adopted", title="KV 2020", adopted_on=date(2020, 3, 1)),
            "current": make_agreement(coordinator, "adopted", title="KV 2024", adopted_on=date(2024, 3, 1)),
            "same_day": make_agreement(coordinator, "adopted", title="KV 2024 b", adopted_on=date(2024, 3, 1)),
            "draft": make_agreement(coordinator, "draft", title="KV 2028")}


def test_successor_must_be_adopted_and_newer(client_as, generations):
    client = client_as("coordinator")
    current = generations["current"]
    refusals = {
        "old": "„KV 2020“ wurde nicht nach dieser Vereinbarung beschlossen und kann sie deshalb nicht ablösen.",
        "draft": "Abgelöst werden kann eine Vereinbarung nur durch eine beschlossene Vereinbarung.",
        "current": "Eine Vereinbarung kann sich nicht selbst ablösen.",
    }
    for key, message in refusals.items():
        response = post_state(client, current, "superseded", superseded_by=str(generations[key].id))
        assert message in refused(response), key
    response = post_state(client, current, "superseded", superseded_by="999999")
    assert refusals["draft"] in refused(response)
    stored = Agreement.get_by_id(current.id)
    assert stored.state == "adopted" and stored.superseded_by_id is None

    post_state(client, current, "superseded", superseded_by=str(generations["same_day"].id))
    stored = Agreement.get_by_id(current.id)
    assert (stored.state, stored.superseded_by_id) == ("superseded", generations["same_day"].id)


def test_the_successor_list_offers_only_newer_adopted_agreements(client_as, generations):
    client = client_as("coordinator")
    form = state_forms(detail_page(client, generations["current"]), generations["current"])["superseded"]
    page = detail_page(client, generations["current"])
    options = re.findall(r'<option[^>]*value="(\d*)"', page.split('name="superseded_by"', 1)[1].split("</select>")[0])
    assert options == ["", str(generations["same_day"].id)]
    assert "superseded_by" in form.names
    old_page = detail_page(client, generations["old"])
    old_options = old_page.split('name="superseded_by"', 1)[1].split("</select>")[0]
    assert "KV 2024<" in old_options and "KV 2024 b<" in old_options and "KV 2028" not in old_options


def test_superseding_without_a_successor_is_allowed(client_as, generations):
    client = client_as("coordinator")
    post_state(client, generations["old"], "superseded", superseded_by="")
    stored = Agreement.get_by_id(generations["old"].id)
    assert stored.state == "superseded" and stored.superseded_by_id is None


def test_frozen_text_cannot_be_changed_by_any_route(app, client_as, agreements, people):
    app.config["WTF_CSRF_ENABLED"] = False
    client = client_as("coordinator")
    for state in ("adopted", "superseded"):
        agreement = agreements[state]
        before = AgreementVersion.select().where(AgreementVersion.agreement == agreement).count()
        # refused by the workflow with its reason (409), what was typed kept in the form
        for url, data in ((f"/vereinbarungen/{agreement.id}/bearbeiten",
                           {"version": "1", "text": "Neuer Text", "change_note": "x"}),
                          (f"/vereinbarungen/{agreement.id}/angaben", {"title": "Neuer Titel", "kind": "other",
                                                                       "version": "3"}),
                          (f"/vereinbarungen/{agreement.id}/abschnitte/s-1-ziele/kommentar", {"body": "Neuer Kommentar"})):
            response = client.post(url, data=data)
            assert response.status_code == 409, url
            assert next(v for k, v in data.items() if k != "version") in response.get_data(as_text=True), url
        assert AgreementVersion.select().where(AgreementVersion.agreement == agreement).count() == before
        assert Agreement.get_by_id(agreement.id).title == agreement.title
    with pytest.raises(workflow.Refused) as refused:
        workflow.save_version(agreements["adopted"], base_number=1, text="x", change_note="x", author=people["coordinator"])
    assert refused.value.code == "agreement.frozen"
    with pytest.raises(workflow.Refused) as refused:
        workflow.edit_details(agreements["superseded"], version=agreements["superseded"].version, title="x",
                              kind="other", review_by=None, actor=people["coordinator"])
    assert refused.value.code == "agreement.frozen"


def test_text_edit_refused_when_adopted_while_writing(client_as, people):
    """The edit page was open when the agreement was adopted: the save is refused (409), the text stays in the form."""
    agreement = make_agreement(people["coordinator"], "consultation")
    client = client_as("coordinator")
    url = f"/vereinbarungen/{agreement.id}/bearbeiten"
    form = form_posting_to(client.get(url).get_data(as_text=True), url, url)
    workflow.change_state(agreement, "adopted", people["coordinator"], adopted_on=date(2026, 6, 1))
    # The view checks who may edit; the workflow refuses the frozen text with its reason.
    response = client.post(url, data=form.data(text="Mein neuer Text", change_note="x"))
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Mein neuer Text" in html and str(escape(str(workflow.FROZEN.message))) in html
    with pytest.raises(workflow.Refused):
        workflow.save_version(agreement, base_number=1, text="Mein neuer Text", change_note="x",
                              author=people["coordinator"])
    assert AgreementVersion.select().where(AgreementVersion.agreement == agreement).count() == 1


def test_partner_sees_only_adopted_and_superseded(client_as, agreements):
    client = client_as("partner")
    listing = client.get("/vereinbarungen/").get_data(as_text=True)
    assert "Vereinbarung adopted" in listing and "Vereinbarung superseded" in listing
    assert "Vereinbarung draft" not in listing and "Vereinbarung consultation" not in listing
    for state in ("draft", "consultation"):
        assert client.get(f"/vereinbarungen/{agreements[state].id}").status_code == 404
    member_listing = client_as("member").get("/vereinbarungen/").get_data(as_text=True)
    assert all(f"Vereinbarung {state}" in member_listing for state in ALL)


def test_partners_learn_nothing_of_the_comments_on_an_adopted_agreement(client_as, agreements, people):
    """A partner opening a comment's reply form of an adopted agreement got a 500, its edit form 403
    where a comment that does not exist answered 404: the consultation's comments could be counted."""
    adopted = agreements["adopted"]
    comment = Comment.create(agreement=adopted, version=workflow.latest_version(adopted), section_anchor="s-1-ziele",
                             section_heading="§ 1 Ziele", body="Aus der Kommentierung", author=people["member"])
    partner = client_as("partner")
    for path in ("antwort", "bearbeiten"):
        assert partner.get(f"/vereinbarungen/kommentare/{comment.id}/{path}").status_code == 404
        assert partner.get(f"/vereinbarungen/kommentare/{comment.id + 1000}/{path}").status_code == 404
    assert "Aus der Kommentierung" not in partner.get(f"/vereinbarungen/{adopted.id}").get_data(as_text=True)


def test_the_list_shows_superseded_agreements_latest_first_and_the_others_by_title(client_as, people):
    coordinator = people["coordinator"]
    for title, adopted_on in (("A Geschäftsordnung 2019", date(2019, 3, 1)), ("Z Geschäftsordnung 2023", date(2023, 3, 1)),
                              ("M Geschäftsordnung 2021", date(2021, 3, 1))):
        make_agreement(coordinator, "superseded", title=title, adopted_on=adopted_on)
    for title in ("Z Kooperation", "A Kooperation"):
        make_agreement(coordinator, "adopted", title=title)
    listing = client_as("member").get("/vereinbarungen/").get_data(as_text=True)
    order = re.findall(r">([AMZ] [^<]+)</a>", listing)
    assert order == ["A Kooperation", "Z Kooperation", "Z Geschäftsordnung 2023", "M Geschäftsordnung 2021",
                     "A Geschäftsordnung 2019"]


# --- new agreement, details -------------------------------------------------------------------

def test_new_agreement_sent_twice_is_created_once(client_as):
    client = client_as("coordinator")
    form = form_posting_to(client.get("/vereinbarungen/neu").get_data(as_text=True), "/vereinbarungen/neu", "/vereinbarungen/neu")
    assert form.value("form_token")
    data = form.data(title="Geschäftsordnung", kind="rules_of_procedure", text="# § 1\n\nText")
    first = client.post("/vereinbarungen/neu", data=data)
    second = client.post("/vereinbarungen/neu", data=data)
    assert first.status_code == second.status_code == 303
    assert first.location == second.location
    assert Agreement.select().count() == 1 and AgreementVersion.select().count() == 1
    assert AuditEvent.select().where(AuditEvent.action == "agreement.created").count() == 1


def test_two_detail_edits_conflict_and_nothing_is_lost(app, client_as, people, agreements):
    agreement = agreements["draft"]
    url = f"/vereinbarungen/{agreement.id}/angaben"
    first, second = client_as("coordinator"), app.test_client(user=people["coordinator"])
    form_one = form_posting_to(first.get(url).get_data(as_text=True), url, url)
    form_two = form_posting_to(second.get(url).get_data(as_text=True), url, url)
    assert first.post(url, data=form_one.data(title="Titel von A", review_by="2027-01-31")).status_code == 303
    clash = second.post(url, data=form_two.data(title="Titel von B", kind="other"))
    assert clash.status_code == 409
    page = clash.get_data(as_text=True)
    assert "Inzwischen gespeicherte Fassung" in page and "Titel von A" in page  # what A saved
    resent = form_posting_to(page, url, url)
    assert resent.value("title") == "Titel von B" and resent.value("kind") == "other"  # B's input stays
    stored = Agreement.get_by_id(agreement.id)
    assert (stored.title, stored.review_by) == ("Titel von A", date(2027, 1, 31))
    # B's form now builds on A's save: sending it again is an ordinary save.
    assert second.post(url, data=resent.data()).status_code == 303
    assert Agreement.get_by_id(agreement.id).title == "Titel von B"


# --- versions, conflicts, diff --------------------------------------------------------------

def test_new_version_is_numbered_and_keeps_the_old(client_as, agreements):
    agreement = agreements["draft"]
    client = client_as("coordinator")
    response = submit(client, f"/vereinbarungen/{agreement.id}/bearbeiten",
                      {"version": "1", "text": TEXT + "\n# § 3 Neu\n\nText.", "change_note": "§ 3 ergänzt"})
    assert response.status_code == 303
    versions = list(AgreementVersion.select().where(AgreementVersion.agreement == agreement).order_by(AgreementVersion.number))
    assert [v.number for v in versions] == [1, 2] and versions[0].text == TEXT
    assert versions[1].change_note == "§ 3 ergänzt"
    old_page = client.get(f"/vereinbarungen/{agreement.id}?fassung=1").get_data(as_text=True)
    assert "nicht die aktuelle Fassung" in old_page and "§ 3 Neu" not in old_page


def test_two_saves_from_the_same_base_conflict_and_nothing_is_lost(app, client_as, people, agreements):
    agreement = agreements["draft"]
    url = f"/vereinbarungen/{agreement.id}/bearbeiten"
    first, second = client_as("coordinator"), app.test_client(user=people["coordinator"])
    form_one = form_posting_to(first.get(url).get_data(as_text=True), url, url)
    form_two = form_posting_to(second.get(url).get_data(as_text=True), url, url)
    assert form_one.value("version") == "1"
    text_one = TEXT.replace("früh", "sehr früh")
    text_two = TEXT.replace("bis drei Jahre", "bis zum dritten Geburtstag")
    assert first.post(url, data=form_one.data(text=text_one, change_note="eins")).status_code == 303
    clash = second.post(url, data=form_two.data(text=text_two, change_note="zwei"))
    assert clash.status_code == 409
    page = clash.get_data(as_text=True)
    assert "Konflikt beim Speichern" in page
    assert "sehr früh" in page and "bis zum dritten Geburtstag" in page  # both texts remain visible
    assert "<ins>" in page and "<del>" in page
    texts = [v.text for v in AgreementVersion.select().where(AgreementVersion.agreement == agreement)]
    assert texts == [TEXT, text_one]
    # The conflict page's form builds on version 2: merged and sent again, it becomes version 3.
    resent = form_posting_to(page, url, url)
    assert resent.value("version") == "2" and resent.value("text").lstrip("\r\n") == text_two
    merged = text_one.replace("bis drei Jahre", "bis zum dritten Geburtstag")
    assert second.post(url, data=resent.data(text=merged)).status_code == 303
    assert workflow.latest_version(agreement).text == merged


def test_race_between_two_savers_is_settled_by_the_database(people, agreements):
    agreement = agreements["draft"]
    workflow.save_version(agreement, base_number=1, text="A", change_note="a", author=people["coordinator"])
    with pytest.raises(EditConflict) as conflict:
        workflow.save_version(agreement, base_number=1, text="B", change_note="b", author=people["coordinator"])
    assert conflict.value.current.text == "A" and conflict.value.version == 2


def test_concurrent_version_saves_lose_no_text(app, people, agreements):
    """Writers save at the same moment; each one that meets a conflict rebases and tries again
    (as a person would on the conflict page). Every text ends up as its own version."""
    agreement, author = agreements["draft"], people["coordinator"]
    writers, outcomes = 6, []
    barrier = threading.Barrier(writers)

    def write(i):
        database.connect(reuse_if_open=True)
        try:
            barrier.wait(timeout=30)
            base, conflicts = 1, 0
            while True:
                try:
                    workflow.save_version(agreement, base_number=base, text=f"Text {i}", change_note=str(i),
                                          author=author)
                    outcomes.append(("saved", i, conflicts))
                    return
                except EditConflict as conflict:
                    base, conflicts = conflict.version, conflicts + 1
        except Exception as error:  # noqa: BLE001 - reported below
            outcomes.append(("error", i, repr(error)))
        finally:
            database.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    database.connect(reuse_if_open=True)
    assert not [o for o in outcomes if o[0] == "error"], outcomes
    versions = list(AgreementVersion.select().where(AgreementVersion.agreement == agreement)
                    .order_by(AgreementVersion.number))
    assert [v.number for v in versions] == list(range(1, writers + 2))
    assert sorted(v.text for v in versions[1:]) == sorted(f"Text {i}" for i in range(writers))
    assert sum(o[2] for o in outcomes) >= 1 or writers == 1  # they really did meet


def test_word_diff_on_german_text():
    old = "Die Familienhebamme berät Mütter über Ernährung und Schlaf."
    new = "Die Familienhebamme begleitet Väter und Mütter über Ernährung."
    pieces = textdiff.compare(old, new)
    words = lambda kind: set(re.findall(r"\w+", " ".join(p.text for p in pieces if p.kind == kind)))  # noqa: E731
    assert words("delete") == {"berät", "und", "Schlaf"}
    assert words("insert") == {"begleitet", "Väter", "und"}
    assert "".join(p.text for p in pieces if p.kind != "insert") == old  # nothing lost on either side
    assert "".join(p.text for p in pieces if p.kind != "delete") == new
    html = str(textdiff.inline_html(pieces))
    assert "<del>" in html and "<ins>" in html and "[gelöscht:]" in html and "[eingefügt:]" in html
    assert textdiff.summary(pieces) == {"inserted": 3, "deleted": 3}


def test_diff_escapes_markup():
    html = str(textdiff.inline_html(textdiff.compare("a", "<script>alert(1)</script>")))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_compare_page_inline_and_side_by_side(client_as, people, agreements):
    agreement = agreements["draft"]
    workflow.save_version(agreement, base_number=1, text=TEXT.replace("Säuglingen", "Neugeborenen"),
                          change_note="x", author=people["coordinator"])
    client = client_as("member")
    inline = client.get(f"/vereinbarungen/{agreement.id}/vergleich?von=1&bis=2").get_data(as_text=True)
    assert "Säuglingen</del>" in inline.replace('<span class="visually-hidden"> [Ende der Löschung]</span>', "")
    assert "1 Wort eingefügt, 1 Wort gelöscht." in inline
    side = client.get(f"/vereinbarungen/{agreement.id}/vergleich?von=1&bis=2&ansicht=nebeneinander")
    assert side.get_data(as_text=True).count('class="diff-rendered"') == 2  # the text as readers see it
    source = client.get(f"/vereinbarungen/{agreement.id}/vergleich?von=1&bis=2&ansicht=nebeneinander&quelle=1")
    assert source.get_data(as_text=True).count('class="diff"') == 2  # the Markdown source, on request
    fragment = client.get(f"/vereinbarungen/{agreement.id}/vergleich?von=1&bis=2", headers=HX).get_data(as_text=True)
    # the region alone, and one status line outside it that says what changed (read out once)
    status, region = fragment.lstrip().split("\n", 1)
    assert status == ('<p id="list-status" hx-swap-oob="innerHTML">Fassung 1 → Fassung 2: 1 Wort eingefügt, '
                      '1 Wort gelöscht.</p>')
    assert region.startswith('<section id="diff"') and "<html" not in region


# --- sections and comments -------------------------------------------------------------------

def test_sections_and_stable_anchors():
    sections = split(TEXT)
    assert [s.anchor for s in sections] == ["s-einleitung", "s-1-ziele", "s-2-zielgruppe"]
    edited = split(TEXT.replace("Schwangere und Familien", "Werdende Eltern und Familien")
                   .replace("Vorwort der Partner.", "Neues Vorwort."))
    assert [s.anchor for s in edited] == [s.anchor for s in sections]
    assert split("# Ä Ö Ü ß\n\nx\n\n# Ä Ö Ü ß\n\ny")[1].anchor == "s-ae-oe-ue-ss-2"


def test_a_section_with_a_long_heading_takes_comments(client_as, agreements, people):
    """Its anchor was the whole heading: on PostgreSQL a comment's 120 characters refused it, and
    the member's comment answered 404 („Eine Zahl … außerhalb des gültigen Bereichs“)."""
    agreement = agreements["consultation"]
    long_heading = ("§ 7 Datenschutz, Schweigepflicht und Weitergabe von Informationen zwischen den Partnern des "
                    "Netzwerks Frühe Hilfen im Landkreis Auental")
    longest = "§ 8 " + "Sehr lange Überschrift " * 20
    text = workflow.latest_version(agreement).text + f"\n\n# {long_heading}\n\nText.\n\n# {longest}\n\nMehr."
    workflow.save_version(agreement, base_number=workflow.latest_version(agreement).number, text=text,
                          change_note="länger", author=people["coordinator"])
    client = client_as("member")
    for heading in (long_heading, longest):
        [section] = [s for s in split(text) if s.heading == heading.strip()]
        assert len(section.anchor) <= 110
        response = submit(client, f"/vereinbarungen/{agreement.id}/abschnitte/{section.anchor}/kommentar",
                          {"body": f"Zu {heading[:3]}"})
        assert response.status_code == 303, response.get_data(as_text=True)[:300]
        comment = Comment.get(Comment.section_anchor == section.anchor)
        assert comment.section_heading == heading.strip()[:300]
    page = client.get(f"/vereinbarungen/{agreement.id}").get_data(as_text=True)
    assert "Zu § 7" in page and "Zu § 8" in page


def test_member_comments_on_a_section_with_htmx(client_as, agreements):
    agreement = agreements["consultation"]
    client = client_as("member")
    url = f"/vereinbarungen/{agreement.id}/abschnitte/s-2-zielgruppe/kommentar"
    form = client.get(url, headers=HX).get_data(as_text=True)
    assert form.lstrip().startswith("<form") and "Kommentar zu „§ 2 Zielgruppe“" in form
    response = client.post(url, data={"csrf_token": csrf_from(form), "body": "Väter ausdrücklich nennen."}, headers=HX)
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="s-2-zielgruppe-thread"' in text and "Väter ausdrücklich nennen." in text
    assert '<span id="s-2-zielgruppe-count" hx-swap-oob="true">1 Kommentar</span>' in text
    comment = Comment.get()
    assert (comment.section_anchor, comment.section_heading) == ("s-2-zielgruppe", "§ 2 Zielgruppe")


def test_comment_without_javascript_redirects_to_the_comment_and_says_it_is_saved(client_as, agreements):
    agreement = agreements["consultation"]
    client = client_as("member")
    url = f"/vereinbarungen/{agreement.id}/abschnitte/s-1-ziele/kommentar"
    page = client.get(url).get_data(as_text=True)
    assert "<html" in page and "Familien mit Säuglingen" in page
    # „Abbrechen“ leads back to the section, in place (htmx) as on the page of its own
    back = f'href="/vereinbarungen/{agreement.id}#s-1-ziele" class="close-in-place" data-close-form hx-boost="false">Abbrechen</a>'
    assert back in page and back in client.get(url, headers=HX).get_data(as_text=True)
    response = submit(client, url, {"body": "Ohne JavaScript."})
    saved = Comment.get(Comment.body == "Ohne JavaScript.")
    assert response.status_code == 303
    assert response.location.endswith(f"/vereinbarungen/{agreement.id}#comment-{saved.id}")
    page = client.get(f"/vereinbarungen/{agreement.id}").get_data(as_text=True)
    assert "Ohne JavaScript." in page and "Ihr Kommentar wurde gespeichert." in page
    # an edit says so too (it said nothing)
    assert f'href="/vereinbarungen/{agreement.id}#comment-{saved.id}" class="close-in-place"' in client.get(
        f"/vereinbarungen/kommentare/{saved.id}/bearbeiten").get_data(as_text=True)
    edited = submit(client, f"/vereinbarungen/kommentare/{saved.id}/bearbeiten",
                    {"body": "Ohne JavaScript, korrigiert.", "version": saved.revision})
    assert edited.status_code == 303 and edited.location.endswith(f"#comment-{saved.id}")
    page = client.get(f"/vereinbarungen/{agreement.id}").get_data(as_text=True)
    assert "Ohne JavaScript, korrigiert." in page and "Ihre Änderung wurde gespeichert." in page


def test_empty_comment_answers_422_into_the_form(client_as, agreements):
    agreement = agreements["consultation"]
    client = client_as("member")
    url = f"/vereinbarungen/{agreement.id}/abschnitte/s-1-ziele/kommentar"
    token = csrf_from(client.get(url).get_data(as_text=True))
    response = client.post(url, data={"csrf_token": token, "body": ""}, headers=HX)
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#s-1-ziele-form"
    assert "Bitte füllen Sie dieses Feld aus." in response.get_data(as_text=True)


def test_reply_resolve_reopen_and_edit(client_as, agreements, member_comment, people):
    agreement = agreements["consultation"]
    coordinator, member = client_as("coordinator"), client_as("member")
    reply_url = f"/vereinbarungen/kommentare/{member_comment.id}/antwort"
    send(coordinator, reply_url, body="Wird in Fassung 2 präzisiert.")
    reply = Comment.get(Comment.parent == member_comment)
    assert reply.author_id == people["coordinator"].id and reply.section_anchor == "s-1-ziele"

    edited = send(member, f"/vereinbarungen/kommentare/{member_comment.id}/bearbeiten", body="Bitte konkreter, mit Beispielen.")
    assert edited.status_code == 303
    stored = Comment.get_by_id(member_comment.id)
    assert stored.body == "Bitte konkreter, mit Beispielen." and stored.edited_at is not None
    assert stored.revision == 2
    assert "bearbeitet" in member.get(f"/vereinbarungen/{agreement.id}").get_data(as_text=True)

    page = f"/vereinbarungen/{agreement.id}"
    send(coordinator, page, f"/vereinbarungen/kommentare/{member_comment.id}/erledigt")
    assert Comment.get_by_id(member_comment.id).resolved_by_id == people["coordinator"].id
    # resolved: no more editing, no replies
    closed = member.get(f"/vereinbarungen/kommentare/{member_comment.id}/bearbeiten")
    assert closed.status_code == 409 and "als erledigt markiert" in closed.get_data(as_text=True)  # why, not "Kein Zugriff"
    assert client_as("coordinator").get(f"/vereinbarungen/kommentare/{member_comment.id}/bearbeiten").status_code == 403
    with pytest.raises(workflow.Refused) as refused:
        workflow.add_comment(agreement, workflow.latest_version(agreement), anchor="s-1-ziele", heading="",
                             body="x", author=people["member"], parent=Comment.get_by_id(member_comment.id))
    assert refused.value.code == "agreement.thread_closed"
    with pytest.raises(workflow.Refused) as refused:
        workflow.add_comment(agreement, workflow.latest_version(agreement), anchor="s-1-ziele", heading="",
                             body="x", author=people["member"], parent=reply)
    assert refused.value.code == "agreement.no_reply"
    # The resolved thread is folded to a count; its reopen button is on the page with resolved threads.
    folded = coordinator.get(page).get_data(as_text=True)
    assert "Bitte konkreter, mit Beispielen." not in folded
    assert "1 erledigte Diskussion anzeigen" in folded and "(2 Beiträge)" in folded
    send(coordinator, f"{page}?erledigt=1", f"/vereinbarungen/kommentare/{member_comment.id}/wieder-offen")
    assert Comment.get_by_id(member_comment.id).resolved_at is None
    actions = [e.action for e in AuditEvent.select().where(AuditEvent.action.startswith("comment."))]
    assert actions == ["comment.added", "comment.added", "comment.edited", "comment.resolved", "comment.reopened"]


@pytest.mark.parametrize("htmx", [False, True], ids=["plain form", "htmx"])
@pytest.mark.parametrize("meanwhile", ["consultation ended", "thread resolved"])
def test_a_comment_typed_while_the_consultation_ends_is_not_lost(client_as, agreements, member_comment, people,
                                                                  meanwhile, htmx):
    """Was: 403 „Kein Zugriff“ and the text gone, because the view's rule also asked whether the
    agreement was open for comments; now the workflow refuses it with its reason, the text kept."""
    agreement = agreements["consultation"]
    member = client_as("member")
    headers = HX if htmx else {}
    urls = [f"/vereinbarungen/{agreement.id}/abschnitte/s-1-ziele/kommentar",
            f"/vereinbarungen/kommentare/{member_comment.id}/antwort",
            f"/vereinbarungen/kommentare/{member_comment.id}/bearbeiten"]
    forms = {url: form_posting_to(member.get(url, headers=headers).get_data(as_text=True), url, url) for url in urls}
    if meanwhile == "consultation ended":  # its deadline passed while the member wrote
        Agreement.update(comment_deadline=utcnow() - timedelta(minutes=1)).where(Agreement.id == agreement.id).execute()
        message = "Die Kommentierung ist beendet"
    else:
        workflow.set_resolved(member_comment, True, people["coordinator"])
        message = "als erledigt markiert"
        urls = urls[1:]  # a new comment on the section is still welcome
    comments = Comment.select().count()
    for url in urls:
        typed = f"Eine halbe Stunde geschrieben ({url.rsplit('/', 1)[1]})."
        response = member.post(url, data=forms[url].data(body=typed), headers=headers)
        html = response.get_data(as_text=True)
        assert response.status_code == 409, url
        assert typed in html and message in html, url
    assert Comment.select().count() == comments
    assert Comment.get_by_id(member_comment.id).body == "Bitte konkreter."


def test_two_edits_of_a_comment_conflict_and_nothing_is_lost(app, people, member_comment):
    url = f"/vereinbarungen/kommentare/{member_comment.id}/bearbeiten"
    first, second = app.test_client(user=people["member"]), app.test_client(user=people["member"])
    form_one = form_posting_to(first.get(url).get_data(as_text=True), url, url)
    form_two = form_posting_to(second.get(url).get_data(as_text=True), url, url)
    assert first.post(url, data=form_one.data(body="Fassung aus dem Büro")).status_code == 303
    clash = second.post(url, data=form_two.data(body="Fassung vom Telefon"))
    assert clash.status_code == 409
    page = clash.get_data(as_text=True)
    assert "Inzwischen gespeicherte Fassung" in page and "Fassung aus dem Büro" in page
    resent = form_posting_to(page, url, url)
    assert resent.value("body").strip() == "Fassung vom Telefon" and resent.value("version") == "2"
    assert Comment.get_by_id(member_comment.id).body == "Fassung aus dem Büro"
    assert second.post(url, data=resent.data(body="Fassung vom Telefon")).status_code == 303
    assert Comment.get_by_id(member_comment.id).body == "Fassung vom Telefon"


def test_comment_edit_conflict_in_place_with_htmx(app, people, member_comment):
    url = f"/vereinbarungen/kommentare/{member_comment.id}/bearbeiten"
    client = app.test_client(user=people["member"])
    fragment = client.get(url, headers=HX).get_data(as_text=True)
    assert fragment.lstrip().startswith("<form")
    stale = form_posting_to(fragment, url, url)
    workflow.edit_comment(member_comment, "Inzwischen anders", people["member"], version=1)
    response = client.post(url, data=stale.data(body="Meine Änderung"), headers=HX)
    assert response.status_code == 409
    assert response.headers["HX-Retarget"] == f"#comment-{member_comment.id}-form"
    text = response.get_data(as_text=True)
    assert text.lstrip().startswith("<form") and "Inzwischen anders" in text and "Meine Änderung" in text
    assert Comment.get_by_id(member_comment.id).body == "Inzwischen anders"


def test_resolving_from_a_stale_thread_is_refused(app, client_as, people, agreements, member_comment):
    """The coordinator's page shows the thread open; meanwhile it was resolved and reopened with a
    new text. Their click must not act on what they have not seen."""
    agreement = agreements["consultation"]
    coordinator = client_as("coordinator")
    page = f"/vereinbarungen/{agreement.id}"
    html = coordinator.get(page).get_data(as_text=True)
    resolve = form_posting_to(html, f"/vereinbarungen/kommentare/{member_comment.id}/erledigt", page)
    workflow.edit_comment(member_comment, "Neu formuliert", people["member"], version=1)
    response = coordinator.post(resolve.action, data=resolve.data(), headers=HX)
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "Der Kommentar wurde inzwischen geändert" in text and "Neu formuliert" in text
    assert 'id="messages" hx-swap-oob="innerHTML"' in text
    assert Comment.get_by_id(member_comment.id).resolved_at is None
    # Without JavaScript: the page as it is now, with the message.
    page_now = refused(coordinator.post(resolve.action, data=resolve.data()))
    assert "Der Kommentar wurde inzwischen geändert" in page_now and "Neu formuliert" in page_now


def test_resolve_clicked_twice_resolves_once(client_as, agreements, member_comment):
    """A double click: the second finds the thread marked by the same person and answers with it as it
    is (it was told that someone had changed it). A stale click on a changed thread is still refused
    (test_resolving_from_a_stale_thread_is_refused)."""
    agreement = agreements["consultation"]
    coordinator = client_as("coordinator")
    page = f"/vereinbarungen/{agreement.id}"
    resolve = form_posting_to(coordinator.get(page).get_data(as_text=True),
                              f"/vereinbarungen/kommentare/{member_comment.id}/erledigt", page)
    first, second = (coordinator.post(resolve.action, data=resolve.data(), headers=HX) for _ in range(2))
    assert (first.status_code, second.status_code) == (200, 200)
    assert "Erledigt" in second.get_data(as_text=True)  # the thread as it is now
    assert AuditEvent.select().where(AuditEvent.action == "comment.resolved").count() == 1


def test_reopen_clicked_twice_reopens_once_and_another_persons_stale_click_is_refused(
        client_as, make_person, agreements, member_comment):
    """„Wieder öffnen“ clicked twice answered the second click „inzwischen geändert“: the thread's
    revision had moved on by the person's own first click."""
    agreement = agreements["consultation"]
    coordinator, colleague = client_as("coordinator"), client_as(make_person("coordinator"))
    page = f"/vereinbarungen/{agreement.id}?erledigt=1"
    url = f"/vereinbarungen/kommentare/{member_comment.id}/wieder-offen"
    send(coordinator, page, f"/vereinbarungen/kommentare/{member_comment.id}/erledigt")
    reopen = form_posting_to(coordinator.get(page).get_data(as_text=True), url, page)
    stale = form_posting_to(colleague.get(page).get_data(as_text=True), url, page)
    first, second = (coordinator.post(reopen.action, data=reopen.data(), headers=HX) for _ in range(2))
    assert (first.status_code, second.status_code) == (200, 200)
    assert "inzwischen geändert" not in second.get_data(as_text=True)
    assert AuditEvent.select().where(AuditEvent.action == "comment.reopened").count() == 1
    # a colleague's click from before, on a thread someone else opened meanwhile: told so
    assert "inzwischen geändert" in refused(colleague.post(stale.action, data=stale.data(), headers=HX))


def test_a_sections_resolved_discussions_come_alone(client_as, agreements, member_comment):
    """„… erledigte Diskussionen anzeigen“ took one section out of the whole page with every
    resolved discussion (600 KB after ten years); now the section's discussions come alone."""
    agreement = agreements["consultation"]
    coordinator = client_as("coordinator")
    send(coordinator, f"/vereinbarungen/{agreement.id}", f"/vereinbarungen/kommentare/{member_comment.id}/erledigt")
    page = coordinator.get(f"/vereinbarungen/{agreement.id}").get_data(as_text=True)
    url = f"/vereinbarungen/{agreement.id}/abschnitte/s-1-ziele/diskussionen"
    assert f'hx-get="{url}"' in page and member_comment.body not in page
    fragment = coordinator.get(url, headers=HX).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="s-1-ziele-thread"') and "<html" not in fragment
    assert member_comment.body in fragment and "hx-swap-oob" not in fragment  # an open comment form stays
    assert f'id="comment-{member_comment.id}" aria-label=' in fragment and 'tabindex="-1" autofocus' in fragment
    plain = coordinator.get(url)
    assert plain.status_code == 303 and plain.location.endswith(
        f"/vereinbarungen/{agreement.id}?erledigt=1#s-1-ziele-thread")
    assert client_as("partner").get(url, headers=HX).status_code == 404


def test_comment_and_reply_sent_twice_are_stored_once(client_as, agreements, member_comment):
    agreement = agreements["consultation"]
    client = client_as("member")
    for url, anchor in [(f"/vereinbarungen/{agreement.id}/abschnitte/s-2-zielgruppe/kommentar", "s-2-zielgruppe"),
                        (f"/vereinbarungen/kommentare/{member_comment.id}/antwort", "s-1-ziele")]:
        form = form_posting_to(client.get(url).get_data(as_text=True), url, url)
        assert form.value("form_token")
        answers = [client.post(url, data=form.data(body=f"Doppelt {anchor}"), headers=HX) for _ in range(2)]
        assert [a.status_code for a in answers] == [200, 200]
        assert answers[0].get_data(as_text=True) == answers[1].get_data(as_text=True)  # answered like the first
        assert Comment.select().where(Comment.body == f"Doppelt {anchor}").count() == 1


def test_comment_refused_when_the_consultation_closed_meanwhile(people, agreements):
    agreement = agreements["consultation"]
    version = workflow.latest_version(agreement)
    Agreement.update(comment_deadline=utcnow() - timedelta(seconds=1)).where(Agreement.id == agreement.id).execute()
    with pytest.raises(workflow.Refused) as refused:
        # `agreement` still holds the open deadline: the workflow reads the stored one
        workflow.add_comment(agreement, version, anchor="s-1-ziele", heading="§ 1", body="spät",
                             author=people["member"], token="tok-late")
    assert refused.value.code == "agreement.comments_closed"
    assert not Comment.select().exists()


def test_only_the_author_edits_a_comment(app, client_as, member_comment, make_person):
    app.config["WTF_CSRF_ENABLED"] = False
    other_member = app.test_client(user=make_person("member"))
    assert other_member.post(f"/vereinbarungen/kommentare/{member_comment.id}/bearbeiten", data={"body": "x"}).status_code == 403
    assert Comment.get_by_id(member_comment.id).body == "Bitte konkreter."


def test_resolve_by_htmx_returns_the_thread(client_as, agreements, member_comment):
    client = client_as("coordinator")
    response = send(client, f"/vereinbarungen/{agreements['consultation'].id}",
                    f"/vereinbarungen/kommentare/{member_comment.id}/erledigt", headers=HX)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="s-1-ziele-thread"' in text and "Erledigt" in text


def test_a_draft_not_in_consultation_says_so_not_that_it_ended(client_as, agreements):
    response = client_as("member").get(f"/vereinbarungen/{agreements['draft'].id}/abschnitte/s-1-ziele/kommentar")
    assert response.status_code == 409
    assert "Dieser Entwurf ist nicht in der Kommentierung" in response.get_data(as_text=True)


def test_comments_close_after_the_deadline(app, client_as, agreements, member_comment):
    app.config["WTF_CSRF_ENABLED"] = False
    agreement = agreements["consultation"]
    Agreement.update(comment_deadline=utcnow() - timedelta(minutes=1)).where(Agreement.id == agreement.id).execute()
    client = client_as("member")
    page = client.get(f"/vereinbarungen/{agreement.id}").get_data(as_text=True)
    assert "Kommentierungsfrist ist abgelaufen" in page and ">Kommentieren<" not in page
    # a comment finished after the deadline: refused with the reason, the text kept in the form
    for url in (f"/vereinbarungen/{agreement.id}/abschnitte/s-1-ziele/kommentar",
                f"/vereinbarungen/kommentare/{member_comment.id}/antwort",
                f"/vereinbarungen/kommentare/{member_comment.id}/bearbeiten"):
        response = client.post(url, data={"body": "Noch schnell: zu spät", "version": "1"})
        html = response.get_data(as_text=True)
        assert response.status_code == 409 and "Noch schnell: zu spät" in html, url
        assert "Die Kommentierung ist beendet" in html, url
    assert Comment.select().count() == 1 and Comment.get().body == "Bitte konkreter."


def test_partner_cannot_comment(app, client_as, agreements):
    app.config["WTF_CSRF_ENABLED"] = False
    client = client_as("partner")
    for state in ("consultation", "adopted"):
        response = client.post(f"/vereinbarungen/{agreements[state].id}/abschnitte/s-1-ziele/kommentar", data={"body": "x"})
        assert response.status_code in (403, 404)
    assert not Comment.select().exists()


def test_comments_follow_their_section_across_versions(client_as, people, agreements, member_comment):
    agreement = agreements["consultation"]
    # edit another section: the comment on § 1 stays with § 1
    workflow.save_version(agreement, base_number=1, text=TEXT.replace("bis drei Jahre", "bis drei"),
                          change_note="§ 2", author=people["coordinator"])
    page = client_as("member").get(f"/vereinbarungen/{agreement.id}").get_data(as_text=True)
    section_one = page.split('id="s-1-ziele"', 1)[1].split('<section id="s-2-zielgruppe"', 1)[0]
    assert "Bitte konkreter." in section_one and "zu Fassung 1" in section_one
    # remove § 1: the comment is listed under removed sections
    workflow.save_version(agreement, base_number=2, text="# § 2 Zielgruppe\n\nNur noch das.",
                          change_note="§ 1 entfernt", author=people["coordinator"])
    page = client_as("member").get(f"/vereinbarungen/{agreement.id}").get_data(as_text=True)
    removed = page.split("Kommentare zu entfernten Abschnitten", 1)[1]
    assert "Bitte konkreter." in removed and "§ 1 Ziele" in removed


# --- markdown safety --------------------------------------------------------------------------

HOSTILE = """# § 1 <img src=x onerror=alert(1)>

<script>alert('x')</script>
[klick](javascript:alert(1)) [mail](mailto:a@b.de) <a href="#" onclick="alert(1)">a</a>
![bild](https://tracker.example/pixel.png)
<iframe src="https://evil.example"></iframe> <b style="color:red">fett</b>
"""


def test_hostile_markdown_and_comments_render_inert(client_as, people):
    agreement = make_agreement(people["coordinator"], "consultation", text=HOSTILE)
    workflow.add_comment(agreement, workflow.latest_version(agreement), anchor=split(HOSTILE)[0].anchor, heading="x",
                         body="<script>alert(2)</script> [x](javascript:alert(3)) <svg onload=alert(4)>",
                         author=people["member"])
    page = client_as("member").get(f"/vereinbarungen/{agreement.id}").get_data(as_text=True)
    body = page.split("<main", 1)[1]
    tags = re.findall(r"<[a-zA-Z][^>]*>", body)  # real tags only; escaped text is inert
    assert not [t for t in tags if re.match(r"<(script|iframe|svg|img|object|embed)\b", t)]
    assert not [t for t in tags if re.search(r"\son\w+=", t)]
    assert not [t for t in tags if re.search(r"href=\"\s*javascript:", t, re.I)]
    assert not [t for t in tags if "style=" in t]
    assert 'href="mailto:a@b.de"' in body
    printed = client_as("member").get(f"/vereinbarungen/{agreement.id}/druck").get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*src=)|href=\"javascript:", printed)


# --- signatures -------------------------------------------------------------------------------

def sign(client, agreement, organisation, **extra):
    data = {"organisation": str(organisation.id), "signer_name": "Dr. Eva Roth", "signer_function": "Leitung",
            "signed_on": "2026-06-15", **extra}
    return submit(client, f"/vereinbarungen/{agreement.id}", data, action=f"/vereinbarungen/{agreement.id}/unterschriften")


def test_signatures_and_the_not_yet_signed_list(client_as, agreements, organisation):
    from fh_intranet.people.models import Organisation

    later = Organisation.create(name="Kita Regenbogen", sector="day_care")
    Organisation.create(name="Familientreff Altstadt", sector="family_centre", left_on=date(2024, 6, 30))
    agreement = agreements["adopted"]
    client = client_as("coordinator")
    unsigned = lambda: client.get(f"/vereinbarungen/{agreement.id}").get_data(as_text=True).split('id="unsigned"', 1)[-1].split("</ul>")[0]  # noqa: E731
    assert organisation.name in unsigned() and "Kita Regenbogen" in unsigned()
    assert "Familientreff Altstadt" not in unsigned(), "a partner that left is missing nothing"

    assert sign(client, agreement, organisation).status_code == 303
    assert organisation.name not in unsigned() and "Kita Regenbogen" in unsigned()
    assert sign(client, agreement, later, accession="y", signed_on="2026-11-01").status_code == 303
    page = client.get(f"/vereinbarungen/{agreement.id}").get_data(as_text=True)
    assert 'id="unsigned"' not in page and "(Beitritt)" in page
    signature = Signature.get(Signature.organisation == later)
    assert signature.kind == "accession" and signature.signed_on == date(2026, 11, 1)
    assert signature.version.number == 1


def test_one_signature_per_organisation(client_as, agreements, organisation, people):
    agreement = agreements["adopted"]
    client = client_as("coordinator")
    sign(client, agreement, organisation)
    again = sign(client, agreement, organisation, signer_name="Noch jemand")
    assert again.status_code == 409
    assert "Für Familienzentrum Lindenhof ist schon eine Unterschrift eingetragen." in again.get_data(as_text=True)
    assert Signature.select().count() == 1
    with pytest.raises(workflow.Refused):
        workflow.record_signature(agreement, organisation, signer_name="x", signer_function="", signed_on=date.today(),
                                  accession=False, recorded_by=people["coordinator"])


def test_signature_sent_twice_is_recorded_once(client_as, agreements, organisation):
    agreement = agreements["adopted"]
    client = client_as("member")
    page, action = f"/vereinbarungen/{agreement.id}", f"/vereinbarungen/{agreement.id}/unterschriften"
    form = form_posting_to(client.get(page).get_data(as_text=True), action, page)
    assert form.value("form_token") and form.value("organisation") == str(organisation.id)
    data = form.data(signer_name="Dr. Eva Roth", signed_on="2026-06-15")
    answers = [client.post(action, data=data) for _ in range(2)]
    assert [a.status_code for a in answers] == [303, 303]
    assert answers[0].location == answers[1].location
    assert Signature.select().count() == 1
    assert AuditEvent.select().where(AuditEvent.action == "agreement.signed").count() == 1


def test_signatures_only_for_adopted_agreements(people, agreements, organisation):
    for state in ("draft", "consultation", "superseded"):
        with pytest.raises(workflow.Refused):
            workflow.record_signature(agreements[state], organisation, signer_name="x", signer_function="",
                                      signed_on=date.today(), accession=False, recorded_by=people["coordinator"])
    assert not Signature.select().exists()


def test_member_records_only_their_own_organisation(app, client_as, agreements, organisation):
    from fh_intranet.people.models import Organisation

    other = Organisation.create(name="Praxis am Markt", sector="paediatric_practice")
    agreement = agreements["adopted"]
    client = client_as("member")  # belongs to `organisation`
    assert sign(client, agreement, other).status_code in (403, 422)
    assert not Signature.select().where(Signature.organisation == other).exists()
    assert sign(client, agreement, organisation).status_code == 303
    assert Signature.get().organisation_id == organisation.id


# --- print, PDF, demo, query count -----------------------------------------------------------

def test_print_view_and_pdf(client_as, agreements, organisation):
    agreement = agreements["adopted"]
    client = client_as("coordinator")
    sign(client, agreement, organisation)
    printed = client.get(f"/vereinbarungen/{agreement.id}/druck").get_data(as_text=True)
    assert "Vereinbarung adopted" in printed and "Dr. Eva Roth" in printed and "Fassung 1" in printed
    response = client_as("partner").get(f"/vereinbarungen/{agreement.id}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Dr. Eva Roth" in text and "Kooperationsvereinbarung" in text


def count_queries(caplog, action) -> int:
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        action()
    return sum(1 for record in caplog.records if record.name == "peewee")


def test_agreement_page_queries_do_not_grow_with_comments(client_as, agreements, people, caplog):
    agreement = agreements["consultation"]
    version = workflow.latest_version(agreement)
    client = client_as("member")
    url = f"/vereinbarungen/{agreement.id}"

    def add(n):
        for i in range(n):
            root = workflow.add_comment(agreement, version, anchor="s-1-ziele", heading="§ 1", body=f"K{i}",
                                        author=people["member"])
            workflow.add_comment(agreement, version, anchor="s-2-zielgruppe", heading="§ 2", body=f"A{i}",
                                 author=people["coordinator"], parent=None)
            workflow.set_resolved(root, True, people["coordinator"])

    add(2)
    few = count_queries(caplog, lambda: client.get(url))
    add(20)
    many = count_queries(caplog, lambda: client.get(url))
    assert many == few, f"{few} queries with 4 comments, {many} with 44"
    assert few <= 15


def test_demo_has_the_promised_agreements(demo_data):
    adopted = Agreement.get(Agreement.kind == "cooperation", Agreement.state == "adopted")
    kinds = {s.kind for s in Signature.select().where(Signature.agreement == adopted)}
    assert kinds == {"signature", "accession"}
    consultation = Agreement.get(Agreement.state == "consultation")
    assert AgreementVersion.select().where(AgreementVersion.agreement == consultation).count() >= 3
    assert Comment.select().where(Comment.agreement == consultation, Comment.parent.is_null(False)).exists()
    assert Agreement.get(Agreement.kind == "rules_of_procedure").state == "adopted"


def test_rules_of_procedure_are_not_signed_by_the_partners(demo_data, app):
    """A steering group's rules bind the group: every partner was listed as „Noch nicht
    unterschrieben“ and counted as a missing signature in the annual report."""
    from fh_intranet.people.models import Organisation, Person
    from fh_intranet.timezones import berlin_today

    from .conftest import submit

    rules = Agreement.get(Agreement.kind == "rules_of_procedure")
    coordinator = Person.get(Person.email == "koordination@fh-auental.example")
    client = app.test_client(user=coordinator)
    page = client.get(f"/vereinbarungen/{rules.id}").get_data(as_text=True)
    assert 'id="unsigned"' not in page and "werden nicht von den Partnerorganisationen unterschrieben" in page
    assert 'action="/vereinbarungen/{}/unterschriften"'.format(rules.id) not in page
    organisation = Organisation.select().first()
    refused = submit(client, f"/vereinbarungen/{rules.id}", {"organisation": str(organisation.id), "signer_name": "X",
                                                            "signed_on": "2026-11-02"},
                     action=f"/vereinbarungen/{rules.id}/unterschriften")
    assert refused.status_code == 403 and not Signature.select().where(Signature.agreement == rules).exists()
    assert "Unterschriften" not in client.get(f"/vereinbarungen/{rules.id}/druck").get_data(as_text=True)
    report = client.get(f"/netzwerk/bericht/{berlin_today().year}").get_data(as_text=True)
    row = report[report.index(f"/vereinbarungen/{rules.id}\""):]
    assert "wird nicht von den Partnern unterschrieben" in row[:row.index("</tr>")]
    # the cooperation agreement still is, and still lists who has not
    cooperation = Agreement.get(Agreement.kind == "cooperation", Agreement.state == "adopted")
    assert 'id="unsigned"' in client.get(f"/vereinbarungen/{cooperation.id}").get_data(as_text=True)


def test_partners_do_not_see_consultation_comments_on_adopted_texts(client_as, agreements, people):
    adopted = agreements["adopted"]
    Comment.create(agreement=adopted, version=workflow.latest_version(adopted), section_anchor="s-1-ziele",
                   section_heading="§ 1 Ziele", author=people["member"], body="Interne Anmerkung")
    assert "Interne Anmerkung" not in client_as("partner").get(f"/vereinbarungen/{adopted.id}").get_data(as_text=True)
    assert "Interne Anmerkung" in client_as("member").get(f"/vereinbarungen/{adopted.id}").get_data(as_text=True)


def test_garbled_base_version_is_a_conflict_not_an_error(client_as, agreements):
    agreement = agreements["draft"]
    response = submit(client_as("coordinator"), f"/vereinbarungen/{agreement.id}/bearbeiten",
                      {"version": "abc", "text": "Neu", "change_note": "x"})
    assert response.status_code == 409
    assert AgreementVersion.select().where(AgreementVersion.agreement == agreement).count() == 1
