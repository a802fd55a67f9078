"""Tells when the wall clock was set (by hand, NTP stepping it, a time zone tool), without polling.

Linux: a ``timerfd`` on CLOCK_REALTIME armed at the end of time with
``TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET``; the kernel cancels it whenever the clock
is set, a ``read`` then fails with ECANCELED, and a ``QSocketNotifier`` wakes the GUI thread
for exactly that. Nothing runs in between.

Elsewhere (Windows, macOS) there is no such file descriptor: a documented fallback compares
the wall clock with the monotonic clock once a minute (a cheap check; Windows' WM_TIMECHANGE
and macOS' NSSystemClockDidChangeNotification would be the event-driven equivalents).

A resume from sleep is reported by ``platform/session.py`` (logind's PrepareForSleep);
together they are all the app needs to wake its wall-clock scheduler.
"""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import sys
import time

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

log = logging.getLogger(__name__)

FALLBACK_CHECK_SECONDS = 60
FALLBACK_JUMP_SECONDS = 30.0  # a change of (wall - monotonic) beyond this is a clock change

_CLOCK_REALTIME = 0
_TFD_CLOEXEC = 0o2000000
_TFD_NONBLOCK = 0o4000
_TFD_TIMER_ABSTIME = 1
_TFD_TIMER_CANCEL_ON_SET = 2


class _Timespec(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]


class _Itimerspec(ctypes.Structure):
    _fields_ = [("it_interval", _Timespec), ("it_value", _Timespec)]


_END_OF_TIME = (1 << (8 * ctypes.sizeof(ctypes.c_long) - 1)) - 1


class _RealtimeCancelFd:
    """A timerfd that becomes readable (with ECANCELED) when CLOCK_REALTIME is set."""

    def __init__(self) -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        self._create = libc.timerfd_create
        self._create.argtypes = [ctypes.c_int, ctypes.c_int]
        self._settime = libc.timerfd_settime
        self._settime.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.POINTER(_Itimerspec), ctypes.c_void_p]
        self._gettime = libc.timerfd_gettime
        self._gettime.argtypes = [ctypes.c_int, ctypes.POINTER(_Itimerspec)]
        fd = self._create(_CLOCK_REALTIME, _TFD_NONBLOCK | _TFD_CLOEXEC)
        if fd < 0:
            raise OSError(ctypes.get_errno(), "timerfd_create failed")
        self.fd = fd
        self.arm()

    def arm(self) -> None:
        """(Re-)arm at the end of time, cancelled by any clock set."""
        spec = _Itimerspec()
        spec.it_value.tv_sec = _END_OF_TIME
        if self._settime(self.fd, _TFD_TIMER_ABSTIME | _TFD_TIMER_CANCEL_ON_SET, ctypes.byref(spec), None) < 0:
            raise OSError(ctypes.get_errno(), "timerfd_settime failed")

    def armed_seconds(self) -> int:
        """Seconds until the timer would expire (0 when disarmed); for tests."""
        spec = _Itimerspec()
        if self._gettime(self.fd, ctypes.byref(spec)) < 0:
            raise OSError(ctypes.get_errno(), "timerfd_gettime failed")
        return int(spec.it_value.tv_sec)

    def clock_was_set(self, read: object = os.read) -> bool:
        """Drain the fd; True when the read reports that the clock was set."""
        try:
            read(self.fd, 8)  # type: ignore[operator]
        except OSError as exc:
            if exc.errno == errno.ECANCELED:
                return True
            if exc.errno in (errno.EAGAIN, errno.EWOULDBLOCK):
                return False
            raise
        return False  # the end of time came: nothing to report

    def close(self) -> None:
        os.close(self.fd)


class ClockChangeWatcher(QObject):
    """Emits ``changed`` when the wall clock was set.

    Args:
        platform: ``sys.platform``; tests may pass another value.
        parent: Qt parent.
    """

    changed = Signal()

    def __init__(self, platform: str = sys.platform, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fd: _RealtimeCancelFd | None = None
        self._notifier: QSocketNotifier | None = None
        self._timer: QTimer | None = None
        self._offset = 0.0
        if platform.startswith("linux"):
            try:
                self._fd = _RealtimeCancelFd()
            except (OSError, AttributeError) as exc:  # an old kernel, no libc symbol
                log.info("no timerfd clock-change watch (%s): checking once a minute instead", exc)
        if self._fd is not None:
            self._notifier = QSocketNotifier(self._fd.fd, QSocketNotifier.Type.Read, self)
            self._notifier.activated.connect(self._on_readable)
        else:
            self._offset = _wall_offset()
            self._timer = QTimer(self)
            self._timer.setObjectName("clock_change_fallback")
            self._timer.setInterval(FALLBACK_CHECK_SECONDS * 1000)
            self._timer.timeout.connect(self._check_offset)
            self._timer.start()

    @property
    def mechanism(self) -> str:
        """"timerfd" (no polling) or "fallback" (a once-a-minute check)."""
        return "timerfd" if self._fd is not None else "fallback"

    def close(self) -> None:
        """Stop watching and release the file descriptor."""
        if self._notifier is not None:
            self._notifier.setEnabled(False)
        if self._fd is not None:
            self._fd.close()
            self._fd = None
        if self._timer is not None:
            self._timer.stop()

    def _on_readable(self) -> None:
        if self._fd is None:
            return
        if self._fd.clock_was_set():
            self._fd.arm()
            log.info("the wall clock was set")
            self.changed.emit()

    def _check_offset(self) -> None:
        offset = _wall_offset()
        if abs(offset - self._offset) > FALLBACK_JUMP_SECONDS:
            log.info("the wall clock moved by %+.0f s against the monotonic clock", offset - self._offset)
            self.changed.emit()
        self._offset = offset


def _wall_offset() -> float:
    return time.time() - time.monotonic()
