"""Whether a StatusNotifierItem host shows our tray icon, asked of ``org.kde.StatusNotifierWatcher``.

Under an SNI host (KDE, xfce4-panel, waybar, GNOME's AppIndicator extension) Qt registers the
icon as a D-Bus item named ``org.kde.StatusNotifierItem-<pid>-<n>`` and
``QSystemTrayIcon.geometry()`` stays empty, so the watcher is the only witness. A daemon
thread (platform/dbus.py's ``SignalListener``) connects, reads the watcher's properties, and
reads them again on each burst of its signals (and when the watcher itself comes or goes); it
never blocks the GUI thread and never wakes up idle.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jeepney import DBusAddress, MatchRule, MessageType, Properties
from jeepney.bus_messages import message_bus
from PySide6.QtCore import QObject, Signal

from unsit.platform.dbus import BusUnavailable, NameOwners, SignalListener, name_owner_rule, signature_of

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
        self._listener: SignalListener | None = None
        self._owners = NameOwners([WATCHER_NAME])  # the watcher's signals count only from its owner
        self._arrived.connect(self._on_arrived)  # emitted on the reader thread only: Qt queues it

    def start(self) -> None:
        """Start following the watcher in a thread (it ends quietly without a session bus)."""
        if self._listener is not None:
            return
        watcher_rule = MatchRule(type="signal", sender=WATCHER_NAME, interface=WATCHER_NAME)
        owner_rule = name_owner_rule(WATCHER_NAME)
        self._listener = SignalListener(
            "unsit-sni-watch", self._bus, [watcher_rule, owner_rule], self._signals_received,
            on_connected=self._connected, on_unavailable=_no_bus, on_lost=self._lost,
            call_timeout_seconds=CALL_TIMEOUT_SECONDS,
        )
        self._listener.start()

    def close(self) -> None:
        """Stop the reader thread and close its connection."""
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.stop()

    def _on_arrived(self, state: SniState) -> None:
        if state != self.state:
            log.info("StatusNotifier watcher: %s, host %s, our item %s",
                     "present" if state.watcher_present else "absent",
                     "registered" if state.host_registered else "missing",
                     "registered" if state.item_registered else "not registered")
        self.state = state
        self.changed.emit(state)

    # Listener thread. -------------------------------------------------------------------

    def _connected(self, conn: Any) -> None:
        self._owners.read(conn, CALL_TIMEOUT_SECONDS)
        self._read_and_send(conn)

    def _signals_received(self, conn: Any, messages: list[Any]) -> None:
        believed = [m for m in messages if self._owners.update(m) or self._owners.sent_by_owner(m, WATCHER_NAME)]
        if believed:
            self._read_and_send(conn)  # one re-read answers a whole burst

    def _read_and_send(self, conn: Any) -> None:
        self._arrived.emit(self._read(conn))

    def _lost(self, error: BaseException) -> None:
        log.info("StatusNotifier watch ended: %s", error)
        self._arrived.emit(SniState())  # no bus to us: no host can be showing our item

    def _read(self, conn: Any) -> SniState:
        address = DBusAddress(WATCHER_PATH, bus_name=WATCHER_NAME, interface=WATCHER_NAME)
        reply = conn.send_and_get_reply(Properties(address).get_all(), timeout=CALL_TIMEOUT_SECONDS)
        if reply.header.message_type != MessageType.method_return or signature_of(reply) != "a{sv}":
            return SniState()  # no watcher on the bus (ServiceUnknown) or it refused
        return state_from_properties(reply.body[0], lambda name: _owner_pid(conn, name), self._pid)


def _no_bus(error: BusUnavailable) -> None:
    log.info("no session bus for the StatusNotifier watch: %s", error)  # no SNI host can show anything


def _owner_pid(conn: Any, name: str) -> int | None:
    reply = conn.send_and_get_reply(message_bus.GetConnectionUnixProcessID(name), timeout=CALL_TIMEOUT_SECONDS)
    if reply.header.message_type != MessageType.method_return or signature_of(reply) != "u":
        return None
    return int(reply.body[0])
