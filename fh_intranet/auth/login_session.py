"""Flask-Login wiring: who is logged in, and what anonymous visitors get."""
from flask import flash, make_response, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from ..extensions import login_manager
from ..people.models import Person
from ..web import is_htmx


@login_manager.user_loader
def load_person(cookie_id: str):
    person_id, _, token = cookie_id.partition(":")
    if not person_id.isdigit() or not token:
        return None
    person = Person.get_or_none(Person.id == int(person_id))
    if person is None or not person.is_active or person.session_token != token:
        return None
    return person


@login_manager.unauthorized_handler
def ask_to_log_in():
    target = url_for("auth.login", next=request.full_path.rstrip("?"))
    if is_htmx():
        # A partial update cannot show a login form in place: send the whole window there.
        response = make_response("", 401)
        response.headers["HX-Redirect"] = target
        return response
    flash(_l("Bitte melden Sie sich an, um diese Seite zu sehen."), "info")
    return redirect(target)


def init_app(app):
    login_manager.session_protection = "strong"
    login_manager.login_view = "auth.login"
