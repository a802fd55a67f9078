"""The tray icon and its menu. It renders what it is told and sends intents back as signals."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QCursor
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from unsit import APP_NAME
from unsit.ui.tray_art import TrayLook, make_icon, quantise


class Tray(QObject):
    """QSystemTrayIcon plus menu. Intents: drill, snooze, pause (minutes or "tomorrow"), ..."""

    drill_requested = Signal()
    snooze_requested = Signal()
    pause_requested = Signal(object)  # {"minutes": 30} or {"until": "tomorrow"}
    resume_requested = Signal()
    settings_requested = Signal()
    history_requested = Signal()
    quit_requested = Signal()
    clicked = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.icon = QSystemTrayIcon(self)
        self._drawn: tuple[TrayLook, float] | None = None
        self._menu = QMenu()
        self._status_action = self._menu.addAction("")
        self._status_action.setEnabled(False)
        self._menu.addSeparator()
        self._drill_action = self._add("Start drill now", self.drill_requested.emit)
        self._snooze_action = self._add("Snooze", self.snooze_requested.emit)
        self._pause_menu = self._menu.addMenu("Pause")
        for label, request in (("For 30 minutes", {"minutes": 30}), ("For 1 hour", {"minutes": 60}),
                               ("Until tomorrow", {"until": "tomorrow"})):
            act = self._pause_menu.addAction(label)
            act.triggered.connect(lambda _=False, r=request: self.pause_requested.emit(r))
        self._resume_action = self._add("Resume", self.resume_requested.emit)
        self._menu.addSeparator()
        self._add("Settings…", self.settings_requested.emit)
        self._add("History…", self.history_requested.emit)
        self._menu.addSeparator()
        self._add(f"Quit {APP_NAME}", self.quit_requested.emit)
        self.icon.setContextMenu(self._menu)
        self.icon.activated.connect(self._on_activated)
        self.update_view(TrayLook.PROGRESS, 0.0, "Unsit", "Starting…", paused=False, can_snooze=False, snooze_minutes=10)

    def _add(self, text: str, slot) -> QAction:
        action = self._menu.addAction(text)
        action.triggered.connect(lambda _=False: slot())
        return action

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def update_view(self, look: TrayLook, fraction: float, tooltip: str, status_line: str, *,
                    paused: bool, can_snooze: bool, snooze_minutes: int) -> None:
        """Refresh icon, tooltip and menu; the icon is repainted only when it visibly changes."""
        key = (look, quantise(fraction) if look is TrayLook.PROGRESS else 0.0)
        if key != self._drawn:
            self._drawn = key
            self.icon.setIcon(make_icon(look, fraction))
        if self.icon.toolTip() != tooltip:
            self.icon.setToolTip(tooltip)
        self._status_action.setText(status_line)
        self._snooze_action.setText(f"Snooze ({snooze_minutes} min)")
        self._snooze_action.setEnabled(can_snooze)
        self._pause_menu.menuAction().setVisible(not paused)
        self._resume_action.setVisible(paused)

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.clicked.emit()

    def pop_menu(self) -> None:
        """Open the menu at the pointer (left click when no nudge is waiting)."""
        self._menu.popup(QCursor.pos())
