"""Error pages inside the layout, in the reader's language; short messages for htmx."""
import logging
from urllib.parse import urlsplit

import peewee
from flask import render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .web import is_htmx

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Ungültige Anfrage"), _l("Die Anfrage konnte nicht verarbeitet werden.")),
    401: (_l("Nicht mehr angemeldet"), _l(
        "Sie sind nicht mehr angemeldet; nichts wurde gespeichert. Bitte melden Sie sich erneut an.")),
    403: (_l("Kein Zugriff"), _l("Sie haben keine Berechtigung für diese Seite oder Aktion. Wenn Sie sie für "
                                 "Ihre Arbeit im Netzwerk brauchen, wenden Sie sich an die Netzwerkkoordination.")),
    404: (_l("Seite nicht gefunden"), _l("Diese Seite gibt es nicht (mehr). Bitte prüfen Sie die Adresse.")),
    405: (_l("Nicht erlaubt"), _l("Diese Aktion ist auf diesem Weg nicht möglich.")),
    409: (_l("Konflikt"), _l("Die Daten wurden inzwischen geändert.")),
    410: (_l("Link nicht mehr gültig"), _l("Dieser Link ist abgelaufen oder wurde bereits verwendet.")),
    413: (_l("Datei zu groß"), _l("Die gesendeten Dateien sind zusammen zu groß. Bitte laden Sie weniger oder kleinere Dateien hoch.")),
    429: (_l("Zu viele Anfragen"), _l("Bitte warten Sie einen Moment und versuchen Sie es dann erneut.")),
    500: (_l("Interner Fehler"), _l("Etwas ist schiefgegangen. Der Fehler wurde protokolliert; bitte versuchen Sie es später erneut.")),
}


GONE_WHILE_WRITING = _l("Wozu Sie das senden wollten, gibt es nicht mehr: Es wurde wohl inzwischen gelöscht. "
                        "Nichts wurde gespeichert.")

LOGIN_CHALLENGE = 'Cookie realm="FH-Intranet"'

# The free texts of our forms worth giving back when a form could not be taken: what takes long
# to write. An allowlist: a password (a sentence, as the password hint suggests) is never shown.
_FREE_TEXTS = {"body", "text", "notes", "decision", "description", "message", "reason", "change_note",
               "introduction", "outlook", "title", "what"}


def _sent_from_here() -> bool:
    """Whether the form was sent from one of our pages (not another site's auto-submitting form,
    which could otherwise put text of its choice on our page)."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site == "same-origin"
    sender = request.headers.get("Origin") or request.headers.get("Referer") or ""
    return urlsplit(sender).netloc == request.host


def _text_too_long(error) -> bool:
    """PostgreSQL's "value too long for type character varying(n)" (SQLite keeps any length)."""
    # peewee raises its own error while handling the driver's, which carries the code
    return getattr(error.__context__, "pgcode", None) == "22001"


def unsaved_input() -> list[str]:
    """The texts a person typed into a form sent without JavaScript that could not be taken (the
    login or the form had expired): shown with the message to copy, since going back may not bring
    them again. htmx leaves the form and its text on the page."""
    if request.method != "POST" or is_htmx() or not _sent_from_here():
        return []
    try:
        form = request.form
    except HTTPException:  # the body itself was refused (too large): there is nothing to give back
        return []
    return [value.strip() for name, value in form.items(multi=True)
            if name.split("-", 1)[0] in _FREE_TEXTS and value.strip()]


def error_response(status: int, message=None, *, unsaved=()):
    title, default_message = MESSAGES.get(status, MESSAGES[500 if status >= 500 else 400])
    message = message or default_message
    login_url = url_for("auth.login") if status == 401 else None
    # A 401 names how to authenticate; a scheme no browser knows (not Basic) opens no login dialog.
    headers = {"WWW-Authenticate": LOGIN_CHALLENGE} if status == 401 else {}
    if is_htmx():
        return render_template("errors/_message.html", title=title, message=message,
                               login_url=login_url), status, headers
    return render_template("errors/error.html", status=status, title=title, message=message, login_url=login_url,
                           unsaved=unsaved), status, headers


def logged_out_while_writing():
    """A form sent after the login expired (a long text, a night in between): answered here, not
    by a redirect to the login page, which dropped what was typed."""
    if is_htmx():
        return error_response(401, _l(
            "Sie sind nicht mehr angemeldet; nichts wurde gespeichert. Ihr Text steht noch im Formular: "
            "Kopieren Sie ihn, melden Sie sich in einem neuen Tab an, laden Sie diese Seite dann neu "
            "und fügen Sie ihn wieder ein."))
    return error_response(401, _l(
        "Sie sind nicht mehr angemeldet; nichts wurde gespeichert. Unten steht, was Sie eingegeben haben: "
        "Kopieren Sie es, melden Sie sich an und senden Sie es erneut."), unsaved=unsaved_input())


def init_app(app):
    @app.errorhandler(CSRFError)
    def _csrf(error):
        # Reloading the page would lose a text still in its form (htmx) or shown below (plain): say so.
        if is_htmx():
            return error_response(400, _l(
                "Das Formular ist abgelaufen (Sicherheitsprüfung fehlgeschlagen); nichts wurde gespeichert. "
                "Ihr Text steht noch im Formular: Kopieren Sie ihn, laden Sie die Seite neu und senden Sie ihn "
                "erneut."))
        return error_response(400, _l(
            "Das Formular ist abgelaufen oder unvollständig (Sicherheitsprüfung fehlgeschlagen). "
            "Bitte laden Sie die Seite neu und senden Sie es erneut."), unsaved=unsaved_input())

    @app.errorhandler(HTTPException)
    def _http(error):
        if error.code is None or error.code < 400:
            return error
        # abort(409, "…") carries a message for the reader; werkzeug's own texts are English.
        custom = error.description if error.description != type(error).description else None
        if request.method == "POST" and error.code == 404 and custom is None:
            custom = GONE_WHILE_WRITING
        # A form refused as a whole (what it was for was deleted meanwhile, a right was taken away)
        # gives back what was typed, as an expired login does.
        return error_response(error.code, custom, unsaved=unsaved_input())

    @app.errorhandler(OverflowError)
    @app.errorhandler(peewee.DataError)
    def _out_of_range(error):
        if _text_too_long(error):
            # A text longer than its column got past its form (a limit of ours is missing there):
            # said as such, with the text given back, instead of as a number out of range.
            log.warning("Refused a text longer than its column: %s", error)
            return error_response(422, _l(
                "Ein Text ist länger, als er gespeichert werden kann; nichts wurde gespeichert. "
                "Bitte kürzen Sie ihn und senden Sie ihn erneut."), unsaved=unsaved_input())
        # A number the database cannot hold (e.g. ?gremium=99999999999999999999) names nothing that
        # exists: answered like any unknown id. The routes' converters catch most of these earlier.
        log.info("Refused out-of-range input: %s", type(error).__name__)
        return error_response(404, _l("Eine Zahl in der Anfrage liegt außerhalb des gültigen Bereichs."))

    @app.errorhandler(Exception)
    def _unexpected(error):
        if app.testing:
            raise error
        log.exception("Unhandled error")
        return error_response(500)
