"""The tray icon and its menu. It renders what it is told and sends intents back as signals.

A left click never pops the menu up by hand: on Wayland ``QMenu.popup()`` from a tray
activation fails ("Failed to create grabbing popup") without a transient parent that got
input. It emits ``clicked`` instead (the app starts a due drill or opens the main window);
the context menu stays on right click, where the tray host or Qt shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from unsit import APP_NAME
from unsit.text.i18n import N_, _
from unsit.ui.tray_art import TrayLook, make_icon, quantise


class TrayKind(Enum):
    """Who shows the icon: an XEmbed tray (its window is embedded), an SNI host, or nobody."""

    XEMBED = "xembed"
    SNI = "sni"
    NONE = "none"


def tray_kind(*, icon_visible: bool, geometry_empty: bool, sni_shows_icon: bool) -> TrayKind:
    """Decide the TrayKind: an SNI item has no geometry, an embedded XEmbed icon has one."""
    if not icon_visible:
        return TrayKind.NONE
    if sni_shows_icon:
        return TrayKind.SNI
    return TrayKind.NONE if geometry_empty else TrayKind.XEMBED


class Tray(QObject):
    """QSystemTrayIcon plus menu. Intents: drill, snooze, pause (minutes or "tomorrow"), ..."""

    drill_requested = Signal()
    routine_requested = Signal(str)  # a routine's id
    snooze_requested = Signal()
    skip_requested = Signal()  # shown only while a nudge waits
    pause_requested = Signal(object)  # {"minutes": 30} or {"until": "tomorrow"}
    resume_requested = Signal()
    settings_requested = Signal()
    history_requested = Signal()
    quit_requested = Signal()
    open_requested = Signal()  # "Open Unsit": the main window
    standing_toggled = Signal(bool)  # the "I'm standing" check item: True when now standing
    clicked = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.icon = QSystemTrayIcon(self)
        self._drawn: tuple[TrayLook, float] | None = None
        self._menu = QMenu()
        self._labels: list[tuple[QAction, str]] = []  # each action and its English text (N_), for retranslate
        self._status_action = self._menu.addAction("")
        self._status_action.setEnabled(False)
        self._add(N_("Open {app}"), self.open_requested.emit)
        self._menu.addSeparator()
        self._drill_action = self._add(N_("Start drill now"), self.drill_requested.emit)
        self._routines_menu = self._menu.addMenu("")
        self._labels.append((self._routines_menu.menuAction(), N_("Routines")))
        self._routines_menu.menuAction().setVisible(False)
        self._snooze_action = self._add(N_("Snooze"), self.snooze_requested.emit)
        self._skip_action = self._add(N_("Skip this nudge"), self.skip_requested.emit)
        self._standing_action = self._menu.addAction("")
        self._standing_action.setCheckable(True)
        self._labels.append((self._standing_action, N_("I'm &standing")))
        self._standing_action.triggered.connect(lambda checked=False: self.standing_toggled.emit(bool(checked)))
        self._pause_menu = self._menu.addMenu("")
        self._labels.append((self._pause_menu.menuAction(), N_("Pause")))
        for label, request in ((N_("For 30 minutes"), {"minutes": 30}), (N_("For 1 hour"), {"minutes": 60}),
                               (N_("Until tomorrow"), {"until": "tomorrow"})):
            act = self._pause_menu.addAction("")
            self._labels.append((act, label))
            act.triggered.connect(lambda _=False, r=request: self.pause_requested.emit(r))
        self._resume_action = self._add(N_("Resume"), self.resume_requested.emit)
        self._menu.addSeparator()
        self._add(N_("Settings…"), self.settings_requested.emit)
        self._add(N_("History…"), self.history_requested.emit)
        self._menu.addSeparator()
        self._add(N_("Quit {app}"), self.quit_requested.emit)
        self._snooze_minutes = 10
        self.retranslate()
        self.icon.setContextMenu(self._menu)
        self.icon.activated.connect(self._on_activated)
        self.update_view(TrayLook.PROGRESS, 0.0, APP_NAME, _("Starting…"), paused=False, can_snooze=False,
                         snooze_minutes=10)

    def _add(self, text: str, slot: Callable[[], object]) -> QAction:
        action = self._menu.addAction("")
        self._labels.append((action, text))
        action.triggered.connect(lambda _=False: slot())
        return action

    def retranslate(self) -> None:
        """Put the menu in the language in use (the status line and tooltip follow the next render)."""
        for action, text in self._labels:
            action.setText(_(text).format(app=APP_NAME))
        self._snooze_action.setText(_("Snooze ({minutes} min)").format(minutes=self._snooze_minutes))

    def set_routines(self, routines: list[tuple[str, str]]) -> None:
        """Offer these routines, as (id, name), in the Routines submenu (hidden when there are none)."""
        self._routines_menu.clear()
        for routine_id, name in routines:
            action = self._routines_menu.addAction(name)
            action.setData(routine_id)
            action.triggered.connect(lambda _checked=False, r=routine_id: self.routine_requested.emit(r))
        self._routines_menu.menuAction().setVisible(bool(routines))

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def update_view(self, look: TrayLook, fraction: float, tooltip: str, status_line: str, *,
                    paused: bool, can_snooze: bool, snooze_minutes: int, standing: bool = False) -> None:
        """Refresh icon, tooltip and menu; the icon is repainted only when it visibly changes."""
        key = (look, quantise(fraction) if look is TrayLook.PROGRESS else 0.0)
        if key != self._drawn:
            self._drawn = key
            self.icon.setIcon(make_icon(look, fraction))
        if self.icon.toolTip() != tooltip:
            self.icon.setToolTip(tooltip)
        self._status_action.setText(status_line)
        self._snooze_minutes = snooze_minutes
        self._snooze_action.setText(_("Snooze ({minutes} min)").format(minutes=snooze_minutes))
        self._snooze_action.setEnabled(can_snooze)
        self._skip_action.setVisible(can_snooze)
        self._standing_action.setChecked(standing)
        self._pause_menu.menuAction().setVisible(not paused)
        self._resume_action.setVisible(paused)

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.clicked.emit()

    def kind(self, sni_shows_icon: bool) -> TrayKind:
        """Who shows the icon now, given what the StatusNotifierWatcher says."""
        return tray_kind(icon_visible=self.icon.isVisible(), geometry_empty=self.icon.geometry().isEmpty(),
                         sni_shows_icon=sni_shows_icon)
