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
    history.record("drill_started", morning + timedelta(hours=6), drill_id="desk-glute-stretch")
    history.record("drill_started", morning + timedelta(hours=7), drill_id="standing-leg-turns")
    assert history.drills_started_since(morning + timedelta(hours=4)) == [
        "knee-in-knee-out", "desk-glute-stretch", "standing-leg-turns"]
    drills, _ = load_library(asset_path("drills"), None)
    windows = Windows(drills=drills, clock=fake_clock, history=history)
    try:
        assert windows.open_drill("rotation", Settings()).id == "standing-hip-circles"
    finally:
        windows.close_all()
        qtbot.waitUntil(lambda: windows.drill_window is None)  # deleted before the Windows object goes
        history.close()


def test_every_window_carries_unsits_icon_and_desktop_name(qapp, qtbot):
    from PySide6.QtWidgets import QWidget

    from unsit.app.compose import name_application

    name_application(qapp)
    assert qapp.desktopFileName() == "app.unsit.Unsit"
    window = QWidget()
    qtbot.addWidget(window)
    assert not window.windowIcon().isNull()
    assert window.windowIcon().cacheKey() == qapp.windowIcon().cacheKey()
    assert not window.windowIcon().pixmap(32, 32).toImage().isNull()


def test_the_painted_app_icon_matches_the_svg_it_is_drawn_from(qapp):
    from PySide6.QtGui import QIcon

    from unsit.runtime.resources import asset_path
    from unsit.ui.app_icon import app_icon

    painted = app_icon().pixmap(64, 64).toImage()
    drawn = QIcon(str(asset_path("icons", "unsit.svg"))).pixmap(64, 64).toImage()
    far = sum(1 for x in range(64) for y in range(64)
              if max(abs(a - b) for a, b in zip(painted.pixelColor(x, y).getRgb(), drawn.pixelColor(x, y).getRgb(),
                                                 strict=True)) > 96)
    assert far < 64 * 64 * 0.03, far  # the same picture, but for anti-aliased edges


def _run_out(window, clock) -> None:
    while not window.session.done:
        clock.advance(1)
        window.tick()


def test_a_drill_asked_for_during_the_end_screen_opens_a_new_running_window(windows, qtbot, fake_clock):
    """Issue 21 item 10: the finished window was raised and the engine waited for it forever."""
    first = windows.open_drill("rotation", Settings())
    window = windows.drill_window
    with qtbot.waitSignal(windows.drill_finished):
        _run_out(window, fake_clock)
    assert window.isVisible() and windows.running_drill is None and windows.running_drill_title() is None
    reported: list = []
    windows.drill_finished.connect(lambda *a: reported.append(("finished", a)))
    windows.drill_ended_early.connect(lambda *a: reported.append(("early", a)))
    second = windows.open_drill("hinge", Settings())
    assert second is not None and second.family == "hinge" and second is not first
    new_window = windows.drill_window
    assert new_window is not window and new_window.isVisible() and not window.isVisible()
    assert windows.running_drill is new_window and windows.running_drill_title() == new_window.title
    from PySide6.QtCore import QCoreApplication, QEvent

    # The old window's deferred deletion runs: its late `destroyed` must not forget the new window.
    gone: list[bool] = []
    window.destroyed.connect(lambda: gone.append(True))
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert gone and windows.drill_window is new_window and reported == []
    with qtbot.waitSignal(windows.drill_ended_early) as blocker:  # the new window reports its own end
        new_window.end_drill()
    assert blocker.args[0] == second.id


def test_a_running_drill_is_raised_not_replaced(windows):
    first = windows.open_drill("rotation", Settings())
    assert windows.running_drill_title() == windows.drill_window.title
    assert windows.open_drill("hinge", Settings()) is first


def test_a_drill_ended_early_whose_window_is_not_deleted_yet_is_not_raised_again(windows):
    """Issue 21 item 11's stale path: an ended window, its deferred deletion not yet run, answered
    "Started: <the old drill>" and was raised instead of a new drill starting."""
    windows.open_drill("rotation", Settings())
    old = windows.drill_window
    old.end_drill()  # Escape: reported and closed; WA_DeleteOnClose deletes it later
    assert windows.running_drill is None
    drill = windows.open_drill("hinge", Settings())
    assert drill.family == "hinge" and windows.drill_window is not old
    assert windows.drill_window.isVisible() and windows.running_drill is windows.drill_window


def test_memory_is_handed_back_after_the_drill_window_is_gone(windows, qtbot, monkeypatch):
    released: list[bool] = []
    monkeypatch.setattr("unsit.runtime.memory.release_after_window", lambda: released.append(True))
    monkeypatch.setattr("unsit.ui.windows.RELEASE_AFTER_MS", 0)
    windows.open_drill(None, Settings())
    assert released == []
    windows.drill_window.end_drill()
    qtbot.waitUntil(lambda: windows.drill_window is None)
    qtbot.waitUntil(lambda: released == [True])
