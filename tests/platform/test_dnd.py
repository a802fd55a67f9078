"""DndWatcher against the real dunst and the Xvfb display of the test session."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from unsit.core.events import QuietReason
from unsit.platform.dnd import DndWatcher

pytestmark = pytest.mark.desktop


@pytest.fixture
def watcher(qapp):
    w = DndWatcher()
    yield w
    w.close()


@pytest.fixture
def dunst_pause(desktop):
    yield desktop.dunst.set_paused
    desktop.dunst.set_paused(False)


@pytest.fixture
def root_active_window(desktop):
    """Sets the root window's _NET_ACTIVE_WINDOW (no window manager runs here to do it)."""

    def set_active(window_id: int) -> None:
        desktop.run("xprop", "-root", "-f", "_NET_ACTIVE_WINDOW", "32x", "-set", "_NET_ACTIVE_WINDOW", hex(window_id))

    yield set_active
    desktop.run("xprop", "-root", "-remove", "_NET_ACTIVE_WINDOW", check=False)


def test_not_quiet_on_a_plain_desktop(watcher):
    assert watcher.is_quiet() is False
    assert watcher.quiet_reasons() == frozenset()


def test_dunst_paused_is_quiet_until_unpaused(watcher, dunst_pause):
    dunst_pause(True)
    assert watcher.is_quiet() is True
    assert watcher.quiet_reasons() == {QuietReason.NOTIFICATIONS_PAUSED}
    dunst_pause(False)
    assert watcher.is_quiet() is False


def test_the_watcher_runs_no_timer_of_its_own():
    # Changed deliberately (issue 11): the poll timer that waited for quiet to end is gone; the
    # engine's tick asks quiet_reasons() while a nudge is held (tests/core/test_quiet_and_days.py).
    from unsit.platform import dnd

    assert not hasattr(DndWatcher(), "watch_until_quiet_ends")
    assert "QTimer" not in vars(dnd)


def test_full_screen_active_window_is_quiet(watcher, desktop, root_active_window, qtbot):
    window = QWidget()
    window.setWindowTitle("Unsit test full screen")
    qtbot.addWidget(window)
    window.showFullScreen()
    qtbot.waitExposed(window)
    window_id = int(window.winId())
    # No window manager: write the EWMH state ourselves, as a WM would for a full-screen window.
    desktop.run("xprop", "-id", hex(window_id), "-f", "_NET_WM_STATE", "32a",
                "-set", "_NET_WM_STATE", "_NET_WM_STATE_FULLSCREEN")
    root_active_window(window_id)
    assert watcher.is_quiet() is True
    assert watcher.quiet_reasons() == {QuietReason.FULL_SCREEN}

    desktop.run("xprop", "-id", hex(window_id), "-remove", "_NET_WM_STATE")
    assert watcher.is_quiet() is False


def test_active_window_not_full_screen_is_not_quiet(watcher, root_active_window, qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    root_active_window(int(window.winId()))
    assert watcher.is_quiet() is False


def test_vanished_active_window_is_not_quiet_and_does_not_crash(watcher, root_active_window):
    root_active_window(0x3FFFFFF)  # no such window: xcb reports BadWindow, Xlib would exit
    assert watcher.is_quiet() is False
