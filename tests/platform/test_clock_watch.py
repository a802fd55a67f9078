"""The clock-change watcher: a timerfd cancelled on clock set, no polling on Linux."""

from __future__ import annotations

import errno
import sys

import pytest
from PySide6.QtCore import QTimer

from unsit.platform.clock_watch import ClockChangeWatcher, _RealtimeCancelFd

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="timerfd is Linux only")


@linux_only
def test_linux_watches_with_an_armed_timerfd_and_no_timer(qapp):
    watcher = ClockChangeWatcher()
    try:
        assert watcher.mechanism == "timerfd"
        assert watcher._fd is not None and watcher._fd.armed_seconds() > 10 * 365 * 86400
        assert watcher.findChildren(QTimer) == []  # nothing polls
    finally:
        watcher.close()


@linux_only
def test_a_cancelled_read_means_the_clock_was_set():
    fd = _RealtimeCancelFd()
    try:
        def cancelled(_fd: int, _n: int) -> bytes:
            raise OSError(errno.ECANCELED, "clock set")

        def nothing(_fd: int, _n: int) -> bytes:
            raise OSError(errno.EAGAIN, "nothing yet")

        assert fd.clock_was_set(cancelled) is True
        assert fd.clock_was_set(nothing) is False
        assert fd.clock_was_set() is False  # the real fd: nothing happened
    finally:
        fd.close()


def test_the_readable_fd_emits_changed_and_rearms(qapp, monkeypatch):
    watcher = ClockChangeWatcher()
    if watcher.mechanism != "timerfd":
        pytest.skip("no timerfd here")
    got = []
    watcher.changed.connect(lambda: got.append(True))
    rearmed = []
    monkeypatch.setattr(watcher._fd, "clock_was_set", lambda: True)
    monkeypatch.setattr(watcher._fd, "arm", lambda: rearmed.append(True))
    watcher._on_readable()
    assert got == [True] and rearmed == [True]
    watcher.close()


def test_other_systems_fall_back_to_a_minute_check(qapp, monkeypatch):
    watcher = ClockChangeWatcher(platform="win32")
    try:
        assert watcher.mechanism == "fallback"
        got = []
        watcher.changed.connect(lambda: got.append(True))
        watcher._check_offset()
        assert got == []
        watcher._offset -= 3600  # as if the clock had been set forward an hour
        watcher._check_offset()
        assert got == [True]
    finally:
        watcher.close()


@linux_only
def test_the_kernel_reports_a_real_clock_set(qapp, qtbot):
    """Sets CLOCK_REALTIME to what it already says (a shift of microseconds); needs CAP_SYS_TIME."""
    import time

    watcher = ClockChangeWatcher()
    try:
        with qtbot.waitSignal(watcher.changed, timeout=3000):
            try:
                time.clock_settime(time.CLOCK_REALTIME, time.time())
            except PermissionError:
                pytest.skip("not allowed to set the clock here")
        assert watcher._fd is not None and watcher._fd.armed_seconds() > 0  # armed again
    finally:
        watcher.close()
