"""Nudge notifiers: freedesktop D-Bus (clickable, with buttons), Qt tray balloon, plyer.

``pick_notifier`` chooses the best one this desktop offers.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from unsit.platform.notify.base import Notifier, NotifierSignals, Nudge, action_labels

if TYPE_CHECKING:
    from PySide6.QtWidgets import QSystemTrayIcon

    from unsit.platform.notify.freedesktop import FreedesktopNotifier

__all__ = ["Notifier", "NotifierSignals", "Nudge", "action_labels", "nudge_icon_path", "pick_fallback",
           "pick_notifier", "reminder_notifier_factory"]

log = logging.getLogger(__name__)


def nudge_icon_path() -> str:
    """Path of Unsit's icon for notifications, or "" when the asset is missing."""
    from unsit.runtime.resources import asset_path

    try:
        path = asset_path("icons", "unsit.svg")
    except FileNotFoundError:
        return ""
    return str(path) if path.is_file() else ""


def pick_notifier(tray: QSystemTrayIcon | None, *, platform: str = sys.platform,
                  activate_server: bool = True) -> Notifier:
    """The best notifier for this desktop; logs which one.

    Linux/BSD: the freedesktop notifier whenever the session bus answers: ready when a server
    answers ``GetServerInformation``, otherwise waiting for one (``available`` False; the
    presenter uses the tray or the popup until a server takes the name). Without a session
    bus: the tray's balloon when there is a tray (an XEmbed tray gets Qt's own clickable
    balloon), otherwise plyer. Windows/macOS: the tray balloon (a toast / a Notification
    Center entry), or plyer without a tray.

    Args:
        tray: The app's tray icon, or None when there is no system tray.
        platform: ``sys.platform``; tests pass another value.
        activate_server: Let D-Bus start an activatable server that is not running yet.
    """
    icon = nudge_icon_path()
    if platform.startswith(("linux", "freebsd", "openbsd", "netbsd", "dragonfly")):
        from unsit.platform.notify.freedesktop import FreedesktopNotifier, server_profile, session_bus_reachable

        profile = server_profile(activate=activate_server)
        if profile is not None:
            log.info("nudges go to the notification server %s (capabilities: %s)", profile.describe(),
                     ", ".join(sorted(profile.capabilities)) or "none")
            return FreedesktopNotifier(icon_path=icon, profile=profile, activate_server=activate_server)
        if session_bus_reachable():
            log.info("no notification server answers yet: nudges use the tray or the popup until one appears")
            return FreedesktopNotifier(icon_path=icon, available=False, activate_server=activate_server)
    if tray is not None:
        from unsit.platform.notify.qt_tray import QtTrayNotifier

        log.info("nudges are tray balloons")
        return QtTrayNotifier(tray)
    from unsit.platform.notify.plyer_notify import PlyerNotifier

    log.info("nudges go through plyer (not clickable)")
    return PlyerNotifier(icon_path=icon)


def pick_fallback(primary: Notifier, tray: QSystemTrayIcon | None) -> Notifier | None:
    """The channel a nudge falls back to when ``primary`` cannot deliver it.

    The tray's message when there is a tray and the primary is not the tray itself;
    otherwise None (the presenter's built-in popup is the last channel).
    """
    if tray is None or primary.name != "freedesktop":
        return None
    from unsit.platform.notify.qt_tray import QtTrayNotifier

    return QtTrayNotifier(tray)


def reminder_notifier_factory(primary: Notifier) -> Callable[[], FreedesktopNotifier] | None:
    """Makes one more freedesktop notifier per reminder kind (its own notification id), or None.

    Each shares the primary notifier's D-Bus connection and threads.

    Only the freedesktop notifier shows other kinds' actions; elsewhere they use their card.
    """
    if primary.name != "freedesktop":
        return None
    from unsit.platform.notify.freedesktop import FreedesktopNotifier

    if not isinstance(primary, FreedesktopNotifier):
        return None
    shared = primary

    def make() -> FreedesktopNotifier:
        # One more slot on the primary's connection: no second connection or threads (issue 11).
        return FreedesktopNotifier(profile=shared.profile, share_link_of=shared)

    return make
