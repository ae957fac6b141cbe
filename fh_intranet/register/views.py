"""The partner register (/netzwerk/partner), its coverage view and the coordinator's sector list."""
from flask import Blueprint, abort, flash, request
from flask_babel import gettext as _
from flask_login import current_user

from .. import csvexport
from ..agreements.models import SUPERSEDED
from ..changes import EditConflict, Refused
from ..paging import paginate
from ..permissions import requires
from ..timezones import berlin_today
from ..web import render, render_form, see_other
from . import queries, workflow
from .forms import SectorCreateForm, SectorForm
from .models import Sector, all_sectors

bp = Blueprint("register", __name__, url_prefix="/netzwerk")


def _actor():
    return current_user._get_current_object()


def _filters():
    agreements = list(queries.signable_agreements())
    return queries.Filters.from_args(request.args, agreements), agreements


@bp.get("/partner")
@requires("register.view")
def index():
    filters, agreements = _filters()
    page = paginate(queries.register_query(filters))
    signatures, superseded = queries.register_signatures([organisation.id for organisation in page], also=filters.agreement)
    return render("register/index.html", page=page, filters=filters, agreements=agreements,
                  signatures=signatures, superseded=superseded, sectors=all_sectors(), districts=queries.districts(),
                  no_district=queries.NO_DISTRICT, fragment="register_list")


@bp.get("/partner.csv")
@requires("register.view")
def export():
    filters, _agreements = _filters()
    organisations = list(queries.register_query(filters))
    signatures = queries.signatures_by_organisation([organisation.id for organisation in organisations])
    today = berlin_today()
    kkg = {sector.key for sector in all_sectors() if sector.counts_for_kkg}
    yes, no, active, left, superseded = _("ja"), _("nein"), _("aktiv"), _("ausgeschieden"), _("abgelöst")

    def row(organisation):
        signed = ", ".join(f"{signature.agreement.title} ({csvexport.german_date(signature.signed_on)}"
                           f"{', ' + superseded if signature.agreement.state == SUPERSEDED else ''})"
                           for signature in signatures.get(organisation.id, []))
        return [organisation.name, organisation.sector_label, yes if organisation.sector in kkg else no,
                organisation.district, organisation.address.replace("\r\n", ", ").replace("\n", ", "),
                organisation.contact_name, organisation.contact_email, organisation.contact_phone,
                csvexport.german_date(organisation.joined_on), csvexport.german_date(organisation.left_on),
                left if organisation.has_left(today) else active, signed]

    header = [_("Name"), _("Bereich"), _("§ 3 KKG"), _("Sozialraum / Ort"), _("Anschrift"), _("Ansprechperson"),
              _("E-Mail für Kontakt"), _("Telefon"), _("Im Netzwerk seit"), _("Ausgeschieden am"), _("Status"),
              _("Unterzeichnete Vereinbarungen")]
    return csvexport.response(header, map(row, organisations), "partnerregister.csv")


@bp.get("/abdeckung")
@requires("register.coverage")
def coverage():
    return render("register/coverage.html", coverage=queries.coverage(), weak_below=queries.WEAK_BELOW,
                  no_district=queries.NO_DISTRICT)


# --- the sector list (coordinator) -------------------------------------------------------------------

def _sector(sector_id: int) -> Sector:
    sector = Sector.get_or_none(Sector.id == sector_id)
    if sector is None:
        abort(404)
    return sector


@bp.get("/bereiche")
@requires("sectors.manage")
def sectors():
    from peewee import fn

    from ..people.models import Organisation

    used = {row.sector: row.n for row in Organisation.select(Organisation.sector, fn.COUNT(Organisation.id).alias("n"))
            .group_by(Organisation.sector)}
    return render("register/sectors.html", sectors=all_sectors(), used=used)


@bp.route("/bereiche/neu", methods=["GET", "POST"])
@requires("sectors.manage")
def create_sector():
    form = SectorCreateForm()
    if not form.validate_on_submit():
        return render_form("register/sector_form.html", form, sector=None)
    try:
        sector = workflow.create_sector(label=form.label.data, counts_for_kkg=form.counts_for_kkg.data,
                                        actor=_actor(), token=form.once_token)
    except Refused as refused:
        return render_form("register/sector_form.html", form, outcome=refused, sector=None)
    flash(_("Der Bereich „%(label)s“ wurde angelegt.", label=sector.display_label), "success")
    return see_other("register.sectors")


@bp.route("/bereiche/<int:sector_id>/bearbeiten", methods=["GET", "POST"])
@requires("sectors.manage")
def edit_sector(sector_id):
    sector = _sector(sector_id)
    if request.method == "GET":
        form = SectorForm(obj=sector)
    else:
        form = SectorForm()
    if not form.validate_on_submit():
        return render_form("register/sector_form.html", form, sector=sector)
    try:
        sector = workflow.update_sector(sector, form.version.data, label=form.label.data,
                                        counts_for_kkg=form.counts_for_kkg.data, active=form.active.data,
                                        actor=_actor())
    except (EditConflict, Refused) as outcome:
        return render_form("register/sector_form.html", form, outcome=outcome,
                           sector=getattr(outcome, "current", sector))
    flash(_("Der Bereich „%(label)s“ wurde gespeichert.", label=sector.display_label), "success")
    return see_other("register.sectors")


@bp.post("/bereiche/<int:sector_id>/verschieben")
@requires("sectors.manage")
def move_sector(sector_id):
    sector = _sector(sector_id)
    step = -1 if request.form.get("richtung") == "hoch" else 1
    try:
        workflow.move_sector(sector, step, actor=_actor())
    except Refused as refused:
        flash(refused.message, "error")
    return see_other("register.sectors", _anchor=f"bereich-{sector.id}")
