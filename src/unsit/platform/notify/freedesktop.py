"""Clickable nudges through the freedesktop notification server (org.freedesktop.Notifications).

Talks D-Bus with jeepney because ``Notify`` wants uint32 ids that QtDBus cannot send from
Python. Every call runs on the worker thread of a ``ServerLink`` (server_link.py), so the GUI
never waits for the bus; results come back as queued Qt signals and every bit of state
here (the profile, the nudge on screen) lives on the GUI thread.

What is sent depends on the server (server_profile.py): to a server without the
``actions`` capability, a plain bubble that may expire (``clickable`` is then False and the
presenter adds the built-in popup); no ``default`` button on servers that draw it as one. When a nudge cannot be
delivered, or the server leaves while it is on screen, ``signals.delivery_failed`` tells
the presenter to use the next channel; ``signals.server_appeared`` tells it a server is
back.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from unsit import DESKTOP_ID
from unsit.platform.dbus import BusUnavailable, CallFailed, CallingConnection, open_connection
from unsit.platform.notify.base import NotifierSignals, Nudge, action_labels
from unsit.platform.notify.server_link import (
    RECONNECT_SECONDS,
    LinkEvents,
    ServerLink,
    read_profile,
)
from unsit.platform.notify.server_profile import (
    Answer,
    ServerProfile,
    ShownNudge,
    answer_for,
    nudge_actions,
    nudge_expire_timeout,
    reminder_actions,
    reminder_answer,
)

log = logging.getLogger(__name__)

CATEGORY = "x-unsit.nudge"
# NotificationClosed reasons: 1 expired, 2 dismissed by the user, 3 CloseNotification, 4 undefined.
CLOSED_EXPIRED = 1
CLOSED_BY_USER = 2
URGENCY_NORMAL = 1


def server_profile(*, bus: str = "SESSION", activate: bool = True,
                   timeout_seconds: float = 2.0) -> ServerProfile | None:
    """Who the notification server is and what it can do; None when none answers (or not sensibly).

    Blocks for up to twice ``timeout_seconds``: for start-up only, before the event loop runs.

    Args:
        bus: "SESSION" or a D-Bus address.
        activate: Let the bus start an activatable server (dunst, mako, ...) that is not
            running yet. Real sessions want this; a test that stopped the server does not.
        timeout_seconds: How long to wait for each answer.
    """
    try:
        connection = CallingConnection.open(bus, lambda _signal: None, thread_name="unsit-dbus-probe")
    except CallFailed as exc:  # no bus at all (Windows, a bare X session, a broken address)
        log.debug("no D-Bus %s bus: %s", bus, exc)
        return None
    try:
        return read_profile(lambda msg: connection.call(msg, timeout_seconds), activate=activate)
    except CallFailed as exc:
        log.info("no notification server describes itself: %s", exc)
        return None
    finally:
        connection.close()


def session_bus_reachable(bus: str = "SESSION") -> bool:
    """True when a D-Bus bus answers at ``bus`` (a quick local connect and Hello)."""
    try:
        open_connection(bus).close()
    except BusUnavailable as exc:
        log.debug("no D-Bus %s bus: %s", bus, exc)
        return False
    return True


class FreedesktopNotifier(QObject):
    """Nudges as freedesktop notifications with "Start drill", "Snooze", "Skip" actions.

    Never blocks and never raises: a bus that cannot be reached shows up as
    ``signals.delivery_failed`` for the nudge that could not be shown.

    Args:
        icon_path: Icon file for ``app_icon`` ("" for none).
        bus: "SESSION" or a D-Bus address.
        profile: The server as read at start-up (``server_profile``), or None when unknown.
        reconnect_seconds: How often to try a bus that went away again.
        available: False when no server answered at start-up: the presenter starts on its
            fallback and comes back when ``server_appeared`` says a server took the name.
        activate_server: Let D-Bus start an activatable server when the link probes.
        parent: Qt parent.
        share_link_of: Another notifier whose connection and threads this one uses (a slot of
            its own there) instead of opening its own; ``bus``, ``icon_path`` and the rest are
            then that notifier's. Close this one before that one.
    """

    name = "freedesktop"

    # Emitted from the link's threads; connected queued, so the slots run on the GUI thread.
    # Notification ids are D-Bus ``u`` (up to 2**32 - 1): ``object``, as a Qt int overflows above 2**31.
    _delivered = Signal(int, object)
    _failed = Signal(int, bool, str)
    _profile_found = Signal(object)
    _owner_changed = Signal(str, str)
    _action_arrived = Signal(object, str)
    _closed_arrived = Signal(object, object)

    def __init__(self, icon_path: str = "", bus: str = "SESSION", profile: ServerProfile | None = None,
                 reconnect_seconds: float = RECONNECT_SECONDS, parent: QObject | None = None, *,
                 available: bool = True, activate_server: bool = True,
                 share_link_of: FreedesktopNotifier | None = None) -> None:
        super().__init__(parent)
        self.signals = NotifierSignals(self)
        self._profile = profile
        self._available = available
        self._serial = 0
        self._pending: tuple[int, bool] | None = None  # (serial, with actions) of a Notify on its way
        self._shown: ShownNudge | None = None
        self._reminder_keys: tuple[str, ...] | None = None  # a reminder's action keys; None: the nudge
        # Emitted on the server link's thread only, so Qt queues them to the GUI thread.
        self._delivered.connect(self._on_delivered)
        self._failed.connect(self._on_failed)
        self._profile_found.connect(self._on_profile)
        self._owner_changed.connect(self._on_owner_changed)
        self._action_arrived.connect(self._on_action)
        self._closed_arrived.connect(self._on_closed)
        events = LinkEvents(delivered=self._delivered.emit, failed=self._failed.emit,
                            profile_found=self._profile_found.emit, owner_changed=self._owner_changed.emit,
                            action_invoked=self._action_arrived.emit, closed=self._closed_arrived.emit)
        self._slot = 0
        self._link: ServerLink | None
        if share_link_of is not None:
            self._link = share_link_of._link
            if self._link is not None:
                self._slot = self._link.attach(events)
        else:
            self._link = ServerLink(bus, events, icon_path=icon_path, activate=activate_server,
                                    reconnect_seconds=reconnect_seconds)

    @property
    def clickable(self) -> bool:
        """True when the server reports clicks (has ``actions``); assumed while unknown."""
        return self._profile is None or self._profile.has_actions

    @property
    def available(self) -> bool:
        """False from a failed delivery (or a start without a server) until a server answers."""
        return self._available

    @property
    def profile(self) -> ServerProfile | None:
        """The server as it last described itself, or None when none answered yet."""
        return self._profile

    @property
    def current_id(self) -> int:
        """Server id of the nudge on screen, 0 when none (or when the server uses id 0)."""
        return self._shown.notification_id if self._shown is not None else 0

    @property
    def delivering(self) -> bool:
        """True while a nudge's ``Notify`` has not been answered yet."""
        return self._pending is not None

    def show_nudge(self, nudge: Nudge) -> None:
        """Queue ``nudge``, replacing our previous notification; returns at once."""
        if self._link is None:
            return
        self._reminder_keys = None
        self._send(nudge.title, nudge.body, nudge_actions(self._profile, *action_labels(nudge)))

    def show_reminder(self, title: str, body: str, actions: list[tuple[str, str]]) -> None:
        """Show a reminder of another kind with (key, label) actions; ``signals.answered`` gives the key.

        Give each kind its own notifier: a notifier replaces only its own notification.
        """
        if self._link is None:
            return
        self._reminder_keys = tuple(key for key, _label in actions)
        self._send(title, body, reminder_actions(self._profile, actions))

    def _send(self, title: str, body: str, actions: list[str]) -> None:
        if self._link is None:
            return
        hints: dict[str, Any] = {
            "urgency": ("y", URGENCY_NORMAL),  # not critical: critical ones bypass do-not-disturb
            "category": ("s", CATEGORY),
            "desktop-entry": ("s", DESKTOP_ID),
            # Not resident: once the user answered, the server removes it; the engine nudges again.
            "resident": ("b", False),
        }
        self._serial += 1
        self._pending = (self._serial, bool(actions))
        self._link.nudge(self._serial, title, body, actions, hints, nudge_expire_timeout(self._profile),
                         slot=self._slot)

    def inform(self, title: str, body: str) -> None:
        """A plain message (no actions) that expires as the server sees fit; replaces our last one."""
        if self._link is not None:
            self._link.inform(title, body, {"urgency": ("y", URGENCY_NORMAL), "desktop-entry": ("s", DESKTOP_ID)},
                              slot=self._slot)

    def withdraw(self) -> None:
        """Close our nudge (also one still on its way); later answers to it are ignored."""
        self._pending = None
        self._shown = None
        if self._link is not None:
            self._link.withdraw(self._slot)

    def close(self) -> None:
        """Withdraw, then stop the link's threads and close the connection (a sharer: leave its slot)."""
        if self._link is None:
            return
        self._pending = None
        self._shown = None
        link, self._link = self._link, None
        if self._slot:
            link.detach(self._slot)
        else:
            link.withdraw()
            link.stop()

    @Slot(int, object)
    def _on_delivered(self, serial: int, notification_id: int) -> None:
        if self._pending is None or self._pending[0] != serial:
            return  # withdrawn or replaced meanwhile; the link closes it
        self._shown = ShownNudge(notification_id, self._pending[1])
        self._pending = None
        log.debug("nudge shown as notification %d", notification_id)

    @Slot(int, bool, str)
    def _on_failed(self, serial: int, was_nudge: bool, reason: str) -> None:
        if not was_nudge:
            log.info("a message could not be shown by the notification server: %s", reason)
            return
        if self._pending is None or self._pending[0] != serial:
            return
        self._pending = None
        self._available = False
        log.info("the nudge could not be shown by the notification server: %s", reason)
        self.signals.delivery_failed.emit()

    @Slot(object)
    def _on_profile(self, profile: ServerProfile | None) -> None:
        if profile is None:  # a server that cannot say who it is will not show a nudge either
            self._shown = None
            if self._available:
                self._available = False
                self.signals.delivery_failed.emit()
            return
        changed = profile != self._profile
        self._profile = profile
        self._available = True
        if changed:
            log.info("notification server %s; capabilities: %s", profile.describe(),
                     ", ".join(sorted(profile.capabilities)) or "none")
        self.signals.server_appeared.emit()

    @Slot(str, str)
    def _on_owner_changed(self, old_owner: str, new_owner: str) -> None:
        if new_owner:
            log.info("a notification server took the bus name")
            return  # its profile follows
        log.info("the notification server left")
        # Our answerable nudge left the screen with it. (A bubble without actions only
        # informed: the popup carries that nudge, and servers such as notify-osd and mate's
        # exit when idle and are started again by D-Bus, which is no failure.)
        shown, self._shown = self._shown, None
        if shown is not None and shown.with_actions:
            self._available = False
            self.signals.delivery_failed.emit()

    @Slot(object, str)
    def _on_action(self, notification_id: int, action_key: str) -> None:
        if self._reminder_keys is not None:
            key = reminder_answer(self._shown, notification_id, action_key, self._reminder_keys)
            if key is not None:
                self.withdraw()
                self.signals.answered.emit(key)
            return
        answer = answer_for(self._shown, notification_id, action_key)
        if answer is None:
            return  # someone else's notification, or ours already answered
        # Answered: close it (dunst keeps it after an action whatever "resident" says) and
        # forget the id, so the NotificationClosed that follows is not taken for a dismissal.
        self.withdraw()
        if answer is Answer.DRILL:
            self.signals.drill_requested.emit()
        elif answer is Answer.SNOOZE:
            self.signals.snooze_requested.emit()
        else:
            self.signals.skip_requested.emit()

    @Slot(object, object)
    def _on_closed(self, notification_id: int, reason: int) -> None:
        if not notification_id or notification_id != self.current_id:
            return
        if reason not in (CLOSED_EXPIRED, CLOSED_BY_USER):
            return  # 3 = our own CloseNotification (already forgotten); 4 = undefined, e.g. a replace
        self._shown = None
        if reason == CLOSED_BY_USER:
            self.signals.dismissed.emit()
