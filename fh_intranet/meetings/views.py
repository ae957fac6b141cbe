"""Meetings and their minutes: agenda, attendance, decisions, action items, publishing, corrections."""
from collections import defaultdict

from flask import Blueprint, Response, abort, flash, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import audit, textdiff
from ..changes import CONFLICT_MESSAGE, EditConflict, Refused, update_versioned
from ..db import database
from ..people.models import Person
from ..permissions import authorize, can, requires
from ..timezones import berlin_to_utc, utc_to_berlin
from ..web import render, see_other, wants_fragment
from . import calendar, pdf, workflow
from .forms import (
    ActionItemForm,
    AgendaItemEditForm,
    AgendaItemForm,
    CorrectionForm,
    DecisionForm,
    GuestForm,
    MeetingForm,
    MinutesCommentForm,
)
from .models import ATTENDANCE, ActionItem, AgendaItem, Attendance, Body, Decision, Guest, Meeting, MinutesComment, MinutesRevision
from .queries import meeting_list

bp = Blueprint("meetings", __name__, url_prefix="/sitzungen")

REFUSALS = {
    "published": _l("Das Protokoll ist veröffentlicht und kann nur noch über eine Korrektur geändert werden."),
    "not_published": _l("Nur veröffentlichte Protokolle werden korrigiert; Entwürfe werden direkt bearbeitet."),
    "reason": _l("Bitte geben Sie einen Grund für die Korrektur an."),
}


# --- loading ----------------------------------------------------------------------------------

def _meeting(meeting_id: int, permission: str | None = None) -> Meeting:
    meeting = Meeting.select(Meeting, Body).join(Body).where(Meeting.id == meeting_id).first()
    if meeting is None:
        abort(404)
    if permission:
        authorize(permission, meeting)
    return meeting


def _item(item_id: int) -> AgendaItem:
    item = AgendaItem.get_or_none(AgendaItem.id == item_id)
    if item is None:
        abort(404)
    authorize("meeting.edit", item.meeting)
    return item


def _people_choices():
    return [("", _("– bitte wählen –"))] + [
        (str(p.id), p.name) for p in Person.select().where(Person.active).order_by(Person.name)]


def _agenda_context(meeting: Meeting) -> dict:
    items = workflow.agenda(meeting)
    decisions, actions = defaultdict(list), defaultdict(list)
    for decision in Decision.select().where(Decision.meeting == meeting).order_by(Decision.number, Decision.id):
        decisions[decision.agenda_item_id].append(decision)
    for action in (ActionItem.select(ActionItem, Person).join(Person, on=(ActionItem.person == Person.id))
                   .where(ActionItem.meeting == meeting).order_by(ActionItem.id)):
        action.meeting = meeting
        actions[action.agenda_item_id].append(action)
    context = {"meeting": meeting, "items": items, "decisions": decisions, "actions": actions}
    if can("meeting.edit", meeting):
        action_form = ActionItemForm()
        action_form.person.choices = _people_choices()
        context.update(new_item_form=AgendaItemForm(), decision_form=DecisionForm(), action_form=action_form)
    return context


def _agenda_response(meeting: Meeting, anchor: str = "tagesordnung", status: int = 200):
    if wants_fragment():
        return render("meetings/detail.html", fragment="agenda", status=status, **_agenda_context(meeting))
    return see_other("meetings.detail", meeting_id=meeting.id, _anchor=anchor)


def _refused(meeting, refused: Refused):
    if wants_fragment():
        abort(409, REFUSALS[str(refused)])
    flash(REFUSALS[str(refused)], "error")
    return see_other("meetings.detail", meeting_id=meeting.id)


# --- lists and pages --------------------------------------------------------------------------

@bp.get("/")
@requires("meetings.view")
def index():
    bodies = list(Body.select().where(~Body.archived).order_by(Body.name))
    body = Body.get_or_none(Body.id == request.args.get("gremium", type=int)) if request.args.get("gremium") else None
    upcoming, past = meeting_list(body=body)
    return render("meetings/index.html", upcoming=upcoming, past=past, bodies=bodies, body=body,
                  fragment="meeting_lists")


@bp.get("/<int:meeting_id>")
@requires("meetings.view")
def detail(meeting_id):
    meeting = _meeting(meeting_id)
    context = {"meeting": meeting}
    if can("meeting.read_minutes", meeting):
        context.update(_agenda_context(meeting))
        context["attendance"] = list(Attendance.select(Attendance, Person).join(Person)
                                     .where(Attendance.meeting == meeting).order_by(Person.name))
        context["guests"] = list(Guest.select().where(Guest.meeting == meeting).order_by(Guest.name))
        context["comments"] = list(MinutesComment.select(MinutesComment, Person).join(Person)
                                   .where(MinutesComment.meeting == meeting).order_by(MinutesComment.created_at))
        context["revisions"] = list(MinutesRevision.select(MinutesRevision, Person).join(Person)
                                    .where(MinutesRevision.meeting == meeting).order_by(MinutesRevision.number))
        context["comment_form"] = MinutesCommentForm()
        context["guest_form"] = GuestForm()
        context["attendance_labels"] = ATTENDANCE
    return render("meetings/detail.html", **context)


def _save_meeting_form(form, meeting=None, body=None):
    values = {"title": form.title.data.strip(), "kind": form.kind.data, "place": (form.place.data or "").strip(),
              "starts_at": berlin_to_utc(form.starts_at.data), "ends_at": berlin_to_utc(form.ends_at.data)}
    if meeting is None:
        return workflow.create_meeting(body, **values)
    with database.atomic():
        changed = update_versioned(meeting, form.version.data, values)
        if changed:
            audit.record("meeting.updated", meeting, changes=changed)
    return meeting


@bp.route("/neu", methods=["GET", "POST"])
@requires("bodies.manage")
def create():
    body = Body.get_or_none(Body.id == request.args.get("gremium", type=int))
    if body is None:
        abort(404)
    form = MeetingForm()
    if form.validate_on_submit():
        meeting = _save_meeting_form(form, body=body)
        flash(_("Die Sitzung wurde angelegt. Die Anwesenheitsliste enthält die Mitglieder des Gremiums."), "success")
        return see_other("meetings.detail", meeting_id=meeting.id)
    return render("meetings/form.html", form=form, body=body, meeting=None, status=422 if form.is_submitted() else 200)


@bp.route("/<int:meeting_id>/bearbeiten", methods=["GET", "POST"])
@requires("bodies.manage")
def edit(meeting_id):
    meeting = _meeting(meeting_id, "meeting.edit")
    form = MeetingForm(obj=meeting if request.method == "GET" else None)
    if request.method == "GET":
        form.starts_at.data, form.ends_at.data = utc_to_berlin(meeting.starts_at), utc_to_berlin(meeting.ends_at)
        return render("meetings/form.html", form=form, body=meeting.body, meeting=meeting)
    if form.validate():
        try:
            _save_meeting_form(form, meeting=meeting)
        except EditConflict:
            form.form_errors.append(CONFLICT_MESSAGE)
            form.version.data = Meeting.get_by_id(meeting.id).version
            return render("meetings/form.html", form=form, body=meeting.body, meeting=meeting, status=409)
        flash(_("Die Angaben zur Sitzung wurden gespeichert."), "success")
        return see_other("meetings.detail", meeting_id=meeting.id)
    return render("meetings/form.html", form=form, body=meeting.body, meeting=meeting, status=422)


# --- agenda, decisions, action items (htmx or plain forms) --------------------------------------

@bp.post("/<int:meeting_id>/top")
@requires("bodies.manage")
def add_item(meeting_id):
    meeting = _meeting(meeting_id, "meeting.edit")
    form = AgendaItemForm()
    if not form.validate_on_submit():
        return _invalid(meeting, form)
    item = workflow.add_agenda_item(meeting, form.title.data.strip())
    return _agenda_response(meeting, f"top-{item.id}")


def _invalid(meeting, form):
    """Refused input: the agenda again with the message (htmx), or back with a flash message."""
    message = " ".join(str(error) for errors in form.errors.values() for error in errors)
    if wants_fragment():
        context = _agenda_context(meeting)
        context["agenda_error"] = message
        return render("meetings/detail.html", fragment="agenda", status=422, **context)
    flash(message, "error")
    return see_other("meetings.detail", meeting_id=meeting.id)


@bp.route("/top/<int:item_id>/bearbeiten", methods=["GET", "POST"])
@requires("bodies.manage")
def edit_item(item_id):
    item = _item(item_id)
    form = AgendaItemEditForm(obj=item if request.method == "GET" else None)
    status = 200
    if form.is_submitted():
        status = 422
        if form.validate():
            try:
                with database.atomic():
                    changed = update_versioned(item, form.version.data,
                                               {"title": form.title.data.strip(), "notes": form.notes.data or ""})
                    if changed:
                        audit.record("agenda_item.updated", item, changes=sorted(changed))
                return _agenda_response(item.meeting, f"top-{item.id}")
            except EditConflict:
                form.form_errors.append(CONFLICT_MESSAGE)
                item = AgendaItem.get_by_id(item.id)
                form.version.data = item.version
                status = 409
    template = "meetings/_item_form.html" if wants_fragment() else "meetings/item_page.html"
    return render(template, item=item, form=form, conflict=item if status == 409 else None, status=status)


@bp.post("/top/<int:item_id>/verschieben")
@requires("bodies.manage")
def move_item(item_id):
    item = _item(item_id)
    step = -1 if request.form.get("richtung") == "hoch" else 1
    try:
        workflow.move_agenda_item(item, step)
    except Refused as refused:
        return _refused(item.meeting, refused)
    return _agenda_response(item.meeting, f"top-{item.id}")


@bp.post("/top/<int:item_id>/loeschen")
@requires("bodies.manage")
def delete_item(item_id):
    item = _item(item_id)
    meeting = item.meeting
    workflow.delete_agenda_item(item)
    return _agenda_response(meeting)


@bp.post("/top/<int:item_id>/beschluesse")
@requires("bodies.manage")
def add_decision(item_id):
    item = _item(item_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _invalid(item.meeting, form)
    workflow.add_decision(item, form.text.data.strip())
    return _agenda_response(item.meeting, f"top-{item.id}")


@bp.post("/beschluesse/<int:decision_id>/loeschen")
@requires("bodies.manage")
def delete_decision(decision_id):
    decision = Decision.get_or_none(Decision.id == decision_id) or abort(404)
    authorize("meeting.edit", decision.meeting)
    workflow.delete_decision(decision)
    return _agenda_response(decision.meeting, f"top-{decision.agenda_item_id}")


def _entry_form(entry, form, heading: str, apply, fields):
    """Edit a decision or an action item: form in place (htmx) or on its own page; then the agenda."""
    if form.validate_on_submit():
        try:
            with database.atomic():
                workflow.ensure_editable(entry.meeting)
                apply()
                entry.save(only=fields)  # never write back a tick read before it happened
                audit.record(f"{type(entry).__name__.lower()}.updated", entry, meeting=entry.meeting_id)
        except Refused as refused:
            return _refused(entry.meeting, refused)
        return _agenda_response(entry.meeting, f"top-{entry.agenda_item_id}")
    template = "meetings/_entry_form.html" if wants_fragment() else "meetings/entry_page.html"
    return render(template, form=form, entry=entry, heading=heading, action=request.path,
                  status=422 if form.is_submitted() else 200)


@bp.route("/beschluesse/<int:decision_id>/bearbeiten", methods=["GET", "POST"])
@requires("bodies.manage")
def edit_decision(decision_id):
    decision = Decision.get_or_none(Decision.id == decision_id) or abort(404)
    authorize("meeting.edit", decision.meeting)
    form = DecisionForm(obj=decision if request.method == "GET" else None)

    def apply():
        decision.text = form.text.data.strip()

    return _entry_form(decision, form, _("Beschluss bearbeiten"), apply, [Decision.text])


@bp.route("/aufgaben/<int:action_id>/bearbeiten", methods=["GET", "POST"])
@requires("bodies.manage")
def edit_action(action_id):
    action = ActionItem.get_or_none(ActionItem.id == action_id) or abort(404)
    authorize("meeting.edit", action.meeting)
    form = ActionItemForm(obj=action if request.method == "GET" else None)
    form.person.choices = _people_choices()
    if request.method == "GET":
        form.person.data = str(action.person_id)

    def apply():
        action.what, action.person, action.due_on = form.what.data.strip(), int(form.person.data), form.due_on.data

    return _entry_form(action, form, _("Aufgabe bearbeiten"), apply, [ActionItem.what, ActionItem.person, ActionItem.due_on])


@bp.post("/top/<int:item_id>/aufgaben")
@requires("bodies.manage")
def add_action(item_id):
    item = _item(item_id)
    form = ActionItemForm()
    form.person.choices = _people_choices()
    if not form.validate_on_submit():
        return _invalid(item.meeting, form)
    workflow.add_action(item, form.what.data.strip(), Person.get_by_id(int(form.person.data)), form.due_on.data)
    return _agenda_response(item.meeting, f"top-{item.id}")


@bp.post("/aufgaben/<int:action_id>/loeschen")
@requires("bodies.manage")
def delete_action(action_id):
    action = ActionItem.get_or_none(ActionItem.id == action_id) or abort(404)
    authorize("meeting.edit", action.meeting)
    workflow.delete_action(action)
    return _agenda_response(action.meeting, f"top-{action.agenda_item_id}")


# --- attendance, guests, comments -------------------------------------------------------------

@bp.post("/<int:meeting_id>/anwesenheit")
@requires("bodies.manage")
def record_attendance(meeting_id):
    meeting = _meeting(meeting_id, "meeting.edit")
    statuses = {}
    for key, value in request.form.items():
        if key.startswith("status-") and key[7:].isdecimal() and len(key) < 20:
            statuses[int(key[7:])] = value if value in ATTENDANCE else None
    workflow.set_attendance(meeting, statuses)
    flash(_("Die Anwesenheit wurde gespeichert."), "success")
    return see_other("meetings.detail", meeting_id=meeting.id, _anchor="anwesenheit")


@bp.post("/<int:meeting_id>/gaeste")
@requires("bodies.manage")
def add_guest(meeting_id):
    meeting = _meeting(meeting_id, "meeting.edit")
    form = GuestForm()
    if form.validate_on_submit():
        workflow.add_guest(meeting, form.name.data.strip(), (form.organisation.data or "").strip())
        flash(_("Gast eingetragen."), "success")
    else:
        flash(_("Bitte den Namen des Gastes angeben."), "error")
    return see_other("meetings.detail", meeting_id=meeting.id, _anchor="anwesenheit")


@bp.post("/<int:meeting_id>/anmerkungen")
@requires("meetings.view")
def comment(meeting_id):
    meeting = _meeting(meeting_id, "meeting.comment")
    form = MinutesCommentForm()
    if form.validate_on_submit():
        workflow.add_minutes_comment(meeting, form.body.data.strip(), current_user._get_current_object())
        flash(_("Ihre Anmerkung wurde gespeichert."), "success")
    else:
        flash(_("Bitte schreiben Sie eine Anmerkung."), "error")
    return see_other("meetings.detail", meeting_id=meeting.id, _anchor="anmerkungen")


# --- publishing and corrections -----------------------------------------------------------------

@bp.post("/<int:meeting_id>/veroeffentlichen")
@requires("bodies.manage")
def publish(meeting_id):
    meeting = _meeting(meeting_id, "meeting.publish")
    try:
        workflow.publish(meeting, current_user._get_current_object())
    except Refused as refused:
        return _refused(meeting, refused)
    flash(_("Das Protokoll ist veröffentlicht. Die Mitglieder des Gremiums wurden benachrichtigt."), "success")
    return see_other("meetings.detail", meeting_id=meeting.id)


@bp.route("/<int:meeting_id>/korrektur", methods=["GET", "POST"])
@requires("bodies.manage")
def correct(meeting_id):
    meeting = _meeting(meeting_id, "meeting.correct")
    context = _agenda_context(meeting)
    form = CorrectionForm()
    if form.validate_on_submit():
        notes = {item.id: request.form.get(f"notes-{item.id}", item.notes) for item in context["items"]}
        texts = {d.id: request.form.get(f"decision-{d.id}", d.text).strip() or d.text
                 for ds in context["decisions"].values() for d in ds}
        try:
            revision = workflow.correct(meeting, current_user._get_current_object(), form.reason.data, notes, texts)
        except Refused as refused:
            return _refused(meeting, refused)
        flash(_("Die Korrektur ist als Fassung %(number)d veröffentlicht.", number=revision.number), "success")
        return see_other("meetings.revision", meeting_id=meeting.id, number=revision.number)
    return render("meetings/correct.html", form=form, status=422 if form.is_submitted() else 200, **context)


@bp.get("/<int:meeting_id>/fassungen/<int:number>")
@requires("meetings.view")
def revision(meeting_id, number):
    meeting = _meeting(meeting_id, "meeting.read_minutes")
    revisions = {r.number: r for r in MinutesRevision.select(MinutesRevision, Person).join(Person)
                 .where(MinutesRevision.meeting == meeting, MinutesRevision.number.in_([number - 1, number]))}
    if number not in revisions:
        abort(404)
    current, previous = revisions[number], revisions.get(number - 1)
    diff = textdiff.inline_html(textdiff.compare(previous.snapshot, current.snapshot)) if previous else None
    return render("meetings/revision.html", meeting=meeting, revision=current, previous=previous, diff=diff)


# --- exports ----------------------------------------------------------------------------------

def _print_context(meeting):
    context = _agenda_context(meeting)
    context.pop("action_form", None)
    context["attendance"] = list(Attendance.select(Attendance, Person).join(Person)
                                 .where(Attendance.meeting == meeting).order_by(Person.name))
    context["guests"] = list(Guest.select().where(Guest.meeting == meeting).order_by(Guest.name))
    context["revision_count"] = MinutesRevision.select().where(MinutesRevision.meeting == meeting).count()
    context["attendance_labels"] = ATTENDANCE
    return context


@bp.get("/<int:meeting_id>/druck")
@requires("meetings.view")
def print_view(meeting_id):
    meeting = _meeting(meeting_id, "meeting.read_minutes")
    return render("meetings/print.html", **_print_context(meeting))


@bp.get("/<int:meeting_id>/pdf")
@requires("meetings.view")
def pdf_download(meeting_id):
    meeting = _meeting(meeting_id, "meeting.read_minutes")
    body = pdf.minutes_pdf(**_print_context(meeting))
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="protokoll-{meeting.id}.pdf"'})


@bp.get("/<int:meeting_id>/termin.ics")
@requires("meetings.view")
def ics(meeting_id):
    meeting = _meeting(meeting_id)
    return calendar.response([meeting], f"sitzung-{meeting.id}.ics")
