"""The published directory: exports (CSV, JSON, PDF) for the town's portal and print, its JSON
Schema, and the public read-only page (off unless PUBLIC_DIRECTORY=1).

Exports need a login, unless the public directory is on: then the portal may fetch them too.
They carry only what each organisation entered into its offerings, never the people behind them.
"""
import json

from flask import Blueprint, Response, abort, current_app, request
from flask_babel import get_locale
from flask_login import current_user

from .. import pdf_cache, security
from ..extensions import login_manager
from ..permissions import public
from ..web import content_disposition, render
from . import exports, queries
from .models import COSTS, TARGET_GROUPS

bp = Blueprint("directory", __name__, url_prefix="/verzeichnis")


def _open_to_visitor():
    """None when the visitor may read the directory's exports, else the answer to give."""
    if current_user.is_authenticated or current_app.config["PUBLIC_DIRECTORY"]:
        return None
    return login_manager.unauthorized()


def _as_published(response: Response) -> Response:
    """A public directory's export is the same for everyone: the family portal may read it from
    its own pages in the browser (CORS; never with cookies, which `*` rules out) and caches may
    keep it for five minutes, per Cookie header (the language is a cookie's or the person's). A
    directory behind the login stays private."""
    if current_app.config["PUBLIC_DIRECTORY"]:
        security.published()
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.cache_control.public = True
        response.cache_control.max_age = 300
        response.vary.add("Cookie")
    return response


@bp.get("/")
@public
def public_page():
    if not current_app.config["PUBLIC_DIRECTORY"]:
        abort(404)
    filters = queries.filters_from(request.args)
    offerings = list(queries.filtered(queries.directory(), filters))
    return render("offerings/public.html", offerings=offerings, filters=filters,
                  districts=queries.districts(queries.directory()),
                  target_groups=TARGET_GROUPS, costs=COSTS, fragment="offering_list")


@bp.get("/angebote.csv")
@public
def csv():
    return _open_to_visitor() or _as_published(exports.csv_response(queries.directory()))


@bp.get("/angebote.json")
@public
def json_export():
    refused = _open_to_visitor()
    if refused:
        return refused
    body = json.dumps(exports.json_document(list(queries.directory())), ensure_ascii=False, indent=1)
    return _as_published(Response(body, mimetype="application/json",
                                  headers={"Content-Disposition": content_disposition("angebote.json", inline=True)}))


@bp.get("/angebote.pdf")
@public
def pdf():
    refused = _open_to_visitor()
    if refused:
        return refused
    offerings = list(queries.directory())
    # Open to every visitor when the directory is public: made once per content and day, not per request.
    body = pdf_cache.cached("directory", 0, exports.pdf_fingerprint(offerings), str(get_locale()),
                            lambda: exports.pdf_document(offerings))
    return _as_published(Response(body, mimetype="application/pdf",
                                  headers={"Content-Disposition": content_disposition("angebote.pdf")}))


@bp.get("/schema.json")
@public
def schema():
    """The JSON export's documented schema: open to everyone, like any format description."""
    return _as_published(Response(json.dumps(exports.schema(), ensure_ascii=False, indent=2),
                                  mimetype="application/schema+json"))
