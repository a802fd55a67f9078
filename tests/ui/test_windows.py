"""Windows: one drill window at a time, built from the real library, its signals passed on."""

from __future__ import annotations

import pytest

from unsit.core.settings import Settings
from unsit.resources import asset_path
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
