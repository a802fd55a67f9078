"""macOS: "start Unsit again" opens its window (issue 25).

Opening Unsit.app while it runs (Finder, Spotlight, ``open -a Unsit``) does not start a second
process: macOS re-activates the running one and asks it to "reopen". Qt passes that on as an
``applicationStateChanged(ApplicationActive)`` even when the app is already active. Unsit has no
Dock icon and often no window, so the answer to a reopen is its main window, as the tray's
"no tray" message promises; when a window of Unsit's is already shown, activation just raises
it as usual.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # ``Qt`` itself loads when a slot runs: naming it builds all of Qt's enums (about 1 MB)
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication


def has_visible_window(app: QApplication) -> bool:
    """True when one of the app's own windows (not a menu or a tooltip) is shown."""
    from PySide6.QtCore import Qt

    for widget in app.topLevelWidgets():
        kind = widget.windowType()
        if widget.isVisible() and kind not in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
            return True
    return False


def open_window_on_reopen(app: QApplication, open_window: Callable[[], None]) -> Callable[[Qt.ApplicationState], None]:
    """Call ``open_window`` whenever the app is activated with none of its windows shown.

    Returns the connected slot (to disconnect it again).
    """

    def activated(state: Qt.ApplicationState) -> None:
        from PySide6.QtCore import Qt

        if state == Qt.ApplicationState.ApplicationActive and not has_visible_window(app):
            open_window()

    app.applicationStateChanged.connect(activated)
    return activated
