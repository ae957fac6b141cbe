"""Flask-Login wiring: who is logged in, and what anonymous visitors get.

The session and remember-me cookies carry a login session's "s<id>.<secret>" (auth.sessions),
not the person's id: a session ended on the server stops working wherever its cookies are replayed.
"""
from flask import flash, g, make_response, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user
from flask_login.config import COOKIE_NAME as REMEMBER_COOKIE

from ..extensions import login_manager
from ..i18n import chosen_before_login
from ..people import workflow as people_workflow
from ..web import is_htmx
from . import sessions
from .passwords import warm_up


@login_manager.user_loader
def load_person(cookie_id: str):
    found = sessions.load(cookie_id)
    if found is None:
        return None
    person, row = found
    g.login_session = row
    return person


def current_session():
    """The login session of this request (None when anonymous)."""
    return g.get("login_session")


def begin(person, cookie_id: str, *, remember: bool) -> None:
    """Log this browser in with a session that auth.workflow has started. A language chosen
    before (on the login page, or the page that sets a password from a mail) becomes the person's:
    it is more recent than the one they saved."""
    chosen = chosen_before_login()
    logout_user()
    session.clear()  # no state carried over from before the login (session fixation)
    login_user(person, remember=remember)
    # Flask-Login stored person.get_id(); both cookies must name the session row instead (the
    # remember-me cookie is written from this value after the request).
    session["_user_id"] = cookie_id
    if not remember and REMEMBER_COOKIE in request.cookies:
        session["_remember"] = "clear"  # an older remember-me cookie must not outlive this login
    if chosen and chosen != person.locale:
        people_workflow.set_locale(person, chosen)


def end() -> None:
    """Forget the login in this browser (the caller has ended the session row on the server)."""
    logout_user()  # drops the session keys and deletes the remember-me cookie
    g.pop("login_session", None)


@login_manager.unauthorized_handler
def ask_to_log_in():
    if request.method == "POST":
        from ..errors import logged_out_while_writing

        return logged_out_while_writing()
    target = url_for("auth.login", next=request.full_path.rstrip("?"))
    if is_htmx():
        # A partial update cannot show a login form in place: send the whole window there.
        from ..errors import LOGIN_CHALLENGE

        response = make_response("", 401)
        response.headers["HX-Redirect"] = target
        response.headers["WWW-Authenticate"] = LOGIN_CHALLENGE
        return response
    flash(_l("Bitte melden Sie sich an, um diese Seite zu sehen."), "info")
    return redirect(target)


def init_app(app):
    # "basic", not "strong": "strong" drops the session and the remember-me cookie whenever the
    # client's address changes, so a phone moving between Wi-Fi and mobile data was logged out
    # although its person chose "Angemeldet bleiben". Stolen cookies are handled on the server
    # instead: every session is a row that logout, "abmelden" in Mein Konto, a password change and
    # deactivation end, and that expires. "basic" only marks such a session as not fresh.
    login_manager.session_protection = "basic"
    login_manager.login_view = "auth.login"
    warm_up()
