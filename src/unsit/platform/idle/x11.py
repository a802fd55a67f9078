"""Idle time on X11 from the MIT-SCREEN-SAVER extension (XScreenSaverQueryInfo via ctypes).

Needs libX11.so.6 and libXss.so.1 (Debian/Ubuntu package ``libxss1``). The display is
opened once and reused; a query is one round trip to the X server, no subprocess.
"""

from __future__ import annotations

import ctypes
import logging

from unsit.platform.idle.base import IdleSourceUnavailable

logger = logging.getLogger(__name__)

X11_LIBRARY = "libX11.so.6"
XSS_LIBRARY = "libXss.so.1"


class _XScreenSaverInfo(ctypes.Structure):
    # Layout from <X11/extensions/scrnsaver.h>; Window and the times are unsigned long.
    _fields_ = [
        ("window", ctypes.c_ulong),
        ("state", ctypes.c_int),
        ("kind", ctypes.c_int),
        ("til_or_since", ctypes.c_ulong),
        ("idle", ctypes.c_ulong),
        ("event_mask", ctypes.c_ulong),
    ]


def _load(name: str) -> ctypes.CDLL:
    try:
        return ctypes.CDLL(name)
    except OSError as error:
        raise IdleSourceUnavailable(f"cannot load {name}: {error}") from error


class X11IdleSource:
    """Idle seconds of an X display (the most exact source on an X11 session).

    Use :meth:`open`; the constructor takes already prepared parts.
    """

    name = "x11"

    def __init__(self, xlib: ctypes.CDLL, xss: ctypes.CDLL, display: int, root_window: int):
        self._xlib = xlib
        self._xss = xss
        self._display: int | None = display
        self._root_window = root_window
        self._info = _XScreenSaverInfo()

    @classmethod
    def open(cls, display_name: str | None) -> X11IdleSource:
        """Connect to ``display_name`` (e.g. ":0").

        Raises:
            IdleSourceUnavailable: no display name, a library is missing, the display
                cannot be opened or it lacks the MIT-SCREEN-SAVER extension.
        """
        if not display_name:
            raise IdleSourceUnavailable("no X display (DISPLAY is not set)")
        xlib = _load(X11_LIBRARY)
        xss = _load(XSS_LIBRARY)
        xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
        xlib.XOpenDisplay.restype = ctypes.c_void_p
        xlib.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        xlib.XDefaultRootWindow.restype = ctypes.c_ulong
        xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
        xlib.XCloseDisplay.restype = ctypes.c_int
        xss.XScreenSaverQueryExtension.argtypes = [
            ctypes.c_void_p, ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int),
        ]
        xss.XScreenSaverQueryExtension.restype = ctypes.c_int
        xss.XScreenSaverQueryInfo.argtypes = [
            ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(_XScreenSaverInfo),
        ]
        xss.XScreenSaverQueryInfo.restype = ctypes.c_int

        display = xlib.XOpenDisplay(display_name.encode())
        if not display:
            raise IdleSourceUnavailable(f"cannot open X display {display_name!r}")
        event_base, error_base = ctypes.c_int(), ctypes.c_int()
        if not xss.XScreenSaverQueryExtension(display, ctypes.byref(event_base), ctypes.byref(error_base)):
            xlib.XCloseDisplay(display)
            raise IdleSourceUnavailable(f"X display {display_name!r} lacks MIT-SCREEN-SAVER")
        return cls(xlib, xss, display, xlib.XDefaultRootWindow(display))

    def idle_seconds(self) -> float | None:
        """Milliseconds since the last input event on the display, as seconds."""
        if self._display is None:
            return None
        if not self._xss.XScreenSaverQueryInfo(self._display, self._root_window, ctypes.byref(self._info)):
            logger.debug("XScreenSaverQueryInfo failed")
            return None
        return float(self._info.idle) / 1000.0

    def close(self) -> None:
        if self._display is not None:
            self._xlib.XCloseDisplay(self._display)
            self._display = None
