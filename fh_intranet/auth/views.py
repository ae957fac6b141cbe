"""Log in and out, accept an invitation, reset a forgotten password."""
from flask import Blueprint, current_app, flash, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..people.models import Person
from ..permissions import public
from ..web import render, safe_next, see_other, see_other_url
from . import throttle, tokens, workflow
from .forms import ForgotPasswordForm, LoginForm, SetPasswordForm
from .models import AccountToken
from .passwords import verify_password

bp = Blueprint("auth", __name__)

def _bad_credentials_message():
    return _("E-Mail-Adresse oder Passwort ist falsch.")


def _throttled_message(minutes: int):
    return _("Zu viele fehlgeschlagene Anmeldeversuche. Bitte versuchen Sie es in %(minutes)d "
             "Minuten erneut oder setzen Sie Ihr Passwort über „Passwort vergessen“ zurück.",
             minutes=minutes)


@bp.route("/anmelden", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return see_other("main.start")
    form = LoginForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render("auth/login.html", form=form, status=422 if form.is_submitted() else 200)

    email = form.email.data.strip().lower()
    account, address = throttle.account_key(email), throttle.address_key(request.remote_addr)
    cfg = current_app.config
    wait = throttle.minutes_blocked([(account, cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"]),
                                     (address, cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"])])
    if wait:
        form.form_errors.append(_throttled_message(wait))
        return render("auth/login.html", form=form, status=429)

    person = Person.get_or_none(Person.email == email)
    if person is None or not verify_password(person.password_hash, form.password.data):
        workflow.note_failed_login(person, account, address)
        form.form_errors.append(_bad_credentials_message())
        return render("auth/login.html", form=form, status=422)

    if not person.active:
        form.form_errors.append(_("Dieser Zugang ist deaktiviert. Bitte wenden Sie sich an die Netzwerkkoordination."))
        return render("auth/login.html", form=form, status=422)

    workflow.note_login(person, account_key=account, remember=bool(form.remember.data))
    session.clear()  # no state carried over from before the login
    login_user(person, remember=bool(form.remember.data))
    return see_other_url(safe_next(form.next.data, url_for("main.start")))


@bp.post("/abmelden")
@public
def logout():
    if current_user.is_authenticated:
        workflow.note_logout(current_user._get_current_object())
        logout_user()
        flash(_("Sie wurden abgemeldet."), "success")
    return see_other("auth.login")


@bp.route("/passwort-vergessen", methods=["GET", "POST"])
@public
def forgot_password():
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render("auth/forgot.html", form=form, status=422 if form.is_submitted() else 200)
    workflow.request_password_reset(form.email.data)
    # The same answer whatever happened, so the page never tells whether an address exists.
    flash(_("Wenn zu dieser Adresse ein aktiver Zugang gehört, haben wir eine E-Mail mit einem "
            "Link zum Zurücksetzen gesendet. Der Link ist eine Stunde gültig."), "success")
    return see_other("auth.login")


@bp.route("/passwort-neu/<token>", methods=["GET", "POST"])
@public
def reset_password(token):
    return _set_password_with(token, AccountToken.PASSWORD_RESET, "auth/reset.html",
                              success=_("Ihr Passwort wurde geändert. Sie sind jetzt angemeldet."))


@bp.route("/einladung/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token):
    return _set_password_with(token, AccountToken.INVITATION, "auth/invitation.html",
                              success=_("Willkommen im FH-Intranet! Ihr Zugang ist eingerichtet."))


def _set_password_with(raw: str, purpose: str, template: str, success: str):
    found = tokens.find_valid(raw, purpose)
    if found is None or not found.person.active:
        return render("auth/link_invalid.html", purpose=purpose, status=410)
    person = found.person
    form = SetPasswordForm()
    form.owner = person
    if not form.validate_on_submit():
        return render(template, form=form, person=person, status=422 if form.is_submitted() else 200)
    person = workflow.set_password_with_token(found, form.password.data)
    if person is None:  # spent by a second request in the meantime
        return render("auth/link_invalid.html", purpose=purpose, status=410)
    logout_user()
    session.clear()
    login_user(person)
    flash(success, "success")
    return see_other("main.start")
