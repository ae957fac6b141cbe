"""Organisations (Träger, Einrichtungen) of the network."""
from flask import Blueprint, abort, flash, request
from flask_babel import gettext as _
from peewee import IntegrityError, fn

from .. import audit
from ..changes import CONFLICT_MESSAGE, EditConflict, update_versioned
from ..db import database
from ..permissions import can, requires
from ..web import render, see_other
from .forms import OrganisationForm
from .models import SECTORS, Organisation, Person

bp = Blueprint("organisations", __name__, url_prefix="/organisationen")

FIELDS = ("name", "sector", "address", "contact_name", "contact_email", "contact_phone")


@bp.get("/")
@requires("organisations.view")
def index():
    sector = request.args.get("bereich", "")
    query = Organisation.select().order_by(Organisation.name)
    if sector in SECTORS:
        query = query.where(Organisation.sector == sector)
    counts = {row.sector: row.n for row in
              Organisation.select(Organisation.sector, fn.COUNT(Organisation.id).alias("n"))
              .group_by(Organisation.sector)}
    return render("organisations/index.html", organisations=list(query), sector=sector,
                  sectors=SECTORS, counts=counts, fragment="organisation_list")


def _get(organisation_id: int) -> Organisation:
    organisation = Organisation.get_or_none(Organisation.id == organisation_id)
    if organisation is None:
        abort(404)
    return organisation


def _name_taken(name: str, except_id=None) -> bool:
    query = Organisation.select().where(fn.LOWER(Organisation.name) == name.lower())
    if except_id is not None:
        query = query.where(Organisation.id != except_id)
    return query.exists()


def _values(form) -> dict:
    return {name: (getattr(form, name).data or "").strip() for name in FIELDS}


@bp.get("/<int:organisation_id>")
@requires("organisations.view")
def detail(organisation_id):
    organisation = _get(organisation_id)
    people = []
    if can("people.list"):
        people = list(organisation.people.where(Person.active).order_by(Person.name))
    return render("organisations/detail.html", organisation=organisation, people=people)


@bp.route("/neu", methods=["GET", "POST"])
@requires("organisations.manage")
def create():
    form = OrganisationForm()
    if form.validate_on_submit():
        values = _values(form)
        if _name_taken(values["name"]):
            form.name.errors.append(_("Eine Organisation mit diesem Namen gibt es schon."))
        else:
            try:
                with database.atomic():
                    organisation = Organisation.create(**values)
                    audit.record("organisation.created", organisation, name=organisation.name)
            except IntegrityError:  # created twice at once
                form.name.errors.append(_("Eine Organisation mit diesem Namen gibt es schon."))
            else:
                flash(_("Die Organisation „%(name)s“ wurde angelegt.", name=organisation.name), "success")
                return see_other("organisations.detail", organisation_id=organisation.id)
    return render("organisations/form.html", form=form, organisation=None,
                  status=422 if form.is_submitted() else 200)


@bp.route("/<int:organisation_id>/bearbeiten", methods=["GET", "POST"])
@requires("organisations.manage")
def edit(organisation_id):
    organisation = _get(organisation_id)
    form = OrganisationForm(obj=organisation if request.method == "GET" else None)
    if not form.is_submitted():
        return render("organisations/form.html", form=form, organisation=organisation)
    if form.validate():
        values = _values(form)
        if _name_taken(values["name"], except_id=organisation.id):
            form.name.errors.append(_("Eine Organisation mit diesem Namen gibt es schon."))
        else:
            try:
                with database.atomic():
                    changed = update_versioned(organisation, form.version.data, values)
                    if changed:
                        audit.record("organisation.updated", organisation, changes=changed)
            except EditConflict:
                current = _get(organisation.id)
                form.version.data = current.version
                form.form_errors.append(CONFLICT_MESSAGE)
                return render("organisations/form.html", form=form, organisation=current,
                              conflict=current, status=409)
            flash(_("Die Organisation „%(name)s“ wurde gespeichert.", name=organisation.name), "success")
            return see_other("organisations.detail", organisation_id=organisation.id)
    return render("organisations/form.html", form=form, organisation=organisation, status=422)
