"""The drill window's ending: what was done, and closing itself a little later.

``end_text`` words the summary (the drill, its length, the streak reset, drills today).
``AutoCloser`` closes the window ``close_after_seconds`` after the drill finished,
except while the pointer is over it: then it waits until the pointer leaves, plus
``grace_seconds``. Time comes from the injected clock; one named QTimer polls the
pointer (a pointer that never moves sends no events, so polling is the sure way).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QWidget

from unsit.core.clock import Clock
from unsit.core.drill_session import format_mm_ss
from unsit.text.i18n import _

CLOSE_AFTER_SECONDS = 8.0
GRACE_SECONDS = 2.0
POLL_MS = 200


def end_text(drill_name: str, duration_seconds: float, drills_today: int | None) -> str:
    """The finished drill in a few lines (``drills_today`` None: no history to count from)."""
    lines = [_("Well done: {drill}, {duration}.").format(drill=drill_name, duration=format_mm_ss(duration_seconds)),
             _("Sitting streak reset to zero.")]
    if drills_today is not None:
        lines.append(_("Drills today: {count}.").format(count=drills_today) if drills_today != 1
                     else _("Your first drill today."))
    return "\n".join(lines)


class AutoCloser(QObject):
    """Closes ``window`` a few seconds after ``start`` unless the pointer is over it.

    Signals:
        countdown_changed(seconds_left): whole seconds until closing, -1 while the
            pointer holds the window open.
    """

    countdown_changed = Signal(int)

    def __init__(self, window: QWidget, clock: Clock, *, close_after_seconds: float = CLOSE_AFTER_SECONDS,
                 grace_seconds: float = GRACE_SECONDS,
                 pointer_over: Callable[[], bool] | None = None):
        super().__init__(window)  # the window is reached as parent(): no Python cycle keeps it alive
        self._clock = clock
        self._close_after_seconds = close_after_seconds
        self._grace_seconds = grace_seconds
        self._pointer_over = pointer_over or self._pointer_inside
        self._deadline: float | None = None
        self._timer = QTimer(self)
        self._timer.setObjectName("drill_auto_close")
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.check)

    @property
    def active(self) -> bool:
        """Counting down (or held open by the pointer)."""
        return self._deadline is not None

    def start(self) -> None:
        """Begin the countdown (once)."""
        if self._deadline is None:
            self._deadline = self._clock.monotonic() + self._close_after_seconds
            self._timer.start()
            self.check()

    def cancel(self) -> None:
        """Stop counting; the window stays open."""
        self._deadline = None
        self._timer.stop()

    @Slot()
    def check(self) -> None:
        """Close when the time is up and the pointer is away; report the countdown."""
        if self._deadline is None:
            return
        now = self._clock.monotonic()
        if self._pointer_over():
            self._deadline = max(self._deadline, now + self._grace_seconds)
            self.countdown_changed.emit(-1)
            return
        left = self._deadline - now
        if left <= 0:
            self.cancel()
            self._window().close()
            return
        self.countdown_changed.emit(math.ceil(left))

    def _window(self) -> QWidget:
        window = self.parent()
        assert isinstance(window, QWidget)
        return window

    def _pointer_inside(self) -> bool:
        window = self._window()
        return window.isVisible() and window.frameGeometry().contains(QCursor.pos())
