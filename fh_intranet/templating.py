"""What every template may use."""
import json
from pathlib import Path
from urllib.parse import quote

from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf

from . import dates, markdown, permissions
from .i18n import LANGUAGE_NAMES, LOCALES
from .static_files import static_url
from .web import wants_fragment

HTMX_VERSION = "2.0.11"

# The favicon inside each page: browsers fetch a linked icon again on every navigation, so a
# linked one would make each page view two requests instead of one.
FAVICON = "data:image/svg+xml," + quote((Path(__file__).parent.parent / "static" / "favicon.svg").read_text().strip(), safe="")

# Strict CSP: no eval, no injected <style>; 422 (form errors) swaps like 200; other errors
# show their short message in the page's message region.
HTMX_CONFIG = json.dumps({
    "allowEval": False,
    "allowScriptTags": False,
    "includeIndicatorStyles": False,
    "selfRequestsOnly": True,
    # Pages hold personal data: do not copy them into localStorage for the back button.
    "historyCacheSize": 0,
    "refreshOnHistoryMiss": True,
    "responseHandling": [
        {"code": "204", "swap": False},
        {"code": "[23]..", "swap": True},
        {"code": "409|422|429", "swap": True},
        # scrolled into view: on a phone the region is screens above the form that was sent
        {"code": "[45]..", "swap": True, "error": True, "target": "#messages", "swapOverride": "innerHTML show:top"},
    ],
})


def init_app(app):
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def _globals():
        return {
            "can": permissions.can,
            "csrf_token": generate_csrf,
            "htmx_config": HTMX_CONFIG,
            "htmx_src": static_url(f"htmx-{HTMX_VERSION}.min.js"),
            "static_url": static_url,
            "favicon": FAVICON,
            "current_locale": str(get_locale()),
            "locales": LOCALES,
            "language_names": LANGUAGE_NAMES,
        }

    # a global, not a context variable: imported macros (paging) see globals only
    app.jinja_env.globals["wants_fragment"] = wants_fragment
    app.jinja_env.filters["datetime"] = dates.when
    app.jinja_env.filters["timespan"] = dates.span
    app.jinja_env.filters["markdown"] = markdown.render
    app.jinja_env.filters["kept_markdown"] = lambda stored, text, heading_offset=1: markdown.shown(
        stored, text, heading_offset=heading_offset)
    app.jinja_env.filters["saved_value"] = saved_value
    app.jinja_env.filters["date"] = dates.day


def saved_value(current, field) -> str:
    """The stored value of `current` behind form `field`, as the form would show it."""
    from datetime import date, datetime

    from flask_babel import gettext

    value = getattr(current, field.name, None)
    if value is None:
        return ""
    value = getattr(value, "id", value) if hasattr(value, "_meta") else value
    if isinstance(value, bool):
        return gettext("ja") if value else gettext("nein")
    if isinstance(value, datetime):
        return dates.when(value)
    if isinstance(value, date):
        return dates.day(value)
    for choice in getattr(field, "choices", None) or []:
        choice_value, label = (choice.value, choice.label) if hasattr(choice, "label") else choice[:2]
        if str(choice_value) == str(value):
            return str(label)
    return str(value)
