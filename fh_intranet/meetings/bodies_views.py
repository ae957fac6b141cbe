"""Bodies (Gremien): Steuerungsgruppe, Netzwerkkonferenz, Arbeitsgruppen, with members and chair."""
from flask import Blueprint, abort, flash, request
from flask_babel import gettext as _
from flask_login import current_user

from ..changes import EditConflict, Refused
from ..people.models import Person, choice_labels, with_organisation_name
from ..permissions import requires, without_deactivated_people
from ..web import render, render_form, see_other
from . import workflow
from .forms import BodyCreateForm, BodyForm, MembersForm
from .models import ActionItem, Body, BodyMember, Meeting
from .queries import count_open_actions, meeting_list, open_actions

BODY_OPEN_ACTIONS = 20

bp = Blueprint("bodies", __name__, url_prefix="/gremien")


def _body(body_id: int) -> Body:
    body = Body.get_or_none(Body.id == body_id)
    if body is None:
        abort(404)
    return body


def _actor():
    return current_user._get_current_object()


@bp.get("/")
@requires("bodies.view")
def index():
    bodies = list(Body.select().order_by(Body.archived, Body.kind != "steering_group", Body.name))
    return render("bodies/index.html", bodies=bodies)


@bp.get("/<int:body_id>")
@requires("bodies.view")
def detail(body_id):
    body = _body(body_id)
    # Only what the list shows: a whole person row per member cost more than the list's rendering.
    members = list(without_deactivated_people(
        Person.select(Person.id, Person.name, Person.function, Person.active).join(BodyMember)
        .where(BodyMember.body == body).order_by(Person.name)))
    upcoming, past = meeting_list(body=body)
    of_body = ActionItem.meeting.in_(Meeting.select(Meeting.id).where(Meeting.body == body))
    # The most urgent open items; all of them in the register, filtered to this body.
    actions = open_actions(of_body, limit=BODY_OPEN_ACTIONS)
    return render("bodies/detail.html", body=body, members=members, upcoming=upcoming, past=past, actions=actions,
                  open_total=count_open_actions(of_body))


def _body_values(form) -> dict:
    return {"name": form.name.data.strip(), "kind": form.kind.data, "description": (form.description.data or "").strip()}


@bp.route("/neu", methods=["GET", "POST"])
@requires("bodies.manage")
def create():
    form = BodyCreateForm()
    outcome = None
    if form.validate_on_submit():
        try:
            body = workflow.create_body(**_body_values(form), token=form.once_token, actor=_actor())
        except Refused as refused:
            outcome = refused
        else:
            flash(_("Das Gremium „%(name)s“ wurde angelegt. Fügen Sie nun die Mitglieder hinzu.", name=body.name),
                  "success")
            return see_other("bodies.members", body_id=body.id)
    return render_form("bodies/form.html", form, outcome=outcome, body=None)


@bp.route("/<int:body_id>/bearbeiten", methods=["GET", "POST"])
@requires("bodies.manage")
def edit(body_id):
    body = _body(body_id)
    form = BodyForm(obj=body if request.method == "GET" else None)
    outcome = None
    if form.validate_on_submit():
        try:
            workflow.update_body(body, form.version.data, **_body_values(form), actor=_actor())
        except (EditConflict, Refused) as exc:
            outcome = exc
        else:
            flash(_("Das Gremium wurde gespeichert."), "success")
            return see_other("bodies.detail", body_id=body.id)
    return render_form("bodies/form.html", form, outcome=outcome, body=body)


@bp.route("/<int:body_id>/mitglieder", methods=["GET", "POST"])
@requires("bodies.manage")
def members(body_id):
    body = _body(body_id)
    people = list(with_organisation_name(Person.select()).where(Person.active).order_by(Person.name, Person.id))
    current = [m.person_id for m in BodyMember.select().where(BodyMember.body == body)]
    loading = request.method == "GET"
    form = MembersForm(members=current if loading else None, chair=str(body.chair_id or "") if loading else None,
                       version=body.version if loading else None)
    form.members.choices = [(p.id, f"{p.name} ({p.organisation_name or p.role_label})") for p in people]
    form.chair.choices = [("", _("– kein Vorsitz –"))] + [(str(id), label) for id, label in choice_labels(people)]
    outcome = None
    if form.validate_on_submit():
        chair = int(form.chair.data) if form.chair.data else None
        try:
            workflow.set_members(body, set(form.members.data or []), chair, expected_version=form.version.data,
                                 actor=_actor())
        except EditConflict as conflict:
            outcome = conflict
        else:
            flash(_("Mitglieder und Vorsitz wurden gespeichert."), "success")
            return see_other("bodies.detail", body_id=body.id)
    return render_form("bodies/members.html", form, outcome=outcome, body=body)


@bp.post("/<int:body_id>/archivieren")
@requires("bodies.manage")
def archive(body_id):
    body = _body(body_id)
    # The button says what it does; without it (an old page) the click archives.
    archived = request.form.get("archivieren", "1") == "1"
    workflow.set_archived(body, archived, actor=_actor())
    flash(_("Das Gremium wurde archiviert.") if archived else _("Das Gremium ist wieder aktiv."), "success")
    return see_other("bodies.detail", body_id=body.id)
