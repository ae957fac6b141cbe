"""The search page: /suche/?q=…&art=…&seite=… (a plain GET form; htmx only makes it live)."""
from flask import Blueprint, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..permissions import requires
from ..web import render
from . import text
from .query import search
from .registry import KINDS

bp = Blueprint("search", __name__, url_prefix="/suche")
MAX_QUERY = 200


def _status(results) -> str:
    if not results.query.strip():
        return ""
    if not results.total:
        words = text.query_words(results.query)
        if words and text.typed_prefix(words) is None:  # the last word was taken whole
            return _("Keine Treffer für „%(query)s“. Nach Wortanfängen wird ab %(letters)d Buchstaben gesucht.",
                     query=results.query, letters=text.MIN_PREFIX)
        return _("Keine Treffer für „%(query)s“.", query=results.query)
    return ngettext("%(num)d Treffer für „%(query)s“.", "%(num)d Treffer für „%(query)s“.", results.total,
                    query=results.query)


@bp.get("/")
@requires("search.use")
def index():
    query = " ".join(request.args.get("q", "").split())[:MAX_QUERY]
    kind = request.args.get("art") or None
    page = request.args.get("seite", 1, type=int) or 1
    results = search(query, current_user._get_current_object(), kind=kind, page=min(max(page, 1), 10_000))

    def link(**changes):
        args = {"q": results.query, "art": results.kind, "seite": None}
        args.update(changes)
        return url_for("search.index", **{k: v for k, v in args.items() if v})

    # The whole page also for htmx: the header's search box picks #main out of it (hx-select),
    # so the page's message region and headings stay as they are on a full load.
    return render("search/index.html", results=results, kinds=KINDS, link=link,
                  search_query=results.query, search_status=_status(results))
