"""Every page of the demo, for every role, is valid HTML by the W3C Nu checker (vnu.jar).

The pages are collected by following links with the test client (a few per kind of page), written
to files, and checked by one run of the checker. htmx's `hx-*` attributes are not HTML and are
filtered out; everything else counts.
"""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from fh_intranet import demo
from fh_intranet.people.models import Person

from .page_kinds import collect_pages

# vnu reports attributes it does not know; htmx's are ours on purpose.
HTMX_ATTRIBUTE = "Attribute “hx-"


# `make test` fetches the checker (vnu-jar from the npm registry) into the virtualenv.
VNU_JAR = Path(os.environ.get("VNU_JAR", Path(__file__).parent.parent / ".venv" / "vnu" / "vnu.jar"))


def nu_errors(pages: dict[str, str], folder: Path) -> list[str]:
    """The Nu checker's errors over `pages`, as readable lines."""
    names = {}
    for number, (path, html) in enumerate(sorted(pages.items())):
        (folder / f"page{number}.html").write_text(html, encoding="utf-8")
        names[f"page{number}.html"] = path
    result = subprocess.run(
        ["java", "-Xss4m", "-jar", str(VNU_JAR), "--format", "json", "--errors-only",
         *[str(folder / name) for name in names]],
        capture_output=True, text=True, timeout=900, check=False)
    messages = json.loads(result.stderr or "{}").get("messages", [])
    return [f"{names.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))}:{m.get('lastLine')}: {m['message']}"
            for m in messages if not m["message"].startswith(HTMX_ATTRIBUTE)]


@pytest.fixture
def demo_pages(app, demo_data):
    pages = {"anonymous": collect_pages(app, app.test_client(), "/anmelden")}
    anonymous = app.test_client()
    for path in ["/passwort-vergessen", "/einladung/abgelaufen", "/gibt-es-nicht"]:
        pages["anonymous"][path] = anonymous.get(path).get_data(as_text=True)
    pages["anonymous"]["/anmelden (errors)"] = anonymous.post("/anmelden", data={}).get_data(as_text=True)
    for role, email in demo.LOGINS.items():
        client = app.test_client(user=Person.get(Person.email == email))
        pages[role] = collect_pages(app, client)
    return pages


@pytest.fixture(scope="session")
def nu_checker():
    if not shutil.which("java") or not VNU_JAR.exists():
        if os.environ.get("FH_REQUIRE_BROWSER"):
            pytest.fail(f"FH_REQUIRE_BROWSER is set but java or {VNU_JAR} is missing")
        pytest.skip("the Nu HTML checker needs Java and npm (`make test` fetches vnu-jar)")


def test_every_demo_page_is_valid_html(nu_checker, demo_pages, tmp_path):
    everything = {f"{role} {path}": html for role, pages in demo_pages.items() for path, html in pages.items()}
    assert len(demo_pages["coordinator"]) >= 20, sorted(demo_pages["coordinator"])
    errors = nu_errors(everything, tmp_path)
    assert not errors, "\n".join(errors)


def test_every_form_is_an_app_form(app):
    """Hidden fields without ids are what keeps a page with several forms valid; every form gets
    them by being a `Form`."""
    from flask_wtf import FlaskForm

    from fh_intranet.forms import Form

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    strays = [f"{c.__module__}.{c.__name__}" for c in subclasses(FlaskForm)
              if c.__module__.startswith("fh_intranet") and not issubclass(c, Form)]
    assert not strays


def test_hidden_fields_carry_no_id(app):
    """Two forms on one page (a comment form and a signature form, say) would otherwise both
    declare id="csrf_token", id="version" and id="form_token"."""
    from fh_intranet.agreements.forms import CommentForm, VersionForm

    with app.test_request_context():
        hidden = str(CommentForm().hidden_tag()) + str(VersionForm().hidden_tag())
    assert hidden.count('name="csrf_token"') == 2 and 'name="version"' in hidden
    assert "id=" not in hidden
