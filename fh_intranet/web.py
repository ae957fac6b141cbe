"""Rendering: one helper answers a full page or, for htmx, only its fragment."""
import json
from urllib.parse import urlsplit

from flask import current_app, make_response, redirect, render_template, request, url_for
from jinja2_fragments.flask import render_block


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def wants_fragment() -> bool:
    # Boosted links and history restores want the whole page.
    return (
        is_htmx()
        and request.headers.get("HX-Boosted") != "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render(template: str, *, fragment: str | None = None, status: int = 200, **context):
    """Render `template`, or only its block `fragment` when htmx asked for a part of the page."""
    if fragment and wants_fragment():
        body = render_block(template, fragment, **context)
    else:
        body = render_template(template, **context)
    return make_response(body, status)


def see_other(endpoint: str, **values):
    """Post/Redirect/Get: 303 so the browser follows with GET."""
    return see_other_url(url_for(endpoint, **values))


def see_other_url(url: str):
    if wants_fragment():
        # htmx would follow a 303 inside its request and swap the whole page into a fragment's
        # place; HX-Location makes it load `url` as a page instead.
        response = make_response("", 204)
        response.headers["HX-Location"] = json.dumps({"path": url, "target": "body"})
        return response
    return redirect(url, code=303)


def external_url(endpoint: str, **values) -> str:
    """An absolute link for mails, built on BASE_URL: never on the request's Host header,
    which a client can forge to point reset links at another site."""
    return current_app.config["BASE_URL"] + url_for(endpoint, **values)


def safe_next(target: str | None, default: str) -> str:
    """Only local paths may be redirect targets after login."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target
