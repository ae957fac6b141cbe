"""The app server's entry point, `wsgi:app`, as the Procfile starts it."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_served_app_keeps_its_start_up_out_of_full_garbage_collections(tmp_path):
    """A full collection walked every object start-up made (some 55 ms each at ten years of data,
    on whichever request was running); frozen, they are skipped. Collection itself stays on."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}", "FH_ENV": "test",
           "SECRET_KEY": "wsgi-test", "INSTANCE_PATH": str(tmp_path), "LOG_LEVEL": "WARNING"}
    shown = subprocess.run(
        [sys.executable, "-c", "import gc, wsgi; print(type(wsgi.app).__name__, gc.get_freeze_count(), gc.isenabled())"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=120).stdout.split()
    kind, frozen, collecting = shown
    assert kind == "Flask"
    assert int(frozen) > 10_000, "start-up's objects are frozen"
    assert collecting == "True"


def test_two_app_servers_from_the_procfile_run_side_by_side_on_one_host(tmp_path):
    """Several app servers behind a load balancer may share a host. gunicorn 27 opens a control
    socket in the home folder by default: the second server took the first one's place (or, at the
    same moment, logged „File exists“), and the first stopping removed the second's."""
    from .conftest import free_port
    from .servers import _stop, _wait_until_up

    [web] = [line.removeprefix("web:").strip() for line in (ROOT / "Procfile").read_text().splitlines()
             if line.startswith("web:")]
    database = f"sqlite:///{tmp_path / 'app.db'}"
    env = {**os.environ, "DATABASE_URL": database, "FH_ENV": "test", "SECRET_KEY": "procfile-test",
           "LOG_LEVEL": "WARNING", "HOME": str(tmp_path), "WEB_CONCURRENCY": "1", "WEB_THREADS": "2",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run([sys.executable, "-m", "flask", "--app", "fh_intranet", "db", "upgrade"], cwd=ROOT,
                   env={**env, "INSTANCE_PATH": str(tmp_path)}, check=True, capture_output=True, timeout=300)
    servers = []
    try:
        for name in ("eins", "zwei"):
            port, log_path = free_port(), tmp_path / f"{name}.log"
            folder = tmp_path / name
            folder.mkdir()
            with open(log_path, "wb") as log:
                process = subprocess.Popen(["bash", "-c", f"exec {web}"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                           env={**env, "PORT": str(port), "INSTANCE_PATH": str(folder)},
                                           start_new_session=True)
            servers.append((process, log_path))
            _wait_until_up(f"http://127.0.0.1:{port}", process, log_path)
        for process, log_path in servers:
            assert process.poll() is None
            log = log_path.read_text(errors="replace")
            assert "error" not in log.lower() and "control" not in log.lower(), log
        assert not list(tmp_path.glob(".gunicorn/*")), "no server claims a socket the others share"
    finally:
        for process, _ in servers:
            _stop(process)
