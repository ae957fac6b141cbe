"""Start page, language choice and the health check."""
from flask import Blueprint, jsonify, make_response, request, url_for
from flask_login import current_user

from ..db import database
from ..i18n import LOCALES, choose_before_login, keep_locale
from ..notifications import workflow as notifications_workflow
from ..notifications.kinds import details, message_of, place_of
from ..people import workflow as people_workflow
from ..people.models import Person
from ..permissions import public, requires
from ..web import render, safe_next, see_other_url
from . import overview

bp = Blueprint("main", __name__)


@bp.get("/")
@requires("start.view")
def start():
    pending_invitations = None
    if current_user.is_coordinator:
        pending_invitations = (
            Person.select().where(Person.password_hash.is_null(), Person.active).count()
        )
    me = current_user._get_current_object()
    seen_until = notifications_workflow.start_page_viewed(me)
    since = overview.since_boundary(seen_until)
    everything = request.args.get("alle")  # "protokolle" or "themen": every new one since the boundary
    new_minutes, more_minutes = overview.new_minutes(me, since, None if everything == "protokolle" else overview.SHOWN)
    topics = overview.new_topics(me, since, None if everything == "themen" else overview.SHOWN)
    unread = notifications_workflow.newest_unread(me, 5)
    return render("main/start.html", pending_invitations=pending_invitations, seen_until=seen_until, since=since,
                  unread=[{"note": n, "message": message_of(n), "details": details(n), "link": place_of(n)}
                          for n in unread],
                  consultations=overview.consultations(me), new_minutes=new_minutes, more_minutes=more_minutes,
                  rounds=overview.running_rounds(me), my_actions=overview.my_actions(me),
                  upcoming=overview.upcoming_meetings(me), new_topics=topics[0] if topics else None,
                  more_topics=bool(topics and topics[1]))


@bp.post("/sprache")
@public
def choose_language():
    locale = request.form.get("locale")
    if locale not in LOCALES:
        locale = "de"
    response = see_other_url(safe_next(request.form.get("next"), url_for("main.start")))
    if not current_user.is_authenticated:
        choose_before_login(locale)
    elif current_user.locale != locale:
        people_workflow.set_locale(current_user._get_current_object(), locale)
    keep_locale(response, locale)
    return response


@bp.get("/healthz")
@public
def health():
    database.execute_sql("SELECT 1")
    return make_response(jsonify(status="ok"), 200)
