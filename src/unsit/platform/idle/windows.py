"""Idle time on Windows: GetLastInputInfo and GetTickCount64 (user32/kernel32 via ctypes).

Only import-safe and unit-tested with fakes on Linux; not run on real Windows here.
"""

from __future__ import annotations

import ctypes
import logging
from typing import Any

from unsit.platform.idle.base import IdleSourceUnavailable

logger = logging.getLogger(__name__)

_TICK_MASK = 0xFFFFFFFF


class _LastInputInfo(ctypes.Structure):
    _fields_ = [("cbSize", ctypes.c_uint32), ("dwTime", ctypes.c_uint32)]


class WindowsIdleSource:
    """Idle seconds of the interactive session.

    Args:
        user32: the loaded user32 library (or a stand-in with ``GetLastInputInfo``).
        kernel32: the loaded kernel32 library (or a stand-in with ``GetTickCount64``).
    """

    name = "windows"

    def __init__(self, user32: Any, kernel32: Any):
        self._get_last_input_info = user32.GetLastInputInfo
        self._get_last_input_info.argtypes = [ctypes.POINTER(_LastInputInfo)]
        self._get_last_input_info.restype = ctypes.c_int
        self._get_tick_count = kernel32.GetTickCount64
        self._get_tick_count.argtypes = []
        self._get_tick_count.restype = ctypes.c_uint64
        self._info = _LastInputInfo(cbSize=ctypes.sizeof(_LastInputInfo))

    @classmethod
    def open(cls) -> WindowsIdleSource:
        """Load user32 and kernel32.

        Raises:
            IdleSourceUnavailable: not on Windows.
        """
        windll = getattr(ctypes, "WinDLL", None)
        if windll is None:
            raise IdleSourceUnavailable("not Windows")
        try:
            return cls(windll("user32"), windll("kernel32"))
        except OSError as error:
            raise IdleSourceUnavailable(f"cannot load user32/kernel32: {error}") from error

    def idle_seconds(self) -> float | None:
        if not self._get_last_input_info(ctypes.pointer(self._info)):
            logger.debug("GetLastInputInfo failed")
            return None
        # dwTime is the 32-bit tick count of the last input: compare in 32 bits so the
        # 49.7-day wrap-around of the low word does not produce a huge idle time.
        now_ticks = int(self._get_tick_count()) & _TICK_MASK
        return ((now_ticks - int(self._info.dwTime)) & _TICK_MASK) / 1000.0

    def close(self) -> None:
        pass
