"""CSRF on every state change (htmx too), security headers, no inline script or style."""
import re
from pathlib import Path

import pytest

from .conftest import csrf_from, submit

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_post_without_token_is_refused_in_german(client_as):
    client = client_as("coordinator")
    response = client.post("/organisationen/neu", data={"name": "Ohne Token", "sector": "other"})
    assert response.status_code == 400
    assert "Sicherheitsprüfung fehlgeschlagen" in response.get_data(as_text=True)


def test_htmx_post_without_token_is_refused(client_as):
    client = client_as("member")
    response = client.post("/konto/passwort", data={"current_password": "x"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert 'role="alert"' in response.get_data(as_text=True)


def test_htmx_post_with_header_token_is_accepted(client_as):
    """htmx sends the token from <body hx-headers> as X-CSRFToken, with no form field."""
    client = client_as("member")
    page = client.get("/konto/").get_data(as_text=True)
    header_token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    response = client.post("/konto/passwort", data={"current_password": "x"},
                           headers={"HX-Request": "true", "X-CSRFToken": header_token})
    assert response.status_code == 422  # reached the form validation: CSRF passed


def test_login_post_needs_token(client, people):
    response = client.post("/anmelden", data={"email": people["member"].email, "password": "x"})
    assert response.status_code == 400


def test_token_from_another_session_is_refused(app, client_as):
    token = csrf_from(client_as("member").get("/konto/").get_data(as_text=True))
    other = client_as("coordinator")
    response = other.post("/organisationen/neu", data={"csrf_token": token, "name": "X", "sector": "other"})
    assert response.status_code == 400


def test_security_headers_on_pages(client):
    response = client.get("/anmelden")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "HX-Request" in response.headers["Vary"]
    assert response.headers["Cache-Control"] == "private, no-store"


def test_error_pages_carry_headers_too(client):
    response = client.get("/gibt-es-nicht")
    assert response.status_code == 404
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    text = response.get_data(as_text=True)
    assert "Seite nicht gefunden" in text and "<main" in text


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.name)
def test_no_inline_script_style_or_eval_handlers(template):
    text = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)", text), "inline <script>"
    assert not re.search(r"\sstyle=", text), "style attribute"
    assert "<style" not in text
    assert not re.search(r"\son\w+=", text), "inline event handler"
    assert "hx-on" not in text and "js:" not in text


def test_htmx_is_vendored_and_referenced_locally(client):
    page = client.get("/anmelden").get_data(as_text=True)
    assert re.search(r'<script src="/static/htmx-2\.0\.\d+\.min\.[0-9a-f]{12}\.js" defer>', page)
    assert "http://" not in page.split("<body")[0] and "https://" not in page.split("<body")[0]
    assert client.get(re.search(r'src="(/static/htmx[^"]+)"', page).group(1)).status_code == 200


def test_htmx_config_allows_no_eval_and_swaps_422(client):
    import html
    import json

    page = client.get("/anmelden").get_data(as_text=True)
    config = json.loads(html.unescape(re.search(r'<meta name="htmx-config" content="([^"]+)"', page).group(1)))
    assert config["allowEval"] is False and config["includeIndicatorStyles"] is False
    assert any(re.fullmatch(rule["code"], "422") and rule["swap"] for rule in config["responseHandling"])


def test_production_refuses_to_start_without_secret_key(tmp_path, monkeypatch):
    from fh_intranet import create_app
    from fh_intranet.config import ConfigError

    monkeypatch.setenv("FH_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"INSTANCE_PATH": str(tmp_path)})


def test_development_generates_and_keeps_a_secret_key(tmp_path):
    from fh_intranet.config import from_environment

    first = from_environment(tmp_path, environ={"FH_ENV": "development"})
    second = from_environment(tmp_path, environ={"FH_ENV": "development"})
    assert first["SECRET_KEY"] == second["SECRET_KEY"] and len(first["SECRET_KEY"]) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_logout_needs_csrf_token_too(client_as):
    client = client_as("member")
    assert client.post("/abmelden").status_code == 400
    assert client.get("/").status_code == 200
    assert submit(client, "/", action="/abmelden").status_code == 303


def test_server_error_page_is_german_and_inside_the_layout(app):
    from fh_intranet.errors import error_response

    with app.test_request_context("/"):
        body, status, _headers = error_response(500)
    assert status == 500
    assert "Interner Fehler" in body and "<main" in body and "Zur Startseite" in body


def test_base_url_follows_the_port_when_not_set(tmp_path):
    """`make run PORT=5050` must not leave calendar and mail links on port 5000."""
    from fh_intranet.config import from_environment

    assert from_environment(tmp_path, environ={"FH_ENV": "development", "PORT": "5050"})["BASE_URL"] == \
        "http://127.0.0.1:5050"
    assert from_environment(tmp_path, environ={"FH_ENV": "development"})["BASE_URL"] == "http://127.0.0.1:5000"
    chosen = from_environment(tmp_path, environ={"FH_ENV": "development", "PORT": "5050",
                                                 "BASE_URL": "https://intranet.example.org/"})
    assert chosen["BASE_URL"] == "https://intranet.example.org"
