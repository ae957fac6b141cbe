"""A person's own account: their data, language, password and a copy of their data (DSGVO)."""
import json

from flask import Blueprint, Response, flash, session
from flask_babel import gettext as _
from flask_login import current_user, login_user

from ..audit import AuditEvent
from ..people import workflow
from ..people.models import Person
from ..permissions import requires
from ..web import render, see_other
from .forms import ChangePasswordForm

bp = Blueprint("account", __name__, url_prefix="/konto")


def _me() -> Person:
    return current_user._get_current_object()


@bp.get("/")
@requires("account.own")
def show():
    form = ChangePasswordForm()
    return render("account/show.html", person=_me(), form=form)


@bp.post("/passwort")
@requires("account.own")
def change_password():
    person = _me()
    form = ChangePasswordForm()
    form.owner = person
    if form.validate_on_submit():
        workflow.change_own_password(person, form.password.data)  # other devices are logged out
        # This device stays logged in, with the new session token.
        login_user(person, remember=session.get("_remember") == "set")
        flash(_("Ihr Passwort wurde geändert. Andere Geräte wurden abgemeldet."), "success")
        return see_other("account.show")
    return render("account/show.html", person=person, form=form, fragment="password_form", status=422)


@bp.get("/export")
@requires("account.own")
def export():
    """Everything stored about the person, as JSON (Art. 15 and 20 DSGVO)."""
    person = _me()
    events = (AuditEvent.select()
              .where((AuditEvent.actor == person) |
                     ((AuditEvent.object_type == "Person") & (AuditEvent.object_id == person.id)))
              .order_by(AuditEvent.created_at))
    data = {
        "person": {
            "name": person.name,
            "email": person.email,
            "function": person.function,
            "organisation": person.organisation.name if person.organisation else None,
            "role": person.role,
            "locale": person.locale,
            "active": person.active,
            "created_at": person.created_at.isoformat() + "Z",
            "last_login_at": person.last_login_at.isoformat() + "Z" if person.last_login_at else None,
        },
        "history": [
            {"at": e.created_at.isoformat() + "Z", "action": e.action,
             "object": f"{e.object_type}:{e.object_id}" if e.object_type else None,
             "details": e.details_dict}
            for e in events
        ],
    }
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="fh-intranet-meine-daten.json"'})
