"""Organisations (Träger, Einrichtungen) of the network."""
from flask import Blueprint, abort, flash, request
from flask_babel import gettext as _
from flask_login import current_user
from peewee import fn

from ..changes import EditConflict, Refused
from ..permissions import can, requires
from ..web import render, render_form, see_other
from . import workflow
from .forms import OrganisationCreateForm, OrganisationForm
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
    form = OrganisationCreateForm()
    if not form.validate_on_submit():
        return render_form("organisations/form.html", form, organisation=None)
    try:
        organisation = workflow.create_organisation(_values(form), actor=current_user._get_current_object(),
                                                    token=form.form_token.data)
    except Refused as refused:
        return render_form("organisations/form.html", form, outcome=refused, organisation=None)
    flash(_("Die Organisation „%(name)s“ wurde angelegt.", name=organisation.name), "success")
    return see_other("organisations.detail", organisation_id=organisation.id)


@bp.route("/<int:organisation_id>/bearbeiten", methods=["GET", "POST"])
@requires("organisations.manage")
def edit(organisation_id):
    organisation = _get(organisation_id)
    form = OrganisationForm(obj=organisation if request.method == "GET" else None)
    if not form.validate_on_submit():
        return render_form("organisations/form.html", form, organisation=organisation)
    try:
        organisation = workflow.update_organisation(organisation, form.version.data, _values(form),
                                                    actor=current_user._get_current_object())
    except (EditConflict, Refused) as outcome:
        return render_form("organisations/form.html", form, outcome=outcome,
                           organisation=getattr(outcome, "current", organisation))
    flash(_("Die Organisation „%(name)s“ wurde gespeichert.", name=organisation.name), "success")
    return see_other("organisations.detail", organisation_id=organisation.id)
