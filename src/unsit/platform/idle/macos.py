"""Idle time on macOS: CGEventSourceSecondsSinceLastEventType via ctypes.

Only import-safe and unit-tested with fakes on Linux; not run on real macOS here.
"""

from __future__ import annotations

import ctypes
import logging
import math
from typing import Any

from unsit.platform.idle.base import IdleSourceUnavailable

logger = logging.getLogger(__name__)

LIBRARY_PATHS = (
    "/System/Library/Frameworks/CoreGraphics.framework/CoreGraphics",
    "/System/Library/Frameworks/ApplicationServices.framework/ApplicationServices",
)
COMBINED_SESSION_STATE = 0  # kCGEventSourceStateCombinedSessionState
ANY_INPUT_EVENT_TYPE = 0xFFFFFFFF  # kCGAnyInputEventType, ~0 as a uint32


class MacIdleSource:
    """Idle seconds since the last keyboard, mouse or trackpad event of the session.

    Args:
        library: the loaded CoreGraphics library (or a stand-in).
    """

    name = "macos"

    def __init__(self, library: Any):
        self._seconds_since = library.CGEventSourceSecondsSinceLastEventType
        self._seconds_since.argtypes = [ctypes.c_int32, ctypes.c_uint32]
        self._seconds_since.restype = ctypes.c_double

    @classmethod
    def open(cls, paths: tuple[str, ...] = LIBRARY_PATHS) -> MacIdleSource:
        """Load CoreGraphics (or ApplicationServices).

        Raises:
            IdleSourceUnavailable: neither framework can be loaded (not macOS).
        """
        errors = []
        for path in paths:
            try:
                return cls(ctypes.CDLL(path))
            except (OSError, AttributeError) as error:
                errors.append(f"{path}: {error}")
        raise IdleSourceUnavailable("; ".join(errors))

    def idle_seconds(self) -> float | None:
        seconds = float(self._seconds_since(COMBINED_SESSION_STATE, ANY_INPUT_EVENT_TYPE))
        if math.isnan(seconds) or seconds < 0:
            logger.debug("CGEventSourceSecondsSinceLastEventType gave %r", seconds)
            return None
        return seconds

    def close(self) -> None:
        pass
