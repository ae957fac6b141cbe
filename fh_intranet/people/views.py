"""The coordinator manages the people of the network; members see who is in it."""
from flask import Blueprint, abort, flash, render_template, request, session
from flask_babel import gettext as _
from flask_login import current_user
from peewee import JOIN, IntegrityError

from .. import audit, mail
from ..auth import tokens
from ..auth.models import AccountToken
from ..changes import CONFLICT_MESSAGE, EditConflict, update_versioned
from ..db import database, utcnow
from ..permissions import requires
from ..web import external_url, render, see_other
from .forms import InviteForm, PersonForm
from .models import COORDINATOR, Organisation, Person

bp = Blueprint("people", __name__, url_prefix="/personen")

SHOWN_LINK = "invitation_link_to_show"


@bp.get("/")
@requires("people.list")
def index():
    show = request.args.get("zeigen", "aktiv")
    query = (Person.select(Person, Organisation).join(Organisation, JOIN.LEFT_OUTER)
             .order_by(Person.name))
    if show == "deaktiviert" and current_user.is_coordinator:
        query = query.where(~Person.active)
    else:
        show = "aktiv"
        query = query.where(Person.active)
    return render("people/index.html", people=list(query), show=show)


def _get_person(person_id: int) -> Person:
    person = Person.get_or_none(Person.id == person_id)
    if person is None:
        abort(404)
    return person


def _organisation_or_none(value: str):
    return int(value) if value and value.isdigit() else None


def _email_taken(email: str, except_id=None) -> bool:
    query = Person.select().where(Person.email == email)
    if except_id is not None:
        query = query.where(Person.id != except_id)
    return query.exists()


def _send_invitation(person: Person, raw_token: str) -> None:
    link = external_url("auth.accept_invitation", token=raw_token)
    sent = mail.send(person.email, _("Einladung in das FH-Intranet"),
                     render_template("mail/invitation.txt", person=person, link=link,
                                     inviter=current_user))
    if sent:
        flash(_("Die Einladung wurde an %(email)s gesendet. Der Link ist 7 Tage gültig.",
                email=person.email), "success")
    else:
        # Shown once on the person's page, never stored: only the hash is in the database.
        session[SHOWN_LINK] = {"person": person.id, "link": link}
        flash(_("Es ist kein E-Mail-Versand eingerichtet oder er ist fehlgeschlagen. Bitte geben Sie "
                "den Einladungslink auf dieser Seite selbst weiter."), "warning")


@bp.route("/einladen", methods=["GET", "POST"])
@requires("people.manage")
def invite():
    form = InviteForm().load_choices()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        if _email_taken(email):
            form.email.errors.append(_("Zu dieser E-Mail-Adresse gibt es schon einen Zugang."))
        else:
            try:
                with database.atomic():
                    person = Person.create(
                        name=form.name.data.strip(), email=email, function=form.function.data.strip(),
                        organisation=_organisation_or_none(form.organisation.data), role=form.role.data,
                    )
                    raw = tokens.issue(person, AccountToken.INVITATION)
                    audit.record("person.invited", person, role=person.role,
                                 organisation=person.organisation_id)
            except IntegrityError:  # the same address, sent twice at once
                form.email.errors.append(_("Zu dieser E-Mail-Adresse gibt es schon einen Zugang."))
            else:
                _send_invitation(person, raw)
                return see_other("people.detail", person_id=person.id)
    return render("people/invite.html", form=form, status=422 if form.is_submitted() else 200)


@bp.get("/<int:person_id>")
@requires("people.list")
def detail(person_id):
    person = _get_person(person_id)
    if not person.active and not current_user.is_coordinator:
        abort(404)
    shown = session.pop(SHOWN_LINK, None)
    link = shown["link"] if shown and shown["person"] == person.id else None
    return render("people/detail.html", person=person, invitation_link=link)


def _last_active_coordinator(person: Person) -> bool:
    return person.role == COORDINATOR and person.active and not (
        Person.select().where(Person.role == COORDINATOR, Person.active, Person.id != person.id).exists()
    )


@bp.route("/<int:person_id>/bearbeiten", methods=["GET", "POST"])
@requires("people.manage")
def edit(person_id):
    person = _get_person(person_id)
    form = PersonForm(obj=person if request.method == "GET" else None).load_choices()
    if not form.is_submitted():
        form.organisation.data = str(person.organisation_id or "")
        return render("people/edit.html", form=form, person=person)
    if form.validate():
        email = form.email.data.strip().lower()
        if _email_taken(email, except_id=person.id):
            form.email.errors.append(_("Zu dieser E-Mail-Adresse gibt es schon einen Zugang."))
        elif form.role.data != COORDINATOR and _last_active_coordinator(person):
            form.role.errors.append(_("Es muss mindestens eine aktive Netzwerkkoordination geben."))
        else:
            changes = {"name": form.name.data.strip(), "email": email,
                       "function": form.function.data.strip(), "role": form.role.data,
                       "organisation_id": _organisation_or_none(form.organisation.data)}
            try:
                with database.atomic():
                    changed = update_versioned(person, form.version.data, changes)
                    if changed:
                        audit.record("person.updated", person, changes=changed)
            except EditConflict:
                return _conflict(person, form)
            flash(_("Die Angaben zu %(name)s wurden gespeichert.", name=person.name), "success")
            return see_other("people.detail", person_id=person.id)
    return render("people/edit.html", form=form, person=person, status=422)


def _conflict(person: Person, form):
    current = Person.get_by_id(person.id)
    form.version.data = current.version
    form.form_errors.append(CONFLICT_MESSAGE)
    return render("people/edit.html", form=form, person=current, conflict=current, status=409)


def _set_active(person: Person, active: bool) -> None:
    person.active = active
    person.deactivated_at = None if active else utcnow()
    person.rotate_session_token()  # a deactivated person's open sessions end at once
    (Person.update(active=person.active, deactivated_at=person.deactivated_at,
                   session_token=person.session_token, version=Person.version + 1)
     .where(Person.id == person.id).execute())


@bp.post("/<int:person_id>/deaktivieren")
@requires("people.manage")
def deactivate(person_id):
    person = _get_person(person_id)
    if person.id == current_user.id or _last_active_coordinator(person):
        flash(_("Sie können sich nicht selbst deaktivieren, und die letzte aktive Netzwerkkoordination "
                "bleibt bestehen."), "error")
        return see_other("people.detail", person_id=person.id)
    if person.active:
        with database.atomic():
            _set_active(person, False)
            audit.record("person.deactivated", person)
        flash(_("%(name)s wurde deaktiviert und kann sich nicht mehr anmelden. Beiträge bleiben mit "
                "dem Namen erhalten.", name=person.name), "success")
    return see_other("people.detail", person_id=person.id)


@bp.post("/<int:person_id>/reaktivieren")
@requires("people.manage")
def reactivate(person_id):
    person = _get_person(person_id)
    if not person.active:
        with database.atomic():
            _set_active(person, True)
            audit.record("person.reactivated", person)
        flash(_("%(name)s ist wieder aktiv.", name=person.name), "success")
    return see_other("people.detail", person_id=person.id)


@bp.post("/<int:person_id>/einladung")
@requires("people.manage")
def reinvite(person_id):
    person = _get_person(person_id)
    if person.has_accepted_invitation or not person.active:
        flash(_("Diese Person hat ihren Zugang schon eingerichtet oder ist deaktiviert."), "error")
        return see_other("people.detail", person_id=person.id)
    with database.atomic():
        raw = tokens.issue(person, AccountToken.INVITATION)
        audit.record("person.reinvited", person)
    _send_invitation(person, raw)
    return see_other("people.detail", person_id=person.id)
