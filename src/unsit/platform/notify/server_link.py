"""The D-Bus side of freedesktop nudges: one connection, owned by one worker thread.

No call here runs on the GUI thread. The GUI side (``FreedesktopNotifier``) queues
requests; the worker thread sends them in order and reports back through callbacks, which
the notifier turns into queued Qt signals. Sending in order keeps the notification ids
right without locks: a withdraw queued after a nudge closes exactly that nudge, even when
its ``Notify`` was still on the way.

One connection carries calls and signals, because some servers send ``ActionInvoked`` only
to the connection that called ``Notify``. Several notifiers can share it (one per reminder
kind): each attaches as a *slot* with its own callbacks and its own notification to replace,
so an idle app has one connection and one pair of threads whatever the number of kinds.
Unsit's own small router (platform/dbus_router.py) reads it on its own daemon thread and
hands the signals we match straight to ``_on_signal`` (no queue and no listener thread of
ours). It replaced jeepney's threading router, which brought ``concurrent.futures`` into the
idle process and needed workarounds for a doubled reply and for a bus that goes away.

When the bus goes away, the worker drops the connection and tries again every
``reconnect_seconds`` (and before each request), so Unsit comes back to D-Bus when a bus
comes back at the same address.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from jeepney import DBusAddress, HeaderFields, MatchRule, Message, MessageFlag, new_method_call
from jeepney.bus_messages import message_bus

from unsit.platform.dbus import name_owner_rule
from unsit.platform.dbus_router import BusRouter, CallFailed
from unsit.platform.notify.server_profile import ServerProfile

__all__ = ["BUS_NAME", "NOTIFICATIONS", "RECONNECT_SECONDS", "CallFailed", "LinkEvents", "Request", "ServerLink",
           "read_profile"]  # CallFailed lives in dbus_router; freedesktop.py takes it from here

log = logging.getLogger(__name__)

BUS_NAME = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
INTERFACE = "org.freedesktop.Notifications"
NOTIFICATIONS = DBusAddress(OBJECT_PATH, bus_name=BUS_NAME, interface=INTERFACE)
NOTIFY_SIGNATURE = "susssasa{sv}i"
CALL_TIMEOUT_SECONDS = 3.0
AUTH_TIMEOUT_SECONDS = 1.0
RECONNECT_SECONDS = 30.0


class Request(Enum):
    """What the GUI side asks the worker to do."""

    NUDGE = "nudge"
    INFORM = "inform"
    WITHDRAW = "withdraw"
    OWNER_CHANGED = "owner_changed"
    BUS_LOST = "bus_lost"
    STOP = "stop"


@dataclass(frozen=True)
class LinkEvents:
    """Callbacks the link calls from its own threads (they must be thread safe: emit a signal)."""

    delivered: Callable[[int, int], None]  # (serial, notification id) of a nudge
    failed: Callable[[int, bool, str], None]  # (serial, was it a nudge, why)
    profile_found: Callable[[ServerProfile], None]  # a server answered (at connect, or a new one)
    owner_changed: Callable[[str, str], None]  # (old, new) owner of the notifications name
    action_invoked: Callable[[int, str], None]
    closed: Callable[[int, int], None]


def read_profile(router: BusRouter, *, activate: bool = True,
                 timeout_seconds: float = CALL_TIMEOUT_SECONDS) -> ServerProfile:
    """Ask the server who it is and what it can do.

    Raises:
        CallFailed: when no server answers.
    """
    info_msg = new_method_call(NOTIFICATIONS, "GetServerInformation")
    if not activate:
        info_msg.header.flags |= MessageFlag.no_auto_start
    name, vendor, version = router.call(info_msg, timeout_seconds).body[:3]
    caps_msg = new_method_call(NOTIFICATIONS, "GetCapabilities")
    caps_msg.header.flags |= MessageFlag.no_auto_start
    try:
        capabilities = frozenset(str(c) for c in router.call(caps_msg, timeout_seconds).body[0])
    except CallFailed as exc:
        if exc.broken:
            raise
        capabilities = frozenset()  # a server without GetCapabilities promises nothing
    return ServerProfile(str(name), str(vendor), str(version), capabilities)


class _Requests:
    """The worker's inbox, first in first out: a deque and a Condition.

    All the link needs of ``queue.Queue``, so the link does not load the ``queue`` module
    (about 40 kB of heap; app/ipc_server.py still does).
    """

    def __init__(self) -> None:
        self._items: deque[tuple[Any, ...]] = deque()
        self._ready = threading.Condition(threading.Lock())

    def put(self, request: tuple[Any, ...]) -> None:
        """Add ``request`` (from any thread)."""
        with self._ready:
            self._items.append(request)
            self._ready.notify()

    def get(self, timeout_seconds: float | None) -> tuple[Any, ...] | None:
        """The oldest request; None when none came within ``timeout_seconds`` (None: wait for one)."""
        with self._ready:
            if not self._ready.wait_for(lambda: self._items, timeout_seconds):
                return None
            return self._items.popleft()


class ServerLink:
    """The worker thread and connection behind ``FreedesktopNotifier``.

    Args:
        bus: "SESSION" or a D-Bus address.
        events: Where results go (called from the link's threads).
        icon_path: ``app_icon`` of every notification.
        app_name: ``app_name`` of every notification.
        reconnect_seconds: How often to try the bus again while it is gone.
        activate: Let D-Bus start an activatable server when asking who the server is.
    """

    def __init__(self, bus: str, events: LinkEvents, *, icon_path: str = "", app_name: str = "Unsit",
                 reconnect_seconds: float = RECONNECT_SECONDS, activate: bool = True) -> None:
        self._bus = bus
        self._activate = activate
        # Slot 0 is the notifier that made the link; attach() adds more. Replaced, never
        # mutated in place, so the link's threads always read a whole list.
        self._slots: tuple[LinkEvents | None, ...] = (events,)
        self._icon_path = icon_path
        self._app_name = app_name
        self._reconnect_seconds = reconnect_seconds
        self._requests = _Requests()
        # Worker-thread state only:
        self._router: BusRouter | None = None
        self._nudge_ids: dict[int, int] = {}  # slot -> its notification on screen
        self._info_ids: dict[int, int] = {}  # slot -> its last plain message
        self._worker = threading.Thread(target=self._work, name="unsit-notify-calls", daemon=True)
        self._worker.start()

    # GUI side: only queue requests. -------------------------------------------------

    def attach(self, events: LinkEvents) -> int:
        """Add a slot: one more notification of its own on this connection; returns its number.

        The slot's ``delivered`` and ``failed`` are its own; action, close, owner and profile
        news go to every slot (each notifier keeps only what concerns its notification).
        """
        self._slots = (*self._slots, events)
        return len(self._slots) - 1

    def detach(self, slot: int) -> None:
        """Close the slot's notification and stop calling its callbacks (the link keeps running)."""
        self.withdraw(slot)
        self._slots = tuple(None if index == slot else events for index, events in enumerate(self._slots))

    def nudge(self, serial: int, title: str, body: str, actions: list[str], hints: dict[str, Any],
              expire_timeout: int, slot: int = 0) -> None:
        """Show (or replace) the slot's nudge; ``delivered`` or ``failed`` follows with ``serial``."""
        self._requests.put((Request.NUDGE, slot, serial, title, body, actions, hints, expire_timeout))

    def inform(self, title: str, body: str, hints: dict[str, Any], slot: int = 0) -> None:
        """Show a plain message that replaces the slot's previous one and expires as the server sees fit."""
        self._requests.put((Request.INFORM, slot, 0, title, body, [], hints, -1))

    def withdraw(self, slot: int = 0) -> None:
        """Close the slot's nudge (the latest one sent, once its id is known)."""
        self._requests.put((Request.WITHDRAW, slot))

    def stop(self, timeout_seconds: float = 5.0) -> None:
        """Withdraw what was queued before, close the connection and end its threads."""
        self._requests.put((Request.STOP,))
        self._worker.join(timeout=timeout_seconds)

    # Worker thread. ------------------------------------------------------------------

    def _work(self) -> None:
        self._connect()
        while True:
            wait = None if self._router is not None else self._reconnect_seconds
            request = self._requests.get(wait)
            if request is None:
                self._connect()
                continue
            kind = request[0]
            if kind is Request.STOP:
                for slot in list(self._nudge_ids):
                    self._close_nudge(slot)
                self._disconnect()
                return
            if kind is Request.OWNER_CHANGED:
                self._on_owner_changed(request[1], request[2])
                continue
            if kind is Request.BUS_LOST:
                if request[1] is self._router:  # not an older connection's late news
                    self._disconnect()
                    self._on_owner_changed("(the bus)", "")
                continue
            if kind is Request.WITHDRAW:
                self._close_nudge(request[1])  # nothing to do without a connection: a new one shows nothing of ours
            elif self._router is None and not self._connect():
                events = self._slot_events(request[1])
                if events is not None:
                    events.failed(request[2], kind is Request.NUDGE, "no D-Bus session bus")
            else:
                self._notify(kind, *request[1:])

    def _slot_events(self, slot: int) -> LinkEvents | None:
        slots = self._slots
        return slots[slot] if 0 <= slot < len(slots) else None

    def _every_slot(self) -> list[LinkEvents]:
        return [events for events in self._slots if events is not None]

    def _notify(self, kind: Request, slot: int, serial: int, title: str, body: str, actions: list[str],
                hints: dict[str, Any], expire: int) -> None:
        is_nudge = kind is Request.NUDGE
        replaces = (self._nudge_ids if is_nudge else self._info_ids).get(slot, 0)
        msg = new_method_call(NOTIFICATIONS, "Notify", NOTIFY_SIGNATURE,
                              (self._app_name, replaces, self._icon_path, title, body, actions, hints, expire))
        events = self._slot_events(slot)
        try:
            notification_id = int(self._call(msg).body[0])
        except CallFailed as exc:
            if events is not None:
                events.failed(serial, is_nudge, str(exc))
            return
        if is_nudge:
            self._nudge_ids[slot] = notification_id
            if events is not None:
                events.delivered(serial, notification_id)
        else:
            self._info_ids[slot] = notification_id

    def _close_nudge(self, slot: int) -> None:
        notification_id = self._nudge_ids.pop(slot, 0)
        if not notification_id or self._router is None:
            return  # id 0: the server (notify-osd) closes its bubbles itself
        try:
            self._call(new_method_call(NOTIFICATIONS, "CloseNotification", "u", (notification_id,)))
        except CallFailed as exc:
            # Normal for servers that close a bubble themselves on click (notification-daemon).
            log.debug("CloseNotification %d: %s", notification_id, exc)

    def _on_owner_changed(self, old_owner: str, new_owner: str) -> None:
        # Our ids belonged to the old server: a new one does not know them.
        self._nudge_ids.clear()
        self._info_ids.clear()
        for events in self._every_slot():
            events.owner_changed(old_owner, new_owner)
        if new_owner and self._router is not None:
            self._probe()

    def _call(self, msg: Message) -> Message:
        assert self._router is not None
        try:
            return self._router.call(msg, CALL_TIMEOUT_SECONDS)
        except CallFailed as exc:
            if exc.broken:
                self._disconnect()
            raise

    def _probe(self) -> None:
        assert self._router is not None
        try:
            profile = read_profile(self._router, activate=self._activate)
        except CallFailed as exc:
            if exc.broken:
                self._disconnect()
            log.debug("no notification server answers: %s", exc)
            return
        for events in self._every_slot():
            events.profile_found(profile)

    def _connect(self) -> bool:
        try:
            router = BusRouter.open(self._bus, on_lost=lambda lost: self._requests.put((Request.BUS_LOST, lost)),
                                    thread_name="unsit-dbus-notifications", auth_timeout_seconds=AUTH_TIMEOUT_SECONDS,
                                    call_timeout_seconds=CALL_TIMEOUT_SECONDS)
        except CallFailed as exc:
            log.debug("no D-Bus bus %s: %s", self._bus, exc)
            return False
        try:
            for member in ("ActionInvoked", "NotificationClosed"):
                # The bus filters on the sender's well-known name; our local filter cannot
                # (it sees the unique name), so it matches on interface, path and member.
                router.watch(MatchRule(type="signal", interface=INTERFACE, path=OBJECT_PATH, member=member),
                             self._on_signal)
                router.call(message_bus.AddMatch(MatchRule(type="signal", sender=BUS_NAME, interface=INTERFACE,
                                                           path=OBJECT_PATH, member=member)), CALL_TIMEOUT_SECONDS)
            owner_rule = name_owner_rule(BUS_NAME)
            router.watch(owner_rule, self._on_signal)
            router.call(message_bus.AddMatch(owner_rule), CALL_TIMEOUT_SECONDS)
        except CallFailed as exc:
            log.debug("could not set up the D-Bus connection: %s", exc)
            router.close()
            return False
        self._router = router
        self._nudge_ids.clear()  # a new connection: whatever we showed before is gone
        self._info_ids.clear()
        log.debug("connected to the D-Bus bus %s", self._bus)
        self._probe()
        return True

    def _disconnect(self) -> None:
        router, self._router = self._router, None
        if router is not None:
            router.close()

    # The router's receiver thread: no state, only hand-offs. ---------------------------

    def _on_signal(self, msg: Message) -> None:
        member = msg.header.fields.get(HeaderFields.member)
        try:
            if member == "ActionInvoked":
                notification_id, action_key = msg.body
                for events in self._every_slot():
                    events.action_invoked(int(notification_id), str(action_key))
            elif member == "NotificationClosed":
                notification_id, reason = msg.body
                for events in self._every_slot():
                    events.closed(int(notification_id), int(reason))
            elif member == "NameOwnerChanged":
                _name, old_owner, new_owner = msg.body
                self._requests.put((Request.OWNER_CHANGED, str(old_owner), str(new_owner)))
        except (TypeError, ValueError):
            log.debug("ignored malformed %s signal: %r", member, msg.body)
