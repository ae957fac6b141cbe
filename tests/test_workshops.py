"""Workshop outputs: who sees them when, safe uploads, outputs becoming topics."""
import io

import pytest
from PIL import Image

from fh_intranet.changes import Refused
from fh_intranet.topics.models import Topic
from fh_intranet.workshops import workflow
from fh_intranet.workshops.models import Attachment, Output, Workshop

from .conftest import csrf_from
from .html_forms import form_posting_to
from .topic_fixtures import form_data, hidden
from .workshop_fixtures import jpeg_with_gps, pdf_bytes


def upload(client, workshop, *files, text="Ergebnis vom Tisch"):
    url = f"/thementische/{workshop.id}/ergebnis"
    token = csrf_from(client.get(url).get_data(as_text=True))
    data = {"csrf_token": token, "text": text, "files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(url, data=data, content_type="multipart/form-data")


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (20, 10), (0, 100, 0, 128)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_partners_see_outputs_only_after_the_meeting(client_as, workshops):
    partner = client_as("partner")
    past = partner.get(f"/sitzungen/{workshops['past']['meeting'].id}/thementische").get_data(as_text=True)
    assert "Ergebnis past" in past
    assert partner.get(f"/sitzungen/{workshops['future']['meeting'].id}/thementische").status_code == 403
    assert partner.get(f"/dateien/{workshops['future']['photo'].id}").status_code == 404
    assert "Ergebnis future" in client_as("member").get(
        f"/sitzungen/{workshops['future']['meeting'].id}/thementische").get_data(as_text=True)


def test_upload_photo_strips_exif_and_pdf_is_kept(client_as, workshops):
    client = client_as("member")
    workshop = workshops["future"]["workshop"]
    pdf = pdf_bytes()
    response = upload(client, workshop, ("flipchart.jpg", jpeg_with_gps()), ("protokoll.pdf", pdf), ("bild.png", png_bytes()))
    assert response.status_code == 303
    output = Output.select().order_by(Output.id.desc()).first()
    stored = {a.content_type: a for a in output.attachments}
    assert set(stored) == {"image/jpeg", "application/pdf", "image/png"}
    photo = Image.open(io.BytesIO(stored["image/jpeg"].data))
    exif = photo.getexif()
    assert not exif and 0x8825 not in exif, "GPS and camera data removed"
    assert "exif" not in photo.info
    assert Image.open(io.BytesIO(stored["image/jpeg"].preview)).width <= 480
    assert bytes(stored["application/pdf"].data) == pdf
    assert stored["image/jpeg"].filename == "flipchart.jpg"


def test_a_file_keeps_its_german_name_and_nothing_that_could_mislead(client_as, workshops):
    """Was: „Übersicht Träger.pdf“ stored and sent as „Ubersicht_Trager.pdf“."""
    client = client_as("member")
    pdf = pdf_bytes()
    response = upload(client, workshops["future"]["workshop"], ("Übersicht Träger „2026“ €.pdf", pdf),
                      ("..\\..\\Foto\u202egpj.exe.pdf", pdf))
    assert response.status_code == 303
    output = Output.select().order_by(Output.id.desc()).first()
    names = sorted(a.filename for a in output.attachments)
    assert names == ["Foto gpj exe.pdf", "Übersicht Träger 2026.pdf"]
    attachment = next(a for a in output.attachments if a.filename.startswith("Übersicht"))
    header = client.get(f"/dateien/{attachment.id}").headers["Content-Disposition"]
    assert header == ("attachment; filename=\"Ubersicht Trager 2026.pdf\"; "
                      "filename*=UTF-8''%C3%9Cbersicht%20Tr%C3%A4ger%202026.pdf")


def test_disguised_file_is_refused_and_nothing_stored(client_as, workshops):
    client = client_as("member")
    before = Output.select().count(), Attachment.select().count()
    fake = b"MZ\x90\x00 this is a program, not a photo"
    response = upload(client, workshops["future"]["workshop"], ("urlaub.jpg", fake))
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Der Inhalt dieser Datei ist weder ein Foto (JPEG, PNG, WebP) noch ein PDF." in text and "urlaub.jpg" in text
    html = b"<html><script>alert(1)</script></html>"
    assert upload(client, workshops["future"]["workshop"], ("bild.png", html)).status_code == 422
    broken = b"\xff\xd8\xff\xe0 not really a jpeg"
    assert "beschädigt" in upload(client, workshops["future"]["workshop"], ("x.jpg", broken)).get_data(as_text=True)
    assert (Output.select().count(), Attachment.select().count()) == before


def test_a_file_that_only_begins_like_a_pdf_is_refused(client_as, workshops):
    """Was: anything after „%PDF-“ was kept as a PDF (a file cut off in transfer, a web page)."""
    client = client_as("member")
    workshop = workshops["future"]["workshop"]
    before = Output.select().count(), Attachment.select().count()
    whole = pdf_bytes()
    for name, content in [("seite.pdf", b"%PDF-1.4\n<html><script>alert(1)</script>\n%%EOF"),
                          ("abgebrochen.pdf", whole[: len(whole) // 2]),
                          ("ohne-ende.pdf", whole[: whole.rindex(b"startxref")]),
                          ("zu-weit.pdf", whole.replace(b"startxref\n", b"startxref\n99999"))]:
        response = upload(client, workshop, (name, content))
        text = response.get_data(as_text=True)
        assert response.status_code == 422, name
        assert "beginnt wie ein PDF, endet aber nicht wie eines" in text and name in text
    assert (Output.select().count(), Attachment.select().count()) == before
    # PDFs as programs and transfers leave them, which readers open: each is kept as it is
    offset = int(whole[whole.rindex(b"startxref") + 10:].split()[0])
    for content in (whole, whole.replace(b"\n", b"\r\n"), whole + b"\x00" * 8, whole + b"\x1a",
                    whole.replace(f"startxref\n{offset}".encode(), f"startxref\n{offset - 1}".encode())):
        assert upload(client, workshop, ("ergebnis.pdf", content)).status_code == 303


def test_oversize_is_refused_in_german_and_nothing_stored(app, client_as, workshops):
    app.config["MAX_UPLOAD_MB"] = 1
    client = client_as("member")
    before = Output.select().count(), Attachment.select().count()
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10)
    response = upload(client, workshops["future"]["workshop"], ("gross.pdf", big))
    assert response.status_code == 422
    assert "ist zu groß. Erlaubt sind höchstens 1 MB je Datei." in response.get_data(as_text=True)
    assert (Output.select().count(), Attachment.select().count()) == before
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    too_much = upload(client, workshops["future"]["workshop"], ("gross.pdf", big))
    assert too_much.status_code == 413 and "zu groß" in too_much.get_data(as_text=True)
    assert (Output.select().count(), Attachment.select().count()) == before


def test_downloads_are_safe_and_need_permission(client, client_as, workshops):
    photo = workshops["past"]["photo"]
    assert client_as("member").get(f"/dateien/{photo.id}").data == bytes(Attachment.get_by_id(photo.id).data)
    for url in (f"/dateien/{photo.id}", f"/dateien/{photo.id}/vorschau", f"/dateien/{photo.id}?herunterladen=1"):
        response = client_as("partner").get(url)
        assert response.status_code == 200 and response.mimetype == "image/jpeg"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Disposition"].split(";")[0] in ("inline", "attachment")
        assert "filename=" in response.headers["Content-Disposition"]
        assert "sandbox" in response.headers["Content-Security-Policy"]
    assert client_as("partner").get(f"/dateien/{photo.id}?herunterladen=1").headers["Content-Disposition"].startswith("attachment")
    assert client.get(f"/dateien/{photo.id}").status_code == 302  # anonymous: log in first


def test_output_becomes_a_topic_and_both_stay_readable(app, client_as, workshops, people):
    app.config["WTF_CSRF_ENABLED"] = False
    output = workshops["past"]["output"]
    client = client_as("member")
    response = client.post(f"/ergebnisse/{output.id}/thema")
    topic = Topic.get(Topic.source_output == output)
    assert response.location == f"/themen/{topic.id}"
    assert "Ergebnis past" in topic.description and topic.proposed_by_id == people["member"].id
    topic_page = client.get(f"/themen/{topic.id}").get_data(as_text=True)
    assert "Entstanden aus einem Ergebnis" in topic_page and f"#output-{output.id}" in topic_page
    workshop_page = client.get(f"/sitzungen/{output.workshop.meeting_id}/thementische").get_data(as_text=True)
    assert f'href="/themen/{topic.id}"' in workshop_page
    # archiving the topic leaves the output and its link readable
    client_as("coordinator").post(f"/themen/{topic.id}/archivieren")
    assert f'href="/themen/{topic.id}"' in client.get(f"/sitzungen/{output.workshop.meeting_id}/thementische").get_data(as_text=True)
    # deleting the output leaves the topic readable
    assert client.post(f"/ergebnisse/{output.id}/loeschen", data={"bestaetigt": "1"}).status_code == 303
    assert not Output.select().where(Output.id == output.id).exists()
    assert Topic.get_by_id(topic.id).source_output_id is None
    assert client.get(f"/themen/{topic.id}").status_code == 200


def test_only_author_or_coordinator_edits_an_output(app, client_as, workshops, make_person):
    app.config["WTF_CSRF_ENABLED"] = False
    output = workshops["past"]["output"]
    other = app.test_client(user=make_person("member"))
    assert other.post(f"/ergebnisse/{output.id}/bearbeiten", data={"text": "x", "version": "1"}).status_code == 403
    assert client_as("member").post(f"/ergebnisse/{output.id}/bearbeiten",
                                    data={"text": "Neu", "version": "1"}).status_code == 303
    assert Output.get_by_id(output.id).text == "Neu"


def test_gallery_pages_through_photos(client_as, workshops):
    meeting = workshops["past"]["meeting"]
    from .workshop_fixtures import attach

    second = attach(workshops["past"]["output"], jpeg_with_gps())
    first = workshops["past"]["photo"]
    client = client_as("partner")
    gallery = client.get(f"/sitzungen/{meeting.id}/fotos").get_data(as_text=True)
    assert f"/fotos/{first.id}" in gallery and f"/fotos/{second.id}" in gallery
    page = client.get(f"/sitzungen/{meeting.id}/fotos/{first.id}").get_data(as_text=True)
    assert "Foto 1 von 2" in page and f'href="/sitzungen/{meeting.id}/fotos/{second.id}" rel="next"' in page


def test_coordinator_adds_a_thementisch(client_as, workshops, people):
    from .conftest import submit

    meeting = workshops["future"]["meeting"]
    submit(client_as("coordinator"), f"/sitzungen/{meeting.id}/thementische",
           {"title": "Thementisch Sprache", "host": str(people["member"].id)})
    assert Workshop.get(Workshop.title == "Thementisch Sprache").host_id == people["member"].id


def test_a_table_is_hosted_by_someone_who_may_enter_its_result(client_as, workshops, people):
    """A partner host was offered, then refused the result of their own table (403)."""
    from .conftest import submit

    meeting = workshops["future"]["meeting"]
    coordinator = client_as("coordinator")
    page = coordinator.get(f"/sitzungen/{meeting.id}/thementische").get_data(as_text=True)
    assert f'value="{people["member"].id}"' in page and f'value="{people["partner"].id}"' not in page
    refused = submit(coordinator, f"/sitzungen/{meeting.id}/thementische",
                     {"title": "Thementisch Partner", "host": str(people["partner"].id)})
    assert not Workshop.select().where(Workshop.title == "Thementisch Partner").exists()
    page = refused.get_data(as_text=True)  # the page again, the title as typed (it was lost)
    assert refused.status_code == 422 and "Bitte jemanden aus der Liste für die Moderation wählen." in page
    assert 'value="Thementisch Partner"' in page
    too_long = submit(coordinator, f"/sitzungen/{meeting.id}/thementische", {"title": "Sprache " * 40})
    assert too_long.status_code == 422 and "Sprache Sprache" in too_long.get_data(as_text=True)
    with pytest.raises(Refused):  # the rule is the workflow's, whoever calls it
        workflow.create_workshop(meeting, title="Direkt", host_id=people["partner"].id, actor=people["coordinator"])


def edit_form(client, url):
    return form_posting_to(client.get(url).get_data(as_text=True), url)


def test_the_coordinator_renames_a_table_and_changes_its_host(client_as, workshops, people):
    from fh_intranet.audit import AuditEvent
    from fh_intranet.search.index import reindex
    from fh_intranet.search.models import SearchDocument

    workshop, output = workshops["past"]["workshop"], workshops["past"]["output"]
    reindex("output", [output.id])  # the fixture's rows came in without the writers
    assert SearchDocument.get(SearchDocument.kind == "output", SearchDocument.object_id == output.id).title == \
        "Thementisch past"
    coordinator = client_as("coordinator")
    index = coordinator.get(f"/sitzungen/{workshop.meeting_id}/thementische").get_data(as_text=True)
    assert f'href="/thementische/{workshop.id}/bearbeiten"' in index
    assert f'/thementische/{workshop.id}/bearbeiten' not in client_as("member").get(
        f"/sitzungen/{workshop.meeting_id}/thementische").get_data(as_text=True)
    url = f"/thementische/{workshop.id}/bearbeiten"
    form = edit_form(coordinator, url).data()
    assert form["title"] == ["Thementisch past"] and form["host"] == [""]
    response = coordinator.post(url, data=form | {"title": "Sprache und Kita", "host": str(people["member"].id)})
    assert response.status_code == 303 and response.location.endswith(f"#workshop-{workshop.id}")
    stored = Workshop.get_by_id(workshop.id)
    assert (stored.title, stored.host_id, stored.version) == ("Sprache und Kita", people["member"].id, 2)
    event = AuditEvent.select().where(AuditEvent.action == "workshop.updated").get()
    assert event.object_id == workshop.id and event.context_id == workshop.meeting_id
    # the output's search document names its table by the new title
    assert SearchDocument.get(SearchDocument.kind == "output", SearchDocument.object_id == output.id).title == \
        "Sprache und Kita"
    assert "Thementisch geändert" in coordinator.get(f"/sitzungen/{workshop.meeting_id}").get_data(as_text=True)


def test_two_edits_of_one_table_meet_as_a_conflict(client_as, workshops, people):
    workshop = workshops["future"]["workshop"]
    url = f"/thementische/{workshop.id}/bearbeiten"
    first, second = client_as("coordinator"), client_as("coordinator")
    first_form, second_form = edit_form(first, url).data(), edit_form(second, url).data()
    assert first.post(url, data=first_form | {"title": "Frühe Sprache"}).status_code == 303
    answer = second.post(url, data=second_form | {"title": "Sprache im Alltag"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 409 and "Inzwischen gespeicherte Fassung" in page
    assert "Frühe Sprache" in page and 'value="Sprache im Alltag"' in page, "the other's title shown, one's own kept"
    assert Workshop.get_by_id(workshop.id).title == "Frühe Sprache"
    # sent again from the conflict page, it builds on the stored version
    assert second.post(url, data=form_posting_to(page, url).data()).status_code == 303
    assert Workshop.get_by_id(workshop.id).title == "Sprache im Alltag"


def test_a_host_who_may_no_longer_enter_results_stays_through_a_rename(client_as, workshops, people):
    from fh_intranet.people.models import Person

    workshop = workshops["future"]["workshop"]
    Workshop.update(host=people["member"].id).where(Workshop.id == workshop.id).execute()
    Person.update(role="partner").where(Person.id == people["member"].id).execute()
    coordinator, url = client_as("coordinator"), f"/thementische/{workshop.id}/bearbeiten"
    form = edit_form(coordinator, url).data()
    assert form["host"] == [str(people["member"].id)]
    assert coordinator.post(url, data=form | {"title": "Umbenannt"}).status_code == 303
    assert Workshop.get_by_id(workshop.id).host_id == people["member"].id
    # choosing them anew for another table is refused
    other = workflow.create_workshop(workshop.meeting, title="Zweiter Tisch", host_id=None, actor=people["coordinator"])
    with pytest.raises(Refused):
        workflow.update_workshop(other, other.version, title="Zweiter Tisch", host_id=people["member"].id,
                                 actor=people["coordinator"])


def test_a_table_without_results_can_be_deleted_one_with_results_cannot(client_as, workshops, people):
    coordinator = client_as("coordinator")
    meeting = workshops["future"]["meeting"]
    empty = workflow.create_workshop(meeting, title="Fiel aus", host_id=None, actor=people["coordinator"])
    page = coordinator.get(f"/thementische/{empty.id}/bearbeiten").get_data(as_text=True)
    token = csrf_from(page)
    asked = coordinator.post(f"/thementische/{empty.id}/loeschen", data={"csrf_token": token})
    assert asked.status_code == 200 and "Thementisch „Fiel aus“ löschen?" in asked.get_data(as_text=True)
    assert Workshop.get_or_none(Workshop.id == empty.id) is not None, "asked first, nothing deleted"
    done = coordinator.post(f"/thementische/{empty.id}/loeschen", data={"csrf_token": token, "bestaetigt": "1"})
    assert done.status_code == 303 and Workshop.get_or_none(Workshop.id == empty.id) is None

    with_results = workshops["future"]["workshop"]
    page = coordinator.get(f"/thementische/{with_results.id}/bearbeiten").get_data(as_text=True)
    assert f'action="/thementische/{with_results.id}/loeschen"' not in page and "zuerst seine Ergebnisse" in page
    refused = coordinator.post(f"/thementische/{with_results.id}/loeschen", data={"csrf_token": token, "bestaetigt": "1"})
    assert refused.status_code == 303 and Workshop.get_or_none(Workshop.id == with_results.id) is not None
    assert "zuerst seine Ergebnisse" in coordinator.get(refused.location).get_data(as_text=True)


def test_a_result_typed_while_its_table_was_deleted_is_not_lost(client_as, workshops, people):
    meeting = workshops["future"]["meeting"]
    member = client_as("member")
    table = workflow.create_workshop(meeting, title="Fiel aus", host_id=None, actor=people["coordinator"])
    url = f"/thementische/{table.id}/ergebnis"
    form = form_posting_to(member.get(url).get_data(as_text=True), url).data(text="Drei Ideen zur Sprachförderung")
    workflow.delete_workshop(table, people["coordinator"])
    answer = member.post(url, data=form, headers={"Sec-Fetch-Site": "same-origin"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 404 and "inzwischen gelöscht" in page and "nichts wurde gespeichert" in page.lower()
    assert ">Drei Ideen zur Sprachförderung</textarea>" in page, "given back to copy"
    # deleted between the page's check and the write: the writer refuses, no result without its table
    with pytest.raises(Refused) as refused:
        workflow.add_output(table, text="Drei Ideen", uploads=[], author=people["member"])
    assert refused.value.reason is workflow.WORKSHOP_GONE
    assert not Output.select().where(Output.workshop == table.id).exists()


def test_demo_fachtag_has_four_tables_a_photo_a_pdf_and_a_topic(demo_data):
    fachtag = Workshop.select().first().meeting
    assert fachtag.kind == "fachtag" and Workshop.select().where(Workshop.meeting == fachtag).count() == 4
    assert {a.content_type for a in Attachment.select()} == {"image/jpeg", "application/pdf"}
    assert Topic.select().where(Topic.source_output.is_null(False)).count() == 1


# --- one write path: conflicts, double submits, refusals ------------------------------------------

def test_two_editors_of_an_output_the_second_sees_the_first(client_as, workshops):
    output = workshops["past"]["output"]
    url = f"/ergebnisse/{output.id}/bearbeiten"
    author, coordinator = client_as("member"), client_as("coordinator")
    form_a = form_data(author, url, fields=("csrf_token", "version"))
    form_b = form_data(coordinator, url, fields=("csrf_token", "version"))
    assert author.post(url, data={**form_a, "text": "Fassung von A"}).status_code == 303
    stale = coordinator.post(url, data={**form_b, "text": "Fassung von B"})
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "Inzwischen gespeicherte Fassung" in html and "<dd>Fassung von A</dd>" in html
    assert "Fassung von B</textarea>" in html and "foto.jpg" in html  # B's text stays; the files are listed
    assert Output.get_by_id(output.id).text == "Fassung von A"
    retry = coordinator.post(url, data={**form_b, "version": hidden(html, "version"), "text": "Fassung von B"})
    assert retry.status_code == 303 and Output.get_by_id(output.id).text == "Fassung von B"


def test_output_form_sent_twice_stores_one_output_with_its_files(client_as, workshops):
    client = client_as("member")
    workshop = workshops["future"]["workshop"]
    url = f"/thementische/{workshop.id}/ergebnis"
    data = form_data(client, url, fields=("csrf_token", "form_token"), text="Einmal gemeint")
    before = Output.select().count(), Attachment.select().count()
    answers = [client.post(url, data={**data, "files": [(io.BytesIO(png_bytes()), "bild.png")]},
                           content_type="multipart/form-data") for _ in range(2)]
    assert [a.status_code for a in answers] == [303, 303] and answers[0].location == answers[1].location
    assert (Output.select().count(), Attachment.select().count()) == (before[0] + 1, before[1] + 1)


def test_workshop_form_sent_twice_creates_one_table(client_as, workshops):
    client = client_as("coordinator")
    meeting = workshops["future"]["meeting"]
    url = f"/sitzungen/{meeting.id}/thementische"
    html = client.get(url).get_data(as_text=True)
    create_form = html[html.index(f'action="{url}"'):]
    data = {"csrf_token": csrf_from(html), "form_token": hidden(create_form, "form_token"), "title": "Tisch", "host": ""}
    assert [client.post(url, data=data).status_code for _ in range(2)] == [303, 303]
    tables = Workshop.select().where(Workshop.meeting == meeting)
    assert [w.title for w in tables.order_by(Workshop.position)] == ["Thementisch future", "Tisch"]
    assert [w.position for w in tables.order_by(Workshop.position)] == [1, 2]


def _to_topic_form(client, output):
    html = client.get(f"/sitzungen/{output.workshop.meeting_id}/thementische").get_data(as_text=True)
    form = html[html.index(f'action="/ergebnisse/{output.id}/thema"'):]
    return {"csrf_token": csrf_from(html), "form_token": hidden(form, "form_token")}


def test_an_output_becomes_one_topic_however_often_it_is_sent(client_as, workshops, monkeypatch):
    from fh_intranet.topics import workflow as topics_workflow

    calls = []
    propose = topics_workflow.propose_topic
    monkeypatch.setattr(topics_workflow, "propose_topic", lambda **kw: calls.append(kw) or propose(**kw))
    output = workshops["past"]["output"]
    member = client_as("member")
    data = _to_topic_form(member, output)
    first, second = (member.post(f"/ergebnisse/{output.id}/thema", data=data) for _ in range(2))
    assert first.status_code == second.status_code == 303 and first.location == second.location
    assert Topic.select().where(Topic.source_output == output).count() == 1
    assert len(calls) == 1 and calls[0]["source_output"].id == output.id  # the topics workflow proposes it
    # the button is gone; someone else sending an old page gets the same topic and is told so
    assert f'/ergebnisse/{output.id}/thema"' not in member.get(
        f"/sitzungen/{output.workshop.meeting_id}/thementische").get_data(as_text=True)
    coordinator = client_as("coordinator")
    token = csrf_from(coordinator.get(f"/themen/{first.location.rsplit('/', 1)[1]}").get_data(as_text=True))
    late = coordinator.post(f"/ergebnisse/{output.id}/thema", data={"csrf_token": token, "form_token": "anderer"},
                            follow_redirects=True)
    assert "bereits ein Themenvorschlag entstanden" in late.get_data(as_text=True)
    assert Topic.select().where(Topic.source_output == output).count() == 1


def test_each_output_button_makes_its_own_topic(client_as, workshops, people):
    from fh_intranet.workshops import workflow

    workshop = workshops["past"]["workshop"]
    other = workflow.add_output(workshop, text="Zweites Ergebnis", uploads=[], author=people["member"])
    member = client_as("member")
    html = member.get(f"/sitzungen/{workshop.meeting_id}/thementische").get_data(as_text=True)
    data = {"csrf_token": csrf_from(html), "form_token": hidden(html, "form_token")}  # one token on the page
    for output in (workshops["past"]["output"], other):
        assert member.post(f"/ergebnisse/{output.id}/thema", data=data).status_code == 303
    assert {t.source_output_id for t in Topic.select()} == {workshops["past"]["output"].id, other.id}


def test_deleting_what_is_gone_is_refused_with_a_message(workshops, people):
    from fh_intranet.changes import Refused
    from fh_intranet.workshops import workflow

    output, photo = workshops["past"]["output"], workshops["past"]["photo"]
    workflow.delete_attachment(photo, people["member"])
    with pytest.raises(Refused) as gone:
        workflow.delete_attachment(photo, people["member"])
    assert gone.value.message == "Diese Datei wurde inzwischen gelöscht."
    workflow.delete_output(output, people["member"])
    for action in (lambda: workflow.delete_output(output, people["member"]),
                   lambda: workflow.output_to_topic(output, actor=people["member"])):
        with pytest.raises(Refused) as gone:
            action()
        assert gone.value.message == "Dieses Ergebnis wurde inzwischen gelöscht."


def test_a_name_without_latin_letters_falls_back_to_a_visible_ascii_name():
    from fh_intranet.web import content_disposition

    assert content_disposition("Звіт.pdf") == "attachment; filename=\"datei.pdf\"; filename*=UTF-8''%D0%97%D0%B2%D1%96%D1%82.pdf"
