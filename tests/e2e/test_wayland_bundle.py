"""The frozen Linux bundle finds the Wayland idle source (pywayland and cffi travel with it).

The bundle keeps only Qt's xcb platform (its Wayland plugins are a size cut), so on a Wayland
desktop its windows go through XWayland; here the suite's Xvfb plays XWayland's part, while
idle time must still come from the compositor (headless sway) through ext-idle-notify-v1.
Reuses the installer test's build fixtures (a second build of about a minute).
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest

from tests.e2e.running_wayland_app import wayland_root_or_skip
from tests.e2e.test_installer import _user_env, archive, unpacked  # noqa: F401 (fixtures)
from tests.wayland_desktop import WaylandDesktop

pytestmark = [pytest.mark.slow, pytest.mark.desktop]


def test_frozen_app_uses_the_wayland_idle_source(unpacked: Path, tmp_path: Path, desktop: object) -> None:  # noqa: F811
    wayland_root_or_skip()
    sway = WaylandDesktop(tmp_path / "wayland")
    sway.workdir.mkdir()
    env = _user_env(tmp_path / "home")
    exe = str(unpacked / "unsit" / "unsit")
    try:
        env.update(sway.start())
        env["QT_QPA_PLATFORM"] = "xcb"  # XWayland's part: the suite's Xvfb (DISPLAY is kept)
        with open(tmp_path / "app.out", "w") as out:
            proc = subprocess.Popen([exe, "--debug"], env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while (status := subprocess.run([exe, "status", "--json"], env=env, capture_output=True,
                                             text=True, timeout=30)).returncode != 0:
                assert proc.poll() is None, (tmp_path / "app.out").read_text()[-3000:]
                assert time.monotonic() < deadline, "the frozen app did not answer"
                time.sleep(0.5)
            log = (tmp_path / "home" / ".local" / "state" / "unsit" / "log" / "unsit.log").read_text()
            assert json.loads(status.stdout)["idle_source"] == "wayland-ext-idle", log[-3000:]
        finally:
            subprocess.run([exe, "quit"], env=env, capture_output=True, timeout=30)
            assert proc.wait(20) == 0
    finally:
        sway.stop()
