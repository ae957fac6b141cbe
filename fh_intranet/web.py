"""Rendering: one helper answers a full page or, for htmx, only its fragment."""
import json
import unicodedata
from urllib.parse import quote, urlsplit

from flask import current_app, make_response, redirect, render_template, request, url_for
from jinja2_fragments.flask import render_block
from werkzeug.exceptions import HTTPException, MethodNotAllowed


def init_app(app) -> None:
    @app.after_request
    def _keep_post_only_addresses_out_of_history(response):
        """A boosted form's answer shown as a page (a refusal, a second look) puts the form's
        address into the browser's history; where that address answers POST only, going back to
        it or reloading answered 405."""
        if request.method == "GET" or not is_htmx() or "HX-Push-Url" in response.headers:
            return response
        try:
            current_app.create_url_adapter(request).match(request.path, method="GET")
        except MethodNotAllowed:
            response.headers["HX-Push-Url"] = "false"
        except HTTPException:
            pass
        return response


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


def render_form(template: str, form, *, outcome: Exception | None = None, fragment: str | None = None,
                form_name: str = "form", **context):
    """The one way to answer a form page: 200 when first shown, 422 when the input is refused,
    409 when the rules refuse the action (`Refused`) or someone else saved first (`EditConflict`).

    On a conflict the form keeps the person's input, now builds on the stored version, and the
    template's `conflict_panel` shows what the other person saved.
    """
    from .changes import CONFLICT_MESSAGE, EditConflict, Refused

    if isinstance(outcome, EditConflict):
        form.form_errors.append(CONFLICT_MESSAGE)
        if outcome.version is not None and hasattr(form, "version"):
            form.version.data = outcome.version
        context["conflict"] = outcome
        status = 409
    elif isinstance(outcome, Refused):
        form.form_errors.append(outcome.message)
        status = 409
    elif outcome is not None:
        raise TypeError(f"render_form cannot show {outcome!r}")
    else:
        status = 422 if form.is_submitted() else 200
    return render(template, fragment=fragment, status=status, **{form_name: form}, **context)


def refusal_response(refused, endpoint: str, **values):
    """A refused one-click action: the message in the page's message region (htmx) or as a
    flash message on the page the action came from."""
    from flask import abort, flash

    if wants_fragment():
        abort(409, refused.message)
    flash(refused.message, "error")
    return see_other(endpoint, **values)


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
    """Only local paths may be redirect targets after login. Browsers read a backslash as a slash,
    so "/\\evil.example" leads off the site as "//evil.example" would (htmx's HX-Location passes it on
    as written)."""
    if not target:
        return default
    parts = urlsplit(target)
    if (parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//")
            or "\\" in target or not target.isprintable()):
        return default
    return target


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """The header that names a download: the name as written (RFC 6266 `filename*`, UTF-8), and
    for clients that read only `filename` the same without umlauts („Ubersicht Trager.pdf“)."""
    stem, dot, extension = filename.rpartition(".") if "." in filename else (filename, "", "")
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode().replace('"', "").strip()
    plain = f"{stem or 'datei'}{dot}{extension}"  # „Звіт.pdf“: „datei.pdf“, not the hidden „.pdf“
    return (f'{"inline" if inline else "attachment"}; filename="{plain}"; '
            f"filename*=UTF-8''{quote(filename, safe='')}")
