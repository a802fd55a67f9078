"""Windows: one drill window at a time, built from the real library, its signals passed on."""

from __future__ import annotations

import pytest

from unsit.core.settings import Settings
from unsit.runtime.resources import asset_path
from unsit.store.drill_library import load_library
from unsit.ui.windows import Windows


@pytest.fixture
def windows(qtbot, fake_clock):
    drills, problems = load_library(asset_path("drills"), None)
    assert problems == []
    w = Windows(drills=drills, clock=fake_clock)
    yield w
    w.close_all()


def test_a_drill_opens_once_and_is_raised_when_asked_again(windows, qtbot):
    first = windows.open_drill("rotation", Settings())
    assert first.family == "rotation"
    window = windows.drill_window
    assert window.isVisible() and window.windowTitle() == f"Unsit — {first.name}"
    assert windows.open_drill("extension", Settings()) is first  # still the same drill
    window.close()
    qtbot.waitUntil(lambda: windows.drill_window is None)
    assert windows.open_drill("extension", Settings()).family == "extension"


def test_the_window_reports_through_windows(windows, qtbot):
    drill = windows.open_drill(None, Settings())
    with qtbot.waitSignal(windows.drill_ended_early) as blocker:
        windows.drill_window.end_drill()
    assert blocker.args[0] == drill.id


def test_without_drills_nothing_opens(qtbot, fake_clock):
    assert Windows(drills=[], clock=fake_clock).open_drill(None, Settings()) is None


def test_the_drill_window_gets_the_voice_and_todays_count(qtbot, fake_clock, tmp_path, monkeypatch):
    from datetime import timedelta

    from unsit.store.history import History

    spoken = tmp_path / "spoken"
    (tmp_path / "bin").mkdir()
    espeak = tmp_path / "bin" / "espeak-ng"  # a stand-in that writes down what it is asked to say
    espeak.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> "{spoken}"\n')
    espeak.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    history = History(tmp_path / "history.sqlite3")
    for hours in (1, 2):
        history.record("drill_finished", fake_clock.now() - timedelta(hours=hours), drill_id="hip-hinge",
                       duration_seconds=60)
    drills, _ = load_library(asset_path("drills"), None)
    windows = Windows(drills=drills, clock=fake_clock, history=history)
    windows.open_drill(None, Settings(sounds_enabled=False))
    assert windows._speaker is None  # speech off: nothing is even looked for
    windows.drill_window.close()
    qtbot.waitUntil(lambda: windows.drill_window is None)
    windows.open_drill(None, Settings(sounds_enabled=False, speak_cues=True))
    qtbot.waitUntil(lambda: spoken.exists() and "Get ready." in spoken.read_text(), timeout=5000)
    window = windows.drill_window
    while not window.session.done:  # the drill runs its real length (skipping through would not count)
        fake_clock.advance(1)
        window.tick()
    assert window.cue_label.text().endswith("Drills today: 2.")  # no controller here to record this one
    windows.close_all()
    history.close()


def test_the_picker_skips_drills_already_started_today_from_history(qtbot, fake_clock, tmp_path):
    """Today's drills (the day turning at 04:00) are read from history when the app starts."""
    from datetime import timedelta

    from unsit.store.history import History

    history = History(tmp_path / "history.db")
    morning = fake_clock.now().replace(hour=0, minute=0, second=0, microsecond=0)
    history.record("drill_started", morning + timedelta(hours=3), drill_id="standing-hip-circles")  # yesterday's
    history.record("drill_started", morning + timedelta(hours=5), drill_id="knee-in-knee-out")
    history.record("drill_started", morning + timedelta(hours=7), drill_id="standing-leg-turns")
    assert history.drills_started_since(morning + timedelta(hours=4)) == ["knee-in-knee-out", "standing-leg-turns"]
    drills, _ = load_library(asset_path("drills"), None)
    windows = Windows(drills=drills, clock=fake_clock, history=history)
    try:
        assert windows.open_drill("rotation", Settings()).id == "standing-hip-circles"
    finally:
        windows.close_all()
        qtbot.waitUntil(lambda: windows.drill_window is None)  # deleted before the Windows object goes
        history.close()


def test_memory_is_handed_back_after_the_drill_window_is_gone(windows, qtbot, monkeypatch):
    released: list[bool] = []
    monkeypatch.setattr("unsit.runtime.memory.release_after_window", lambda: released.append(True))
    monkeypatch.setattr("unsit.ui.windows.RELEASE_AFTER_MS", 0)
    windows.open_drill(None, Settings())
    assert released == []
    windows.drill_window.end_drill()
    qtbot.waitUntil(lambda: windows.drill_window is None)
    qtbot.waitUntil(lambda: released == [True])
