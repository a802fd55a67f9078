"""The D-Bus side of freedesktop nudges: one connection, owned by one worker thread.

No call here runs on the GUI thread. The GUI side (``FreedesktopNotifier``) puts requests
in a ``queue.Queue``; the worker thread sends them in order and reports back through
callbacks, which the notifier turns into queued Qt signals. Sending in order keeps the
notification ids right without locks: a withdraw queued after a nudge closes exactly that
nudge, even when its ``Notify`` was still on the way.

One connection carries calls and signals, because some servers send ``ActionInvoked`` only
to the connection that called ``Notify``. Several notifiers can share it (one per reminder
kind): each attaches as a *slot* with its own callbacks and its own notification to replace,
so an idle app has one connection and one pair of threads whatever the number of kinds.
The connection is platform/dbus.py's ``CallingConnection``: its receiver thread hands the
signals to ``_on_signal``, which drops at once what is not about one of our nudges.

Everything the server answers is checked: a ``Notify`` answered with anything but one ``u``
fails that nudge (the presenter falls back), a server description is cut to a few hundred
characters, capabilities that are not a list of strings are none. A request that fails in
an unexpected way is logged and failed; the worker lives on.

When the bus goes away, the worker drops the connection and tries again every
``reconnect_seconds`` (and before each request), so Unsit comes back to D-Bus when a bus
comes back at the same address.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from jeepney import DBusAddress, HeaderFields, MatchRule, Message, MessageFlag, new_method_call
from jeepney.bus_messages import message_bus

from unsit.platform.dbus import BUS_DAEMON, CallFailed, CallingConnection, name_owner_rule, signature_of
from unsit.platform.notify.server_profile import ServerProfile, profile_from_answers

__all__ = ["BUS_NAME", "NOTIFICATIONS", "RECONNECT_SECONDS", "BadAnswer", "CallFailed", "LinkEvents", "Request",
           "ServerLink", "read_profile"]

log = logging.getLogger(__name__)

BUS_NAME = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
INTERFACE = "org.freedesktop.Notifications"
NOTIFICATIONS = DBusAddress(OBJECT_PATH, bus_name=BUS_NAME, interface=INTERFACE)
NOTIFY_SIGNATURE = "susssasa{sv}i"
CALL_TIMEOUT_SECONDS = 3.0
AUTH_TIMEOUT_SECONDS = 1.0
RECONNECT_SECONDS = 30.0
# The signals we take, with the body each must have: anything else is dropped unread.
SIGNAL_SIGNATURES = {"ActionInvoked": "us", "NotificationClosed": "uu"}
MAX_KEY_CHARS = 64  # our action keys are a few letters


class BadAnswer(CallFailed):
    """The server answered, but not as the specification says (it is there, and broken)."""


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
    """Callbacks the link calls from its own threads (they must be thread safe: emit a signal).

    Notification ids are D-Bus ``u`` (0 to 2**32 - 1): pass them on as Python ints, never
    through a Qt ``int`` (32-bit signed).
    """

    delivered: Callable[[int, int], None]  # (serial, notification id) of a nudge
    failed: Callable[[int, bool, str], None]  # (serial, was it a nudge, why)
    # A server answered (at connect, or a new one); None: it answered, but not sensibly.
    profile_found: Callable[[ServerProfile | None], None]
    owner_changed: Callable[[str, str], None]  # (old, new) owner of the notifications name
    action_invoked: Callable[[int, str], None]
    closed: Callable[[int, int], None]


def read_profile(call: Callable[[Message], Message], *, activate: bool = True) -> ServerProfile:
    """Ask the server who it is and what it can do, through ``call`` (a ``CallingConnection.call``).

    Raises:
        CallFailed: when no server answers; BadAnswer when its description is not three or four strings.
    """
    info_msg = new_method_call(NOTIFICATIONS, "GetServerInformation")
    if not activate:
        info_msg.header.flags |= MessageFlag.no_auto_start
    info = call(info_msg)
    caps_msg = new_method_call(NOTIFICATIONS, "GetCapabilities")
    caps_msg.header.flags |= MessageFlag.no_auto_start
    try:
        caps = call(caps_msg)
        capabilities = caps.body[0] if signature_of(caps) == "as" else None
    except CallFailed as exc:
        if exc.broken:
            raise
        capabilities = None  # a server without GetCapabilities promises nothing
    profile = profile_from_answers(signature_of(info), info.body, capabilities)
    if profile is None:
        raise BadAnswer(f"GetServerInformation answered {signature_of(info) or 'nothing'!r}, not 'ssss'")
    return profile


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
        self._requests: queue.Queue[tuple[Any, ...]] = queue.Queue()
        # Read by the receiver thread, replaced whole by the worker: the ids our nudges have on
        # screen and the server's unique name. Signals about anything else are dropped at once.
        self._wanted_ids: frozenset[int] = frozenset()
        self._server_owner = ""
        # Worker-thread state only:
        self._connection: CallingConnection | None = None
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
            try:
                request = self._requests.get(timeout=None if self._connection is not None else self._reconnect_seconds)
            except queue.Empty:
                self._connect()
                continue
            if request[0] is Request.STOP:
                for slot in list(self._nudge_ids):
                    self._close_nudge(slot)
                self._disconnect()
                return
            try:
                self._handle(request)
            except Exception as exc:
                log.exception("the notification link failed on %s", request[0].value)
                if request[0] in (Request.NUDGE, Request.INFORM):
                    self._fail(request[1], request[2], request[0] is Request.NUDGE, str(exc))

    def _handle(self, request: tuple[Any, ...]) -> None:
        kind = request[0]
        if kind is Request.OWNER_CHANGED:
            self._on_owner_changed(request[1], request[2])
        elif kind is Request.BUS_LOST:
            if request[1] is self._connection:  # not an older connection's late news
                self._disconnect()
                self._on_owner_changed("(the bus)", "")
        elif kind is Request.WITHDRAW:
            self._close_nudge(request[1])  # nothing to do without a connection: a new one shows nothing of ours
        elif self._connection is None and not self._connect():
            self._fail(request[1], request[2], kind is Request.NUDGE, "no D-Bus session bus")
        else:
            self._notify(kind, *request[1:])

    def _slot_events(self, slot: int) -> LinkEvents | None:
        slots = self._slots
        return slots[slot] if 0 <= slot < len(slots) else None

    def _every_slot(self) -> list[LinkEvents]:
        return [events for events in self._slots if events is not None]

    def _fail(self, slot: int, serial: int, is_nudge: bool, reason: str) -> None:
        events = self._slot_events(slot)
        if events is not None:
            events.failed(serial, is_nudge, reason)

    def _remember_ids(self) -> None:
        self._wanted_ids = frozenset(self._nudge_ids.values())

    def _notify(self, kind: Request, slot: int, serial: int, title: str, body: str, actions: list[str],
                hints: dict[str, Any], expire: int) -> None:
        is_nudge = kind is Request.NUDGE
        replaces = (self._nudge_ids if is_nudge else self._info_ids).get(slot, 0)
        msg = new_method_call(NOTIFICATIONS, "Notify", NOTIFY_SIGNATURE,
                              (self._app_name, replaces, self._icon_path, title, body, actions, hints, expire))
        try:
            reply = self._call(msg)
        except CallFailed as exc:
            self._fail(slot, serial, is_nudge, str(exc))
            return
        if signature_of(reply) != "u":
            self._fail(slot, serial, is_nudge,
                       f"the server answered Notify with {signature_of(reply) or 'nothing'!r}, not an id ('u')")
            return
        notification_id = int(reply.body[0])
        if is_nudge:
            self._nudge_ids[slot] = notification_id
            self._remember_ids()
            events = self._slot_events(slot)
            if events is not None:
                events.delivered(serial, notification_id)
        else:
            self._info_ids[slot] = notification_id

    def _close_nudge(self, slot: int) -> None:
        notification_id = self._nudge_ids.pop(slot, 0)
        self._remember_ids()
        if not notification_id or self._connection is None:
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
        self._remember_ids()
        for events in self._every_slot():
            events.owner_changed(old_owner, new_owner)
        if new_owner and self._connection is not None:
            self._probe()

    def _call(self, msg: Message) -> Message:
        assert self._connection is not None
        try:
            return self._connection.call(msg, CALL_TIMEOUT_SECONDS)
        except CallFailed as exc:
            if exc.broken:
                self._disconnect()
            raise

    def _probe(self) -> None:
        try:
            profile = read_profile(self._call, activate=self._activate)
        except BadAnswer as exc:
            log.warning("the notification server is broken: %s", exc)
            profile = None
        except CallFailed as exc:
            log.debug("no notification server answers: %s", exc)
            return
        for events in self._every_slot():
            events.profile_found(profile)

    def _connect(self) -> bool:
        try:
            connection = CallingConnection.open(
                self._bus, self._on_signal, on_lost=lambda lost: self._requests.put((Request.BUS_LOST, lost)),
                thread_name="unsit-dbus-notifications", timeout_seconds=AUTH_TIMEOUT_SECONDS)
        except CallFailed as exc:
            log.debug("no D-Bus bus %s: %s", self._bus, exc)
            return False
        try:
            for member in SIGNAL_SIGNATURES:  # the bus sends only the server's, only these members
                connection.call(message_bus.AddMatch(MatchRule(type="signal", sender=BUS_NAME, interface=INTERFACE,
                                                               path=OBJECT_PATH, member=member)), CALL_TIMEOUT_SECONDS)
            connection.call(message_bus.AddMatch(name_owner_rule(BUS_NAME)), CALL_TIMEOUT_SECONDS)
            owner = connection.call(message_bus.GetNameOwner(BUS_NAME), CALL_TIMEOUT_SECONDS)
            self._server_owner = str(owner.body[0]) if signature_of(owner) == "s" else ""
        except CallFailed as exc:
            if exc.error_name != "org.freedesktop.DBus.Error.NameHasNoOwner":
                log.debug("could not set up the D-Bus connection: %s", exc)
                connection.close()
                return False
            self._server_owner = ""  # none yet: NameOwnerChanged tells when one comes
        self._connection = connection
        self._nudge_ids.clear()  # a new connection: whatever we showed before is gone
        self._info_ids.clear()
        self._remember_ids()
        log.debug("connected to the D-Bus bus %s", self._bus)
        self._probe()
        return True

    def _disconnect(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()

    # The receiver thread: no state but the owner, only cheap checks and hand-offs. -------

    def _on_signal(self, msg: Message) -> None:
        fields = msg.header.fields
        member = fields.get(HeaderFields.member)
        sender = fields.get(HeaderFields.sender)
        if member == "NameOwnerChanged":
            if sender == BUS_DAEMON and signature_of(msg) == "sss" and msg.body[0] == BUS_NAME:
                self._server_owner = msg.body[2]
                self._requests.put((Request.OWNER_CHANGED, msg.body[1], msg.body[2]))
            return
        wanted = SIGNAL_SIGNATURES.get(str(member))
        if wanted is None or sender != self._server_owner or fields.get(HeaderFields.signature) != wanted \
                or msg.body[0] not in self._wanted_ids:
            return  # another app's notification, another sender, or a malformed signal: cheap to drop
        for events in self._every_slot():
            if member == "ActionInvoked":
                events.action_invoked(msg.body[0], msg.body[1][:MAX_KEY_CHARS])
            else:
                events.closed(msg.body[0], msg.body[1])
