"""Nudges as tray balloons (Windows toast, macOS notification, Qt's own balloon on XEmbed trays).

``QSystemTrayIcon.messageClicked`` carries no id, but a tray icon only shows one message at
a time and every message it shows is ours, so a click always means "start the drill".
Balloons have no buttons: snooze and skip live in the tray menu.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QSystemTrayIcon

from unsit.platform.notify.base import NotifierSignals, Nudge

# How long the OS shows the balloon. Windows caps and manages this itself; the engine
# repeats an ignored nudge anyway.
MESSAGE_MILLISECONDS = 30_000


class QtTrayNotifier(QObject):
    """Shows nudges with ``QSystemTrayIcon.showMessage``; a click on it requests the drill."""

    name = "tray"
    clickable = True

    def __init__(self, tray: QSystemTrayIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.signals = NotifierSignals(self)
        self._tray = tray
        self._showing = False
        tray.messageClicked.connect(self._on_message_clicked)

    def show_nudge(self, nudge: Nudge) -> None:
        """Show the balloon; a new one replaces the old (a tray icon has only one)."""
        self._showing = True
        self._tray.showMessage(nudge.title, nudge.body, self._tray.icon(), MESSAGE_MILLISECONDS)

    def inform(self, title: str, body: str) -> None:
        """A plain balloon; clicking it does not start a drill."""
        self._showing = False
        self._tray.showMessage(title, body, self._tray.icon(), MESSAGE_MILLISECONDS)

    def withdraw(self) -> None:
        """Forget the balloon: Qt cannot close it, so a later click on it is ignored."""
        self._showing = False

    def close(self) -> None:
        """Withdraw and stop listening to the tray."""
        self.withdraw()
        try:
            self._tray.messageClicked.disconnect(self._on_message_clicked)
        except (RuntimeError, TypeError):
            pass

    def _on_message_clicked(self) -> None:
        if not self._showing:
            return
        self._showing = False
        self.signals.drill_requested.emit()
