"""Start page, language choice and the health check."""
from flask import Blueprint, jsonify, make_response, request, url_for
from flask_login import current_user

from ..db import database, utcnow
from ..i18n import LOCALE_COOKIE, LOCALES
from ..meetings.models import ActionItem, Body, BodyMember, Meeting
from ..meetings.queries import open_actions
from ..notifications.models import Notification
from ..people import workflow as people_workflow
from ..people.models import Person
from ..permissions import public, requires
from ..web import render, safe_next, see_other_url

bp = Blueprint("main", __name__)


@bp.get("/")
@requires("start.view")
def start():
    pending_invitations = None
    if current_user.is_coordinator:
        pending_invitations = (
            Person.select().where(Person.password_hash.is_null(), Person.active).count()
        )
    my_bodies = BodyMember.select(BodyMember.body).where(BodyMember.person == current_user.id)
    upcoming = list(Meeting.select(Meeting, Body).join(Body)
                    .where(Meeting.body.in_(my_bodies), Meeting.ends_at >= utcnow())
                    .order_by(Meeting.starts_at).limit(5))
    notifications = list(Notification.select().where(Notification.person == current_user.id)
                         .order_by(Notification.created_at.desc()).limit(5))
    return render("main/start.html", pending_invitations=pending_invitations, upcoming=upcoming,
                  notifications=notifications,
                  my_actions=open_actions(ActionItem.person == current_user.id))


@bp.post("/sprache")
@public
def choose_language():
    locale = request.form.get("locale")
    if locale not in LOCALES:
        locale = "de"
    response = see_other_url(safe_next(request.form.get("next"), url_for("main.start")))
    if current_user.is_authenticated and current_user.locale != locale:
        people_workflow.set_locale(current_user._get_current_object(), locale)
    response.set_cookie(LOCALE_COOKIE, locale, max_age=365 * 24 * 3600, samesite="Lax",
                        httponly=True, secure=request.is_secure)
    return response


@bp.get("/healthz")
@public
def health():
    database.execute_sql("SELECT 1")
    return make_response(jsonify(status="ok"), 200)
