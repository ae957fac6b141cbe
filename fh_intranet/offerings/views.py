"""Offerings: the directory list with filters, an organisation's offerings with "Angaben sind
aktuell", create/edit/delete, and the coordinator's update rounds."""

from flask import Blueprint, abort, flash, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from .. import confirm, dates
from ..changes import EditConflict, Refused
from ..paging import paginate
from ..people.models import Organisation
from ..permissions import authorize, can, requires
from ..timezones import berlin_today
from ..web import refusal_response, render, render_form, see_other
from . import queries, workflow
from .forms import OfferingCreateForm, OfferingForm, RoundForm
from .models import COSTS, TARGET_GROUPS, Offering, RoundConfirmation, UpdateRound, pack_groups

bp = Blueprint("offerings", __name__, url_prefix="/angebote")

TEXT_FIELDS = ("title", "description", "languages", "cost_note", "accessibility", "address", "district", "phone",
               "email", "hours")


def _values(form) -> dict:
    values = {name: (getattr(form, name).data or "").strip() for name in TEXT_FIELDS}
    values["languages"] = ", ".join(part.strip() for part in values["languages"].split(",") if part.strip())
    values.update(target_groups=pack_groups(form.target_groups.data), cost=form.cost.data,
                  outreach=bool(form.outreach.data), registration_required=bool(form.registration_required.data),
                  valid_until=form.valid_until.data, published=bool(form.published.data))
    return values


def _get_offering(offering_id: int, *, to_edit: bool = False) -> Offering:
    """The offering (404 if the person may not see it); with `to_edit`, 403 unless they may edit it."""
    offering = queries.with_organisation().where(Offering.id == offering_id).first()
    if offering is None or not can("offering.read", offering):
        abort(404)
    if to_edit:
        authorize("offering.edit", offering)
    return offering


def _get_organisation(organisation_id: int, *, to_edit: bool = False) -> Organisation:
    """The organisation (404 if unknown); with `to_edit`, 403 unless the person may edit its offerings."""
    organisation = Organisation.get_or_none(Organisation.id == organisation_id)
    if organisation is None:
        abort(404)
    if to_edit:
        authorize("offering.edit", organisation)
    return organisation


def _common():
    return {"target_groups": TARGET_GROUPS, "costs": COSTS}


@bp.get("/")
@requires("offerings.view")
def index():
    filters = queries.filters_from(request.args)
    query = queries.filtered(queries.visible(queries.with_organisation()), filters)
    page = paginate(query.order_by(Offering.title, Offering.id))
    return render("offerings/index.html", page=page, filters=filters,
                  districts=queries.districts(queries.visible(Offering.select())),
                  own_organisation=current_user.organisation, fragment="offering_list", **_common())


@bp.get("/<int:offering_id>")
@requires("offerings.view")
def detail(offering_id):
    return render("offerings/detail.html", offering=_get_offering(offering_id), **_common())


@bp.get("/organisation/<int:organisation_id>")
@requires("offerings.view")
def organisation(organisation_id):
    organisation = _get_organisation(organisation_id)
    query = queries.visible(Offering.select().where(Offering.organisation == organisation.id))
    running = (RoundConfirmation.select(RoundConfirmation, UpdateRound).join(UpdateRound)
               .where(RoundConfirmation.organisation == organisation.id,
                      UpdateRound.deadline >= berlin_today()).first())
    return render("offerings/organisation.html", organisation=organisation,
                  offerings=list(query.order_by(Offering.title, Offering.id)), running=running, **_common())


@bp.route("/organisation/<int:organisation_id>/neu", methods=["GET", "POST"])
@requires("offering.edit")
def create(organisation_id):
    organisation = _get_organisation(organisation_id, to_edit=True)
    form = OfferingCreateForm()
    if not form.validate_on_submit():
        return render_form("offerings/form.html", form, offering=None, organisation=organisation)
    offering = workflow.create_offering(organisation, _values(form), actor=current_user._get_current_object(),
                                        token=form.once_token)
    flash(_("Das Angebot „%(title)s“ wurde angelegt.", title=offering.title), "success")
    return see_other("offerings.detail", offering_id=offering.id)


@bp.route("/<int:offering_id>/bearbeiten", methods=["GET", "POST"])
@requires("offering.edit")
def edit(offering_id):
    offering = _get_offering(offering_id, to_edit=True)
    if request.method == "GET":
        form = OfferingForm(obj=offering)
        form.target_groups.data = offering.groups
    else:
        form = OfferingForm()
    if not form.validate_on_submit():
        return render_form("offerings/form.html", form, offering=offering, organisation=offering.organisation)
    try:
        offering = workflow.update_offering(offering, form.version.data, _values(form),
                                            actor=current_user._get_current_object())
    except EditConflict as outcome:
        outcome.saved = _saved(outcome.current)
        return render_form("offerings/form.html", form, outcome=outcome, offering=outcome.current,
                           organisation=outcome.current.organisation)
    flash(_("Das Angebot „%(title)s“ wurde gespeichert.", title=offering.title), "success")
    return see_other("offerings.detail", offering_id=offering.id)


def _saved(current):
    """What the other person saved, as the conflict panel lists it."""
    return [(_("Titel des Angebots"), current.title), (_("Kurzbeschreibung"), current.description),
            (_("Zielgruppen"), ", ".join(current.group_labels)), (_("Sozialraum / Ort"), current.district),
            (_("Telefon"), current.phone), (_("E-Mail"), current.email),
            (_("Sprechzeiten / Termine"), current.hours)]


@bp.post("/<int:offering_id>/loeschen")
@requires("offering.edit")
def delete(offering_id):
    offering = _get_offering(offering_id, to_edit=True)
    back = request.referrer or ""
    if not confirm.given():
        return confirm.ask(confirm.Question(
            title=_("Angebot „%(title)s“ löschen?", title=offering.title),
            happens=[_("Das Angebot verschwindet aus dem Verzeichnis und aus allen Exporten."),
                     _("Das lässt sich nicht rückgängig machen; im Änderungsprotokoll bleibt vermerkt, dass es "
                       "das Angebot gab.")],
            button=_("Endgültig löschen"),
            back=back if back.startswith("/") else f"/angebote/{offering.id}"))
    workflow.delete_offering(offering, actor=current_user._get_current_object())
    flash(_("Das Angebot „%(title)s“ wurde gelöscht.", title=offering.title), "success")
    return see_other("offerings.organisation", organisation_id=offering.organisation_id)


@bp.post("/organisation/<int:organisation_id>/bestaetigen")
@requires("offering.edit")
def confirm_current(organisation_id):
    organisation = _get_organisation(organisation_id, to_edit=True)
    count = workflow.confirm_organisation(organisation, actor=current_user._get_current_object())
    flash(ngettext("Danke! %(num)d Angebot ist als aktuell bestätigt.",
                   "Danke! %(num)d Angebote sind als aktuell bestätigt.", count), "success")
    return see_other("offerings.organisation", organisation_id=organisation.id)


@bp.get("/bestaetigung/<int:confirmation_id>")
@requires("offerings.view")
def round_link(confirmation_id):
    """Where the round's notification leads: the organisation's offerings, with the confirm button."""
    asked = RoundConfirmation.get_or_none(RoundConfirmation.id == confirmation_id)
    if asked is None:
        abort(404)
    return see_other("offerings.organisation", organisation_id=asked.organisation_id)


# --- update rounds (Aktualisierungsrunden) ---------------------------------------------------------


def _round_status(round_):
    rows = list(RoundConfirmation.select(RoundConfirmation, Organisation).join(Organisation)
                .where(RoundConfirmation.round == round_.id).order_by(Organisation.name))
    return rows, sum(1 for row in rows if row.confirmed_at)


@bp.route("/runden/", methods=["GET", "POST"])
@requires("offerings.manage")
def rounds():
    form = RoundForm()
    all_rounds = list(UpdateRound.select().order_by(UpdateRound.opened_at.desc(), UpdateRound.id.desc()))
    counts = {round_.id: _round_status(round_) for round_ in all_rounds[:10]}
    context = {"rounds": all_rounds, "counts": counts,
               "organisations": workflow.organisations_with_offerings()}
    if not form.validate_on_submit():
        return render_form("offerings/rounds.html", form, **context)
    try:
        round_ = workflow.open_round(title=form.title.data.strip(), deadline=form.deadline.data,
                                     actor=current_user._get_current_object(), token=form.once_token)
    except Refused as refused:
        return render_form("offerings/rounds.html", form, outcome=refused, **context)
    flash(_("Die Aktualisierungsrunde ist eröffnet; die Organisationen wurden benachrichtigt."), "success")
    return see_other("offerings.round_detail", round_id=round_.id)


@bp.get("/runden/<int:round_id>")
@requires("offerings.manage")
def round_detail(round_id):
    round_ = UpdateRound.get_or_none(UpdateRound.id == round_id)
    if round_ is None:
        abort(404)
    rows, confirmed = _round_status(round_)
    return render("offerings/round.html", round=round_, rows=rows, confirmed=confirmed,
                  deadline=dates.day(round_.deadline))


@bp.post("/runden/<int:round_id>/erinnern")
@requires("offerings.manage")
def remind(round_id):
    round_ = UpdateRound.get_or_none(UpdateRound.id == round_id)
    if round_ is None:
        abort(404)
    try:
        reminded = workflow.remind(round_, actor=current_user._get_current_object())
    except Refused as refused:
        return refusal_response(refused, "offerings.round_detail", round_id=round_.id)
    flash(ngettext("Erinnert: %(num)d Organisation.", "Erinnert: %(num)d Organisationen.", len(reminded)), "success")
    return see_other("offerings.round_detail", round_id=round_.id)
