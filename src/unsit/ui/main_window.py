"""A small main window: everything the tray menu offers, for desktops without a tray.

GNOME without the AppIndicator extension shows no tray icon; launching Unsit again (the
`activate` request) opens this window instead. With a tray it is "Open Unsit" in the menu
and the icon's left click. It renders what the controller renders and sends intents back
as signals, like the tray. The widget itself (ui/main_window_view.py) is imported when the
window first opens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from unsit.core.engine import Status
    from unsit.ui.intents import Intents, WindowRequests
    from unsit.ui.main_window_view import MainWindow


class MainWindowOpener(QObject):
    """Builds the main window on first use, wires its intents, and keeps it following the controller."""

    def __init__(self, controller: Intents, windows: WindowRequests, quit_app: Callable[[], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._windows = windows
        self._quit = quit_app
        self.window: MainWindow | None = None
        controller.rendered.connect(self._follow)

    def open(self) -> None:
        """Show the main window (built now if it does not exist yet), raised and focused."""
        if self.window is None:
            from unsit.ui.main_window_view import MainWindow

            window = MainWindow()
            controller = self._controller
            window.drill_requested.connect(lambda: controller.start_drill())
            window.show_drill_requested.connect(self._windows.show_running_drill)
            window.set_routines(self._windows.routine_titles())
            window.routine_requested.connect(controller.start_routine)
            window.snooze_requested.connect(controller.snooze)
            window.skip_requested.connect(controller.skip)
            window.standing_toggled.connect(controller.set_standing)
            window.pause_requested.connect(controller.pause)
            window.resume_requested.connect(controller.resume)
            window.settings_requested.connect(self._windows.open_settings)
            window.history_requested.connect(self._windows.open_history)
            window.quit_requested.connect(self._quit)
            self.window = window
        self._follow(self._controller.engine.status())
        self.window.present()

    def icon_clicked(self) -> None:
        """A left click on the tray icon: the drill when a nudge is waiting, else this window."""
        if self._controller.engine.status().nudge_pending:  # the core's one rule
            self._controller.start_drill()
        else:
            self.open()

    def close(self) -> None:
        if self.window is not None:
            self.window.close()

    def _follow(self, status: Status) -> None:
        if self.window is not None:
            self.window.update_view(status, snooze_minutes=self._controller.engine.settings.snooze_minutes,
                                    drills_today=self._windows.drills_today())
