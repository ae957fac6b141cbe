"""Benachrichtigungen: the list, read marks, the unread count in the header, preferences, and the
one-click unsubscribe link from the mails (works without login)."""
from flask import Blueprint, abort, current_app, flash, g, request
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from ..changes import Refused
from ..extensions import csrf
from ..i18n import locale_of
from ..paging import paginate
from ..people.models import Person
from ..permissions import can, public, requires
from ..web import render, render_form, see_other, wants_fragment
from . import mails, preferences, workflow
from .forms import chosen, preferences_form
from .kinds import KINDS, details, message_of, place_of, with_details
from .models import Notification

bp = Blueprint("notifications", __name__, url_prefix="/benachrichtigungen")
bp.record_once(lambda state: mails.init_app(state.app))


def _me():
    return current_user._get_current_object()


@bp.app_context_processor
def _header_count():
    """The unread count in the header, on every page of a signed-in person."""
    def unread():
        # once per request: the notifications page asks it for its own button too
        if "_fh_unread" not in g:
            g._fh_unread = workflow.unread_count(current_user) if can("notifications.own") else 0
        return g._fh_unread

    return {"unread_notifications": unread,
            "notification_poll_seconds": current_app.config["NOTIFICATION_POLL_SECONDS"]}


@bp.get("/")
@requires("notifications.own")
def index():
    notes = paginate(with_details(Notification.select().where(Notification.person == current_user.id))
                     .order_by(Notification.created_at.desc(), Notification.id.desc()))
    notes.items = [_entry(note) for note in notes.items]
    return render("notifications/index.html", entries=notes, newest=workflow.newest_id(current_user),
                  fragment="note_list")


def _entry(note: Notification) -> dict:
    """What the list shows of a notification read `with_details`."""
    return {"note": note, "message": message_of(note), "details": details(note), "link": place_of(note)}


@bp.get("/anzahl")
@requires("notifications.own")
def count():
    """The header's unread count alone: htmx polls it to keep the header current."""
    return render("notifications/_count.html", fragment="count")


@bp.post("/<int:notification_id>/gelesen")
@requires("notifications.own")
def mark_read(notification_id):
    if not workflow.mark_read(_me(), notification_id):
        abort(404)
    if wants_fragment():  # the entry in place, read now
        note = with_details(Notification.select().where(Notification.id == notification_id)).get()
        return render("notifications/_entry.html", marked=True, entry=_entry(note))
    return see_other("notifications.index")


@bp.post("/alle-gelesen")
@requires("notifications.own")
def mark_all_read():
    count = workflow.mark_all_read(_me(), up_to=request.form.get("bis", type=int))
    if count:
        flash(_("Alle Benachrichtigungen sind als gelesen markiert."), "success")
    else:  # read meanwhile, in another window: nothing done, nothing to report as done
        flash(_("Es gab keine ungelesenen Benachrichtigungen."), "info")
    arrived = workflow.unread_count(_me())
    if arrived:  # since the page was shown: not marked unseen
        flash(ngettext("%(num)d neue Benachrichtigung ist seitdem eingegangen.",
                       "%(num)d neue Benachrichtigungen sind seitdem eingegangen.", arrived), "info")
    return see_other("notifications.index")


@bp.route("/einstellungen", methods=["GET", "POST"])
@requires("notifications.own")
def settings():
    form = preferences_form(_me(), preferences.channels_of(_me()) if request.method == "GET" else None)
    if not form.validate_on_submit():
        return render_form("notifications/settings.html", form, kinds=KINDS)
    try:
        workflow.save_preferences(_me(), chosen(form))
    except Refused as refused:
        return render_form("notifications/settings.html", form, outcome=refused, kinds=KINDS)
    flash(_("Ihre Einstellungen für Benachrichtigungen sind gespeichert."), "success")
    return see_other("notifications.settings")


@bp.route("/abbestellen/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: mail programs post here without a session; the signed token is the check
@public
def unsubscribe(token):
    """GET asks (a link scanner must not unsubscribe anyone); POST turns the kinds off."""
    found = preferences.read_unsubscribe_token(token)
    if found is None:
        abort(404)
    person_id, kinds = found
    person = Person.get_or_none(Person.id == person_id)
    if person is None:
        abort(404)
    labels = [KINDS[kind].label for kind in kinds]
    with force_locale(locale_of(person)):  # opened from their mail, in the mail's language
        if request.method == "GET":
            return render("notifications/unsubscribe.html", token=token, labels=labels, done=False)
        if workflow.unsubscribe(person_id, kinds) is None:
            abort(404)
        return render("notifications/unsubscribe.html", token=token, labels=labels, done=True)
