"""Rendered once and kept: Markdown at write time, published PDFs per revision, CSVs streamed."""
import csv
import io
import re
import threading
import time
from datetime import date

from pypdf import PdfReader

from fh_intranet import csvexport, markdown, pdf, pdf_cache
from fh_intranet.agreements import workflow as agreement_workflow
from fh_intranet.agreements.models import SECTION_HEADING_OFFSET, Agreement, AgreementVersion, Comment
from fh_intranet.agreements.sections import split
from fh_intranet.db import database
from fh_intranet.meetings import workflow as meeting_workflow
from fh_intranet.meetings.models import ActionItem, AgendaItem
from fh_intranet.pdf_cache import RenderedPdf
from fh_intranet.people import workflow as people_workflow

from .concurrency import at_once


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


KEPT = b"%PDF-kept"


def kept_after_download(client, url: str, kind: str, object_id: int) -> None:
    """Download the PDF once (made and stored), put KEPT in the stored row's place (to tell it
    apart) and check that the next download is served from the store."""
    assert client.get(url).data.startswith(b"%PDF")
    mark_kept(kind, object_id)
    assert client.get(url).data == KEPT, "served from the store"


def mark_kept(kind: str, object_id: int) -> None:
    RenderedPdf.update(data=KEPT).where(RenderedPdf.kind == kind, RenderedPdf.object_id == object_id).execute()


def test_comments_and_versions_keep_their_html_and_the_page_shows_it(client_as, agreements, member_comment):
    stored = Comment.get_by_id(member_comment.id)
    assert stored.body_html.endswith("<p>Bitte konkreter.</p>\n") and stored.body_html.startswith("<!--md:")
    # The page shows what was stored (changed here behind the app's back to tell it apart) …
    Comment.update(body_html=stored.body_html.replace("konkreter", "KONKRETER")).where(
        Comment.id == stored.id).execute()
    version = AgreementVersion.get(AgreementVersion.agreement == agreements["consultation"])
    assert version.rendered.startswith('["<!--md:')
    AgreementVersion.update(rendered=version.rendered.replace("<p>", "<p>GESPEICHERT ", 1)).where(
        AgreementVersion.id == version.id).execute()
    page = client_as("member").get(f"/vereinbarungen/{agreements['consultation'].id}").get_data(as_text=True)
    assert "Bitte KONKRETER." in page and "GESPEICHERT" in page
    # … and a text changed without a new rendering is rendered afresh, never shown stale.
    Comment.update(body="Jetzt *anders*.").where(Comment.id == stored.id).execute()
    page = client_as("member").get(f"/vereinbarungen/{agreements['consultation'].id}").get_data(as_text=True)
    assert "Jetzt <em>anders</em>." in page and "KONKRETER" not in page
    # Editing through the app renders again.
    comment = Comment.get_by_id(stored.id)
    agreement_workflow.edit_comment(comment, "Neu **fett**.", comment.author)
    assert "<strong>fett</strong>" in Comment.get_by_id(stored.id).body_html


def test_pasted_line_breaks_and_bullets_are_kept():
    """Text pasted from a word processor keeps its lines and its list (CommonMark joined them)."""
    html = str(markdown.render("Erste Zeile\nzweite Zeile\n\n•\tKita\n•\tHebammen\n  ◦ Familienzentrum"))
    assert "Erste Zeile<br>\nzweite Zeile" in html
    assert html.count("<li>") == 3 and "•" not in html and "◦" not in html
    # indented by tabs and right after a paragraph, as pasted: still a list, not code or plain text
    html = str(markdown.render("Beteiligt:\n\t•\tKita\n\t•\tJugendamt"))
    assert "<p>Beteiligt:</p>" in html and html.count("<li>") == 2 and "<pre>" not in html
    assert "• bleibt" in str(markdown.render("```\n• bleibt\n```")), "code keeps its characters"


def test_db_upgrade_renders_again_what_an_earlier_renderer_kept(app, agreements, member_comment, meetings):
    """What `keep` stored before the renderer changed (markdown.RENDERING) is made again by
    `db upgrade`, text and version untouched; what is current is left alone."""
    old_marker = "<!--md:000000000000000000000000-->"
    Comment.update(body="Zwei\nZeilen", body_html=old_marker + "<p>Zwei\nZeilen</p>").where(
        Comment.id == member_comment.id).execute()
    version = AgreementVersion.get(AgreementVersion.agreement == agreements["consultation"])
    AgreementVersion.update(rendered='["' + old_marker + '"]').where(AgreementVersion.id == version.id).execute()
    item = meetings["published_item"]
    AgendaItem.update(notes="Notiz", notes_html=markdown.keep("Notiz", heading_offset=3)).where(
        AgendaItem.id == item.id).execute()
    revision = Comment.get_by_id(member_comment.id).revision
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "comment 1" in result.output and "agreement_version 1" in result.output
    assert "agenda_item" not in result.output, "a current rendering is not made again"
    comment = Comment.get_by_id(member_comment.id)
    assert comment.body_html == markdown.keep("Zwei\nZeilen") and "<br>" in comment.body_html
    assert comment.revision == revision, "nobody edited the comment"
    stored = AgreementVersion.get_by_id(version.id)
    assert markdown.sections_current(stored.rendered, split(stored.text), heading_offset=SECTION_HEADING_OFFSET)
    assert "Rendered again" not in app.test_cli_runner().invoke(args=["db", "upgrade"]).output, "once"


def test_agenda_notes_are_rendered_when_saved(client_as, meetings):
    item = meetings["draft_item"]
    meeting_workflow.update_agenda_item(item, item.version, title=item.title, notes="## Stand\n\n- eins\n- zwei")
    stored = AgendaItem.get_by_id(item.id)
    assert "<h5>Stand</h5>" in stored.notes_html and "<li>eins</li>" in stored.notes_html
    assert markdown.shown(stored.notes_html, stored.notes, heading_offset=3) in client_as("coordinator").get(
        f"/sitzungen/{item.meeting_id}").get_data(as_text=True)


def test_workshop_outputs_are_rendered_when_saved(client_as, body, people):
    from fh_intranet.workshops import workflow as workshops
    from fh_intranet.workshops.models import Output

    from .meeting_fixtures import make_meeting

    meeting = make_meeting(body, "Fachtag")
    table = workshops.create_workshop(meeting, title="Übergänge", host_id=None, actor=people["coordinator"])
    output = workshops.add_output(table, text="# Idee\n\n- Elterncafé", uploads=[], author=people["member"])
    stored = Output.get_by_id(output.id)
    assert "<h3>Idee</h3>" in stored.text_html and "<li>Elterncafé</li>" in stored.text_html
    Output.update(text_html=stored.text_html.replace("Elterncafé", "GESPEICHERT")).where(Output.id == output.id).execute()
    page = f"/sitzungen/{meeting.id}/thementische"
    assert "<li>GESPEICHERT</li>" in client_as("member").get(page).get_data(as_text=True), "the kept HTML is shown"
    workshops.update_output(stored, stored.version, text="Nur **fett**.", uploads=[], actor=people["member"])
    assert "<strong>fett</strong>" in Output.get_by_id(output.id).text_html
    Output.update(text="Ohne neue Darstellung").where(Output.id == output.id).execute()
    shown = client_as("member").get(page).get_data(as_text=True)
    assert "Ohne neue Darstellung" in shown and "fett" not in shown, "a text changed elsewhere is rendered afresh"


def test_published_minutes_pdf_is_rendered_once_per_revision(client_as, meetings, people):
    meeting = meetings["published"]
    member = client_as("member")
    kept_after_download(member, f"/sitzungen/{meeting.id}/pdf", "minutes", meeting.id)
    item = meetings["published_item"]
    meeting_workflow.correct(meeting, people["coordinator"], "Tippfehler", {item.id: "Berichtigt."}, {})
    fresh = member.get(f"/sitzungen/{meeting.id}/pdf")
    assert fresh.data.startswith(b"%PDF") and fresh.data != KEPT
    assert RenderedPdf.select().count() == 1  # only the newest kept


def test_draft_minutes_pdf_is_kept_until_the_draft_changes(client_as, meetings, people):
    """Was made at every download: long draft notes took fpdf2 seconds each time."""
    draft = meetings["draft"]
    member = client_as("member")
    url = f"/sitzungen/{draft.id}/pdf"
    kept_after_download(member, url, "minutes", draft.id)
    coordinator = people["coordinator"]
    item = meeting_workflow.add_agenda_item(draft, "Neuer Punkt zum Fachtag", actor=coordinator)
    fresh = member.get(url).data
    assert fresh != KEPT and "Neuer Punkt zum Fachtag" in pdf_text(fresh)
    # each change to a part of the draft makes it again: notes, a decision, an action item
    changes = [lambda: meeting_workflow.update_agenda_item(AgendaItem.get_by_id(item.id), 1, title=item.title,
                                                           notes="Notiz zum Fachtag", actor=coordinator),
               lambda: meeting_workflow.add_decision(item, "Beschluss zum Fachtag", actor=coordinator),
               lambda: meeting_workflow.add_action(item, "Aufgabe zum Fachtag", people["member"], None,
                                                   actor=coordinator)]
    for change, shown in zip(changes, ["Notiz zum Fachtag", "Beschluss zum Fachtag", "Aufgabe zum Fachtag"], strict=True):
        mark_kept("minutes", draft.id)
        change()
        assert shown in pdf_text(member.get(url).data), shown


def test_a_draft_agreements_pdf_is_kept_per_version(client_as, agreements, people):
    """Was made at every download: a long draft (a table of thousands of rows) took fpdf2 seconds
    each time, and any member could ask for it again and again."""
    agreement = agreements["draft"]
    member = client_as("member")
    url = f"/vereinbarungen/{agreement.id}/pdf"
    kept_after_download(member, url, "agreement", agreement.id)
    # a new version or new details make it again
    coordinator = people["coordinator"]
    agreement_workflow.save_version(agreement, base_number=1, text="# Neu\n\nGanz neuer Text.", change_note="x",
                                    author=coordinator)
    fresh = member.get(url).data
    assert fresh.startswith(b"%PDF") and "Ganz neuer Text." in pdf_text(fresh)
    agreement_workflow.edit_details(agreement, version=Agreement.get_by_id(agreement.id).version, title="Neuer Titel",
                                    kind=agreement.kind, review_by=None, actor=coordinator)
    assert "Neuer Titel" in pdf_text(member.get(url).data)
    assert RenderedPdf.select().where(RenderedPdf.object_id == agreement.id).count() == 1  # the newest only


def test_kept_minutes_follow_a_ticked_action_and_a_renamed_person(client_as, meetings, people):
    """Published minutes change by a ticked action item too, and print people's names, which live
    in other rows: a kept PDF showed „offen“ and the old name."""
    meeting = meetings["published"]
    member = client_as("member")
    url = f"/sitzungen/{meeting.id}/pdf"
    kept_after_download(member, url, "minutes", meeting.id)
    action = ActionItem.get(ActionItem.meeting == meeting.id)
    meeting_workflow.set_done(action, True, people["coordinator"])
    assert "erledigt" in pdf_text(member.get(url).data)
    mark_kept("minutes", meeting.id)
    assignee = people["member"]
    people_workflow.update_person(assignee, assignee.version, name="Mira Neuname", email=assignee.email,
                                  organisation_id=assignee.organisation_id, function=assignee.function,
                                  role=assignee.role, actor=people["coordinator"])
    assert "Mira Neuname" in pdf_text(member.get(url).data)


def test_a_pdf_kept_from_an_older_layout_is_made_again(client_as, meetings):
    """After an update that changes how PDFs print, kept ones are not served any more."""
    meeting = meetings["published"]
    member = client_as("member")
    member.get(f"/sitzungen/{meeting.id}/pdf")
    kept = RenderedPdf.get(RenderedPdf.kind == "minutes", RenderedPdf.object_id == meeting.id)
    older = kept.fingerprint.replace(f"-layout{pdf.LAYOUT}", f"-layout{pdf.LAYOUT - 1}")
    RenderedPdf.update(fingerprint=older, data=b"%PDF-older-layout").where(RenderedPdf.id == kept.id).execute()
    fresh = member.get(f"/sitzungen/{meeting.id}/pdf").data
    assert fresh.startswith(b"%PDF") and fresh != b"%PDF-older-layout"
    assert [r.fingerprint for r in RenderedPdf.select()] == [kept.fingerprint]


def test_a_changed_translation_makes_kept_pdfs_of_its_language_again(client_as, meetings, people, tmp_path,
                                                                     monkeypatch):
    """An update that only corrects the English catalog still reaches English PDFs already kept."""
    catalog = tmp_path / "en" / "LC_MESSAGES" / "messages.mo"
    catalog.parent.mkdir(parents=True)
    catalog.write_bytes((pdf_cache.TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.mo").read_bytes())
    monkeypatch.setattr(pdf_cache, "TRANSLATIONS", tmp_path)  # the installed catalogs, as a copy to change
    pdf_cache._wording.cache_clear()  # as a process that starts with this catalog
    try:
        _english_pdf_follows_the_catalog(client_as, meetings, people, catalog)
    finally:
        pdf_cache._wording.cache_clear()


def _english_pdf_follows_the_catalog(client_as, meetings, people, catalog):
    meeting = meetings["published"]
    german, english = client_as("member"), client_as("partner")
    people["partner"].locale = "en"
    people["partner"].save()
    german.get(f"/sitzungen/{meeting.id}/pdf")
    english.get(f"/sitzungen/{meeting.id}/pdf")
    RenderedPdf.update(data=KEPT).execute()
    kept = {row.locale: row.fingerprint for row in RenderedPdf.select()}
    assert kept["de"].endswith(f"-layout{pdf.LAYOUT}")  # as before catalogs counted: German PDFs kept stay
    assert english.get(f"/sitzungen/{meeting.id}/pdf").data == KEPT  # same catalog: kept
    catalog.write_bytes(catalog.read_bytes() + b"\0")  # a newer translation installed …
    assert english.get(f"/sitzungen/{meeting.id}/pdf").data == KEPT  # … read at the next start
    pdf_cache._wording.cache_clear()
    assert english.get(f"/sitzungen/{meeting.id}/pdf").data.startswith(b"%PDF-1.")
    assert german.get(f"/sitzungen/{meeting.id}/pdf").data == KEPT  # German comes from the code
    now = {row.locale: row.fingerprint for row in RenderedPdf.select()}
    assert now["de"] == kept["de"] and now["en"] != kept["en"] and len(now) == 2


def test_first_downloads_at_once_wait_for_one_rendering(app):
    """After a change the steering group clicks at once: one rendering (seconds of CPU for a long
    document), the others wait for it and get the same bytes."""
    made = []

    def make():
        made.append(threading.get_ident())
        time.sleep(0.5)  # fpdf2 at work: long enough for the others to arrive
        return b"%PDF-made-once"

    results = at_once(app, *[lambda: pdf_cache.cached("minutes", 4711, "r1", "de", make)] * 4, raise_errors=True)
    assert results == [b"%PDF-made-once"] * 4 and len(made) == 1
    assert RenderedPdf.select().where(RenderedPdf.object_id == 4711).count() == 1


def test_adopted_agreement_pdf_changes_with_a_signature(client_as, agreements, people, organisation):
    adopted = agreements["adopted"]
    member = client_as("member")
    before = member.get(f"/vereinbarungen/{adopted.id}/pdf").data
    assert RenderedPdf.select().where(RenderedPdf.kind == "agreement").count() == 1
    agreement_workflow.record_signature(adopted, organisation, signer_name="Eva Muster", signer_function="Leitung",
                                        signed_on=date(2026, 6, 2), accession=False,
                                        recorded_by=people["coordinator"])
    after = member.get(f"/vereinbarungen/{adopted.id}/pdf").data
    assert after != before and after.startswith(b"%PDF")
    assert RenderedPdf.select().where(RenderedPdf.kind == "agreement").count() == 1


def test_a_streamed_export_hands_its_connection_back_however_it_ends(client_as, meetings, monkeypatch):
    """Read to the end, left partway, or never started (HEAD): no connection stays taken."""
    monkeypatch.setattr(csvexport, "STREAM_CHUNK_ROWS", 0)  # every export counts as long
    pool, member, url = database.obj, client_as("member"), "/aufgaben.csv?status=alle"
    whole = member.get(url)
    assert whole.get_data().decode("utf-8").count("\r\n") >= 3
    whole.close()
    assert not pool._in_use
    partway = member.get(url)
    next(iter(partway.response))
    assert pool._in_use, "the body reads from a connection of its own"
    partway.close()
    assert not pool._in_use
    head = member.head(url)
    head.close()
    assert head.status_code == 200 and not pool._in_use


def test_csv_exports_are_streamed_and_stay_safe_for_excel(client_as, meetings, monkeypatch):
    ActionItem.update(what="=HYPERLINK(\"http://x\")").where(ActionItem.what == "Öffentliche Aufgabe").execute()
    short = client_as("member").get("/aufgaben.csv?status=alle")
    assert short.headers.get("Content-Length")  # a short export is answered whole
    monkeypatch.setattr(csvexport, "STREAM_CHUNK_ROWS", 0)  # every export counts as long
    for url in ("/aufgaben.csv?status=alle", "/beschluesse.csv"):
        response = client_as("member").get(url)
        assert response.status_code == 200 and "Content-Length" not in response.headers  # written while read
        response.close()  # a client gone before the end: the request and its connection end with it
    streamed = client_as("member").get("/aufgaben.csv?status=alle").get_data().decode("utf-8")
    assert streamed == short.get_data().decode("utf-8")
    assert streamed.startswith("\ufeffAufgabe;Wer;Bis;Status")
    rows = list(csv.reader(io.StringIO(streamed.lstrip("\ufeff")), delimiter=";"))
    assert rows[1][0] == "'=HYPERLINK(\"http://x\")" and rows[1][3] == "überfällig"
    decisions = client_as("member").get("/beschluesse.csv").get_data().decode("utf-8")
    assert "2026/01;Öffentlicher Beschluss" in decisions
    # the cells are read as the database stores them (SQLite: dates as text) and still come out as days
    decision_rows = list(csv.reader(io.StringIO(decisions.lstrip("\ufeff")), delimiter=";"))
    for row in rows[1:] + decision_rows[1:]:
        assert re.fullmatch(r"\d\d\.\d\d\.\d{4}", row[-1]), row
