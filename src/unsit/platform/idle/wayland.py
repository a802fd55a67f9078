"""Idle time on Wayland compositors that offer ext-idle-notify-v1 (sway >= 1.8, KWin 6, labwc,
Hyprland, Wayfire, COSMIC, niri; not GNOME, which has its own D-Bus idle monitor).

The protocol has no counter: the compositor sends ``idled`` after a timeout without input and
``resumed`` at the next input. :class:`~unsit.platform.idle.idle_timeline.IdleTimeline` turns
those into idle seconds (exact once the user has been idle for the timeout, 0 before).

The source keeps its own Wayland connection (through pywayland, whose wheels bundle
libwayland-client) and serves it from its own thread, which waits on the connection's file
descriptor and a wake-up pipe, so ``idle_seconds()`` only reads a value under a lock and never
blocks the GUI thread. If the compositor goes away, the source logs it once and answers None.

Idle inhibitors (a playing video, a presentation) are respected on purpose: the notification is
made with ``get_idle_notification``, which does not fire while something inhibits idling, so
watching a video at the desk counts as sitting. ``get_input_idle_notification`` (protocol
version 2) ignores inhibitors and would call a film watcher away; it is not used, so protocol
version 1 is all the source needs.
"""

from __future__ import annotations

import logging
import os
import select
import sys
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from unsit.platform.idle.base import IdleSourceUnavailable
from unsit.platform.idle.idle_timeline import IdleTimeline

logger = logging.getLogger(__name__)

NOTIFIER_INTERFACE = "ext_idle_notifier_v1"
SEAT_INTERFACE = "wl_seat"
TIMEOUT_SECONDS = 5.0
"""The notification's timeout: the most the idle value lags behind the truth (see idle_timeline)."""
SETUP_TIMEOUT_SECONDS = 3.0
"""How long opening may wait for the compositor's answers before giving up."""
CLOSE_TIMEOUT_SECONDS = 2.0


def wayland_socket_path(env: Mapping[str, str]) -> str | None:
    """The compositor socket named by ``WAYLAND_DISPLAY`` (absolute, or under XDG_RUNTIME_DIR)."""
    name = env.get("WAYLAND_DISPLAY", "")
    if not name:
        return None
    if os.path.isabs(name):
        return name
    runtime_dir = env.get("XDG_RUNTIME_DIR", "")
    return str(Path(runtime_dir) / name) if runtime_dir else None


class WaylandIdleSource:
    """Idle seconds from an ext-idle-notify-v1 notification on its own connection and thread.

    Use :meth:`open`; the constructor is for tests that drive the events themselves.

    Args:
        timeline: turns the events into idle seconds.
        clock: monotonic seconds (the same clock for events and queries).
    """

    name = "wayland-ext-idle"

    def __init__(self, timeline: IdleTimeline, clock: Callable[[], float] = time.monotonic):
        self._timeline = timeline
        self._clock = clock
        self._lock = threading.Lock()
        self._lost = False
        self._connection: _Connection | None = None

    @classmethod
    def open(cls, socket_path: str, timeout_seconds: float = TIMEOUT_SECONDS,
             clock: Callable[[], float] = time.monotonic) -> WaylandIdleSource:
        """Connect to the compositor at ``socket_path`` and start watching for idleness.

        Raises:
            IdleSourceUnavailable: no pywayland, no compositor there, or it lacks the protocol.
        """
        source = cls(IdleTimeline(timeout_seconds), clock)
        connection = _Connection(socket_path, timeout_seconds, source)
        connection.start()
        source._connection = connection
        return source

    # -- events (called from the connection's thread) ---------------------------------------
    def on_idled(self) -> None:
        """The compositor sent ``idled``."""
        with self._lock:
            self._timeline.idled(self._clock())

    def on_resumed(self) -> None:
        """The compositor sent ``resumed``."""
        with self._lock:
            self._timeline.resumed(self._clock())

    def on_lost(self, reason: str) -> None:
        """The connection broke (compositor gone): answer None from now on, say so once."""
        with self._lock:
            if self._lost:
                return
            self._lost = True
        logger.warning("Wayland idle source lost (%s): idle time is unknown from now on", reason)

    # -- the IdleSource protocol -------------------------------------------------------------
    def idle_seconds(self) -> float | None:
        with self._lock:
            if self._lost:
                return None
            return self._timeline.idle_seconds(self._clock())

    def close(self) -> None:
        with self._lock:
            self._lost = True  # closed on purpose: no warning, and no stale value either
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.stop()


class _Connection:
    """One Wayland connection with one idle notification, served from a daemon thread."""

    def __init__(self, socket_path: str, timeout_seconds: float, source: WaylandIdleSource):
        self._socket_path = socket_path
        self._timeout_ms = max(1, round(timeout_seconds * 1000))
        self._source = source
        self._display: Any = None
        self._objects: list[Any] = []  # notification, notifier, seat: destroyed in this order
        self._wake_read, self._wake_write = os.pipe()
        self._ready = threading.Event()
        self._setup_error: str | None = None
        self._setup_deadline = 0.0
        self._thread = threading.Thread(target=self._run, name="wayland-idle", daemon=True)

    def start(self) -> None:
        """Connect and set up on the thread; wait (bounded) until that worked.

        Raises:
            IdleSourceUnavailable: the setup failed or took too long.
        """
        self._thread.start()
        if not self._ready.wait(SETUP_TIMEOUT_SECONDS + 1.0):
            self.stop()
            raise IdleSourceUnavailable(f"no answer from the Wayland compositor at {self._socket_path}")
        if self._setup_error is not None:
            self.stop()
            raise IdleSourceUnavailable(self._setup_error)

    def stop(self) -> None:
        """Wake the thread, let it release the connection, and wait for it (bounded)."""
        try:
            os.write(self._wake_write, b"x")
        except OSError:
            pass  # already stopped
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(CLOSE_TIMEOUT_SECONDS)
        if not self._thread.is_alive():
            for fd in (self._wake_read, self._wake_write):
                try:
                    os.close(fd)
                except OSError:
                    pass

    # -- the thread ------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            self._setup_error = self._set_up()
        except Exception as error:  # noqa: BLE001 - a broken library or protocol error must not kill the app
            self._setup_error = f"Wayland idle setup failed: {error!r}"
        self._ready.set()
        if self._setup_error is None:
            try:
                self._serve()
            except Exception as error:  # noqa: BLE001 - whatever ends the connection is reported as lost
                self._source.on_lost(repr(error))
        self._release()

    def _set_up(self) -> str | None:
        """Connect, find the seat and the notifier, make the notification; an error text or None."""
        self._setup_deadline = time.monotonic() + SETUP_TIMEOUT_SECONDS
        try:
            from pywayland.client.display import Display
            from pywayland.protocol.ext_idle_notify_v1 import ExtIdleNotifierV1
            from pywayland.protocol.wayland import WlSeat
        except ImportError as error:
            return f"pywayland is not installed: {error}"
        display = Display(self._socket_path)
        try:
            display.connect()
        except ValueError:
            return f"no Wayland compositor at {self._socket_path}"
        self._display = display
        globals_: dict[str, tuple[int, int]] = {}

        def on_global(_registry: Any, name: int, interface: str, version: int) -> None:
            globals_.setdefault(interface, (name, version))

        registry = display.get_registry()
        registry.dispatcher["global"] = on_global
        self._objects.append(registry)
        if not self._roundtrip():
            return "the Wayland compositor did not list its globals in time"
        if NOTIFIER_INTERFACE not in globals_:
            return f"the Wayland compositor does not offer {NOTIFIER_INTERFACE}"
        if SEAT_INTERFACE not in globals_:
            return "the Wayland compositor has no seat"
        seat = registry.bind(globals_[SEAT_INTERFACE][0], WlSeat, 1)
        notifier = registry.bind(globals_[NOTIFIER_INTERFACE][0], ExtIdleNotifierV1, 1)
        # Respects idle inhibitors (a playing video counts as sitting), see the module docstring.
        notification = notifier.get_idle_notification(self._timeout_ms, seat)
        notification.dispatcher["idled"] = lambda _proxy: self._source.on_idled()
        notification.dispatcher["resumed"] = lambda _proxy: self._source.on_resumed()
        self._objects = [notification, notifier, seat, registry]
        if not self._roundtrip():
            return "the Wayland compositor did not answer in time"
        return None

    def _roundtrip(self) -> bool:
        """Like wl_display_roundtrip, but bounded by the setup's deadline (all roundtrips together)."""
        done: list[bool] = []
        callback = self._display.sync()
        callback.dispatcher["done"] = lambda _proxy, _data: done.append(True)
        while not done:
            self._display.flush()
            remaining = self._setup_deadline - time.monotonic()
            if remaining <= 0:
                return False
            readable, _, _ = select.select([self._display.get_fd()], [], [], remaining)
            if readable:
                self._display.dispatch(block=True)
        return True

    def _serve(self) -> None:
        """Dispatch events until stopped or the compositor goes away."""
        if sys.platform == "win32":  # no Wayland (nor select.poll) on Windows
            raise OSError("Wayland runs on Unix only")
        display = self._display
        fd = display.get_fd()
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        poller.register(self._wake_read, select.POLLIN)
        while True:
            display.dispatch(block=False)
            display.flush()
            events = dict(poller.poll())
            if self._wake_read in events:
                return
            if fd in events:
                # Raises RuntimeError when the connection broke (compositor gone).
                display.dispatch(block=True)

    def _release(self) -> None:
        display, self._display = self._display, None
        if display is None:
            return
        for proxy in self._objects:
            try:
                if hasattr(proxy, "destroy") and not proxy.destroyed:
                    proxy.destroy()
            except Exception:  # noqa: BLE001 - the connection may be broken already
                pass
        self._objects = []
        try:
            display.flush()
        except Exception:  # noqa: BLE001 - the connection may be broken already
            pass
        display.disconnect()
