"""`make bench`: the app as the Procfile starts it, on a seed-bench data set, measured with wrk.

    .venv/bin/python -m bench.run        # BENCH_YEARS=10 BENCH_SECONDS=5 WEB_CONCURRENCY=2 WEB_THREADS=4
    BENCH_ONLY="start page,CSV" …        # only the cases whose names contain one of these

For each page, export and the vote click it runs wrk at 8 connections against gunicorn on
loopback, and right before it the bare baseline (bench/baseline.py: a Flask + peewee page of 50
rows for pages, a one-row update in a transaction for the vote click) on the same database, so
that both see the same machine load, and then with one client alone (what a single request
costs). It prints requests/s, latency percentiles, the ratio to the baseline, the single client's
median and slowest request, SQL statements per request (counted in-process with the same requests) and the bytes
of each answer, raw and as sent compressed. SQLite always; PostgreSQL too when DATABASE_URL
points to one (in a schema of its own, dropped afterwards). Figures only: nothing here passes or
fails on a time.
"""
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

import requests
from playhouse.db_url import connect

from bench import cases
from bench.queries import counting

ROOT = Path(__file__).resolve().parent.parent
CONNECTIONS = 8
ALONE_SECONDS = 2  # one client, one request at a time: what a single request costs
PASSWORD = "netzwerk-bench-2026"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass
class Measure:
    rps: float
    p50: float
    p90: float
    p99: float
    errors: int
    max: float = 0.0


@dataclass
class Row:
    name: str
    kind: str
    measure: Measure
    baseline: Measure
    queries: int
    raw: int
    sent: int
    alone: Measure | None = None  # one client at a time: the "no request over 100 ms"
    baseline_raw: int = 0  # bytes of the bare page, for the ratio per byte

    def per_byte(self) -> str:
        """Bytes per second against the bare page's: whether a page costs more per byte it shows,
        or only shows more bytes than 50 short rows."""
        if not (self.raw and self.baseline_raw and self.baseline.rps):
            return "–"
        return f"{self.measure.rps * self.raw / (self.baseline.rps * self.baseline_raw):.2f}"


def main():
    years = int(os.environ.get("BENCH_YEARS", "10"))
    seconds = int(os.environ.get("BENCH_SECONDS", "5"))
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian: apt-get install -y wrk).")
    print(f"# FH-Intranet benchmark, {years} years of data, {CONNECTIONS} connections, {seconds} s per case")
    print(machine())
    with tempfile.TemporaryDirectory(prefix="fh-bench-") as folder:
        report(run_on("SQLite", f"sqlite:///{folder}/bench.sqlite3", folder, years, seconds))
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith("postgres"):
        schema = f"bench_{secrets.token_hex(4)}"
        admin = connect(base)
        admin.execute_sql(f'CREATE SCHEMA "{schema}"')
        separator = "&" if "?" in base else "?"
        try:
            with tempfile.TemporaryDirectory(prefix="fh-bench-") as folder:
                url = f"{base}{separator}options={quote(f'-csearch_path={schema}')}"
                report(run_on("PostgreSQL", url, folder, years, seconds))
        finally:
            admin.execute_sql(f'DROP SCHEMA "{schema}" CASCADE')
            admin.close()


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    return (f"Machine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC")


def run_on(label: str, url: str, folder: str, years: int, seconds: int) -> tuple[str, list[Row]]:
    env = {**os.environ, "DATABASE_URL": url, "FH_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
           "LOG_LEVEL": "WARNING", "INSTANCE_PATH": folder}
    flask = [sys.executable, "-m", "flask", "--app", "fh_intranet"]
    subprocess.run(flask + ["db", "upgrade"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    started = time.monotonic()
    subprocess.run(flask + ["seed-bench", "--years", str(years)], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    print(f"\n## {label}: seed-bench --years {years} took {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    subprocess.run(flask + ["search-reindex"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    print(f"search-reindex of that data took {time.monotonic() - started:.1f} s")
    subprocess.run([sys.executable, "-c", "from bench import baseline; baseline.prepare()"], env=env, cwd=ROOT,
                   check=True)
    plan = in_process_plan(url)
    app_port, baseline_port = free_port(), free_port()
    env["BASE_URL"] = f"http://127.0.0.1:{app_port}"
    with server(["wsgi:app"], app_port, env, folder, "app"), \
            server(["bench.baseline:app"], baseline_port, env, folder, "baseline"):
        app, bare = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{baseline_port}"
        member = login(app, plan["member"])
        cookie = member_cookie(member)
        bare_raw, _ = sizes(f"{bare}/rows", "")
        rows = []
        only = [word.strip() for word in os.environ.get("BENCH_ONLY", "").split(",") if word.strip()]
        for case in plan["cases"]:
            if only and not any(word in case.name for word in only):
                continue
            baseline = wrk(f"{bare}/rows", seconds)
            measure = wrk(app + case.url, seconds, cookie=cookie)
            alone = wrk(app + case.url, ALONE_SECONDS, cookie=cookie, threads=1, connections=1)
            raw, sent = sizes(app + case.url, cookie)
            rows.append(Row(case.name, case.kind, measure, baseline, plan["queries"][case.name], raw, sent, alone,
                            bare_raw))
        voters = [login(app, email) for email in plan["voters"]]
        vote_env = {"BENCH_TOPIC": str(plan["topic"])}
        for number, session in enumerate(voters, start=1):
            # The token first: fetching the page stores its secret in the session cookie.
            vote_env[f"BENCH_CSRF_{number}"] = csrf_of(session.get(app + plan["ballot"]).text)
            vote_env[f"BENCH_COOKIE_{number}"] = member_cookie(session)
        baseline = wrk(f"{bare}/update", seconds, script=True, threads=len(voters))
        measure = wrk(f"{app}/abstimmungen/{plan['round']}/punkte", seconds, script=True, threads=len(voters),
                      extra_env=vote_env)
        rows.append(Row("vote click (htmx POST)", "write", measure, baseline, plan["vote_queries"], 0, 0))
    return label, rows


def in_process_plan(url: str) -> dict:
    """The cases, and what each costs in SQL statements, asked through Flask's test client."""
    from fh_intranet import create_app
    from fh_intranet.auth import sessions
    from fh_intranet.bench_data import LOGINS
    from fh_intranet.people.models import MEMBER, Person
    from fh_intranet.topics import voting
    from fh_intranet.topics.models import Ballot, RoundTopic

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        person = Person.get(Person.email == LOGINS[MEMBER])
        client = app.test_client()
        with app.test_request_context():
            _, cookie_id = sessions.start(person, remember=False, user_agent="")
        with client.session_transaction() as session:
            session.update({"_user_id": cookie_id, "_fresh": True})
        client.get("/kalender/")  # the calendar feed the list includes
        found = cases.pages(person)
        queries = {}
        for case in found:
            # Each request in an app context of its own, with its own `g`, as on the server: inside
            # this outer one the test client shares it, and what a request keeps in `g` (the login
            # session, the header's unread count) was not asked again (two statements short).
            with app.app_context():
                client.get(case.url)  # a first visit may set things up (a PDF kept, a feed made)
            with app.app_context(), counting() as counter:
                client.get(case.url).get_data()
            queries[case.name] = counter.count
        ballot = next(case for case in found if case.name == "ballot")
        round_id = int(ballot.url.rstrip("/").rsplit("/", 1)[1])
        round_ = voting.VotingRound.get_by_id(round_id)
        voted = Ballot.select(Ballot.person).where(Ballot.round == round_id)
        voters = [p.email for p in voting.eligible_voters(round_).where(
            Person.role == MEMBER, Person.id.not_in(voted), Person.id != person.id).order_by(Person.id)
            .limit(CONNECTIONS - 1)]
        topic = RoundTopic.select().where(RoundTopic.round == round_id).order_by(RoundTopic.id).first().topic_id
        page = client.get(ballot.url).get_data(as_text=True)
        headers = {"HX-Request": "true", "X-CSRFToken": csrf_of(page)}
        client.post(f"/abstimmungen/{round_id}/punkte", data={"topic": topic, "delta": "1"}, headers=headers)
        with app.app_context(), counting() as counter:
            client.post(f"/abstimmungen/{round_id}/punkte", data={"topic": topic, "delta": "-1"}, headers=headers)
        return {"cases": found, "queries": queries, "member": person.email, "voters": [person.email] + voters,
                "ballot": ballot.url, "round": round_id, "topic": topic, "vote_queries": counter.count}


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class server:
    """gunicorn as the Procfile runs it, on loopback; stopped (its whole group) on exit."""

    def __init__(self, target, port, env, folder, name):
        self.command = [sys.executable, "-m", "gunicorn", "--workers", os.environ.get("WEB_CONCURRENCY", "2"),
                        "--threads", os.environ.get("WEB_THREADS", "4"), "--bind", f"127.0.0.1:{port}",
                        "--timeout", "60", "--graceful-timeout", "10", "--no-control-socket", *target]
        self.port, self.env, self.log = port, env, Path(folder) / f"{name}.log"

    def __enter__(self):
        self.output = open(self.log, "wb")
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=self.output,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                requests.get(f"http://127.0.0.1:{self.port}/", timeout=5)
                return self
            except requests.RequestException:
                if self.process.poll() is not None:
                    break
                time.sleep(0.3)
        self.__exit__()
        raise SystemExit(f"server did not start: {self.log.read_text(errors='replace')[-2000:]}")

    def __exit__(self, *exc):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.output.close()


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    return (match.group(1) or match.group(2)) if match else ""


def login(base: str, email: str) -> requests.Session:
    session = requests.Session()
    token = csrf_of(session.get(f"{base}/anmelden", timeout=30).text)
    response = session.post(f"{base}/anmelden", data={"csrf_token": token, "email": email, "password": PASSWORD},
                            allow_redirects=False, timeout=30)
    if response.status_code != 303:
        raise SystemExit(f"login as {email} failed: {response.status_code}")
    return session


def member_cookie(session: requests.Session) -> str:
    return "; ".join(f"{name}={value}" for name, value in session.cookies.items())


def sizes(url: str, cookie: str) -> tuple[int, int]:
    """Bytes of the answer as produced and as sent to a browser that accepts br/gzip."""
    def fetch(encoding):
        request = urllib.request.Request(url, headers={"Cookie": cookie, "Accept-Encoding": encoding})
        with urllib.request.urlopen(request, timeout=60) as response:
            return len(response.read())
    return fetch("identity"), fetch("br, gzip")


def wrk(url: str, seconds: int, *, cookie: str = "", script: bool = False, threads: int = 2,
        connections: int | None = None, extra_env: dict | None = None) -> Measure:
    connections = connections or (threads if script else CONNECTIONS)
    command = ["wrk", "--latency", "-t", str(threads), "-c", str(connections),
               "-d", f"{seconds}s", "--timeout", "30s"]
    if script:
        command += ["-s", str(ROOT / "bench" / "post.lua")]
    else:
        command += ["-H", f"Cookie: {cookie}", "-H", "Accept-Encoding: br, gzip"]
    output = subprocess.run(command + [url], capture_output=True, text=True, env={**os.environ, **(extra_env or {})},
                            check=True).stdout
    latency = {m.group(1): float(m.group(2)) * UNITS[m.group(3)]
               for m in re.finditer(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)}
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    slowest = re.search(r"^\s+Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s)", output, re.MULTILINE)
    return Measure(rps, latency.get("50", 0), latency.get("90", 0), latency.get("99", 0),
                   int(errors.group(1)) if errors else 0,
                   float(slowest.group(1)) * UNITS[slowest.group(2)] if slowest else 0.0)


def report(result: tuple[str, list[Row]]) -> None:
    label, rows = result
    print(f"\n### {label}\n")
    print("| case | req/s | p50 ms | p90 ms | p99 ms | baseline req/s | × baseline | × baseline per KB | alone p50 ms "
          "| alone max ms | queries | KB raw | KB sent |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        m, b, a = row.measure, row.baseline, row.alone
        errors = f" ({m.errors} refused)" if m.errors else ""
        alone = f"{a.p50:.1f} | {a.max:.1f}" if a else "– | –"
        print(f"| {row.name}{errors} | {m.rps:.0f} | {m.p50:.1f} | {m.p90:.1f} | {m.p99:.1f} | {b.rps:.0f} | "
              f"{m.rps / b.rps if b.rps else 0:.2f} | {row.per_byte()} | {alone} | {row.queries} | {row.raw / 1024:.1f} | "
              f"{row.sent / 1024:.1f} |", flush=True)


if __name__ == "__main__":
    main()
