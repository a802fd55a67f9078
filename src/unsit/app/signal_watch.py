"""Ctrl+C and SIGTERM end Qt's event loop at once, without a polling timer.

Python runs signal handlers only between bytecodes, and Qt's loop may sleep for minutes.
Instead of a timer that wakes the idle app every second, the C-level handler writes a byte
to a socket pair (``signal.set_wakeup_fd``) that a ``QSocketNotifier`` watches, which hands
control to Python at once. ``close()`` undoes all of it: a signal that arrives after the
loop ended (a second SIGTERM while shutting down) then neither writes to a closed socket
(Python would print "Exception ignored when trying to write to the signal wakeup fd")
nor calls into a finished application.
"""

from __future__ import annotations

import signal
import socket
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

from PySide6.QtCore import QSocketNotifier

_SIGNALS = (signal.SIGINT, signal.SIGTERM)

Handler = Callable[[int, FrameType | None], Any] | int | None


class SignalWatch:
    """Calls ``quit`` on SIGINT or SIGTERM until ``close()``.

    Args:
        quit: ends the event loop (``QCoreApplication.quit``).
    """

    def __init__(self, quit: Callable[[], object]) -> None:
        self._previous: dict[int, Handler] = {}
        for number in _SIGNALS:
            self._previous[number] = signal.signal(number, lambda *_: quit())
        self._sockets: tuple[socket.socket, socket.socket] | None = None
        self._notifier: QSocketNotifier | None = None
        self._previous_fd = -1
        if not hasattr(signal, "set_wakeup_fd") or sys.platform == "win32":
            return  # Windows: the handler runs when Python next gets control
        reader, writer = socket.socketpair()
        reader.setblocking(False)
        writer.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(writer.fileno())
        self._sockets = (reader, writer)
        self._notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._drain)

    @property
    def wakes_loop(self) -> bool:
        """True while a signal wakes the event loop through the socket pair."""
        return self._sockets is not None

    def _drain(self) -> None:
        if self._sockets is None:
            return
        try:
            self._sockets[0].recv(64)  # the handler itself runs as soon as Python gets control
        except OSError:
            pass

    def close(self) -> None:
        """Give the signals back to their previous handlers and stop writing to the socket pair."""
        if self._sockets is not None:
            signal.set_wakeup_fd(self._previous_fd)
            if self._notifier is not None:
                self._notifier.setEnabled(False)
                self._notifier.deleteLater()
                self._notifier = None
            for sock in self._sockets:
                sock.close()
            self._sockets = None
        for number, handler in self._previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
        self._previous = {}
