"""Response headers that every answer carries; input no view should ever see."""
import re

from flask import abort, g, request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter

# C0 control characters other than tab, line feed and carriage return, and DEL. PostgreSQL cannot
# store NUL in text at all; the others have no business in a form either.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_MESSAGE = _l("Die Eingabe enthält unzulässige Steuerzeichen (zum Beispiel ein Nullbyte). "
                     "Bitte entfernen Sie diese Zeichen und versuchen Sie es erneut.")

# Ids are 32-bit on PostgreSQL (serial) and SQLite refuses integers beyond 64 bits: a larger id in
# a URL is simply a page that does not exist.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: non-negative and within what the database can hold."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def has_control_characters() -> bool:
    if CONTROL_CHARACTERS.search(request.path):
        return True
    values = list(request.args.items(multi=True))
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        values += list(request.form.items(multi=True))
        values += [(name, upload.filename or "") for name, upload in request.files.items(multi=True)]
    return any(CONTROL_CHARACTERS.search(name) or CONTROL_CHARACTERS.search(value) for name, value in values)

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    # data: for KERN's icons (SVG masks in its CSS) and the favicon; images cannot run script.
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def add_security_headers(headers, *, https: bool) -> None:
    """What every answer carries, Flask's and WhiteNoise's (static files) alike. A response may
    bring a stricter CSP of its own (e.g. the sandbox for downloads)."""
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "geolocation=(), microphone=(), camera=(), payment=()"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if https:
        headers["Strict-Transport-Security"] = "max-age=31536000"


PUBLISHED = "_fh_published_to_everyone"


def published() -> None:
    """This request's answer is the same for everyone and may be kept by shared caches (the public
    offerings directory): the one way out of `private, no-store`."""
    g.setdefault(PUBLISHED, True)


def install_converters(app):
    """Before any blueprint registers its routes."""
    app.url_map.converters["int"] = IdConverter


def init_app(app):
    @app.before_request
    def _refuse_control_characters():
        if has_control_characters():
            abort(400, CONTROL_MESSAGE)

    @app.after_request
    def _headers(response):
        headers = response.headers
        add_security_headers(headers, https=app.config["PREFERRED_URL_SCHEME"] == "https")
        response.vary.add("HX-Request")
        if request.endpoint != "static" and not (g.get(PUBLISHED) and "Set-Cookie" not in headers):
            # Pages, fragments and downloads (CSV, PDF, iCal, photos) may hold personal data: keep them
            # out of shared caches and the browser's disk cache, also after logout. Only a view that
            # publishes to everyone says so (`published()`), and never with a cookie set on the way.
            headers["Cache-Control"] = "private, no-store"
        return response
