"""Across meetings: all action items, the decision register, the personal calendar feed."""
from datetime import date

from flask import Blueprint, abort, flash, request
from flask_babel import gettext as _
from flask_login import current_user
from peewee import IntegrityError

from .. import audit, csvexport
from ..db import database, utcnow
from ..people.models import Person
from ..permissions import authorize, can, public, requires
from ..timezones import utc_to_berlin
from ..web import external_url, render, see_other, wants_fragment
from . import calendar, workflow
from .models import ActionItem, Body, BodyMember, CalendarFeed, Decision, Meeting
from .queries import actions_query, decisions_query

bp = Blueprint("registers", __name__)

STATUSES = ("offen", "erledigt", "alle")


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
        query = query.where(ActionItem.done_at.is_null(), ActionItem.due_on < date.today())
    return query.order_by(ActionItem.due_on.is_null(), ActionItem.due_on, ActionItem.id)


@bp.get("/aufgaben/")
@requires("meetings.view")
def actions():
    filters = {"status": request.args.get("status", "offen"), "person": request.args.get("person", type=int),
               "gremium": request.args.get("gremium", type=int), "ueberfaellig": bool(request.args.get("ueberfaellig"))}
    items = list(_filtered_actions(request.args))
    people = list(Person.select().where(Person.id.in_(ActionItem.select(ActionItem.person))).order_by(Person.name))
    bodies = list(Body.select().order_by(Body.name))
    return render("registers/actions.html", items=items, filters=filters, people=people, bodies=bodies,
                  fragment="action_table")


@bp.get("/aufgaben.csv")
@requires("meetings.view")
def actions_csv():
    rows = [[item.what, item.person.name, csvexport.german_date(item.due_on),
             _("erledigt") if item.done_at else (_("überfällig") if item.is_overdue else _("offen")),
             item.meeting.body.name, item.meeting.title, csvexport.german_date(utc_to_berlin(item.meeting.starts_at))]
            for item in _filtered_actions(request.args)]
    return csvexport.response([_("Aufgabe"), _("Wer"), _("Bis"), _("Status"), _("Gremium"), _("Sitzung"), _("Datum")],
                              rows, "aufgaben.csv")


@bp.post("/aufgaben/<int:action_id>/erledigt")
@requires("meetings.view")
def tick(action_id):
    action = ActionItem.select(ActionItem, Meeting).join(Meeting).where(ActionItem.id == action_id).first()
    if action is None or not can("meeting.read_minutes", action.meeting):
        abort(404)
    authorize("action.tick", action)
    done = request.form.get("erledigt") == "1"
    workflow.set_done(action, done, current_user._get_current_object())
    if wants_fragment():
        action.person = Person.get_by_id(action.person_id)
        return render("registers/_action_status.html", action=action)
    flash(_("Aufgabe als erledigt markiert.") if done else _("Aufgabe wieder offen."), "success")
    back = request.form.get("zurueck", "")
    response = see_other("registers.actions")
    if back.startswith("/") and not back.startswith("//"):
        response.location = back
    return response


def _filtered_decisions(args):
    query = decisions_query()
    if args.get("gremium", type=int):
        query = query.where(Meeting.body == args.get("gremium", type=int))
    if args.get("jahr", type=int):
        query = query.where(Decision.year == args.get("jahr", type=int))
    return query.order_by(Decision.year.desc(), Decision.number.desc())


@bp.get("/beschluesse/")
@requires("meetings.view")
def decisions():
    years = sorted({d.year for d in Decision.select(Decision.year).where(Decision.year.is_null(False)).distinct()},
                   reverse=True)
    return render("registers/decisions.html", decisions=list(_filtered_decisions(request.args)), years=years,
                  bodies=list(Body.select().order_by(Body.name)),
                  filters={"gremium": request.args.get("gremium", type=int), "jahr": request.args.get("jahr", type=int)},
                  fragment="decision_table")


@bp.get("/beschluesse.csv")
@requires("meetings.view")
def decisions_csv():
    rows = [[d.label, d.text, d.meeting.body.name, d.meeting.title, csvexport.german_date(utc_to_berlin(d.meeting.starts_at))]
            for d in _filtered_decisions(request.args)]
    return csvexport.response([_("Nummer"), _("Beschluss"), _("Gremium"), _("Sitzung"), _("Datum")], rows,
                              "beschlussregister.csv")


# --- the personal calendar feed --------------------------------------------------------------

def _feed_for(person) -> CalendarFeed:
    feed = CalendarFeed.get_or_none(CalendarFeed.person == person)
    if feed is None:
        try:
            with database.atomic():
                feed = CalendarFeed.create(person=person)
                audit.record("calendar_feed.created", feed)
        except IntegrityError:  # two tabs at once: the other made it
            feed = CalendarFeed.get(CalendarFeed.person == person)
    return feed


@bp.get("/kalender/")
@requires("meetings.view")
def calendar_page():
    feed = _feed_for(current_user._get_current_object())
    return render("registers/calendar.html", feed_url=external_url("registers.feed", token=feed.token))


@bp.post("/kalender/neu")
@requires("meetings.view")
def reset_feed():
    with database.atomic():
        CalendarFeed.delete().where(CalendarFeed.person == current_user.id).execute()
        feed = CalendarFeed.create(person=current_user.id)
        audit.record("calendar_feed.reset", feed)
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
    meetings = (Meeting.select(Meeting, Body).join(Body)
                .where(Meeting.body.in_(bodies), Meeting.ends_at >= utcnow())
                .order_by(Meeting.starts_at))
    return calendar.response(list(meetings), "fh-intranet.ics")


