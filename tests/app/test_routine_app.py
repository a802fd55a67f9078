"""`unsit drill --routine` from a real command line against the app built as it runs, on the test desktop.

The app is built in this process (``app.build``) with its clock swapped for a FakeClock
(the seam every window and the engine share), so the test steps through the routine's
drills without sleeping; the command line runs as its own process and talks to the app
over the real socket.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fakes import FakeClock
from unsit.core.drill_session import State
from unsit.ui.routine_window import RoutineWindow

pytestmark = pytest.mark.desktop


@pytest.fixture
def running_app(qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[dict[str, Any], FakeClock]]:
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"):
        folder = tmp_path / var
        folder.mkdir(mode=0o700)
        monkeypatch.setenv(var, str(folder))
    clock = FakeClock()
    monkeypatch.setattr("unsit.platform.clock.SystemClock", lambda: clock)
    from unsit.app.compose import build, shutdown
    from unsit.runtime.paths import AppPaths

    paths = AppPaths.from_platform()
    paths.ensure()
    parts = build(qapp, paths)
    assert parts is not None
    try:
        yield parts, clock
    finally:
        shutdown(parts)


def cli(qtbot, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``unsit ARGS`` while this process's event loop answers it."""
    proc = subprocess.Popen([sys.executable, "-m", "unsit", *args], env=dict(os.environ), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=30_000)
    out, err = proc.communicate()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_unsit_drill_routine_plays_the_warm_up_through_and_history_counts_it(running_app, qtbot):
    parts, clock = running_app
    unknown = cli(qtbot, "drill", "--routine", "cooldown")
    assert unknown.returncode == 2
    assert "unknown routine 'cooldown': use one of morning, warm-up" in unknown.stderr
    assert parts["windows"].drill_window is None

    done = cli(qtbot, "drill", "--routine", "warm-up")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Started: Warm-up before a walk or run"
    window = parts["windows"].drill_window
    assert isinstance(window, RoutineWindow)
    qtbot.waitExposed(window)
    assert parts["controller"].engine.status().phase.value == "in_drill"
    seen = []
    for _ in range(2):
        seen.append(window.drill.id)
        clock.advance(window.session.left_seconds)
        window.tick()
    assert seen == ["standing-slow-march", "standing-hip-extension"]
    assert window.routine_session.state is State.FINISHED
    assert parts["controller"].engine.status().streak_seconds == 0
    history = parts["history"].reader()  # waits for the writer thread to commit what was recorded
    assert history.today(clock.now()).routines_done == 1
    window.close()
    qtbot.waitUntil(lambda: parts["windows"].drill_window is None)

    cli(qtbot, "drill", "--routine", "morning")
    qtbot.waitUntil(lambda: parts["windows"].drill_window is not None)
    status_line = cli(qtbot, "status", "--json").stdout
    assert '"routine": {"id": "morning"' in status_line
    parts["windows"].drill_window.end_drill()
    today = parts["history"].reader().today(clock.now())
    assert (today.routines_done, today.drills_skipped) == (1, 1)


def test_the_tray_names_the_routines_in_the_language_in_use(running_app, qtbot):
    """The Routines submenu is named at start-up and renamed when the language changes."""
    parts, _clock = running_app
    tray = parts["tray"]

    def names() -> list[str]:
        return [action.text() for action in tray._routines_menu.actions()]

    assert names() == ["Morning hip routine", "Warm-up before a walk or run"]
    assert tray._routines_menu.menuAction().isVisible()
    try:
        parts["language"].apply("de")
        assert names() == ["Hüftroutine am Morgen", "Aufwärmen vor dem Gehen oder Laufen"]
    finally:
        parts["language"].apply("en")
    assert names()[0] == "Morning hip routine"
    tray._routines_menu.actions()[1].trigger()  # the routine starts
    qtbot.waitUntil(lambda: parts["windows"].drill_window is not None)
    assert parts["windows"].drill_window.session_id == "routine:warm-up"
    assert parts["controller"].engine.status().phase.value == "in_drill"
    parts["windows"].drill_window.end_drill()
