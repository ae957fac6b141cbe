"""A real app server for load and concurrency tests: gunicorn on loopback, several workers.

Patient with a slow first start (a loaded 2-core machine, another copy of the suite running) and
always stopped, whatever the test did.
"""
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests
from flask import session
from flask_login.utils import _create_identifier
from flask_wtf.csrf import generate_csrf

from .conftest import free_port

ROOT = Path(__file__).resolve().parent.parent
USER_AGENT = "fh-intranet-load-test"
START_TIMEOUT = 180  # seconds; generous on purpose, the wait ends as soon as /healthz answers


@contextmanager
def gunicorn(app, database_url: str, instance_path, *, workers: int = 4, threads: int = 4):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": app.config["SECRET_KEY"], "FH_ENV": "test",
           "INSTANCE_PATH": str(instance_path), "LOG_LEVEL": "WARNING"}
    log_path = Path(instance_path) / "gunicorn.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", str(threads),
             "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--graceful-timeout", "10", "--keep-alive", "75", "--no-control-socket",
             "wsgi:app"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(base, process, log_path)
            yield base
        finally:
            _stop(process)


def _wait_until_up(base: str, process, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            if requests.get(f"{base}/healthz", timeout=10).status_code == 200:
                return
        except requests.RequestException:
            pass
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited: {log_path.read_text(errors='replace')[-3000:]}")
        if time.monotonic() > deadline:
            raise AssertionError(f"gunicorn did not answer within {START_TIMEOUT}s: "
                                 f"{log_path.read_text(errors='replace')[-3000:]}")
        time.sleep(0.3)


def _stop(process) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def login_cookie(app, person) -> tuple[str, str]:
    """A signed session cookie and CSRF token for `person`, as the login form would have made."""
    from fh_intranet.auth import sessions

    with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": USER_AGENT}):
        _row, cookie_id = sessions.start(person, remember=False, user_agent=USER_AGENT)
        session.update({"_user_id": cookie_id, "_fresh": True, "_id": _create_identifier()})
        token = generate_csrf()
        cookie = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    return cookie, token


class Browserless:
    """One person's HTTP session against the live server, submitting forms as a browser without JS would."""

    def __init__(self, app, base: str, person):
        self.base = base
        self.http = requests.Session()
        cookie, self.csrf = login_cookie(app, person)
        self.http.cookies.set("session", cookie)
        self.http.headers["User-Agent"] = USER_AGENT

    def get(self, path: str) -> requests.Response:
        return self._retry(lambda: self.http.get(self.base + path, timeout=120, allow_redirects=False))

    def post(self, path: str, data: dict) -> requests.Response:
        return self.http.post(self.base + path, data=data, timeout=120, allow_redirects=False)

    @staticmethod
    def _retry(call, attempts: int = 3):
        for attempt in range(attempts):
            try:
                return call()
            except requests.ConnectionError:
                if attempt == attempts - 1:
                    raise
                time.sleep(1)
