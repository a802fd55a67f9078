"""The real clock: satisfies :class:`unsit.core.clock.Clock`.

``monotonic`` counts only awake time and ``boottime`` counts suspend too, so the growth of
``boottime() - monotonic()`` between two readings is time the machine spent asleep.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime


def _clock_ids(platform: str) -> tuple[int | None, int | None]:
    """Pick (awake clock id, boot clock id) for ``platform``; None means time.monotonic."""
    if platform.startswith("linux"):
        # CLOCK_MONOTONIC stands still in suspend; CLOCK_BOOTTIME keeps counting.
        return getattr(time, "CLOCK_MONOTONIC", None), getattr(time, "CLOCK_BOOTTIME", None)
    if platform == "darwin":
        # On macOS it is the other way round: CLOCK_MONOTONIC includes sleep, while
        # CLOCK_UPTIME_RAW (like mach_absolute_time) stands still in sleep.
        awake = getattr(time, "CLOCK_UPTIME_RAW", None)
        boot = getattr(time, "CLOCK_MONOTONIC", None)
        if awake is not None and boot is not None:
            return awake, boot
    return None, None


class SystemClock:
    """The machine's clocks.

    Args:
        platform: ``sys.platform`` value to choose the clocks for (tests pass another).
    """

    def __init__(self, platform: str = sys.platform):
        self._awake_id, self._boot_id = _clock_ids(platform)

    def monotonic(self) -> float:
        """Seconds of awake time since an arbitrary point (stands still in suspend)."""
        if self._awake_id is None or sys.platform == "win32":  # Windows has no clock_gettime
            return time.monotonic()
        return time.clock_gettime(self._awake_id)

    def boottime(self) -> float:
        """Seconds including suspend; where the OS gives no such clock, ``monotonic()``."""
        if self._boot_id is None or sys.platform == "win32":
            return self.monotonic()
        return time.clock_gettime(self._boot_id)

    def now(self) -> datetime:
        """The local wall-clock time, timezone aware."""
        return datetime.now().astimezone()
