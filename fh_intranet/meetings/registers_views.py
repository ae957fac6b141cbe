"""Across meetings: all action items, the decision register, the personal calendar feed."""

from datetime import timedelta

from flask import Blueprint, abort, flash, request
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from .. import csvexport
from ..changes import Refused
from ..db import utcnow
from ..i18n import locale_of
from ..paging import paginate
from ..people.models import Person
from ..permissions import authorize, can, public, requires
from ..timezones import berlin_today
from ..web import external_url, render, render_form, see_other, wants_fragment
from . import calendar, workflow
from .forms import TickForm
from .models import ActionItem, Body, BodyMember, CalendarFeed, Decision, Meeting, decision_label
from .queries import action_people, actions_query, decisions_query

bp = Blueprint("registers", __name__)

STATUSES = ("offen", "erledigt", "alle")
FEED_PAST = timedelta(days=366)  # how far back a calendar feed reaches


def _filtered_actions(args):
    query = actions_query()
    status = args.get("status", "offen")
    if status == "offen":
        query = query.where(ActionItem.done_at.is_null())
    elif status == "erledigt":
        query = query.where(ActionItem.done_at.is_null(False))
    if args.get("person", type=int):
        query = query.where(ActionItem.person == args.get("person", type=int))
    if args.get("gremium", type=int):
        query = query.where(Meeting.body == args.get("gremium", type=int))
    if args.get("ueberfaellig"):
        query = query.where(ActionItem.done_at.is_null(), ActionItem.due_on < berlin_today())
    # Open items first (for "alle"), then by due date.
    return query.order_by(ActionItem.done_at.is_null(False), ActionItem.due_on.is_null(), ActionItem.due_on,
                          ActionItem.id)


@bp.get("/aufgaben/")
@requires("meetings.view")
def actions():
    filters = {"status": request.args.get("status", "offen"), "person": request.args.get("person", type=int),
               "gremium": request.args.get("gremium", type=int), "ueberfaellig": bool(request.args.get("ueberfaellig"))}
    items = paginate(_filtered_actions(request.args))
    people = action_people()
    bodies = list(Body.select().order_by(Body.name))
    return render("registers/actions.html", items=items, filters=filters, people=people, bodies=bodies,
                  fragment="action_table")


@bp.get("/aufgaben.csv")
@requires("meetings.view")
def actions_csv():
    query = _filtered_actions(request.args).select(
        ActionItem.what, Person.name, ActionItem.due_on, ActionItem.done_at, Body.name, Meeting.title,
        Meeting.starts_at).tuples()
    today = berlin_today()
    done, overdue, still_open = _("erledigt"), _("überfällig"), _("offen")

    def row(values):
        what, name, due_on, done_at, body, title, starts_at = values
        status = done if done_at else (overdue if due_on is not None and due_on < today else still_open)
        return [what, name, csvexport.german_date(due_on), status, body, title,
                csvexport.berlin_date(starts_at)]

    return csvexport.streamed([_("Aufgabe"), _("Wer"), _("Bis"), _("Status"), _("Gremium"), _("Sitzung"),
                               _("Datum")], query, row, "aufgaben.csv")


def _tick_target(action_id: int) -> ActionItem:
    action = ActionItem.select(ActionItem, Meeting).join(Meeting).where(ActionItem.id == action_id).first()
    if action is None or not can("meeting.read_minutes", action.meeting):
        abort(404)
    authorize("action.tick", action)
    return action


@bp.post("/aufgaben/<int:action_id>/erledigt")
@requires("meetings.view")
def tick(action_id):
    action = _tick_target(action_id)
    form = TickForm()
    outcome = None
    if form.validate_on_submit():
        done = form.erledigt.data == "1"
        try:
            workflow.set_done(action, done, current_user._get_current_object(), expected_version=form.version.data)
        except Refused as refused:
            outcome = refused
        else:
            if wants_fragment():
                return render("registers/tick.html", fragment="status", action=_tick_target(action_id),
                              back=form.zurueck.data)
            flash(_("Aufgabe als erledigt markiert.") if done else _("Aufgabe wieder offen."), "success")
            back = form.zurueck.data or ""
            response = see_other("registers.actions")
            if back.startswith("/") and not back.startswith("//"):
                response.location = back
            return response
    # Refused or incomplete: the item as it is stored now, with the message, and a fresh button.
    return render_form("registers/tick.html", form, outcome=outcome, fragment="status", form_name="tick_form",
                       action=_tick_target(action_id), back=form.zurueck.data)


ALL_YEARS = "alle"


def _filtered_decisions(args, year):
    query = decisions_query()
    if args.get("gremium", type=int):
        query = query.where(Meeting.body == args.get("gremium", type=int))
    if year != ALL_YEARS:
        query = query.where(Decision.year == year)
    return query.order_by(Decision.year.desc(), Decision.number.desc())


def _decision_year(args, default):
    """The year asked for; without one the page shows the newest year, the CSV everything."""
    year = args.get("jahr", "")
    if year == ALL_YEARS:
        return ALL_YEARS
    return args.get("jahr", type=int) or default


@bp.get("/beschluesse/")
@requires("meetings.view")
def decisions():
    years = [d.year for d in Decision.select(Decision.year).where(Decision.year.is_null(False))
             .group_by(Decision.year).order_by(Decision.year.desc())]
    year = _decision_year(request.args, years[0] if years else ALL_YEARS)
    return render("registers/decisions.html", decisions=paginate(_filtered_decisions(request.args, year), pages_of=2),
                  years=years, bodies=list(Body.select().order_by(Body.name)),
                  filters={"gremium": request.args.get("gremium", type=int), "jahr": year},
                  fragment="decision_table")


@bp.get("/beschluesse.csv")
@requires("meetings.view")
def decisions_csv():
    query = _filtered_decisions(request.args, _decision_year(request.args, ALL_YEARS)).select(
        Decision.year, Decision.number, Decision.text, Body.name, Meeting.title, Meeting.starts_at).tuples()

    def row(values):
        year, number, text, body, title, starts_at = values
        return [decision_label(year, number), text, body, title,
                csvexport.berlin_date(starts_at)]

    return csvexport.streamed([_("Nummer"), _("Beschluss"), _("Gremium"), _("Sitzung"), _("Datum")], query, row,
                              "beschlussregister.csv")


# --- the personal calendar feed --------------------------------------------------------------

@bp.get("/kalender/")
@requires("meetings.view")
def calendar_page():
    feed = workflow.calendar_feed(current_user._get_current_object())
    return render("registers/calendar.html", feed_url=external_url("registers.feed", token=feed.token),
                  fingerprint=workflow.feed_fingerprint(feed))


@bp.post("/kalender/neu")
@requires("meetings.view")
def reset_feed():
    workflow.reset_feed(current_user._get_current_object(), shown=request.form.get("bisher"))
    flash(_("Die Kalenderadresse wurde erneuert. Die alte Adresse funktioniert nicht mehr."), "success")
    return see_other("registers.calendar_page")


@bp.get("/kalender/<token>.ics")
@public
def feed(token):
    """Calendar programs fetch without a login: the secret address is the key."""
    feed = CalendarFeed.select(CalendarFeed, Person).join(Person).where(CalendarFeed.token == token).first()
    if feed is None or not feed.person.is_active:
        abort(404)
    bodies = BodyMember.select(BodyMember.body).where(BodyMember.person == feed.person)
    # A calendar program replaces what it showed of a feed by what the feed holds now: a feed of
    # coming meetings only took each meeting out of people's calendars once it was over.
    meetings = (Meeting.select(Meeting, Body).join(Body)
                .where(Meeting.body.in_(bodies), Meeting.ends_at >= utcnow() - FEED_PAST)
                .order_by(Meeting.starts_at))
    with force_locale(locale_of(feed.person)):  # fetched without a session: in its owner's language
        return calendar.response(
            list(meetings), "fh-intranet.ics", name=_("FH-Intranet: Sitzungen"),
            description=_("Die Sitzungen Ihrer Gremien im Netzwerk Frühe Hilfen seit einem Jahr und die kommenden, "
                          "für %(name)s.", name=feed.person.name))


