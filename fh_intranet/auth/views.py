"""Log in and out, accept an invitation, reset a forgotten password."""
from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..i18n import keep_locale, locale_of
from ..permissions import public
from ..web import render, safe_next, see_other, see_other_url
from . import devices, login_session, tokens, workflow
from .forms import ForgotPasswordForm, LoginForm, SetPasswordForm
from .models import AccountToken

bp = Blueprint("auth", __name__)

NEXT_MAX = 2000  # a longer "next" is no page of ours; it would only make a huge Location header


def _bad_credentials_message():
    return _("E-Mail-Adresse oder Passwort ist falsch.")


def _throttled_message(minutes: int):
    # "in kurzer Zeit", not "fehlgeschlagene": attempts still being checked count too (auth.throttle)
    return _("Zu viele Anmeldeversuche in kurzer Zeit. Bitte versuchen Sie es in %(minutes)d "
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

    email = form.email.data
    remember = bool(form.remember.data)
    result = workflow.log_in(email, form.password.data, address=request.remote_addr,
                             device_key=devices.trusted_key(email), remember=remember,
                             user_agent=request.headers.get("User-Agent", ""))
    if result.wait_minutes:
        form.form_errors.append(_throttled_message(result.wait_minutes))
        return render("auth/login.html", form=form, status=429)
    if result.person is None:
        form.form_errors.append(_bad_credentials_message())
        return render("auth/login.html", form=form, status=422)

    login_session.begin(result.person, result.cookie_id, remember=remember)
    next_url = form.next.data if len(form.next.data or "") <= NEXT_MAX else None
    response = see_other_url(safe_next(next_url, url_for("main.start")))
    return devices.remember(response, email)


@bp.post("/abmelden")
@public
def logout():
    response = see_other("auth.login")
    if current_user.is_authenticated:
        person = current_user._get_current_object()
        done = _("Sie wurden abgemeldet.")  # in the person's language, while they are still logged in
        workflow.log_out(person, login_session.current_session())
        login_session.end()
        flash(done, "success")
        keep_locale(response, locale_of(person))  # the login page they land on speaks it too
    return response


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
    result = workflow.set_password_with_token(found, form.password.data,
                                              user_agent=request.headers.get("User-Agent", ""))
    if result is None:  # spent by a second request in the meantime
        return render("auth/link_invalid.html", purpose=purpose, status=410)
    login_session.begin(result.person, result.cookie_id, remember=False)
    flash(success, "success")
    # Whoever controls the mailbox may count as a known device of this account.
    return devices.remember(see_other("main.start"), result.person.email)
