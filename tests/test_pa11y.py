"""pa11y with both of its runners, HTML_CodeSniffer and axe-core, on every kind of page of the demo.

A second pair of engines beside the browser tests' axe run: HTML_CodeSniffer reads WCAG 2 AA
differently (names of hidden inputs, contrast of text over backgrounds it computes itself). Every
kind of page is checked once, as the least privileged role that reaches it, in Debian's Chromium.
"""
import json
import os
import signal
import subprocess
from pathlib import Path

import pytest

from fh_intranet import demo
from fh_intranet.people.models import Person

from .page_kinds import collect_pages, kind_of

pytestmark = pytest.mark.browser

# `make test` installs pa11y-ci from the npm registry into the virtualenv (Node is needed for the
# tests only; `make run` never uses it).
PA11Y_CI = Path(os.environ.get("PA11Y_CI", Path(__file__).parent.parent / ".venv" / "pa11y" / "node_modules"
                               / ".bin" / "pa11y-ci"))
CHROMIUM = "/usr/bin/chromium"
ROLES_LEAST_PRIVILEGED_FIRST = ("partner", "member", "coordinator")


@pytest.fixture(scope="session")
def pa11y_ci():
    if not PA11Y_CI.exists() or not Path(CHROMIUM).exists():
        if os.environ.get("FH_REQUIRE_BROWSER"):
            pytest.fail(f"FH_REQUIRE_BROWSER is set but {PA11Y_CI} or {CHROMIUM} is missing")
        pytest.skip("pa11y needs Node and npm (`make test` installs pa11y-ci) and Debian's chromium")
    return PA11Y_CI


def pages_to_check(app) -> list[dict]:
    """One URL per kind of page, each with the session cookie of the first role that reaches it."""
    urls, kinds = [], set()
    for path in ["/anmelden", "/passwort-vergessen", "/barrierefreiheit/", "/gibt-es-nicht"]:
        urls.append({"path": path, "cookie": ""})
        kinds.add(kind_of(app, path))
    for role in ROLES_LEAST_PRIVILEGED_FIRST:
        client = app.test_client(user=Person.get(Person.email == demo.LOGINS[role]))
        cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
        for path in collect_pages(app, client, per_kind=1):
            if kind_of(app, path) not in kinds:
                kinds.add(kind_of(app, path))
                urls.append({"path": path, "cookie": f"{cookie.key}={cookie.value}"})
    return urls


def test_pa11y_finds_nothing_on_any_kind_of_page(pa11y_ci, app, live_server, demo_data, tmp_path):
    pages = pages_to_check(app)
    assert len(pages) >= 30, [page["path"] for page in pages]
    # pa11y-ci's own concurrency shares one browser and loses pages to it ("No target with given
    # id"); two runners of a half each, a browser each, take half the time (most of it is waiting).
    halves = [pages[0::2], pages[1::2]]
    env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"}
    runs = []
    for number, half in enumerate(halves):
        config = {
            "defaults": {
                "runners": ["htmlcs", "axe"], "standard": "WCAG2AA", "timeout": 120_000, "concurrency": 1,
                "chromeLaunchConfig": {"executablePath": CHROMIUM, "args": ["--no-sandbox", "--disable-gpu"]},
            },
            "urls": [{"url": live_server + page["path"], "headers": {"Cookie": page["cookie"]}} if page["cookie"]
                     else live_server + page["path"] for page in half],
        }
        path = tmp_path / f"pa11y-{number}.json"
        path.write_text(json.dumps(config))
        # Output to files (a pipe not read while the other half is awaited could fill and stall it);
        # a session of its own, so that a failure stops the browsers pa11y started too.
        with open(tmp_path / f"pa11y-{number}.out", "w") as out, open(tmp_path / f"pa11y-{number}.err", "w") as err:
            runs.append(subprocess.Popen([str(pa11y_ci), "--config", str(path), "--json"], stdout=out,
                                         stderr=err, env=env, start_new_session=True))
    results = {}
    try:
        for number, (run, half) in enumerate(zip(runs, halves, strict=True)):
            run.wait(timeout=1200)
            report = json.loads((tmp_path / f"pa11y-{number}.out").read_text() or "{}")
            assert report.get("total") == len(half), (tmp_path / f"pa11y-{number}.err").read_text()[-2000:]
            results.update(report["results"])
    finally:
        for run in runs:
            if run.poll() is None:
                os.killpg(run.pid, signal.SIGKILL)
                run.wait()
    issues = [f"{url.removeprefix(live_server)}: [{issue.get('runner')}] {issue.get('code')} – "
              f"{issue.get('message')} ({issue.get('selector')})"
              for url, found in results.items() for issue in found]
    assert not issues, "\n".join(issues)
