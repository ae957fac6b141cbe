"""Every change to workshops, their outputs and attachments, each in one write transaction.

Uploads arrive here already checked and cleaned (`files.clean`, outside the transaction: decoding
images takes time and must not hold the write lock). An output becomes a topic through the topics
workflow's `propose_topic`, the one way a topic comes into being.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import audit, markdown
from ..changes import EditConflict, Refused, Submission, create_once, locked, reason, update_versioned
from ..db import serialize, utcnow, write_transaction
from ..meetings.models import Meeting
from ..people.models import Person
from ..permissions import can
from ..topics import workflow as topics_workflow
from ..topics.models import Topic
from .files import CleanFile, stored_name
from .models import OUTPUT_HEADING_OFFSET, Attachment, Output, Workshop

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf"}

OUTPUT_GONE = reason("workshops.output_gone", _l("Dieses Ergebnis wurde inzwischen gelöscht."))
ATTACHMENT_GONE = reason("workshops.attachment_gone", _l("Diese Datei wurde inzwischen gelöscht."))
# A host enters their table's result: a partner would be refused it (outputs.write).
HOST_CANNOT_ENTER = reason("workshops.host_cannot_enter", _l(
    "Bitte jemanden aus der Liste für die Moderation wählen."))


def may_host(person: Person) -> bool:
    return person.active and can("outputs.write", person=person)


WORKSHOP_GONE = reason("workshops.workshop_gone", _l("Dieser Thementisch wurde inzwischen gelöscht."))
HAS_OUTPUTS = reason("workshops.has_outputs", _l(
    "Zu diesem Thementisch gibt es Ergebnisse; er bleibt deshalb bestehen. Wenn er nicht stattgefunden hat, "
    "löschen Sie zuerst seine Ergebnisse."))


def _check_host(host_id: int | None) -> None:
    host = Person.get_or_none(Person.id == host_id) if host_id is not None else None
    if host_id is not None and (host is None or not may_host(host)):
        raise Refused(HOST_CANNOT_ENTER)


def create_workshop(meeting: Meeting, *, title: str, host_id: int | None, actor, token: str | None = None) -> Workshop:
    def create() -> Workshop:
        _check_host(host_id)
        # One at a time per meeting, so two tables added at once get different positions.
        serialize(f"workshops.positions.{meeting.id}")
        position = Workshop.select().where(Workshop.meeting == meeting).count() + 1
        workshop = Workshop.create(meeting=meeting, title=title, host=host_id, position=position)
        audit.record("workshop.created", workshop, actor=actor, meeting=meeting.id, title=title)
        return workshop

    return create_once(token, Workshop, create)


def _locked_workshop(workshop_id: int) -> Workshop:
    current = locked(Workshop.select().where(Workshop.id == workshop_id)).get_or_none()
    if current is None:
        raise Refused(WORKSHOP_GONE)
    return current


def _workshop_facts(workshop: Workshop) -> list[tuple[str, str]]:
    host = Person.get_or_none(Person.id == workshop.host_id) if workshop.host_id else None
    return [(str(_l("Thementisch")), workshop.title), (str(_l("Moderation")), host.name if host else "–")]


def update_workshop(workshop: Workshop, expected_version, *, title: str, host_id: int | None, actor) -> dict:
    """Rename a Thementisch or give it another host, unless someone saved it meanwhile. A host
    kept as they were stays even if they may no longer enter results; a new one must."""
    with write_transaction():
        current = _locked_workshop(workshop.id)
        if host_id != current.host_id:
            _check_host(host_id)
        try:
            changed = update_versioned(current, expected_version, {"title": title, "host_id": host_id})
        except EditConflict as conflict:
            raise EditConflict(conflict.current, saved=_workshop_facts(conflict.current)) from None
        if changed:
            audit.record("workshop.updated", current, actor=actor, meeting=current.meeting_id, changed=changed)
    return changed


def delete_workshop(workshop: Workshop, actor) -> None:
    """A Thementisch that did not take place goes; one with results stays (their results are the
    record of the day: they are deleted one by one, on purpose)."""
    with write_transaction():
        current = _locked_workshop(workshop.id)
        if Output.select().where(Output.workshop == current.id).exists():
            raise Refused(HAS_OUTPUTS)
        audit.record("workshop.deleted", current, actor=actor, meeting=current.meeting_id, title=current.title)
        Workshop.delete().where(Workshop.id == current.id).execute()


def _store(output: Output, uploads: list[tuple[str, CleanFile]], actor) -> None:
    for name, clean in uploads:
        attachment = Attachment.create(output=output, filename=stored_name(name, EXTENSIONS[clean.content_type]),
                                       content_type=clean.content_type, size=len(clean.data), data=clean.data,
                                       preview=clean.preview, width=clean.width, height=clean.height,
                                       uploaded_by=actor)
        audit.record("attachment.added", attachment, actor=actor, output=output.id,
                     content_type=clean.content_type, size=len(clean.data))


def add_output(workshop: Workshop, *, text: str, uploads: list[tuple[str, CleanFile]], author,
               token: str | None = None) -> Output:
    def create() -> Output:
        _locked_workshop(workshop.id)  # deleted meanwhile: said so, and never a result without its table
        output = Output.create(workshop=workshop, text=text, text_html=_text_html(text), author=author)
        _store(output, uploads, author)
        audit.record("output.added", output, actor=author, workshop=workshop.id)
        return output

    return create_once(token, Output, create)


def _text_html(text: str) -> str:
    return markdown.keep(text, heading_offset=OUTPUT_HEADING_OFFSET)


def _output_facts(output: Output) -> list[tuple[str, str]]:
    names = ", ".join(a.filename for a in Attachment.select(Attachment.filename).where(Attachment.output == output)
                      .order_by(Attachment.id))
    return [(str(_l("Ergebnis (Markdown)")), output.text), (str(_l("Dateien")), names)]


def update_output(output: Output, expected_version, *, text: str, uploads: list[tuple[str, CleanFile]], actor) -> dict:
    """Save an edited output and add its new files, unless someone saved it meanwhile (then
    nothing is stored, the new files neither: the editor sends them again with the merged text)."""
    with write_transaction():
        try:
            changed = update_versioned(output, expected_version, {"text": text, "text_html": _text_html(text),
                                                                  "edited_at": utcnow()})
        except EditConflict as conflict:
            raise EditConflict(conflict.current, saved=_output_facts(conflict.current)) from None
        _store(output, uploads, actor)
        audit.record("output.updated", output, actor=actor, changed=sorted(set(changed) - {"edited_at", "text_html"}),
                     files_added=len(uploads))
    return changed


def delete_output(output: Output, actor) -> None:
    """The output and its files go; topics that grew from it keep their text."""
    with write_transaction():
        current = locked(Output.select().where(Output.id == output.id)).get_or_none()
        if current is None:
            raise Refused(OUTPUT_GONE)
        audit.record("output.deleted", current, actor=actor, workshop=current.workshop_id)
        Output.delete().where(Output.id == current.id).execute()  # attachments cascade; topics SET NULL


def delete_attachment(attachment: Attachment, actor) -> None:
    with write_transaction():
        current = locked(Attachment.select(Attachment.id, Attachment.output)
                         .where(Attachment.id == attachment.id)).get_or_none()
        if current is None:
            raise Refused(ATTACHMENT_GONE)
        audit.record("attachment.deleted", current, actor=actor, output=current.output_id)
        Attachment.delete().where(Attachment.id == current.id).execute()


def output_to_topic(output: Output, *, actor, token: str | None = None) -> tuple[Topic, bool]:
    """Propose the output's workshop as a topic: once per output. (topic, True) when it was
    proposed now, (the topic proposed before, False) when someone already did, by a double click
    or from another page."""
    with write_transaction():
        current = locked(Output.select().where(Output.id == output.id)).get_or_none()
        if current is None:
            raise Refused(OUTPUT_GONE)
        # One page carries one token for all its outputs' buttons: the output makes it this button's.
        token = f"{token}:output-{current.id}" if token else None
        earlier = Topic.select().where(Topic.source_output == current).order_by(Topic.id).first()
        if earlier is not None:
            # A double click answers like the first click; someone else's earlier proposal is news.
            return earlier, token is not None and Submission.select().where(Submission.token == token).exists()
        workshop = Workshop.get_by_id(current.workshop_id)
        meeting = Meeting.get_by_id(workshop.meeting_id)
        description = (current.text + "\n\n" if current.text else "") + _(
            "Aus dem Thementisch „%(workshop)s“ bei „%(meeting)s“.", workshop=workshop.title, meeting=meeting.title)
        topic = topics_workflow.propose_topic(title=workshop.title[:200], description=description,
                                              body_id=meeting.body_id, proposer=actor, source_output=current,
                                              token=token)
        return topic, True
