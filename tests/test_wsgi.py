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
