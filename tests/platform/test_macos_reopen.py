"""macOS's "reopen" (Unsit.app opened again) shows the main window: Qt's activation signal, emitted
here by hand (Qt emits it from the Cocoa delegate on a Mac; the CI's macOS job opens the app twice)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from unsit.platform.macos_reopen import has_visible_window, open_window_on_reopen


def test_activation_without_a_visible_window_opens_the_main_window_and_with_one_does_not(qtbot):
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    opened: list[int] = []
    slot = open_window_on_reopen(app, lambda: opened.append(1))
    menu = QMenu()
    menu.addAction("Pause")
    menu.popup(menu.pos())  # a menu is not a window of Unsit's
    qtbot.waitUntil(menu.isVisible)
    assert not has_visible_window(app)
    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    assert opened == [1]
    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationInactive)
    assert opened == [1]
    menu.close()
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    assert opened == [1]
    app.applicationStateChanged.disconnect(slot)
