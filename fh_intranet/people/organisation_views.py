"""Organisations (Träger, Einrichtungen) of the network."""
from flask import Blueprint, abort, flash, request
from flask_babel import gettext as _
from flask_login import current_user
from peewee import fn

from ..changes import EditConflict, Refused
from ..permissions import can, requires
from ..register import queries
from ..register.models import all_sectors
from ..web import render, render_form, see_other
from . import workflow
from .forms import OrganisationCreateForm, OrganisationForm
from .models import Organisation, Person

bp = Blueprint("organisations", __name__, url_prefix="/organisationen")

FIELDS = ("name", "sector", "district", "address", "contact_name", "contact_email", "contact_phone")
DATES = ("joined_on", "left_on")


@bp.get("/")
@requires("organisations.view")
def index():
    sector = request.args.get("bereich", "")
    sectors = {s.key: s.display_label for s in all_sectors()}
    query = Organisation.select().order_by(Organisation.name)
    if sector in sectors:
        query = query.where(Organisation.sector == sector)
    counts = {row.sector: row.n for row in
              Organisation.select(Organisation.sector, fn.COUNT(Organisation.id).alias("n"))
              .group_by(Organisation.sector)}
    return render("organisations/index.html", organisations=list(query), sector=sector,
                  sectors=sectors, counts=counts, fragment="organisation_list")


def _get(organisation_id: int) -> Organisation:
    organisation = Organisation.get_or_none(Organisation.id == organisation_id)
    if organisation is None:
        abort(404)
    return organisation


def _values(form) -> dict:
    values = {name: " ".join((getattr(form, name).data or "").split()) if name == "district"
              else (getattr(form, name).data or "").strip() for name in FIELDS}
    values.update({name: getattr(form, name).data for name in DATES})
    return values


def _form_page(form, organisation, outcome=None):
    return render_form("organisations/form.html", form, outcome=outcome, organisation=organisation,
                       districts=queries.districts())


@bp.get("/<int:organisation_id>")
@requires("organisations.view")
def detail(organisation_id):
    organisation = _get(organisation_id)
    people = []
    if can("people.list"):
        people = list(organisation.people.where(Person.active).order_by(Person.name))
    return render("organisations/detail.html", organisation=organisation, people=people,
                  signatures=queries.signatures_of(organisation))


@bp.route("/neu", methods=["GET", "POST"])
@requires("organisations.manage")
def create():
    form = OrganisationCreateForm().load_choices()
    if not form.validate_on_submit():
        return _form_page(form, None)
    try:
        organisation = workflow.create_organisation(_values(form), actor=current_user._get_current_object(),
                                                    token=form.once_token)
    except Refused as refused:
        return _form_page(form, None, refused)
    flash(_("Die Organisation „%(name)s“ wurde angelegt.", name=organisation.name), "success")
    return see_other("organisations.detail", organisation_id=organisation.id)


@bp.route("/<int:organisation_id>/bearbeiten", methods=["GET", "POST"])
@requires("organisations.manage")
def edit(organisation_id):
    organisation = _get(organisation_id)
    form = OrganisationForm(obj=organisation if request.method == "GET" else None)
    form.load_choices(organisation.sector)
    if not form.validate_on_submit():
        return _form_page(form, organisation)
    try:
        organisation = workflow.update_organisation(organisation, form.version.data, _values(form),
                                                    actor=current_user._get_current_object())
    except (EditConflict, Refused) as outcome:
        return _form_page(form, getattr(outcome, "current", organisation), outcome)
    flash(_("Die Organisation „%(name)s“ wurde gespeichert.", name=organisation.name), "success")
    return see_other("organisations.detail", organisation_id=organisation.id)
