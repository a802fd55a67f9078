"""docs/examples/desk_posture.py against the real app: a desk's height file moves Unsit's posture.

The example runs as users run it, beside a real ``unsit`` on its headless desktop, and talks to it
only through ``unsit posture`` / ``unsit stand`` / ``unsit sit``. Raising the stand-in desk (a
file) makes the app say ``standing``, lowering it ``sitting``; with the app gone, ``--once``
exits with status 3.
"""

from __future__ import annotations

import shlex
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.running_app import RunningApp

pytestmark = [pytest.mark.desktop, pytest.mark.slow]

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "desk_posture.py"


def test_the_desk_height_moves_the_real_apps_posture(tmp_path):
    app = RunningApp(tmp_path / "a", with_tray=False)
    height = tmp_path / "height"
    height.write_text("72\n")
    args = [sys.executable, str(EXAMPLE), "--file", str(height), "--settle", "0.5", "--every", "0.2",
            "--unsit", shlex.join(app.command)]
    watcher = None
    try:
        assert app.cli("posture").stdout == "sitting\n"
        with (tmp_path / "out").open("wb") as out:
            watcher = subprocess.Popen(args, env=app.env, cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT)

        staged = tmp_path / "height.new"
        staged.write_text("Height: 1040 mm\n")
        staged.replace(height)
        app.wait_until(lambda: app.cli("posture").stdout == "standing\n", 60, "the app to count standing")
        assert app.status()["posture"] == "standing"

        staged.write_text("0.70\n")
        staged.replace(height)
        app.wait_until(lambda: app.cli("posture").stdout == "sitting\n", 60, "the app to count sitting")
        assert app.status()["posture"] == "sitting"

        watcher.send_signal(signal.SIGTERM)
        assert watcher.wait(timeout=30) == 0
        log = (tmp_path / "out").read_text()
        assert "standing; told Unsit" in log and "sitting; told Unsit" in log and "Traceback" not in log
    finally:
        if watcher is not None and watcher.poll() is None:
            watcher.kill()
            watcher.wait()
        app.quit()

    # The app has quit: --once says so and exits with unsit's own "not running" status.
    done = subprocess.run([*args, "--once"], env=app.env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 3, done.stderr
    assert "Unsit is not running" in done.stderr and "Traceback" not in done.stderr
