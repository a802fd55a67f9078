#!/usr/bin/env python3
"""The baseline for bench/idle_footprint: a bare PySide6 tray icon and nothing else.

A QApplication, a QSystemTrayIcon with a one-item menu (Quit), then the event loop.
It exits on SIGTERM so the bench can stop it cleanly.
"""

from __future__ import annotations

import signal
import sys

from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon


def main() -> int:
    """Show the icon and run the event loop; returns Qt's exit code."""
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # Qt's loop never yields to Python: die at once
    pixmap = QPixmap(22, 22)
    pixmap.fill()
    tray = QSystemTrayIcon(QIcon(pixmap))
    menu = QMenu()
    menu.addAction("Quit", app.quit)
    tray.setContextMenu(menu)
    tray.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
