"""A person's own account: their data, password, the devices logged in, a copy of their data (DSGVO)."""
from flask import Blueprint, Response, abort, flash
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..auth import login_session
from ..auth import sessions as auth_sessions
from ..db import utcnow
from ..people.models import Person
from ..permissions import requires
from ..web import content_disposition, render, see_other
from . import own_data as own_data_parts
from . import workflow
from .forms import ChangePasswordForm

bp = Blueprint("account", __name__, url_prefix="/konto")


def _me() -> Person:
    return current_user._get_current_object()


def _page(form, *, status=200, fragment=None):
    current = login_session.current_session()
    return render("account/show.html", person=_me(), form=form, status=status, fragment=fragment,
                  sessions=auth_sessions.active_for(_me()), current_session_id=getattr(current, "id", None))


@bp.get("/")
@requires("account.own")
def show():
    return _page(ChangePasswordForm())


@bp.post("/passwort")
@requires("account.own")
def change_password():
    person = _me()
    form = ChangePasswordForm()
    form.owner = person
    if form.validate_on_submit():
        current = login_session.current_session()
        workflow.change_password(person, form.password.data, keep_session_id=getattr(current, "id", None))
        flash(_("Ihr Passwort wurde geändert. Andere Geräte wurden abgemeldet."), "success")
        return see_other("account.show")
    return _page(form, fragment="password_form", status=422)


@bp.post("/sitzungen/<int:session_id>/abmelden")
@requires("account.own")
def end_session(session_id):
    """"abmelden" next to one device in the list."""
    person = _me()
    ended = workflow.end_session(person, session_id)
    if ended is None:
        abort(404)  # not one of this person's sessions: nothing to say about it
    current = login_session.current_session()
    if current is not None and current.id == session_id:
        login_session.end()
        flash(_("Sie wurden abgemeldet."), "success")
        return see_other("auth.login")
    flash(_("Das Gerät wurde abgemeldet.") if ended else _("Dieses Gerät war schon abgemeldet."), "success")
    return see_other("account.show")


@bp.post("/sitzungen/andere-abmelden")
@requires("account.own")
def end_other_sessions():
    """"Alle anderen abmelden": every device but this one."""
    current = login_session.current_session()
    count = workflow.end_other_sessions(_me(), getattr(current, "id", None))
    flash(ngettext("%(num)d anderes Gerät wurde abgemeldet.", "%(num)d andere Geräte wurden abgemeldet.", count)
          if count else _("Sie waren auf keinem anderen Gerät angemeldet."), "success")
    return see_other("account.show")


@bp.get("/meine-daten")
@requires("account.own")
def own_data():
    """What is stored about the person, part by part, with the download (Art. 15 DSGVO)."""
    person = _me()
    parts = [(part, part.collect(person)) for part in own_data_parts.PARTS]
    return render("account/own_data.html", person=person, parts=parts)


@bp.get("/export")
@requires("account.own")
def export():
    """Everything stored about the person as JSON files with a README, in a ZIP (Art. 15 and 20 DSGVO)."""
    body = own_data_parts.zip_archive(_me(), utcnow())
    return Response(body, mimetype="application/zip", headers={
        "Content-Disposition": content_disposition("fh-intranet-meine-daten.zip")})
