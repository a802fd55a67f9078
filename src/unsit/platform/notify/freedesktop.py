"""Clickable nudges through the freedesktop notification server (org.freedesktop.Notifications).

Talks D-Bus with jeepney because ``Notify`` wants uint32 ids that QtDBus cannot send from
Python. One connection carries both the calls and the signals: some servers send
``ActionInvoked`` only to the connection that called ``Notify``, so a second connection
would miss them. jeepney's threading router reads that connection on its own daemon thread
and queues the two signals we match; a second daemon thread of ours turns them into Qt
signals, which Qt delivers on the GUI thread. Every bit of state (the current id) lives on
the GUI thread and is only touched there.
"""

from __future__ import annotations

import logging
import queue
import threading

from jeepney import DBusAddress, HeaderFields, MatchRule, Message, MessageFlag, MessageType, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.common import FilterHandle
from jeepney.io.threading import DBusRouter, Proxy, open_dbus_connection
from PySide6.QtCore import QObject, Qt, Signal, Slot

from unsit import DESKTOP_ID
from unsit.platform.notify.base import NotifierSignals, Nudge, action_labels

log = logging.getLogger(__name__)

BUS_NAME = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
INTERFACE = "org.freedesktop.Notifications"
CATEGORY = "x-unsit.nudge"
# NotificationClosed reasons: 1 expired, 2 dismissed by the user, 3 CloseNotification, 4 undefined.
CLOSED_EXPIRED = 1
CLOSED_BY_USER = 2
URGENCY_NORMAL = 1
# Never expire: a nudge that fades after a few seconds while the user is deep in work is
# simply lost. The engine repeats an ignored nudge after snooze_minutes and every repeat
# *replaces* this one, so there is never more than one Unsit notification on screen.
EXPIRE_NEVER = 0
CALL_TIMEOUT_SECONDS = 3.0

_NOTIFICATIONS = DBusAddress(OBJECT_PATH, bus_name=BUS_NAME, interface=INTERFACE)


def server_information(*, bus: str = "SESSION", activate: bool = True,
                       timeout_seconds: float = 2.0) -> tuple[str, str, str, str] | None:
    """Ask the notification server who it is.

    Args:
        bus: "SESSION" or a D-Bus address.
        activate: Let the bus start an activatable server (dunst, mako, ...) that is not
            running yet. Real sessions want this; a test that stopped the server does not.
        timeout_seconds: How long to wait for the answer.

    Returns:
        (name, vendor, version, spec_version), or None when no server answers.
    """
    try:
        conn = open_dbus_connection(bus)
    except Exception as exc:  # noqa: BLE001 - no bus at all (Windows, a bare X session, a broken address)
        log.debug("no D-Bus %s bus: %s", bus, exc)
        return None
    try:
        with DBusRouter(conn) as router:
            msg = new_method_call(_NOTIFICATIONS, "GetServerInformation")
            if not activate:
                msg.header.flags |= MessageFlag.no_auto_start
            reply = router.send_and_get_reply(msg, timeout=timeout_seconds)
    except Exception as exc:  # noqa: BLE001 - jeepney raises many types; any means no server
        log.debug("GetServerInformation failed: %s", exc)
        return None
    finally:
        conn.close()
    if reply.header.message_type != MessageType.method_return:
        log.debug("GetServerInformation answered with an error: %s", reply.body)
        return None
    return tuple(reply.body)


class FreedesktopNotifier(QObject):
    """Nudges as freedesktop notifications with "Start drill", "Snooze", "Skip" actions.

    Args:
        icon_path: Icon file for ``app_icon`` ("" for none).
        bus: "SESSION" or a D-Bus address.
        parent: Qt parent.

    Raises:
        OSError, jeepney errors: when the session bus cannot be reached (``pick_notifier``
        probes the server first).
    """

    name = "freedesktop"
    clickable = True

    # Emitted by the listener thread; connected queued, so the slots run on the GUI thread.
    _action_arrived = Signal(int, str)
    _closed_arrived = Signal(int, int)

    def __init__(self, icon_path: str = "", bus: str = "SESSION", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.signals = NotifierSignals(self)
        self._icon_path = icon_path
        self._current_id = 0
        self._info_id = 0
        self._conn = open_dbus_connection(bus)
        self._router = DBusRouter(self._conn)
        self._incoming: queue.Queue[Message | None] = queue.Queue()
        self._action_arrived.connect(self._on_action, Qt.ConnectionType.QueuedConnection)
        self._closed_arrived.connect(self._on_closed, Qt.ConnectionType.QueuedConnection)
        self._filters: list[FilterHandle] = []
        try:
            self._subscribe()
        except Exception:
            self._router.close()
            self._conn.close()
            raise
        self._listener: threading.Thread | None = threading.Thread(
            target=self._listen, name="unsit-notify-listener", daemon=True)
        self._listener.start()

    def _subscribe(self) -> None:
        bus_proxy = Proxy(message_bus, self._router, timeout=CALL_TIMEOUT_SECONDS)
        for member in ("ActionInvoked", "NotificationClosed"):
            # The bus filters on the sender's well-known name; our local filter cannot (it sees
            # the unique name), so it matches on interface, path and member only.
            bus_rule = MatchRule(type="signal", sender=BUS_NAME, interface=INTERFACE, path=OBJECT_PATH,
                                 member=member)
            bus_proxy.AddMatch(bus_rule)
            local_rule = MatchRule(type="signal", interface=INTERFACE, path=OBJECT_PATH, member=member)
            self._filters.append(self._router.filter(local_rule, queue=self._incoming))

    @property
    def current_id(self) -> int:
        """Server id of the nudge on screen, 0 when none."""
        return self._current_id

    def show_nudge(self, nudge: Nudge) -> None:
        """Show ``nudge``, replacing our previous notification. Logs and returns on failure."""
        drill, snooze, skip = action_labels(nudge)
        actions = ["default", drill, "drill", drill, "snooze", snooze, "skip", skip]
        hints = {
            "urgency": ("y", URGENCY_NORMAL),  # not critical: critical ones bypass do-not-disturb
            "category": ("s", CATEGORY),
            "desktop-entry": ("s", DESKTOP_ID),
            # Not resident: once the user answered, the server removes it; the engine nudges again.
            "resident": ("b", False),
        }
        msg = new_method_call(
            _NOTIFICATIONS, "Notify", "susssasa{sv}i",
            ("Unsit", self._current_id, self._icon_path, nudge.title, nudge.body, actions, hints, EXPIRE_NEVER),
        )
        reply = self._call(msg)
        if reply is not None:
            self._current_id = int(reply.body[0])
            log.debug("nudge shown as notification %d", self._current_id)

    def inform(self, title: str, body: str) -> None:
        """A plain message (no actions) that expires as the server sees fit; replaces our last one."""
        hints = {"urgency": ("y", URGENCY_NORMAL), "desktop-entry": ("s", DESKTOP_ID)}
        msg = new_method_call(
            _NOTIFICATIONS, "Notify", "susssasa{sv}i",
            ("Unsit", self._info_id, self._icon_path, title, body, [], hints, -1),
        )
        reply = self._call(msg)
        if reply is not None:
            self._info_id = int(reply.body[0])

    def withdraw(self) -> None:
        """Close our notification if one is on screen."""
        if not self._current_id:
            return
        notification_id, self._current_id = self._current_id, 0
        self._call(new_method_call(_NOTIFICATIONS, "CloseNotification", "u", (notification_id,)))

    def close(self) -> None:
        """Withdraw, stop the listener and close the connection."""
        if self._listener is None:
            return
        try:
            self.withdraw()
        finally:
            for handle in self._filters:
                handle.close()
            self._incoming.put(None)
            self._listener.join(timeout=5)
            self._listener = None
            self._router.close()
            self._conn.close()

    def _call(self, msg: Message) -> Message | None:
        try:
            reply = self._router.send_and_get_reply(msg, timeout=CALL_TIMEOUT_SECONDS)
        except Exception as exc:  # noqa: BLE001 - a failed call must not crash the app
            log.warning("notification server call %s failed: %s", msg.header.fields.get(HeaderFields.member), exc)
            return None
        if reply.header.message_type != MessageType.method_return:
            log.warning("notification server refused %s: %s", msg.header.fields.get(HeaderFields.member), reply.body)
            return None
        return reply

    def _listen(self) -> None:
        # Listener thread: no state of ours is read or written here, only signals emitted.
        while True:
            msg = self._incoming.get()
            if msg is None:
                return
            member = msg.header.fields.get(HeaderFields.member)
            try:
                if member == "ActionInvoked":
                    notification_id, action_key = msg.body
                    self._action_arrived.emit(int(notification_id), str(action_key))
                elif member == "NotificationClosed":
                    notification_id, reason = msg.body
                    self._closed_arrived.emit(int(notification_id), int(reason))
            except (TypeError, ValueError):
                log.debug("ignored malformed %s signal: %r", member, msg.body)

    @Slot(int, str)
    def _on_action(self, notification_id: int, action_key: str) -> None:
        if not notification_id or notification_id != self._current_id:
            return  # someone else's notification, or one of ours already answered
        # Answered: close it (dunst keeps it after an action whatever "resident" says) and
        # forget the id, so the NotificationClosed that follows is not taken for a dismissal.
        self.withdraw()
        if action_key in ("default", "drill"):
            self.signals.drill_requested.emit()
        elif action_key == "snooze":
            self.signals.snooze_requested.emit()
        elif action_key == "skip":
            self.signals.skip_requested.emit()
        else:
            log.debug("unknown action %r on notification %d", action_key, notification_id)

    @Slot(int, int)
    def _on_closed(self, notification_id: int, reason: int) -> None:
        if not notification_id or notification_id != self._current_id:
            return
        if reason not in (CLOSED_EXPIRED, CLOSED_BY_USER):
            return  # 3 = our own CloseNotification (already forgotten); 4 = undefined, e.g. a replace
        self._current_id = 0
        if reason == CLOSED_BY_USER:
            self.signals.dismissed.emit()
