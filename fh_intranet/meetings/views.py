"""Meetings and their minutes: agenda, attendance, decisions, action items, publishing, corrections."""
from collections import defaultdict
from copy import copy

from flask import Blueprint, Response, abort, flash, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from .. import confirm, dates, pdf_cache, textdiff
from ..changes import EditConflict, Refused, fingerprint
from ..forms import new_form_token, with_placeholder
from ..history.queries import change_mark
from ..people.models import Person, choice_labels, with_organisation_name
from ..permissions import authorize, can, refuse_by_state, requires
from ..timezones import berlin_to_utc, utc_to_berlin
from ..web import content_disposition, refusal_response, render, render_form, see_other, wants_fragment
from . import calendar, pdf, queries, workflow
from .forms import (
    ActionItemEditForm,
    ActionItemForm,
    AgendaItemEditForm,
    AgendaItemForm,
    AttendanceForm,
    CorrectionForm,
    DecisionEditForm,
    DecisionForm,
    GuestForm,
    MeetingCreateForm,
    MeetingForm,
    MinutesCommentForm,
)
from .models import (
    ATTENDANCE,
    PUBLISHED,
    ActionItem,
    AgendaItem,
    Attendance,
    Body,
    Decision,
    Guest,
    Meeting,
    MinutesComment,
    MinutesRevision,
)
from .queries import meeting_list, minutes_revisions

bp = Blueprint("meetings", __name__, url_prefix="/sitzungen")


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


def _entry(model, entry_id: int):
    """A decision or an action item, for its meeting's editor."""
    entry = model.get_or_none(model.id == entry_id) or abort(404)
    authorize("meeting.edit", entry.meeting)
    return entry


def _actor():
    return current_user._get_current_object()


def _people_choices():
    people = with_organisation_name(Person.select()).where(Person.active).order_by(Person.name, Person.id)
    return with_placeholder((str(id), label) for id, label in choice_labels(people))


def _agenda_context(meeting: Meeting) -> dict:
    items = workflow.agenda(meeting)
    decisions, actions = defaultdict(list), defaultdict(list)
    for decision in Decision.select().where(Decision.meeting == meeting).order_by(Decision.number, Decision.id):
        decisions[decision.agenda_item_id].append(decision)
    # Of the people only their names (here and below): a whole person row is twice the columns.
    for action in (ActionItem.select(ActionItem, Person.id, Person.name).join(Person, on=(ActionItem.person == Person.id))
                   .where(ActionItem.meeting == meeting).order_by(ActionItem.id)):
        action.meeting = meeting
        actions[action.agenda_item_id].append(action)
    context = {"meeting": meeting, "items": items, "decisions": decisions, "actions": actions}
    if can("meeting.edit", meeting):
        action_form = ActionItemForm()
        action_form.person.choices = _people_choices()
        # Each add form on the page carries its own one-time token (a double click adds once).
        context.update(new_item_form=AgendaItemForm(), decision_form=DecisionForm(), action_form=action_form,
                       new_form_token=new_form_token)
    return context


def _agenda_response(meeting: Meeting, anchor: str = "agenda", status: int = 200, error=None, kept=None):
    """The agenda after a change: for htmx in place, the changed item's heading (`anchor`; the
    agenda's after a removal) taking the focus, since the button that had it is gone or has moved
    (after a refusal its message or refused field takes it); for a plain form back to that place on
    the page."""
    if wants_fragment():
        return render("meetings/detail.html", fragment="agenda", status=status, agenda_error=error, kept=kept,
                      focus=None if error or kept else anchor, **_agenda_context(meeting))
    return see_other("meetings.detail", meeting_id=meeting.id, _anchor=anchor)


def _agenda_refused(meeting: Meeting, refused: Refused, form=None):
    """A refused change to the agenda: the agenda with the message (htmx), or back with it. A
    refused add `form` (the minutes were published meanwhile, so the agenda offers none) has its
    typed text shown with the message, not lost."""
    if form is None and not wants_fragment():
        return refusal_response(refused, "meetings.detail", meeting_id=meeting.id)
    unsaved = [(f.label.text, f.data.strip()) for f in form
               if f.type in ("StringField", "TextAreaField") and (f.data or "").strip()] if form else []
    if wants_fragment():
        return render("meetings/detail.html", fragment="agenda", status=409, agenda_error=refused.message,
                      unsaved=unsaved, **_agenda_context(meeting))
    return _detail_page(meeting, status=409, agenda_error=refused.message, unsaved=unsaved)


def _invalid(meeting, form, slot: str):
    """Refused input to one of the agenda's add forms (`slot`: "item", "decision-<item id>",
    "action-<item id>"): the agenda (htmx) or the whole page (plain form) again, with each message
    beside its field, the first refused field focused, and what the person typed still in that
    form (422). On a phone a message above the agenda stood several screens from the field."""
    errors = {name: " ".join(map(str, messages)) for name, messages in form.errors.items() if name in form}
    other = " ".join(str(message) for name, messages in form.errors.items() if name not in form
                     for message in messages) or None
    kept = {"slot": slot, "errors": errors, "first": next((f.name for f in form if f.name in errors), None),
            "values": {f.name: f._value() if hasattr(f, "_value") else request.form.get(f.name, "")
                       for f in form}}  # as the fields show it (a half-typed date: as before the typing)
    if wants_fragment():
        return _agenda_response(meeting, status=422, error=other, kept=kept)
    return _detail_page(meeting, status=422, agenda_error=other, kept=kept)


def _in_place_form(partial: str, page: str, form, slot: str, outcome=None, **context):
    """An edit form shown inside the agenda (htmx) or on a page of its own.

    The in-place form posts into #agenda; when it is refused (422, 409) only the form slot is
    replaced, with the person's input, the message and, on a conflict, the stored version.
    """
    form.scope_ids(slot)  # the edit forms of several items can be open at once, beside the add forms
    if not wants_fragment():
        return render_form(page, form, outcome=outcome, **context)
    # Opened in place after the item's buttons: the cursor goes into the first field (after a
    # refusal the message, which comes first, takes it).
    first = next(f for f in form if f.type not in ("HiddenField", "CSRFTokenField"))
    first.render_kw = {**(first.render_kw or {}), "autofocus": True}
    response = render_form(partial, form, outcome=outcome, **context)
    if response.status_code >= 400:
        response.headers["HX-Retarget"] = f"#{slot}"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


# --- lists and pages --------------------------------------------------------------------------

@bp.get("/")
@requires("meetings.view")
def index():
    bodies = _open_bodies()
    body = Body.get_or_none(Body.id == request.args.get("gremium", type=int)) if request.args.get("gremium") else None
    upcoming, past = meeting_list(body=body)
    return render("meetings/index.html", upcoming=upcoming, past=past, bodies=bodies, body=body,
                  fragment="meeting_lists")


def _open_bodies() -> list[Body]:
    return list(Body.select().where(~Body.archived).order_by(Body.name))


def _attendance(meeting):
    return list(Attendance.select(Attendance, Person.id, Person.name).join(Person)
                .where(Attendance.meeting == meeting).order_by(Person.name))


@bp.get("/<int:meeting_id>")
@requires("meetings.view")
def detail(meeting_id):
    return _detail_page(_meeting(meeting_id))


def _detail_page(meeting: Meeting, status: int = 200, **extra):
    context = {"meeting": meeting, **extra}
    if can("meeting.read_minutes", meeting):
        context.update(_agenda_context(meeting))
        context["attendance"] = _attendance(meeting)
        context["attendance_form"] = AttendanceForm(version=meeting.attendance_version)
        context["guests"] = list(Guest.select().where(Guest.meeting == meeting).order_by(Guest.name))
        context["comments"] = list(MinutesComment.select(MinutesComment, Person.id, Person.name).join(Person)
                                   .where(MinutesComment.meeting == meeting).order_by(MinutesComment.created_at))
        context["revisions"] = minutes_revisions(meeting)
        context.setdefault("comment_form", MinutesCommentForm())
        context.setdefault("guest_form", GuestForm())
        context["attendance_labels"] = ATTENDANCE
    return render("meetings/detail.html", status=status, **context)


def _meeting_values(form) -> dict:
    return {"title": form.title.data.strip(), "kind": form.kind.data, "place": (form.place.data or "").strip(),
            "starts_at": berlin_to_utc(form.starts_at.data), "ends_at": berlin_to_utc(form.ends_at.data)}


@bp.route("/neu", methods=["GET", "POST"])
@requires("bodies.manage")
def create():
    if not request.args.get("gremium"):  # from the meetings list: which body meets?
        return render("meetings/choose_body.html", bodies=_open_bodies())
    body = Body.get_or_none(Body.id == request.args.get("gremium", type=int))
    if body is None:
        abort(404)
    form = MeetingCreateForm()
    if form.validate_on_submit():
        meeting = workflow.create_meeting(body, token=form.once_token, actor=_actor(), **_meeting_values(form))
        flash(_("Die Sitzung wurde angelegt. Die Anwesenheitsliste enthält die Mitglieder des Gremiums."), "success")
        return see_other("meetings.detail", meeting_id=meeting.id)
    return render_form("meetings/form.html", form, body=body, meeting=None)


@bp.route("/<int:meeting_id>/bearbeiten", methods=["GET", "POST"])
@requires("bodies.manage")
def edit(meeting_id):
    meeting = _meeting(meeting_id, "meeting.edit")
    form = MeetingForm(obj=meeting if request.method == "GET" else None)
    if request.method == "GET":
        form.starts_at.data, form.ends_at.data = utc_to_berlin(meeting.starts_at), utc_to_berlin(meeting.ends_at)
    elif form.validate():
        try:
            workflow.update_meeting(meeting, form.version.data, _meeting_values(form), actor=_actor())
        except (EditConflict, Refused) as outcome:
            return render_form("meetings/form.html", form, outcome=outcome, body=meeting.body, meeting=meeting)
        flash(_("Die Angaben zur Sitzung wurden gespeichert."), "success")
        return see_other("meetings.detail", meeting_id=meeting.id)
    return render_form("meetings/form.html", form, body=meeting.body, meeting=meeting)


# --- agenda, decisions, action items (htmx or plain forms) --------------------------------------

@bp.post("/<int:meeting_id>/top")
@requires("bodies.manage")
def add_item(meeting_id):
    meeting = _meeting(meeting_id, "meeting.edit")
    form = AgendaItemForm()
    if not form.validate_on_submit():
        return _invalid(meeting, form, "item")
    try:
        item = workflow.add_agenda_item(meeting, form.title.data.strip(), token=form.once_token, actor=_actor())
    except Refused as refused:
        return _agenda_refused(meeting, refused, form)
    return _agenda_response(meeting, f"top-{item.id}")


@bp.route("/top/<int:item_id>/bearbeiten", methods=["GET", "POST"])
@requires("bodies.manage")
def edit_item(item_id):
    item = _item(item_id)
    form = AgendaItemEditForm(obj=item if request.method == "GET" else None)
    outcome = None
    if form.validate_on_submit():
        try:
            workflow.update_agenda_item(item, form.version.data, title=form.title.data.strip(),
                                        notes=form.notes.data or "", actor=_actor())
            return _agenda_response(item.meeting, f"top-{item.id}")
        except (EditConflict, Refused) as exc:
            outcome = exc
    return _in_place_form("meetings/_item_form.html", "meetings/item_page.html", form, f"top-{item.id}-edit",
                          outcome=outcome, item=item)


@bp.post("/top/<int:item_id>/verschieben")
@requires("bodies.manage")
def move_item(item_id):
    item = _item(item_id)
    step = -1 if request.form.get("richtung") == "hoch" else 1
    try:
        workflow.move_agenda_item(item, step, actor=_actor())
    except Refused as refused:
        return _agenda_refused(item.meeting, refused)
    return _agenda_response(item.meeting, f"top-{item.id}")


@bp.post("/top/<int:item_id>/loeschen")
@requires("bodies.manage")
def delete_item(item_id):
    item = _item(item_id)
    if not confirm.given():
        refuse_by_state("meeting.edit", item.meeting)  # no question about minutes published meanwhile
        decisions = Decision.select().where(Decision.agenda_item == item).count()
        actions = ActionItem.select().where(ActionItem.agenda_item == item).count()
        return confirm.ask(_delete_question(
            item.meeting, _("Tagesordnungspunkt „%(title)s“ entfernen?", title=item.title),
            [_("Der Tagesordnungspunkt wird mit seinen Notizen aus dem Entwurf entfernt."),
             ngettext("Mit ihm wird %(num)d Beschluss entfernt.", "Mit ihm werden %(num)d Beschlüsse entfernt.",
                      decisions),
             ngettext("Mit ihm wird %(num)d Aufgabe entfernt.", "Mit ihm werden %(num)d Aufgaben entfernt.",
                      actions)]))
    try:
        workflow.delete_agenda_item(item, actor=_actor())
    except Refused as refused:
        return _agenda_refused(item.meeting, refused)
    return _agenda_response(item.meeting)


@bp.post("/top/<int:item_id>/beschluesse")
@requires("bodies.manage")
def add_decision(item_id):
    item = _item(item_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _invalid(item.meeting, form, f"decision-{item.id}")
    try:
        workflow.add_decision(item, form.text.data.strip(), token=form.once_token, actor=_actor())
    except Refused as refused:
        return _agenda_refused(item.meeting, refused, form)
    return _agenda_response(item.meeting, f"top-{item.id}")


@bp.post("/beschluesse/<int:decision_id>/loeschen")
@requires("bodies.manage")
def delete_decision(decision_id):
    decision = _entry(Decision, decision_id)
    if not confirm.given():
        refuse_by_state("meeting.edit", decision.meeting)
        return confirm.ask(_delete_question(
            decision.meeting, _("Beschluss entfernen?"),
            [_("Der Beschluss „%(text)s“ wird aus dem Entwurf entfernt.", text=decision.text)],
            anchor=f"top-{decision.agenda_item_id}"))
    try:
        workflow.delete_decision(decision, actor=_actor())
    except Refused as refused:
        return _agenda_refused(decision.meeting, refused)
    return _agenda_response(decision.meeting, f"top-{decision.agenda_item_id}")


def _delete_question(meeting: Meeting, title: str, happens: list[str], anchor: str = "agenda"):
    return confirm.Question(title=title, happens=happens, button=_("Ja, entfernen"),
                            back=url_for("meetings.detail", meeting_id=meeting.id, _anchor=anchor))


def _entry_form(entry, form, heading: str, outcome=None):
    """A decision's or an action item's edit form: in place (htmx) or on its own page."""
    return _in_place_form("meetings/_entry_form.html", "meetings/entry_page.html", form,
                          f"top-{entry.agenda_item_id}-edit", outcome=outcome, entry=entry, heading=heading,
                          action=request.path)


@bp.route("/beschluesse/<int:decision_id>/bearbeiten", methods=["GET", "POST"])
@requires("bodies.manage")
def edit_decision(decision_id):
    decision = _entry(Decision, decision_id)
    form = DecisionEditForm(obj=decision if request.method == "GET" else None)
    outcome = None
    if form.validate_on_submit():
        try:
            workflow.update_decision(decision, form.version.data, form.text.data.strip(), actor=_actor())
            return _agenda_response(decision.meeting, f"top-{decision.agenda_item_id}")
        except (EditConflict, Refused) as exc:
            outcome = exc
    return _entry_form(decision, form, _("Beschluss bearbeiten"), outcome)


@bp.route("/aufgaben/<int:action_id>/bearbeiten", methods=["GET", "POST"])
@requires("bodies.manage")
def edit_action(action_id):
    action = _entry(ActionItem, action_id)
    form = ActionItemEditForm(obj=action if request.method == "GET" else None)
    form.person.choices = _people_choices()
    if request.method == "GET":
        form.person.data = str(action.person_id)
    outcome = None
    if form.validate_on_submit():
        try:
            workflow.update_action(action, form.version.data, what=form.what.data.strip(),
                                   person_id=int(form.person.data), due_on=form.due_on.data, actor=_actor())
            return _agenda_response(action.meeting, f"top-{action.agenda_item_id}")
        except (EditConflict, Refused) as exc:
            outcome = exc
    return _entry_form(action, form, _("Aufgabe bearbeiten"), outcome)


@bp.post("/top/<int:item_id>/aufgaben")
@requires("bodies.manage")
def add_action(item_id):
    item = _item(item_id)
    form = ActionItemForm()
    form.person.choices = _people_choices()
    if not form.validate_on_submit():
        return _invalid(item.meeting, form, f"action-{item.id}")
    try:
        workflow.add_action(item, form.what.data.strip(), Person.get_by_id(int(form.person.data)), form.due_on.data,
                            token=form.once_token, actor=_actor())
    except Refused as refused:
        return _agenda_refused(item.meeting, refused, form)
    return _agenda_response(item.meeting, f"top-{item.id}")


@bp.post("/aufgaben/<int:action_id>/loeschen")
@requires("bodies.manage")
def delete_action(action_id):
    action = _entry(ActionItem, action_id)
    if not confirm.given():
        refuse_by_state("meeting.edit", action.meeting)
        return confirm.ask(_delete_question(
            action.meeting, _("Aufgabe entfernen?"),
            [_("Die Aufgabe „%(what)s“ (%(who)s) wird aus dem Entwurf entfernt.", what=action.what,
               who=action.person.name)],
            anchor=f"top-{action.agenda_item_id}"))
    try:
        workflow.delete_action(action, actor=_actor())
    except Refused as refused:
        return _agenda_refused(action.meeting, refused)
    return _agenda_response(action.meeting, f"top-{action.agenda_item_id}")


# --- attendance, guests, comments -------------------------------------------------------------

def _statuses() -> dict[int, str | None]:
    statuses = {}
    for key, value in request.form.items():
        if key.startswith("status-") and key[7:].isdecimal() and len(key) < 20:
            statuses[int(key[7:])] = value if value in ATTENDANCE else None
    return statuses


@bp.post("/<int:meeting_id>/anwesenheit")
@requires("bodies.manage")
def record_attendance(meeting_id):
    meeting = _meeting(meeting_id, "meeting.edit")
    form = AttendanceForm()
    statuses = _statuses()
    outcome = None
    if form.validate_on_submit():
        try:
            workflow.set_attendance(meeting, statuses, expected_version=form.version.data, actor=_actor())
            flash(_("Die Anwesenheit wurde gespeichert."), "success")
            return see_other("meetings.detail", meeting_id=meeting.id, _anchor="anwesenheit")
        except (EditConflict, Refused) as exc:
            outcome = exc
    # The list as the person filled it in, next to what is stored now.
    meeting = _meeting(meeting_id)
    attendance = _attendance(meeting)
    chosen = {row.person_id: statuses.get(row.person_id, row.status) for row in attendance}
    return render_form("meetings/attendance.html", form, outcome=outcome, form_name="attendance_form",
                       meeting=meeting, attendance=attendance, chosen=chosen, attendance_labels=ATTENDANCE)


@bp.post("/<int:meeting_id>/gaeste")
@requires("bodies.manage")
def add_guest(meeting_id):
    meeting = _meeting(meeting_id, "meeting.edit")
    form = GuestForm()
    if not form.validate_on_submit():  # the page again, the input and its message in the form
        return _detail_page(meeting, status=422, guest_form=form)
    try:
        workflow.add_guest(meeting, form.name.data.strip(), (form.organisation.data or "").strip(),
                           token=form.once_token, actor=_actor())
    except Refused as refused:  # published meanwhile: the page with the message, the input kept in the form
        form.form_errors.append(refused.message)
        return _detail_page(meeting, status=409, guest_form=form)
    flash(_("Gast eingetragen."), "success")
    return see_other("meetings.detail", meeting_id=meeting.id, _anchor="anwesenheit")


@bp.post("/<int:meeting_id>/anmerkungen")
@requires("meetings.view")
def comment(meeting_id):
    meeting = _meeting(meeting_id, "meeting.comment")
    form = MinutesCommentForm()
    if not form.validate_on_submit():  # the page again, the text and its message in the form
        return _detail_page(meeting, status=422, comment_form=form)
    try:
        workflow.add_minutes_comment(meeting, form.body.data.strip(), _actor(), token=form.once_token)
    except Refused as refused:  # published meanwhile: the page with the message, the text kept in the form
        form.form_errors.append(refused.message)
        return _detail_page(meeting, status=409, comment_form=form)
    flash(_("Ihre Anmerkung wurde gespeichert."), "success")
    return see_other("meetings.detail", meeting_id=meeting.id, _anchor="anmerkungen")


# --- publishing and corrections -----------------------------------------------------------------

@bp.post("/<int:meeting_id>/veroeffentlichen")
@requires("bodies.manage")
def publish(meeting_id):
    meeting = _meeting(meeting_id, "meeting.publish")
    if not confirm.given() and meeting.state != PUBLISHED:
        return confirm.ask(_publish_question(meeting))
    try:
        workflow.publish(meeting, _actor())
    except Refused as refused:
        return refusal_response(refused, "meetings.detail", meeting_id=meeting.id)
    flash(_("Das Protokoll ist veröffentlicht. Die Mitglieder des Gremiums wurden benachrichtigt."), "success")
    return see_other("meetings.detail", meeting_id=meeting.id)


def _publish_question(meeting: Meeting) -> confirm.Question:
    as_published = copy(meeting)
    as_published.state = PUBLISHED  # who may read it once published is who will be told
    gaps = queries.publication_gaps(meeting)
    warnings = [message for gap, message in [
        ("in_future", _("Die Sitzung liegt in der Zukunft (%(when)s).", when=dates.when(meeting.starts_at))),
        ("no_items", _("Die Tagesordnung ist leer.")),
        ("no_attendance", _("Es ist keine Anwesenheit eingetragen.")),
    ] if gaps[gap]]
    if gaps["comments"]:  # the draft's remarks are not shown with the published minutes
        warnings.append(ngettext(
            "Zum Entwurf gibt es %(num)d Anmerkung. Ist sie eingearbeitet? Nach dem Veröffentlichen wird sie "
            "nicht mehr angezeigt.",
            "Zum Entwurf gibt es %(num)d Anmerkungen. Sind sie eingearbeitet? Nach dem Veröffentlichen werden "
            "sie nicht mehr angezeigt.", gaps["comments"]))
    return confirm.Question(
        title=_("Protokoll „%(title)s“ veröffentlichen?", title=meeting.title),
        happens=[
            _("Das Protokoll wird für alle sichtbar, die es lesen dürfen, und bekommt Beschlussnummern."),
            _("Danach lässt es sich nur noch mit einer begründeten Korrektur ändern."),
            _who_is_told("minutes.published", as_published),
        ],
        warnings=warnings, button=_("Ja, veröffentlichen"),
        back=url_for("meetings.detail", meeting_id=meeting.id, _anchor="aktionen"))


def _who_is_told(kind: str, meeting: Meeting) -> str:
    members = workflow.told(kind, meeting, actor=current_user.id)
    return ngettext("Benachrichtigt wird %(num)d Mitglied des Gremiums: %(names)s.",
                    "Benachrichtigt werden %(num)d Mitglieder des Gremiums: %(names)s.",
                    len(members), names=", ".join(person.name for person in members) or "–")


@bp.post("/<int:meeting_id>/absagen")
@requires("bodies.manage")
def cancel(meeting_id):
    meeting = _meeting(meeting_id, "meeting.cancel")
    if not confirm.given():
        return confirm.ask(confirm.Question(
            title=_("Sitzung „%(title)s“ absagen?", title=meeting.title),
            happens=[_("Die Sitzung am %(when)s findet nicht statt; sie bleibt als „abgesagt“ in den Listen.",
                       when=dates.when(meeting.starts_at)),
                     _who_is_told("meeting.cancelled", meeting),
                     _("Wer Kalendereinladungen gewählt hat, bekommt eine Absage für den Kalender.")],
            button=_("Ja, Sitzung absagen"),
            back=url_for("meetings.detail", meeting_id=meeting.id, _anchor="aktionen")))
    try:
        workflow.cancel_meeting(meeting, _actor())
    except Refused as refused:
        return refusal_response(refused, "meetings.detail", meeting_id=meeting.id)
    flash(_("Die Sitzung ist abgesagt. Die Mitglieder des Gremiums wurden benachrichtigt."), "success")
    return see_other("meetings.detail", meeting_id=meeting.id)


@bp.route("/<int:meeting_id>/korrektur", methods=["GET", "POST"])
@requires("bodies.manage")
def correct(meeting_id):
    meeting = _meeting(meeting_id, "meeting.correct")
    context = _agenda_context(meeting)
    form = CorrectionForm()
    if not form.is_submitted():
        form.version.data = workflow.latest_revision(meeting).number
    texts = CorrectedTexts(context["items"], context["decisions"])
    outcome = None
    if form.validate_on_submit():
        try:
            revision = workflow.correct(meeting, _actor(), form.reason.data, texts.changed_notes(),
                                        texts.changed_decisions(), based_on=form.version.data)
        except (EditConflict, Refused) as exc:
            outcome = exc
        else:
            flash(_("Die Korrektur ist als Fassung %(number)d veröffentlicht.", number=revision.number), "success")
            return see_other("meetings.revision", meeting_id=meeting.id, number=revision.number)
    return render_form("meetings/correct.html", form, outcome=outcome, texts=texts, **context)


class CorrectedTexts:
    """The texts of the correction form: each is sent with the fingerprint of the text it showed,
    so only those the person changed are corrected. The others show, and keep, what is stored now:
    after a conflict, sending the form again would otherwise undo every text another person
    corrected meanwhile with the text this person had seen before it."""

    def __init__(self, items, decisions_by_item):
        self.stored = {f"notes-{item.id}": item.notes for item in items}
        self.stored.update({f"decision-{d.id}": d.text for ds in decisions_by_item.values() for d in ds})

    def sent(self, name: str) -> str | None:
        """The person's text of field `name` where they changed it, else None."""
        text = request.form.get(name)
        if text is None or fingerprint(text) == request.form.get(f"seen-{name}"):
            return None
        return text.replace("\r\n", "\n")

    def shown(self, name: str) -> str:
        sent = self.sent(name)
        return self.stored[name] if sent is None else sent

    def seen(self, name: str) -> str:
        return fingerprint(self.stored[name])

    def changed_meanwhile(self, name: str) -> bool:
        """Changed by the person, and by someone else since the person's form was shown."""
        seen = request.form.get(f"seen-{name}")
        return seen is not None and self.sent(name) is not None and seen != self.seen(name)

    def _changed(self, prefix: str) -> dict[int, str]:
        changed = {}
        for name in self.stored:
            if name.startswith(prefix) and (text := self.sent(name)) is not None:
                changed[int(name.removeprefix(prefix))] = text
        return changed

    def changed_notes(self) -> dict[int, str]:
        return self._changed("notes-")

    def changed_decisions(self) -> dict[int, str]:
        """A decision's text emptied is left as it is: a decision is never without its words."""
        return {number: text.strip() for number, text in self._changed("decision-").items() if text.strip()}


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
    context["attendance"] = _attendance(meeting)
    context["guests"] = list(Guest.select().where(Guest.meeting == meeting).order_by(Guest.name))
    context["revisions"] = minutes_revisions(meeting)
    context["revision_count"] = len(context["revisions"])
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

    def make():
        return pdf.minutes_pdf(**_print_context(meeting))

    # Drafts change part by part, published minutes by a correction or a ticked action item: every
    # such change is audited in its transaction, naming the meeting.
    fingerprint = (f"{meeting.state}-e{change_mark(meeting)}-m{meeting.version}-a{meeting.attendance_version}"
                   f"-b{meeting.body.version}-n{pdf_cache.names_mark()}")
    body = pdf_cache.cached("minutes", meeting.id, fingerprint, str(get_locale()), make)
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": content_disposition(f"protokoll-{meeting.id}.pdf")})


@bp.get("/<int:meeting_id>/termin.ics")
@requires("meetings.view")
def ics(meeting_id):
    meeting = _meeting(meeting_id)
    return calendar.response([meeting], f"sitzung-{meeting.id}.ics")
