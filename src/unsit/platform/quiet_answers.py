"""Do-not-disturb asked off the GUI thread: the tick reads the last answer and never waits.

Asking the desktop whether now is quiet (``DndWatcher.quiet_reasons``) takes a few local
round trips, but a hung notification server makes each D-Bus read wait for its timeout
(up to about 1.5 s per tick). ``QuietAnswers`` is what the engine's ``Observation.quiet``
calls instead: it starts a question on a short-lived worker thread and returns at once.

- A fresh answer (younger than ``fresh_seconds``) is returned as it is.
- Without one, while a question is under way (for up to ``wait_seconds``), it returns None:
  the engine then leaves the due nudge for the answer; ``answered`` is emitted when it
  arrives, and the owner ticks again at once.
- A question that takes longer than ``wait_seconds`` no longer holds anything back: the last
  answer (or "not quiet") is used, so a hung desktop delays a nudge by seconds, never forever.

Nothing runs while no nudge is due: a question is asked only when the engine calls.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from unsit.core.events import QuietReason

if TYPE_CHECKING:
    from unsit.platform.dnd import DndWatcher

log = logging.getLogger(__name__)

FRESH_SECONDS = 6.0  # a little over one engine tick: the answer of the last tick still counts
WAIT_SECONDS = 3.0  # a question open longer than this no longer holds a nudge back
REFRESH_SECONDS = 1.0  # an answer younger than this is not asked again

Reasons = frozenset[QuietReason]


class QuietAnswers(QObject):
    """The desktop's quiet reasons, asked on a worker thread.

    Args:
        ask: the blocking question (``DndWatcher.quiet_reasons``).
        monotonic: the clock (seconds) that ages answers.
    """

    answered = Signal()  # a new answer arrived that the engine has not seen (emitted on the GUI thread)
    _arrived = Signal(object)  # from the worker; Qt queues it to this object's thread

    def __init__(self, ask: Callable[[], Reasons], monotonic: Callable[[], float], *,
                 fresh_seconds: float = FRESH_SECONDS, wait_seconds: float = WAIT_SECONDS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ask = ask
        self._monotonic = monotonic
        self._fresh_seconds = fresh_seconds
        self._wait_seconds = wait_seconds
        self._answer: Reasons | None = None
        self._answered_at = 0.0
        self._asked_at: float | None = None  # a question is under way since then
        self._worker: threading.Thread | None = None
        self._waiting = False  # the engine was told "not known yet"
        self._closed = False
        self._arrived.connect(self._on_arrived)

    def __call__(self) -> Reasons | None:
        """The quiet reasons if known (None: wait for ``answered``); asks again in the background."""
        now = self._monotonic()
        fresh = self._answer is not None and now - self._answered_at <= self._fresh_seconds
        if self._asked_at is None and (not fresh or now - self._answered_at >= REFRESH_SECONDS):
            self._start(now)
        if fresh:
            return self._answer
        if self._asked_at is not None and now - self._asked_at < self._wait_seconds:
            self._waiting = True
            return None
        return self._answer if self._answer is not None else frozenset()

    def _start(self, now: float) -> None:
        if self._closed:
            return
        self._asked_at = now
        self._worker = threading.Thread(target=self._run, name="unsit-dnd", daemon=True)
        self._worker.start()

    def _run(self) -> None:
        try:
            answer = self._ask()
        except Exception:  # a probe bug must not leave the question unanswered
            log.exception("the do-not-disturb question failed")
            answer = frozenset()
        try:
            self._arrived.emit(answer)
        except RuntimeError:  # the app ended while the question was under way
            pass

    def _on_arrived(self, answer: Reasons) -> None:
        changed = answer != self._answer
        self._answer = answer
        self._answered_at = self._monotonic()
        self._asked_at = None
        if self._closed:
            return
        if self._waiting or changed:
            self._waiting = False
            self.answered.emit()

    def close(self, timeout_seconds: float = 2.0) -> None:
        """Ask nothing more; wait (bounded) for a question under way, so its connections can close."""
        self._closed = True
        worker = self._worker
        if worker is not None and worker.is_alive():
            worker.join(timeout_seconds)


class DesktopQuiet:
    """The desktop's ``DndWatcher``, imported and made on the first question.

    A question is asked only while a nudge is due, so a tray that idles between nudges
    does not hold the watcher's module (its D-Bus and X11 probes) until then.
    """

    def __init__(self) -> None:
        self._watcher: DndWatcher | None = None
        self._lock = threading.Lock()  # made on a question's thread, closed from the GUI thread

    def quiet_reasons(self) -> Reasons:
        """``DndWatcher.quiet_reasons`` (blocking: call it off the GUI thread)."""
        with self._lock:
            if self._watcher is None:
                from unsit.platform.dnd import DndWatcher

                self._watcher = DndWatcher()
            watcher = self._watcher
        return watcher.quiet_reasons()

    def close(self) -> None:
        """Release the watcher's connections, if it was ever made."""
        with self._lock:
            watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.close()
