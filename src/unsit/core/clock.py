"""The clock the core is driven by. The core never reads the real time itself."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    """Three readings of time.

    ``monotonic`` counts seconds while the machine is awake (it stands still while
    suspended, like Linux CLOCK_MONOTONIC). ``boottime`` counts seconds including
    suspend (CLOCK_BOOTTIME); the growth of ``boottime - monotonic`` between two
    readings is time spent asleep. ``now`` is the local wall-clock time (timezone
    aware); it may jump and is only used for work hours, pauses and display.
    """

    def monotonic(self) -> float: ...

    def boottime(self) -> float: ...

    def now(self) -> datetime: ...
