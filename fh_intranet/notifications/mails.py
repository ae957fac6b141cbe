"""The notification mails: in the person's language, plain text and HTML, with a footer saying why
they got it and RFC 8058 one-click unsubscribe headers for exactly the kinds it reports."""
from __future__ import annotations

from contextlib import contextmanager

from flask import current_app, has_app_context, has_request_context, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..i18n import locale_of
from ..web import external_url
from . import outbox, preferences
from .kinds import KINDS, attach_details, details, message_of, place_of

_app = None  # the app, for writers called outside a request (scripts, the daily command, tests)


def init_app(app) -> None:
    global _app
    _app = app


@contextmanager
def link_context():
    """url_for needs a request: writers called outside one (scripts, demo data) get a stand-in.
    Links in mails are built on BASE_URL either way (web.external_url)."""
    if has_request_context():
        yield
        return
    app = current_app._get_current_object() if has_app_context() else _app
    with app.test_request_context("/"):
        yield


def queue_notification_mail(person, notifications, *, digest: bool = False, ics: str = "",
                            ics_method: str = "") -> None:
    """Write one mail to `person` about `notifications` (one for an immediate mail, several for a
    daily summary) into the outbox. Call inside the write transaction."""
    with link_context():
        _queue(person, notifications, digest=digest, ics=ics, ics_method=ics_method)


def _queue(person, notifications, *, digest, ics, ics_method) -> None:
    kinds = sorted({note.kind for note in notifications})
    token = preferences.unsubscribe_token(person, kinds)
    unsubscribe = external_url("notifications.unsubscribe", token=token)
    with force_locale(locale_of(person)):
        attach_details(notifications)
        items = _once_each([{"message": message_of(note), "details": details(note), "link": _absolute(place_of(note)),
                             "at": note.created_at} for note in notifications])
        context = {
            "person": person, "items": items, "digest": digest,
            "why": [str(KINDS[kind].why) for kind in kinds],
            "kind_labels": [str(KINDS[kind].label) for kind in kinds],
            "settings": external_url("notifications.settings"),
            "unsubscribe": unsubscribe,
        }
        if digest:
            subject = _("Ihre tägliche Zusammenfassung – FH-Intranet")
        else:
            subject = f"{items[0]['message']} – FH-Intranet"
        text = render_template("mail/notification.txt", **context)
        html = render_template("mail/notification.html", **context, subject=subject)
    outbox.enqueue(person, subject, text, html=html, ics=ics, ics_method=ics_method, headers={
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    })


def _once_each(items: list[dict]) -> list[dict]:
    """A summary names each event once, with how often it happened: twelve comments on one draft
    are one line, not twelve alike."""
    merged: dict[tuple, dict] = {}
    for item in items:
        key = (item["message"], item["link"], tuple(item["details"]))
        if key in merged:
            merged[key]["count"] += 1
        else:
            merged[key] = dict(item, count=1)
    for item in merged.values():
        if item["count"] > 1:
            item["message"] = f"{item['message']} ({item['count']}×)"
    return list(merged.values())


def _absolute(path: str) -> str:
    return current_app.config["BASE_URL"] + path
