"""Bodies (Gremien): Steuerungsgruppe, Netzwerkkonferenz, Arbeitsgruppen, with members and chair."""
from flask import Blueprint, abort, flash, request
from flask_babel import gettext as _
from peewee import IntegrityError

from .. import audit
from ..changes import CONFLICT_MESSAGE, EditConflict, update_versioned
from ..db import database
from ..people.models import Person
from ..permissions import requires
from ..web import render, see_other
from .forms import BodyForm, MembersForm
from .models import ActionItem, Body, BodyMember, Meeting
from .queries import meeting_list, open_actions
from .workflow import set_members

bp = Blueprint("bodies", __name__, url_prefix="/gremien")


def _body(body_id: int) -> Body:
    body = Body.get_or_none(Body.id == body_id)
    if body is None:
        abort(404)
    return body


@bp.get("/")
@requires("bodies.view")
def index():
    bodies = list(Body.select().order_by(Body.archived, Body.kind != "steering_group", Body.name))
    return render("bodies/index.html", bodies=bodies)


@bp.get("/<int:body_id>")
@requires("bodies.view")
def detail(body_id):
    body = _body(body_id)
    members = list(Person.select().join(BodyMember).where(BodyMember.body == body).order_by(Person.name))
    upcoming, past = meeting_list(body=body)
    actions = open_actions(ActionItem.meeting.in_(Meeting.select(Meeting.id).where(Meeting.body == body)))
    return render("bodies/detail.html", body=body, members=members, upcoming=upcoming, past=past, actions=actions)


@bp.route("/neu", methods=["GET", "POST"])
@requires("bodies.manage")
def create():
    form = BodyForm()
    if form.validate_on_submit():
        name = form.name.data.strip()
        if Body.select().where(Body.name == name).exists():
            form.name.errors.append(_("Ein Gremium mit diesem Namen gibt es schon."))
        else:
            try:
                with database.atomic():
                    body = Body.create(name=name, kind=form.kind.data, description=(form.description.data or "").strip())
                    audit.record("body.created", body, name=name)
            except IntegrityError:  # created twice at once
                form.name.errors.append(_("Ein Gremium mit diesem Namen gibt es schon."))
            else:
                flash(_("Das Gremium „%(name)s“ wurde angelegt. Fügen Sie nun die Mitglieder hinzu.", name=name), "success")
                return see_other("bodies.members", body_id=body.id)
    return render("bodies/form.html", form=form, body=None, status=422 if form.is_submitted() else 200)


@bp.route("/<int:body_id>/bearbeiten", methods=["GET", "POST"])
@requires("bodies.manage")
def edit(body_id):
    body = _body(body_id)
    form = BodyForm(obj=body if request.method == "GET" else None)
    if not form.is_submitted():
        return render("bodies/form.html", form=form, body=body)
    if form.validate():
        name = form.name.data.strip()
        if Body.select().where(Body.name == name, Body.id != body.id).exists():
            form.name.errors.append(_("Ein Gremium mit diesem Namen gibt es schon."))
        else:
            try:
                with database.atomic():
                    changed = update_versioned(body, form.version.data, {
                        "name": name, "kind": form.kind.data, "description": (form.description.data or "").strip()})
                    if changed:
                        audit.record("body.updated", body, changes=changed)
            except EditConflict:
                form.form_errors.append(CONFLICT_MESSAGE)
                current = _body(body.id)
                form.version.data = current.version
                return render("bodies/form.html", form=form, body=current, conflict=current, status=409)
            flash(_("Das Gremium wurde gespeichert."), "success")
            return see_other("bodies.detail", body_id=body.id)
    return render("bodies/form.html", form=form, body=body, status=422)


@bp.route("/<int:body_id>/mitglieder", methods=["GET", "POST"])
@requires("bodies.manage")
def members(body_id):
    body = _body(body_id)
    people = list(Person.select().where(Person.active).order_by(Person.name))
    current = [m.person_id for m in BodyMember.select().where(BodyMember.body == body)]
    form = MembersForm(members=current if request.method == "GET" else None,
                       chair=str(body.chair_id or "") if request.method == "GET" else None)
    form.members.choices = [(p.id, f"{p.name} ({p.organisation.name if p.organisation else p.role_label})") for p in people]
    form.chair.choices = [("", _("– kein Vorsitz –"))] + [(str(p.id), p.name) for p in people]
    if form.validate_on_submit():
        chair = int(form.chair.data) if form.chair.data else None
        set_members(body, set(form.members.data or []), chair)
        flash(_("Mitglieder und Vorsitz wurden gespeichert."), "success")
        return see_other("bodies.detail", body_id=body.id)
    return render("bodies/members.html", body=body, form=form, status=422 if form.is_submitted() else 200)


@bp.post("/<int:body_id>/archivieren")
@requires("bodies.manage")
def archive(body_id):
    body = _body(body_id)
    with database.atomic():
        body.archived = not body.archived
        Body.update(archived=body.archived, version=Body.version + 1).where(Body.id == body.id).execute()
        audit.record("body.archived" if body.archived else "body.restored", body)
    flash(_("Das Gremium wurde archiviert.") if body.archived else _("Das Gremium ist wieder aktiv."), "success")
    return see_other("bodies.detail", body_id=body.id)
