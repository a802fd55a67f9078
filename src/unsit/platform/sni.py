"""Whether a StatusNotifierItem host shows our tray icon, asked of ``org.kde.StatusNotifierWatcher``.

Under an SNI host (KDE, xfce4-panel, waybar, GNOME's AppIndicator extension) Qt registers the
icon as a D-Bus item named ``org.kde.StatusNotifierItem-<pid>-<n>`` and
``QSystemTrayIcon.geometry()`` stays empty, so the watcher is the only witness. A daemon
thread reads the watcher's properties at start and again on each of its signals (and when
the watcher itself comes or goes); it never blocks the GUI thread and never wakes up idle.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jeepney import DBusAddress, MatchRule, Message, MessageType, Properties
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, Proxy, open_dbus_connection
from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger(__name__)

WATCHER_NAME = "org.kde.StatusNotifierWatcher"
WATCHER_PATH = "/StatusNotifierWatcher"
ITEM_PREFIX = "org.kde.StatusNotifierItem"
CALL_TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class SniState:
    """What the watcher last said: is a host registered, and is our item among the items."""

    watcher_present: bool = False
    host_registered: bool = False
    item_registered: bool = False

    @property
    def shows_icon(self) -> bool:
        """True when an SNI host is there and our item is registered with the watcher."""
        return self.watcher_present and self.host_registered and self.item_registered


def item_service(entry: str) -> str:
    """The bus name in a RegisteredStatusNotifierItems entry.

    Watchers store what the item sent: a unique name (``:1.6``, what Qt 6 sends), a
    service name (``org.kde.StatusNotifierItem-PID-N``), either one with the object path
    appended (``:1.6/StatusNotifierItem``), or the sender's name before a bare path.
    """
    return entry.split("/", 1)[0]


def state_from_properties(props: dict[str, tuple[str, Any]], owner_pid: Callable[[str], int | None],
                          pid: int) -> SniState:
    """Turn the watcher's GetAll answer ({name: (signature, value)}) into an SniState.

    Args:
        props: the GetAll reply body.
        owner_pid: ``owner_pid(bus_name)`` -> the process owning that name, or None.
        pid: this process.
    """
    host = props.get("IsStatusNotifierHostRegistered", ("b", False))[1]
    items = props.get("RegisteredStatusNotifierItems", ("as", []))[1]
    ours = False
    if isinstance(items, list):
        for entry in items:
            service = item_service(str(entry))
            if service.startswith(f"{ITEM_PREFIX}-{pid}-") or (service and owner_pid(service) == pid):
                ours = True
                break
    return SniState(watcher_present=True, host_registered=bool(host), item_registered=ours)


class SniWatch(QObject):
    """Follows the StatusNotifierWatcher; ``changed`` fires on the GUI thread with the new SniState."""

    changed = Signal(object)
    _arrived = Signal(object)  # from the reader thread, queued to the GUI thread

    def __init__(self, bus: str = "SESSION", pid: int | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bus = bus
        self._pid = os.getpid() if pid is None else pid
        self.state = SniState()
        self._conn: DBusConnection | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._arrived.connect(self._on_arrived, Qt.ConnectionType.QueuedConnection)

    def start(self) -> None:
        """Start following the watcher (does nothing without a session bus)."""
        if self._thread is not None:
            return
        try:
            self._conn = open_dbus_connection(self._bus)
        except Exception as exc:  # noqa: BLE001 - no session bus: no SNI host can show anything either
            log.info("no session bus for the StatusNotifier watch: %s", exc)
            return
        self._thread = threading.Thread(target=self._run, name="unsit-sni-watch", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop the reader thread and close its connection."""
        thread, conn = self._thread, self._conn
        self._thread = self._conn = None
        self._stopping.set()
        if conn is not None:
            try:
                conn.sock.shutdown(socket.SHUT_RDWR)  # wakes the reader's blocking recv
            except OSError:
                pass
        if thread is not None:
            thread.join(timeout=5)
        if conn is not None:
            conn.close()

    def _on_arrived(self, state: SniState) -> None:
        if state != self.state:
            log.info("StatusNotifier watcher: %s, host %s, our item %s",
                     "present" if state.watcher_present else "absent",
                     "registered" if state.host_registered else "missing",
                     "registered" if state.item_registered else "not registered")
        self.state = state
        self.changed.emit(state)

    def _run(self) -> None:
        conn = self._conn
        if conn is None:
            return
        try:
            bus = Proxy(message_bus, conn, timeout=CALL_TIMEOUT_SECONDS)
            watcher_rule = MatchRule(type="signal", interface=WATCHER_NAME)
            owner_rule = MatchRule(type="signal", sender="org.freedesktop.DBus", interface="org.freedesktop.DBus",
                                   member="NameOwnerChanged", path="/org/freedesktop/DBus")
            owner_rule.add_arg_condition(0, WATCHER_NAME)
            bus.AddMatch(watcher_rule)
            bus.AddMatch(owner_rule)
            incoming: deque[Message] = deque(maxlen=16)
            with conn.filter(watcher_rule, queue=incoming), conn.filter(owner_rule, queue=incoming):
                self._arrived.emit(self._read(conn))
                while not self._stopping.is_set():
                    conn.recv_until_filtered(incoming)
                    incoming.clear()  # one re-read answers all of them
                    self._arrived.emit(self._read(conn))
        except Exception as exc:  # noqa: BLE001 - the connection closed (shutdown) or the bus went away
            if not self._stopping.is_set():
                log.info("StatusNotifier watch ended: %s", exc)
                self._arrived.emit(SniState())  # no bus to us: no host can be showing our item

    def _read(self, conn: DBusConnection) -> SniState:
        address = DBusAddress(WATCHER_PATH, bus_name=WATCHER_NAME, interface=WATCHER_NAME)
        reply = conn.send_and_get_reply(Properties(address).get_all(), timeout=CALL_TIMEOUT_SECONDS)
        if reply.header.message_type != MessageType.method_return:
            return SniState()  # no watcher on the bus (ServiceUnknown) or it refused
        return state_from_properties(reply.body[0], lambda name: _owner_pid(conn, name), self._pid)


def _owner_pid(conn: DBusConnection, name: str) -> int | None:
    reply = conn.send_and_get_reply(message_bus.GetConnectionUnixProcessID(name), timeout=CALL_TIMEOUT_SECONDS)
    if reply.header.message_type != MessageType.method_return:
        return None
    return int(reply.body[0])
