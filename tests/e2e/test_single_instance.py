"""Issue 21 item 9: the runtime folder deleted under a running Unsit. Exactly one instance, always reachable."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e.running_app import RunningApp

pytestmark = [pytest.mark.desktop, pytest.mark.slow]  # the real app on its own desktop


def test_deleting_the_runtime_folder_leaves_one_reachable_instance(tmp_path):
    app = RunningApp(tmp_path / "a", "", with_tray=False)
    runtime = Path(app.env["XDG_RUNTIME_DIR"]) / "unsit"
    try:
        assert (runtime / "unsit.sock").exists()
        shutil.rmtree(runtime)
        # The app notices (inotify) and makes its folder and socket again: status reaches it, at once or
        # after the CLI's short wait for a socket whose instance holds the lock.
        status = app.cli("status", "--json")
        assert status.returncode == 0, status.stderr
        app.wait_until(lambda: (runtime / "unsit.sock").exists(), 10, "the socket to be back")
        assert (runtime.stat().st_mode & 0o777) == 0o700

        # A second `unsit` does not start beside it, also right after another deletion.
        shutil.rmtree(runtime)
        second = subprocess.run(app.command, env=app.env, capture_output=True, text=True, timeout=60)
        assert second.returncode == 0 and "already running" in second.stdout, second
        assert app.proc.poll() is None
        assert "creating it again" in app.output()

        out = app.cli("quit")
        assert out.returncode == 0, out.stderr
        app.proc.wait(20)  # the first (and only) instance got the quit
        assert app.cli("status").returncode == 3
    finally:
        app.quit()
