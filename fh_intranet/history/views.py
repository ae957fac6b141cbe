"""The coordinator's audit log (/protokoll/ with filters, paging and a CSV for Excel), and the
history section that object pages include (`change_history(obj)` in templates)."""
import json

from flask import Blueprint, request, url_for
from flask_babel import gettext as _

from .. import csvexport
from ..permissions import can, requires
from ..timezones import utc_to_berlin
from ..web import render
from . import queries
from .describe import ACTIONS, OBJECT_TYPES, Wording, describe, details_text, object_label, shown_details, summary

bp = Blueprint("history", __name__, url_prefix="/protokoll")


@bp.app_context_processor
def _history_for_templates():
    def change_history(obj):
        """(entries, total, log_url) of `obj` for the person viewing, or None where they may not see it."""
        if obj is None or not can("history.read", obj):
            return None
        events, total = queries.history_of(obj)
        log_url = (url_for("history.index", objektart=type(obj).__name__, objekt=obj.id)
                   if can("audit.browse") else None)
        wording = Wording()
        return [describe(event, wording) for event in events], total, log_url

    return {"change_history": change_history}


@bp.app_template_filter("object_label")
def _object_label(object_type: str) -> str:
    return object_label(object_type)


def _filter_args(filters: dict) -> dict:
    return {name: (value.isoformat() if hasattr(value, "isoformat") else value)
            for name, value in filters.items() if value}


@bp.get("/")
@requires("audit.browse")
def index():
    filters, typed = queries.parse_filters(request.args)
    query = queries.filtered(filters)
    total = query.count()
    pages = max(1, -(-total // queries.PAGE_SIZE))
    page = min(max(request.args.get("seite", 1, type=int) or 1, 1), pages)
    events = list(query.paginate(page, queries.PAGE_SIZE))
    wording = Wording()
    known_actions = sorted(set(ACTIONS) | set(queries.actions_in_log()))
    object_types = sorted(set(OBJECT_TYPES) | set(queries.object_types_in_log()))
    return render("history/index.html", entries=[describe(event, wording) for event in events], filters=filters,
                  names=queries.object_names(events),
                  args=_filter_args(filters), typed=typed, total=total, page=page, pages=pages, people=queries.actors(),
                  actions=[(code, wording.label(ACTIONS, code)) for code in known_actions],
                  object_types=[(name, wording.label(OBJECT_TYPES, name)) for name in object_types], fragment="view")


@bp.get("/export.csv")
@requires("audit.browse")
def export():
    """Every event that matches the filters, streamed: ten years are 60,000 rows."""
    wording = Wording().settled()

    def to_row(row):
        created_at, actor_name, action, object_type, object_id, details = row
        details = shown_details(json.loads(details or "{}"))
        return [utc_to_berlin(created_at).strftime("%d.%m.%Y %H:%M:%S"), actor_name or "",
                wording.label(ACTIONS, action), action, wording.label(OBJECT_TYPES, object_type), object_id or "",
                summary(action, details, wording), details_text(details)]

    header = [_("Zeitpunkt"), _("Person"), _("Änderung"), _("Code"), _("Objektart"), _("Objekt-Nr."),
              _("Zusammenfassung"), _("Details")]
    filters, _typed = queries.parse_filters(request.args)
    return csvexport.streamed(header, queries.export_rows(filters), to_row, "protokoll.csv")
