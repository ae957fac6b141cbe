"""Cooperation agreements: state machine, versions and conflicts, comments, diff, signatures, XSS."""
import logging
import re
from datetime import date, timedelta

import pytest

from fh_intranet import textdiff
from fh_intranet.agreements import workflow
from fh_intranet.agreements.models import Agreement, AgreementVersion, Comment, Signature, StateChange
from fh_intranet.agreements.sections import split
from fh_intranet.audit import AuditEvent
from fh_intranet.db import utcnow

from .agreement_fixtures import TEXT, make_agreement
from .conftest import csrf_from, submit

HX = {"HX-Request": "true"}


def post_state(client, agreement, **data):
    return submit(client, f"/vereinbarungen/{agreement.id}", data, action=f"/vereinbarungen/{agreement.id}/status")


# --- state machine ----------------------------------------------------------------------------

ALL = ["draft", "consultation", "adopted", "superseded"]
ALLOWED = {("draft", "consultation"), ("consultation", "draft"), ("consultation", "adopted"),
           ("adopted", "superseded")}
FORM = {"consultation": {"deadline": "2099-01-31T18:00"}, "adopted": {"adopted_on": "2026-11-20"}}


@pytest.mark.parametrize("start", ALL)
@pytest.mark.parametrize("target", ALL)
def test_every_transition_as_coordinator(client_as, people, start, target):
    agreement = make_agreement(people["coordinator"], start)
    post_state(client_as("coordinator"), agreement, ziel=target, **FORM.get(target, {}))
    stored = Agreement.get_by_id(agreement.id)
    if (start, target) in ALLOWED:
        assert stored.state == target
        change = StateChange.select().order_by(StateChange.id.desc()).first()
        assert (change.from_state, change.to_state, change.actor_id) == (start, target, people["coordinator"].id)
    else:
        assert stored.state == start


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
    post_state(client, agreement, ziel="consultation", deadline="2001-01-01T10:00")
    assert Agreement.get_by_id(agreement.id).state == "draft"
    post_state(client, agreement, ziel="consultation", deadline="2099-07-01T12:00")
    stored = Agreement.get_by_id(agreement.id)
    assert stored.state == "consultation"
    assert stored.comment_deadline.hour == 10  # 12:00 summer time in Berlin is 10:00 UTC


def test_transitions_are_shown_on_the_page(client_as, agreements):
    text = client_as("member").get(f"/vereinbarungen/{agreements['adopted'].id}").get_data(as_text=True)
    assert "Statuswechsel" in text and "Beschlossen (Testperson coordinator" in text


def test_frozen_text_cannot_be_changed_by_any_route(app, client_as, agreements, people):
    app.config["WTF_CSRF_ENABLED"] = False
    client = client_as("coordinator")
    for state in ("adopted", "superseded"):
        agreement = agreements[state]
        before = AgreementVersion.select().where(AgreementVersion.agreement == agreement).count()
        assert client.post(f"/vereinbarungen/{agreement.id}/bearbeiten",
                           data={"base_number": "1", "text": "Neu", "change_note": "x"}).status_code == 403
        assert client.post(f"/vereinbarungen/{agreement.id}/angaben",
                           data={"title": "Neu", "kind": "other", "version": "3"}).status_code == 403
        assert client.post(f"/vereinbarungen/{agreement.id}/abschnitte/s-1-ziele/kommentar",
                           data={"body": "x"}).status_code == 403
        assert AgreementVersion.select().where(AgreementVersion.agreement == agreement).count() == before
        assert Agreement.get_by_id(agreement.id).title == agreement.title
    with pytest.raises(workflow.Refused):
        workflow.save_version(agreements["adopted"], base_number=1, text="x", change_note="x", author=people["coordinator"])


def test_partner_sees_only_adopted_and_superseded(client_as, agreements):
    client = client_as("partner")
    listing = client.get("/vereinbarungen/").get_data(as_text=True)
    assert "Vereinbarung adopted" in listing and "Vereinbarung superseded" in listing
    assert "Vereinbarung draft" not in listing and "Vereinbarung consultation" not in listing
    for state in ("draft", "consultation"):
        assert client.get(f"/vereinbarungen/{agreements[state].id}").status_code == 404
    member_listing = client_as("member").get("/vereinbarungen/").get_data(as_text=True)
    assert all(f"Vereinbarung {state}" in member_listing for state in ALL)


# --- versions, conflicts, diff --------------------------------------------------------------

def test_new_version_is_numbered_and_keeps_the_old(client_as, agreements):
    agreement = agreements["draft"]
    client = client_as("coordinator")
    response = submit(client, f"/vereinbarungen/{agreement.id}/bearbeiten",
                      {"base_number": "1", "text": TEXT + "\n# § 3 Neu\n\nText.", "change_note": "§ 3 ergänzt"})
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
    token_one = csrf_from(first.get(url).get_data(as_text=True))
    token_two = csrf_from(second.get(url).get_data(as_text=True))
    text_one = TEXT.replace("früh", "sehr früh")
    text_two = TEXT.replace("bis drei Jahre", "bis zum dritten Geburtstag")
    saved = first.post(url, data={"csrf_token": token_one, "base_number": "1", "text": text_one, "change_note": "eins"})
    assert saved.status_code == 303
    clash = second.post(url, data={"csrf_token": token_two, "base_number": "1", "text": text_two, "change_note": "zwei"})
    assert clash.status_code == 409
    page = clash.get_data(as_text=True)
    assert "Konflikt beim Speichern" in page
    assert "sehr früh" in page and "bis zum dritten Geburtstag" in page  # both texts remain visible
    assert "<ins>" in page and "<del>" in page
    assert 'name="base_number" type="hidden" value="2"' in page
    texts = [v.text for v in AgreementVersion.select().where(AgreementVersion.agreement == agreement)]
    assert texts == [TEXT, text_one]


def test_race_between_two_savers_is_settled_by_the_database(people, agreements):
    agreement = agreements["draft"]
    workflow.save_version(agreement, base_number=1, text="A", change_note="a", author=people["coordinator"])
    with pytest.raises(workflow.VersionConflict) as conflict:
        workflow.save_version(agreement, base_number=1, text="B", change_note="b", author=people["coordinator"])
    assert conflict.value.latest.text == "A"


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
    side = client.get(f"/vereinbarungen/{agreement.id}/vergleich?von=1&bis=2&ansicht=nebeneinander")
    assert side.get_data(as_text=True).count('class="diff"') == 2
    fragment = client.get(f"/vereinbarungen/{agreement.id}/vergleich?von=1&bis=2", headers=HX).get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="diff"')


# --- sections and comments -------------------------------------------------------------------

def test_sections_and_stable_anchors():
    sections = split(TEXT)
    assert [s.anchor for s in sections] == ["s-einleitung", "s-1-ziele", "s-2-zielgruppe"]
    edited = split(TEXT.replace("Schwangere und Familien", "Werdende Eltern und Familien")
                   .replace("Vorwort der Partner.", "Neues Vorwort."))
    assert [s.anchor for s in edited] == [s.anchor for s in sections]
    assert split("# Ä Ö Ü ß\n\nx\n\n# Ä Ö Ü ß\n\ny")[1].anchor == "s-ae-oe-ue-ss-2"


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


def test_comment_without_javascript_redirects_to_the_section(client_as, agreements):
    agreement = agreements["consultation"]
    client = client_as("member")
    url = f"/vereinbarungen/{agreement.id}/abschnitte/s-1-ziele/kommentar"
    page = client.get(url).get_data(as_text=True)
    assert "<html" in page and "Familien mit Säuglingen" in page
    response = submit(client, url, {"body": "Ohne JavaScript."})
    assert response.status_code == 303 and response.location.endswith(f"/vereinbarungen/{agreement.id}#s-1-ziele")
    assert "Ohne JavaScript." in client.get(f"/vereinbarungen/{agreement.id}").get_data(as_text=True)


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
    submit(coordinator, f"/vereinbarungen/{agreement.id}", {"body": "Wird in Fassung 2 präzisiert."},
           action=f"/vereinbarungen/kommentare/{member_comment.id}/antwort")
    reply = Comment.get(Comment.parent == member_comment)
    assert reply.author_id == people["coordinator"].id and reply.section_anchor == "s-1-ziele"

    edited = submit(member, f"/vereinbarungen/kommentare/{member_comment.id}/bearbeiten", {"body": "Bitte konkreter, mit Beispielen."})
    assert edited.status_code == 303
    stored = Comment.get_by_id(member_comment.id)
    assert stored.body == "Bitte konkreter, mit Beispielen." and stored.edited_at is not None
    assert "bearbeitet" in member.get(f"/vereinbarungen/{agreement.id}").get_data(as_text=True)

    submit(coordinator, f"/vereinbarungen/{agreement.id}", action=f"/vereinbarungen/kommentare/{member_comment.id}/erledigt")
    assert Comment.get_by_id(member_comment.id).resolved_by_id == people["coordinator"].id
    # resolved: no more editing, no replies
    assert member.get(f"/vereinbarungen/kommentare/{member_comment.id}/bearbeiten").status_code == 403
    with pytest.raises(workflow.Refused):
        workflow.add_comment(agreement, workflow.latest_version(agreement), anchor="s-1-ziele", heading="",
                             body="x", author=people["member"], parent=Comment.get_by_id(member_comment.id))
    submit(coordinator, f"/vereinbarungen/{agreement.id}", action=f"/vereinbarungen/kommentare/{member_comment.id}/wieder-offen")
    assert Comment.get_by_id(member_comment.id).resolved_at is None
    actions = [e.action for e in AuditEvent.select().where(AuditEvent.action.startswith("comment."))]
    assert actions == ["comment.added", "comment.added", "comment.edited", "comment.resolved", "comment.reopened"]


def test_only_the_author_edits_a_comment(app, client_as, member_comment, make_person):
    app.config["WTF_CSRF_ENABLED"] = False
    other_member = app.test_client(user=make_person("member"))
    assert other_member.post(f"/vereinbarungen/kommentare/{member_comment.id}/bearbeiten", data={"body": "x"}).status_code == 403
    assert Comment.get_by_id(member_comment.id).body == "Bitte konkreter."


def test_resolve_by_htmx_returns_the_thread(client_as, agreements, member_comment):
    client = client_as("coordinator")
    token = csrf_from(client.get(f"/vereinbarungen/{agreements['consultation'].id}").get_data(as_text=True))
    response = client.post(f"/vereinbarungen/kommentare/{member_comment.id}/erledigt",
                           data={"csrf_token": token}, headers=HX)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="s-1-ziele-thread"' in text and "Erledigt" in text


def test_comments_close_after_the_deadline(app, client_as, agreements, member_comment):
    app.config["WTF_CSRF_ENABLED"] = False
    agreement = agreements["consultation"]
    Agreement.update(comment_deadline=utcnow() - timedelta(minutes=1)).where(Agreement.id == agreement.id).execute()
    client = client_as("member")
    page = client.get(f"/vereinbarungen/{agreement.id}").get_data(as_text=True)
    assert "Kommentierungsfrist ist abgelaufen" in page and ">Kommentieren<" not in page
    assert client.post(f"/vereinbarungen/{agreement.id}/abschnitte/s-1-ziele/kommentar", data={"body": "zu spät"}).status_code == 403
    assert client.post(f"/vereinbarungen/kommentare/{member_comment.id}/antwort", data={"body": "zu spät"}).status_code == 403
    assert client.post(f"/vereinbarungen/kommentare/{member_comment.id}/bearbeiten", data={"body": "zu spät"}).status_code == 403
    assert Comment.select().count() == 1


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
    agreement = agreements["adopted"]
    client = client_as("coordinator")
    unsigned = lambda: client.get(f"/vereinbarungen/{agreement.id}").get_data(as_text=True).split('id="unsigned"', 1)[-1].split("</ul>")[0]  # noqa: E731
    assert organisation.name in unsigned() and "Kita Regenbogen" in unsigned()

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
    assert sign(client, agreement, organisation, signer_name="Noch jemand").status_code in (303, 422)
    assert Signature.select().count() == 1
    with pytest.raises(workflow.Refused):
        workflow.record_signature(agreement, organisation, signer_name="x", signer_function="", signed_on=date.today(),
                                  accession=False, recorded_by=people["coordinator"])


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
    assert response.data.startswith(b"%PDF") and b"Dr. Eva Roth" in response.data and b"Kooperationsvereinbarung" in response.data


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


def test_demo_has_the_promised_agreements(app):
    from fh_intranet import demo

    demo.seed()
    adopted = Agreement.get(Agreement.kind == "cooperation", Agreement.state == "adopted")
    kinds = {s.kind for s in Signature.select().where(Signature.agreement == adopted)}
    assert kinds == {"signature", "accession"}
    consultation = Agreement.get(Agreement.state == "consultation")
    assert AgreementVersion.select().where(AgreementVersion.agreement == consultation).count() >= 3
    assert Comment.select().where(Comment.agreement == consultation, Comment.parent.is_null(False)).exists()
    assert Agreement.get(Agreement.kind == "rules_of_procedure").state == "adopted"


def test_partners_do_not_see_consultation_comments_on_adopted_texts(client_as, agreements, people):
    adopted = agreements["adopted"]
    Comment.create(agreement=adopted, version=workflow.latest_version(adopted), section_anchor="s-1-ziele",
                   section_heading="§ 1 Ziele", author=people["member"], body="Interne Anmerkung")
    assert "Interne Anmerkung" not in client_as("partner").get(f"/vereinbarungen/{adopted.id}").get_data(as_text=True)
    assert "Interne Anmerkung" in client_as("member").get(f"/vereinbarungen/{adopted.id}").get_data(as_text=True)


def test_garbled_base_version_is_a_conflict_not_an_error(client_as, agreements):
    agreement = agreements["draft"]
    response = submit(client_as("coordinator"), f"/vereinbarungen/{agreement.id}/bearbeiten",
                      {"base_number": "abc", "text": "Neu", "change_note": "x"})
    assert response.status_code == 409


def test_successor_must_be_adopted(client_as, agreements):
    adopted, draft = agreements["adopted"], agreements["draft"]
    post_state(client_as("coordinator"), adopted, ziel="superseded", superseded_by=str(draft.id))
    assert Agreement.get_by_id(adopted.id).superseded_by_id is None
