"""Do not disturb: is now a bad moment for a nudge.

Quiet means any of:
- the notification server is inhibited: the ``Inhibited`` property of
  org.freedesktop.Notifications (KDE Plasma) or dunst's own ``paused`` property
  (org.dunstproject.cmd0, what ``dunstctl set-paused`` flips);
- X11: the focused window (root ``_NET_ACTIVE_WINDOW``) is full screen (its ``_NET_WM_STATE``
  holds ``_NET_WM_STATE_FULLSCREEN``): a game, a video, a presentation;
- Windows: ``SHQueryUserNotificationState`` says busy, full-screen Direct3D or presentation.

``quiet_reasons()`` takes a few local round trips, but blocks for its D-Bus timeouts when
the notification server hangs, so the app asks it on a worker thread through
``platform/quiet_answers.py``. It runs no timer of its own: the engine asks (through
``Observation.quiet``) only on ticks when a nudge is due or held, so while a nudge is held
the engine's tick is the poll, and the core decides what quiet means.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from typing import Any

from unsit.core.events import QuietReason

log = logging.getLogger(__name__)

DBUS_TIMEOUT_SECONDS = 0.5
_NOTIFICATIONS_PATH = "/org/freedesktop/Notifications"
_NOTIFICATIONS_NAME = "org.freedesktop.Notifications"
# SHQueryUserNotificationState answers that mean "do not interrupt".
_QUNS_BUSY, _QUNS_RUNNING_D3D_FULL_SCREEN, _QUNS_PRESENTATION_MODE = 2, 3, 4


class _NotificationServerProbe:
    """Reads the server's inhibit / pause properties over one reused jeepney connection."""

    _PROPERTIES = ((_NOTIFICATIONS_NAME, "Inhibited"), ("org.dunstproject.cmd0", "paused"))

    def __init__(self, bus: str) -> None:
        self._bus = bus
        self._conn: Any = None  # a jeepney blocking connection

    def inhibited(self) -> bool:
        try:
            return any(self._read_flag(interface, name) for interface, name in self._PROPERTIES)
        except Exception as exc:  # noqa: BLE001 - no bus, bus gone: reconnect next time
            log.debug("cannot ask the notification server about do-not-disturb: %s", exc)
            self.close()
            return False

    def _read_flag(self, interface: str, name: str) -> bool:
        from jeepney import DBusAddress, HeaderFields, MessageFlag, MessageType, new_method_call

        from unsit.platform.dbus import open_connection

        if self._conn is None:
            self._conn = open_connection(self._bus)
        props = DBusAddress(_NOTIFICATIONS_PATH, bus_name=_NOTIFICATIONS_NAME,
                            interface="org.freedesktop.DBus.Properties")
        msg = new_method_call(props, "Get", "ss", (interface, name))
        msg.header.flags |= MessageFlag.no_auto_start  # no server running: nothing is paused
        reply = self._conn.send_and_get_reply(msg, timeout=DBUS_TIMEOUT_SECONDS)
        if reply.header.message_type != MessageType.method_return:
            return False  # this server has no such property
        if reply.header.fields.get(HeaderFields.signature) != "v":
            return False
        signature, value = reply.body[0]
        return signature == "b" and value is True

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class _XcbGetPropertyReply(ctypes.Structure):
    _fields_ = [
        ("response_type", ctypes.c_uint8), ("format", ctypes.c_uint8), ("sequence", ctypes.c_uint16),
        ("length", ctypes.c_uint32), ("type", ctypes.c_uint32), ("bytes_after", ctypes.c_uint32),
        ("value_len", ctypes.c_uint32), ("pad0", ctypes.c_uint8 * 12),
    ]


class _XcbInternAtomReply(ctypes.Structure):
    _fields_ = [
        ("response_type", ctypes.c_uint8), ("pad0", ctypes.c_uint8), ("sequence", ctypes.c_uint16),
        ("length", ctypes.c_uint32), ("atom", ctypes.c_uint32),
    ]


class _XcbScreenIterator(ctypes.Structure):
    _fields_ = [("data", ctypes.POINTER(ctypes.c_uint32)), ("rem", ctypes.c_int), ("index", ctypes.c_int)]


class _X11FullscreenProbe:
    """Is the active X11 window full screen? One reused connection, opened lazily.

    Uses libxcb rather than libX11: an Xlib error (the active window closing between two
    reads gives BadWindow) goes to a process-wide handler whose default exits the process,
    while xcb returns the error with the reply and leaves everyone else alone.
    """

    _ANY_TYPE = 0  # XCB_GET_PROPERTY_TYPE_ANY: some tools write WINDOW ids typed CARDINAL

    def __init__(self) -> None:
        self._xcb: ctypes.CDLL | None = None
        self._conn: int | None = None  # xcb_connection_t *
        self._root = 0
        self._atoms: dict[str, int] = {}
        self._failed = False

    def fullscreen_focused(self) -> bool:
        if self._failed or not self._connect():
            return False
        active = self._read_ids(self._root, self._atoms["_NET_ACTIVE_WINDOW"], self._ANY_TYPE)
        if not active or not active[0]:
            return False
        state = self._read_ids(active[0], self._atoms["_NET_WM_STATE"], self._ANY_TYPE)
        return self._atoms["_NET_WM_STATE_FULLSCREEN"] in state

    def _connect(self) -> bool:
        if self._conn is not None:
            return True
        try:
            xcb = ctypes.CDLL("libxcb.so.1")  # by soname: find_library would load subprocess
        except OSError:
            from ctypes.util import find_library

            path = find_library("xcb")
            if path is None:
                self._failed = True
                return False
            xcb = ctypes.CDLL(path)
        xcb.xcb_connect.restype = ctypes.c_void_p
        xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
        xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
        xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
        xcb.xcb_get_setup.restype = ctypes.c_void_p
        xcb.xcb_get_setup.argtypes = [ctypes.c_void_p]
        xcb.xcb_setup_roots_iterator.restype = _XcbScreenIterator
        xcb.xcb_setup_roots_iterator.argtypes = [ctypes.c_void_p]
        xcb.xcb_screen_next.argtypes = [ctypes.POINTER(_XcbScreenIterator)]
        xcb.xcb_intern_atom.restype = ctypes.c_uint
        xcb.xcb_intern_atom.argtypes = [ctypes.c_void_p, ctypes.c_uint8, ctypes.c_uint16, ctypes.c_char_p]
        xcb.xcb_intern_atom_reply.restype = ctypes.POINTER(_XcbInternAtomReply)
        xcb.xcb_intern_atom_reply.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_void_p]
        xcb.xcb_get_property.restype = ctypes.c_uint
        xcb.xcb_get_property.argtypes = [ctypes.c_void_p, ctypes.c_uint8, ctypes.c_uint32, ctypes.c_uint32,
                                         ctypes.c_uint32, ctypes.c_uint32, ctypes.c_uint32]
        xcb.xcb_get_property_reply.restype = ctypes.POINTER(_XcbGetPropertyReply)
        xcb.xcb_get_property_reply.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.POINTER(ctypes.c_void_p)]
        xcb.xcb_get_property_value.restype = ctypes.POINTER(ctypes.c_uint32)
        xcb.xcb_get_property_value.argtypes = [ctypes.c_void_p]
        self._libc_free = ctypes.CDLL(None).free
        self._libc_free.argtypes = [ctypes.c_void_p]
        screen_number = ctypes.c_int(0)
        conn = xcb.xcb_connect(None, ctypes.byref(screen_number))
        if not conn or xcb.xcb_connection_has_error(conn):
            if conn:
                xcb.xcb_disconnect(conn)
            self._failed = True  # no X display (Wayland-only, a console): never full screen
            return False
        roots = xcb.xcb_setup_roots_iterator(xcb.xcb_get_setup(conn))
        for _ in range(screen_number.value):  # e.g. DISPLAY=:0.1
            xcb.xcb_screen_next(ctypes.byref(roots))
        self._xcb, self._conn, self._root = xcb, conn, roots.data[0]  # first field: root window
        for name in ("_NET_ACTIVE_WINDOW", "_NET_WM_STATE", "_NET_WM_STATE_FULLSCREEN"):
            cookie = xcb.xcb_intern_atom(conn, 0, len(name), name.encode())
            reply = xcb.xcb_intern_atom_reply(conn, cookie, None)
            self._atoms[name] = reply.contents.atom if reply else 0
            self._libc_free(reply)
        return True

    def _read_ids(self, window: int, atom: int, atom_type: int) -> list[int]:
        xcb = self._xcb
        if xcb is None or self._conn is None:
            return []  # not connected
        error = ctypes.c_void_p()
        cookie = xcb.xcb_get_property(self._conn, 0, window, atom, atom_type, 0, 64)
        reply = xcb.xcb_get_property_reply(self._conn, cookie, ctypes.byref(error))
        if error.value:
            self._libc_free(error)
        if not reply:
            return []  # e.g. BadWindow: the window just went away
        try:
            if reply.contents.format != 32:
                return []
            values = xcb.xcb_get_property_value(reply)
            return [values[i] for i in range(reply.contents.value_len)]
        finally:
            self._libc_free(reply)

    def close(self) -> None:
        if self._conn is not None and self._xcb is not None:
            self._xcb.xcb_disconnect(self._conn)
            self._conn = None


def _windows_busy() -> bool:
    if sys.platform != "win32":
        return False
    state = ctypes.c_int(0)
    try:
        result = ctypes.windll.shell32.SHQueryUserNotificationState(ctypes.byref(state))
    except (AttributeError, OSError):
        return False
    return result == 0 and state.value in (_QUNS_BUSY, _QUNS_RUNNING_D3D_FULL_SCREEN, _QUNS_PRESENTATION_MODE)


class DndWatcher:
    """Says whether the user is in do-not-disturb (asked, never polling by itself).

    Args:
        platform: ``sys.platform``; tests may pass another value.
        bus: D-Bus bus for the notification server ("SESSION" or an address).
    """

    def __init__(self, *, platform: str = sys.platform, bus: str = "SESSION") -> None:
        self._windows = platform.startswith("win")
        self._server = None if self._windows or platform == "darwin" else _NotificationServerProbe(bus)
        self._x11 = None if self._windows or platform == "darwin" else _X11FullscreenProbe()

    def quiet_reasons(self) -> frozenset[QuietReason]:
        """Why now is quiet (paused notifications, a full-screen window, busy); empty when not."""
        reasons: set[QuietReason] = set()
        if self._windows and _windows_busy():
            reasons.add(QuietReason.BUSY)
        if self._server is not None and self._server.inhibited():
            reasons.add(QuietReason.NOTIFICATIONS_PAUSED)
        if self._x11 is not None and self._x11.fullscreen_focused():
            reasons.add(QuietReason.FULL_SCREEN)
        return frozenset(reasons)

    def is_quiet(self) -> bool:
        """True when a nudge should wait."""
        return bool(self.quiet_reasons())

    def close(self) -> None:
        """Release the D-Bus and X connections."""
        if self._server is not None:
            self._server.close()
        if self._x11 is not None:
            self._x11.close()
