"""The coordinator manages the people of the network; members see who is in it."""
from flask import Blueprint, abort, flash, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from peewee import JOIN

from .. import confirm
from ..changes import EditConflict, Refused
from ..forms import new_form_token, senders_token
from ..permissions import can, requires
from ..web import refusal_response, render, render_form, see_other
from . import anonymisation, workflow
from .forms import AnonymiseForm, InviteForm, PersonForm
from .models import Organisation, Person

bp = Blueprint("people", __name__, url_prefix="/personen")

SHOWN_LINK = "invitation_link_to_show"


@bp.get("/")
@requires("people.list")
def index():
    show = request.args.get("zeigen", "aktiv")
    # What the list shows: whether a password is set tells an accepted invitation from an open one
    # (the hash itself stays in the database).
    query = (Person.select(Person.id, Person.name, Person.email, Person.function, Person.role, Person.active,
                           Person.password_hash.is_null(False).alias("accepted"), Organisation.id, Organisation.name)
             .join(Organisation, JOIN.LEFT_OUTER).order_by(Person.name))
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


def _me():
    return current_user._get_current_object()


def _announce(invitation) -> None:
    """Tell the coordinator what became of the invitation mail."""
    person = invitation.person
    if not invitation.created:
        # The same form or button sent twice: the first request sent the one invitation.
        flash(_("Die Einladung an %(email)s ist schon unterwegs; sie wurde nur einmal gesendet. Falls Sie "
                "den Link weitergeben müssen und ihn nicht gesehen haben, senden Sie die Einladung erneut.",
                email=person.email), "info")
    elif invitation.sent:
        flash(_("Die Einladung wurde an %(email)s gesendet. Der Link ist 7 Tage gültig.",
                email=person.email), "success")
    else:
        # Shown once on the person's page, never stored: only the hash is in the database.
        session[SHOWN_LINK] = {"person": person.id, "link": invitation.link}
        flash(_("Es ist kein E-Mail-Versand eingerichtet oder er ist fehlgeschlagen. Bitte geben Sie "
                "den Einladungslink auf dieser Seite selbst weiter."), "warning")


@bp.route("/einladen", methods=["GET", "POST"])
@requires("people.manage")
def invite():
    form = InviteForm().load_choices()
    if not form.validate_on_submit():
        return render_form("people/invite.html", form)
    try:
        invitation = workflow.invite(
            name=form.name.data, email=form.email.data, function=form.function.data or "",
            organisation_id=_organisation_or_none(form.organisation.data), role=form.role.data,
            inviter=_me(), token=form.once_token)
    except Refused as refused:
        return render_form("people/invite.html", form, outcome=refused)
    _announce(invitation)
    return see_other("people.detail", person_id=invitation.person.id)


@bp.get("/<int:person_id>")
@requires("people.list")
def detail(person_id):
    person = _get_person(person_id)
    if not can("person.view", person):
        abort(404)
    shown = session.pop(SHOWN_LINK, None)
    link = shown["link"] if shown and shown["person"] == person.id else None
    # The re-invite button carries a one-time token: a double click sends one mail.
    return render("people/detail.html", person=person, invitation_link=link, form_token=new_form_token())


@bp.route("/<int:person_id>/bearbeiten", methods=["GET", "POST"])
@requires("people.manage")
def edit(person_id):
    person = _get_person(person_id)
    form = PersonForm(obj=person if request.method == "GET" else None).load_choices()
    if request.method == "GET":
        form.organisation.data = str(person.organisation_id or "")
    if not form.validate_on_submit():
        return render_form("people/edit.html", form, person=person)
    old_email = person.email
    try:
        person = workflow.update_person(
            person, form.version.data, name=form.name.data, email=form.email.data,
            function=form.function.data or "", role=form.role.data,
            organisation_id=_organisation_or_none(form.organisation.data), actor=_me())
    except (EditConflict, Refused) as outcome:
        return render_form("people/edit.html", form, outcome=outcome, person=getattr(outcome, "current", person))
    flash(_("Die Angaben zu %(name)s wurden gespeichert.", name=person.name), "success")
    if person.email != old_email and person.active and not person.has_accepted_invitation:
        flash(_("Der Einladungslink an die bisherige Adresse gilt nicht mehr. Mit „Einladung erneut senden“ "
                "geht ein neuer an die neue Adresse."), "info")
    return see_other("people.detail", person_id=person.id)


@bp.post("/<int:person_id>/deaktivieren")
@requires("people.manage")
def deactivate(person_id):
    person = _get_person(person_id)
    # Nothing to ask when nothing would happen, or when the rules refuse it anyway (oneself).
    if not confirm.given() and person.active and person.id != current_user.id:
        return confirm.ask(confirm.Question(
            title=_("%(name)s deaktivieren?", name=person.name),
            happens=[_("%(name)s wird überall abgemeldet und kann sich nicht mehr anmelden.", name=person.name),
                     _("Beiträge, Unterschriften und Aufgaben bleiben mit dem Namen erhalten."),
                     _("Sie können die Person später wieder aktivieren.")],
            button=_("Ja, deaktivieren"), back=url_for("people.detail", person_id=person.id, _anchor="manage-heading")))
    try:
        changed = workflow.deactivate(person, actor=_me())
    except Refused as refused:
        return refusal_response(refused, "people.detail", person_id=person.id)
    if changed:
        flash(_("%(name)s wurde deaktiviert und kann sich nicht mehr anmelden. Beiträge bleiben mit "
                "dem Namen erhalten.", name=person.name), "success")
    return see_other("people.detail", person_id=person.id)


@bp.post("/<int:person_id>/reaktivieren")
@requires("people.manage")
def reactivate(person_id):
    person = _get_person(person_id)
    try:
        changed = workflow.reactivate(person, actor=_me())
    except Refused as refused:
        return refusal_response(refused, "people.detail", person_id=person.id)
    if changed:
        flash(_("%(name)s ist wieder aktiv.", name=person.name), "success")
    return see_other("people.detail", person_id=person.id)


@bp.route("/<int:person_id>/anonymisieren", methods=["GET", "POST"])
@requires("people.manage")
def anonymise(person_id):
    """The second look (what will happen) and, confirmed, the anonymisation of a departed person."""
    person = _get_person(person_id)
    form = AnonymiseForm()
    if not form.validate_on_submit():
        return render_form("people/anonymise.html", form, person=person)
    old_name = person.name
    try:
        person = anonymisation.anonymise(person, actor=_me())
    except Refused as refused:
        return render_form("people/anonymise.html", form, outcome=refused, person=person)
    flash(_("%(old)s heißt jetzt „%(new)s“. Name, Kontaktdaten und Zugang sind gelöscht; Beiträge, "
            "Protokolle und Ergebnisse bleiben lesbar.", old=old_name, new=person.name), "success")
    return see_other("people.detail", person_id=person.id)


@bp.post("/<int:person_id>/einladung")
@requires("people.manage")
def reinvite(person_id):
    person = _get_person(person_id)
    try:
        invitation = workflow.reinvite(person, inviter=_me(), token=senders_token(request.form.get("form_token")))
    except Refused as refused:
        return refusal_response(refused, "people.detail", person_id=person.id)
    _announce(invitation)
    return see_other("people.detail", person_id=person.id)
