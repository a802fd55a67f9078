"""What every capture watch offers: is some application recording the microphone, who, since when.

A watch runs on a thread of its own (or needs none) and never blocks the caller.
``capturing()`` is thread-safe and cheap; ``on_change`` is called from the watch's thread
whenever the answer changes (the Qt side turns it into a signal, ``platform/capture/qt_signal.py``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Capture:
    """Someone records the microphone.

    Attributes:
        applications: the names of the applications capturing (may be empty when unknown).
        since_monotonic: when the capture began, on the clock the watch was given.
    """

    applications: tuple[str, ...]
    since_monotonic: float


class CaptureWatch(Protocol):
    """Tells whether an application (not Unsit) records from a microphone."""

    name: str
    on_change: Callable[[], None] | None

    def start(self) -> None:
        """Begin watching (returns at once)."""

    def stop(self) -> None:
        """Stop watching and release the thread and connection."""

    def capturing(self) -> Capture | None:
        """The capture running now, or None (thread-safe)."""


class NullCaptureWatch:
    """No way to tell on this system: never capturing."""

    name = "none"

    def __init__(self) -> None:
        self.on_change: Callable[[], None] | None = None

    def start(self) -> None:
        """Nothing to start."""

    def stop(self) -> None:
        """Nothing to stop."""

    def capturing(self) -> Capture | None:
        """Never capturing."""
        return None


class CaptureState:
    """The thread-safe answer a watch keeps: updated by the watch's thread, read by anyone.

    Args:
        monotonic: the clock a capture's start is read from (the engine's awake-time clock).
    """

    def __init__(self, monotonic: Callable[[], float]) -> None:
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._capture: Capture | None = None

    def get(self) -> Capture | None:
        """The capture running now, or None."""
        with self._lock:
            return self._capture

    def set(self, applications: tuple[str, ...] | None) -> bool:
        """Record who captures now (None: nobody); True when that started or ended a capture.

        A capture that goes on keeps its start, whoever joins or leaves it.
        """
        with self._lock:
            before = self._capture
            if applications is None:
                self._capture = None
            elif before is None:
                self._capture = Capture(applications, self._monotonic())
            else:
                self._capture = Capture(applications, before.since_monotonic)
            return (before is None) != (self._capture is None)
