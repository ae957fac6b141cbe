"""Workshops (Thementische) at a meeting: outputs with safe attachments, and topics from outputs."""
from flask import Blueprint, Response, abort, current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from peewee import JOIN

from .. import confirm
from ..changes import EditConflict, Refused
from ..meetings.models import Meeting
from ..people.models import Person, choice_labels, with_organisation_name
from ..permissions import authorize, can, requires
from ..topics.models import Topic
from ..web import content_disposition, refusal_response, render, render_form, see_other
from . import files, workflow
from .forms import NewOutputForm, OutputForm, ToTopicForm, WorkshopEditForm, WorkshopForm
from .models import Attachment, Output, Workshop

bp = Blueprint("workshops", __name__)


def _meeting(meeting_id: int) -> Meeting:
    meeting = Meeting.get_or_none(Meeting.id == meeting_id)
    if meeting is None:
        abort(404)
    authorize("outputs.read", meeting)
    return meeting


def _workshop(workshop_id: int) -> Workshop:
    workshop = Workshop.select(Workshop, Meeting).join(Meeting).where(Workshop.id == workshop_id).first()
    if workshop is None:
        abort(404)
    authorize("outputs.read", workshop.meeting)
    return workshop


def _output(output_id: int, permission: str) -> Output:
    output = (Output.select(Output, Workshop, Meeting).join(Workshop).join(Meeting)
              .where(Output.id == output_id).first())
    if output is None:
        abort(404)
    authorize("outputs.read", output.workshop.meeting)
    authorize(permission, output)
    return output


def _attachment(attachment_id: int) -> Attachment:
    attachment = (Attachment.select(Attachment, Output, Workshop, Meeting).join(Output).join(Workshop).join(Meeting)
                  .where(Attachment.id == attachment_id).first())
    if attachment is None or not can("outputs.read", attachment.output.workshop.meeting):
        abort(404)  # do not tell outsiders that a file exists
    return attachment


def _max_bytes() -> int:
    return current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024


def _output_form(form_class=OutputForm, **kwargs):
    form = form_class(**kwargs)
    form.files.description = form.files.description % {"mb": current_app.config["MAX_UPLOAD_MB"]}
    return form


def _read_uploads(form) -> tuple[list[tuple[str, files.CleanFile]], bool]:
    """Every uploaded file checked and cleaned, or a German error on the field and nothing kept;
    and whether the server was too busy converting images (then the rest is not even tried)."""
    cleaned = []
    limits = files.Limits.from_config(current_app.config)
    for upload in form.files.data or []:
        if not upload or not upload.filename:
            continue
        data = upload.read(_max_bytes() + 1)
        name = upload.filename
        if len(data) > _max_bytes():
            form.files.errors.append(_("„%(name)s“ ist zu groß. Erlaubt sind höchstens %(mb)d MB je Datei.",
                                       name=name, mb=current_app.config["MAX_UPLOAD_MB"]))
            continue
        try:
            cleaned.append((name, files.clean(data, limits)))
        except Refused as refused:
            form.files.errors.append(f"„{name}“: {refused.message}")
            if refused.reason is files.BUSY:
                return cleaned, True
    return cleaned, False


def _output_form_page(form, *, busy: bool, **context):
    """The output form again with its messages: 422, or 503 with Retry-After when the files
    could not be converted for load (the text stays in the form, the files must be chosen again)."""
    response = render_form("workshops/output_form.html", form, **context)
    if busy:
        response.status_code = 503
        response.headers["Retry-After"] = "60"
    return response


def _host_choices(blank: str):
    """Who may host a table (workflow.may_host): those who may enter its result."""
    hosts = [p for p in with_organisation_name(Person.select()).where(Person.active).order_by(Person.name, Person.id)
             if workflow.may_host(p)]
    return [("", blank)] + [(str(id), label) for id, label in choice_labels(hosts)]


# --- pages ------------------------------------------------------------------------------------

@bp.get("/sitzungen/<int:meeting_id>/thementische")
@requires("meetings.view")
def index(meeting_id):
    meeting = _meeting(meeting_id)
    form = None
    if can("workshops.manage"):  # the host list names everyone who may host
        form = WorkshopForm()
        form.host.choices = _host_choices(_("– offen –"))
    return render("workshops/index.html", form=form, **_index_context(meeting))


def _index_context(meeting) -> dict:
    """The page of a meeting's tables, their outputs, attachments and the topics made of them."""
    workshops = list(Workshop.select(Workshop, Person).join(Person, JOIN.LEFT_OUTER, on=(Workshop.host == Person.id))
                     .where(Workshop.meeting == meeting).order_by(Workshop.position, Workshop.id))
    outputs = {}
    for output in (Output.select(Output, Person).join(Person, on=(Output.author == Person.id))
                   .where(Output.workshop.in_([w.id for w in workshops] or [0])).order_by(Output.created_at)):
        outputs.setdefault(output.workshop_id, []).append(output)
    attachments = {}
    for attachment in (Attachment.select(Attachment.id, Attachment.output, Attachment.filename, Attachment.content_type,
                                         Attachment.size, Attachment.width, Attachment.height)
                       .where(Attachment.output.in_([o.id for os in outputs.values() for o in os] or [0]))
                       .order_by(Attachment.id)):
        attachments.setdefault(attachment.output_id, []).append(attachment)
    topics = {}
    output_ids = [o.id for os in outputs.values() for o in os] or [0]
    for topic in Topic.select().where(Topic.source_output.in_(output_ids)) if can("topics.view") else []:
        topics.setdefault(topic.source_output_id, []).append(topic)
    return dict(meeting=meeting, workshops=workshops, outputs=outputs, attachments=attachments, topics=topics,
                to_topic_form=ToTopicForm())


@bp.post("/sitzungen/<int:meeting_id>/thementische")
@requires("workshops.manage")
def create(meeting_id):
    meeting = _meeting(meeting_id)
    form = WorkshopForm()
    form.host.choices = _host_choices(_("– offen –"))
    if not form.validate_on_submit():  # the page again, with what was typed and why it was refused
        if form.host.errors:  # someone who may not enter the table's result: the rule's words
            form.host.errors = [workflow.HOST_CANNOT_ENTER.text()]
        return render_form("workshops/index.html", form, **_index_context(meeting))
    try:
        workshop = workflow.create_workshop(meeting, title=form.title.data.strip(),
                                            host_id=int(form.host.data) if form.host.data else None,
                                            actor=current_user._get_current_object(), token=form.once_token)
    except Refused as refused:  # the host was deactivated or lost the right meanwhile
        return refusal_response(refused, "workshops.index", meeting_id=meeting.id)
    flash(_("Der Thementisch „%(title)s“ ist angelegt.", title=workshop.title), "success")
    return see_other("workshops.index", meeting_id=meeting.id)


def _edit_host_choices(workshop: Workshop):
    """Who may host, and the table's host as they are, even if they may no longer enter results:
    a rename keeps them."""
    choices = _host_choices(_("– offen –"))
    if workshop.host_id and str(workshop.host_id) not in {value for value, _label in choices}:
        host = Person.get_or_none(Person.id == workshop.host_id)
        if host is not None:
            choices.append((str(host.id), host.name))
    return choices


@bp.route("/thementische/<int:workshop_id>/bearbeiten", methods=["GET", "POST"])
@requires("workshops.manage")
def edit_workshop(workshop_id):
    workshop = _workshop(workshop_id)
    form = (WorkshopEditForm(data={"title": workshop.title, "host": str(workshop.host_id or ""),
                                   "version": workshop.version}) if request.method == "GET" else WorkshopEditForm())
    form.host.choices = _edit_host_choices(workshop)
    context = {"workshop": workshop, "has_outputs": Output.select().where(Output.workshop == workshop.id).exists()}
    if not form.validate_on_submit():
        return render_form("workshops/workshop_form.html", form, **context)
    try:
        workflow.update_workshop(workshop, form.version.data, title=form.title.data.strip(),
                                 host_id=int(form.host.data) if form.host.data else None,
                                 actor=current_user._get_current_object())
    except (EditConflict, Refused) as outcome:
        return render_form("workshops/workshop_form.html", form, outcome=outcome, **context)
    flash(_("Der Thementisch „%(title)s“ ist gespeichert.", title=form.title.data.strip()), "success")
    return see_other("workshops.index", meeting_id=workshop.meeting_id, _anchor=f"workshop-{workshop.id}")


@bp.post("/thementische/<int:workshop_id>/loeschen")
@requires("workshops.manage")
def delete_workshop(workshop_id):
    workshop = _workshop(workshop_id)
    back = url_for("workshops.index", meeting_id=workshop.meeting_id, _anchor=f"workshop-{workshop.id}")
    if not confirm.given():
        return confirm.ask(confirm.Question(
            title=_("Thementisch „%(title)s“ löschen?", title=workshop.title),
            happens=[_("Der Thementisch wird aus der Veranstaltung entfernt.")],
            button=_("Ja, löschen"), back=back))
    try:
        workflow.delete_workshop(workshop, current_user._get_current_object())
    except Refused as refused:
        return refusal_response(refused, "workshops.index", meeting_id=workshop.meeting_id)
    flash(_("Der Thementisch „%(title)s“ wurde gelöscht.", title=workshop.title), "success")
    return see_other("workshops.index", meeting_id=workshop.meeting_id)


@bp.route("/thementische/<int:workshop_id>/ergebnis", methods=["GET", "POST"])
@requires("outputs.write")
def add_output(workshop_id):
    workshop = _workshop(workshop_id)
    form = _output_form(NewOutputForm)
    busy = False
    if form.validate_on_submit():
        uploads, busy = _read_uploads(form)
        if not form.files.errors:
            if not (form.text.data or "").strip() and not uploads:
                form.text.errors.append(_("Bitte ein Ergebnis eintragen oder eine Datei hochladen."))
            else:
                try:
                    output = workflow.add_output(workshop, text=(form.text.data or "").strip(), uploads=uploads,
                                                 author=current_user._get_current_object(), token=form.once_token)
                except Refused as refused:  # the table was deleted while the result was typed
                    return render_form("workshops/output_form.html", form, outcome=refused, workshop=workshop,
                                       output=None)
                flash(_("Das Ergebnis ist gespeichert."), "success")
                return see_other("workshops.index", meeting_id=workshop.meeting_id, _anchor=f"output-{output.id}")
    return _output_form_page(form, busy=busy, workshop=workshop, output=None)


@bp.route("/ergebnisse/<int:output_id>/bearbeiten", methods=["GET", "POST"])
@requires("outputs.write")
def edit_output(output_id):
    output = _output(output_id, "output.edit")
    form = _output_form(obj=output if request.method == "GET" else None)
    busy = False
    if form.validate_on_submit():
        uploads, busy = _read_uploads(form)
        if not form.files.errors:
            try:
                workflow.update_output(output, form.version.data, text=(form.text.data or "").strip(),
                                       uploads=uploads, actor=current_user._get_current_object())
            except EditConflict as conflict:
                return render_form("workshops/output_form.html", form, outcome=conflict, workshop=output.workshop,
                                   output=output)
            flash(_("Das Ergebnis ist gespeichert."), "success")
            return see_other("workshops.index", meeting_id=output.workshop.meeting_id, _anchor=f"output-{output.id}")
    return _output_form_page(form, busy=busy, workshop=output.workshop, output=output)


@bp.post("/ergebnisse/<int:output_id>/loeschen")
@requires("outputs.write")
def delete_output(output_id):
    output = _output(output_id, "output.edit")
    meeting_id = output.workshop.meeting_id
    if not confirm.given():
        files = output.attachments.count()
        return confirm.ask(confirm.Question(
            title=_("Ergebnis von „%(table)s“ löschen?", table=output.workshop.title),
            happens=[_("Das Ergebnis wird gelöscht."),
                     ngettext("Mit ihm wird %(num)d Datei gelöscht.", "Mit ihm werden %(num)d Dateien gelöscht.", files)],
            button=_("Ja, löschen"),
            back=url_for("workshops.index", meeting_id=meeting_id, _anchor=f"output-{output.id}")))
    try:
        workflow.delete_output(output, current_user._get_current_object())
    except Refused as refused:
        return refusal_response(refused, "workshops.index", meeting_id=meeting_id)
    flash(_("Das Ergebnis wurde gelöscht."), "success")
    return see_other("workshops.index", meeting_id=meeting_id)


@bp.post("/ergebnisse/<int:output_id>/thema")
@requires("topics.propose")
def to_topic(output_id):
    output = _output(output_id, "outputs.write")
    form = ToTopicForm()
    try:
        topic, proposed_now = workflow.output_to_topic(output, actor=current_user._get_current_object(),
                                                       token=form.once_token if form.validate_on_submit() else None)
    except Refused as refused:
        return refusal_response(refused, "workshops.index", meeting_id=output.workshop.meeting_id)
    if proposed_now:
        flash(_("Aus dem Ergebnis ist ein Themenvorschlag geworden. Passen Sie den Titel bei Bedarf an."), "success")
    else:
        flash(_("Aus diesem Ergebnis ist bereits ein Themenvorschlag entstanden."), "info")
    return see_other("topics.detail", topic_id=topic.id)


# --- files ------------------------------------------------------------------------------------

def _file_response(body: bytes, content_type: str, filename: str, inline: bool) -> Response:
    response = Response(bytes(body), mimetype=content_type)  # PostgreSQL hands out memoryview
    response.headers["Content-Disposition"] = content_disposition(filename, inline=inline)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.get("/dateien/<int:attachment_id>")
@requires("meetings.view")
def download(attachment_id):
    attachment = _attachment(attachment_id)
    return _file_response(attachment.data, attachment.content_type, attachment.filename,
                          inline=attachment.is_image and request.args.get("herunterladen") is None)


@bp.get("/dateien/<int:attachment_id>/vorschau")
@requires("meetings.view")
def preview(attachment_id):
    attachment = _attachment(attachment_id)
    if not attachment.preview:
        abort(404)
    return _file_response(attachment.preview, "image/jpeg", f"vorschau-{attachment.id}.jpg", inline=True)


@bp.post("/dateien/<int:attachment_id>/loeschen")
@requires("outputs.write")
def delete_attachment(attachment_id):
    attachment = _attachment(attachment_id)
    authorize("output.edit", attachment.output)
    meeting_id = attachment.output.workshop.meeting_id
    if not confirm.given():
        return confirm.ask(confirm.Question(
            title=_("Datei „%(name)s“ löschen?", name=attachment.filename),
            happens=[_("Die Datei wird aus dem Ergebnis von „%(table)s“ gelöscht.",
                       table=attachment.output.workshop.title)],
            button=_("Ja, löschen"),
            back=url_for("workshops.index", meeting_id=meeting_id, _anchor=f"output-{attachment.output_id}")))
    try:
        workflow.delete_attachment(attachment, current_user._get_current_object())
    except Refused as refused:
        return refusal_response(refused, "workshops.index", meeting_id=meeting_id)
    flash(_("Die Datei wurde gelöscht."), "success")
    return see_other("workshops.index", meeting_id=meeting_id)


@bp.get("/sitzungen/<int:meeting_id>/fotos")
@requires("meetings.view")
def gallery(meeting_id):
    meeting = _meeting(meeting_id)
    photos = _photos(meeting)
    return render("workshops/gallery.html", meeting=meeting, photos=photos)


@bp.get("/sitzungen/<int:meeting_id>/fotos/<int:attachment_id>")
@requires("meetings.view")
def photo(meeting_id, attachment_id):
    meeting = _meeting(meeting_id)
    photos = _photos(meeting)
    index = next((i for i, p in enumerate(photos) if p.id == attachment_id), None)
    if index is None:
        abort(404)
    return render("workshops/photo.html", meeting=meeting, photo=photos[index], number=index + 1, total=len(photos),
                  previous=photos[index - 1] if index > 0 else None,
                  next=photos[index + 1] if index + 1 < len(photos) else None)


def _photos(meeting) -> list[Attachment]:
    return list(Attachment.select(Attachment.id, Attachment.filename, Attachment.content_type, Attachment.width,
                                  Attachment.height, Attachment.output, Workshop.title)
                .join(Output).join(Workshop)
                .where(Workshop.meeting == meeting, Attachment.content_type.startswith("image/"))
                .order_by(Workshop.position, Attachment.id))
