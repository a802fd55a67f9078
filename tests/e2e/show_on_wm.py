"""Helper process for the tiling test: shows the nudge popup and an ordinary window on $DISPLAY.

The popup only appears after a minute of sitting in the real app, so the test shows it here
with the real NudgePopup class. The ordinary window ("control") is the proof that the window
manager does tile: without the popup's hints it fills the screen. Runs until stdin closes.
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QSocketNotifier
from PySide6.QtWidgets import QApplication, QLabel

from unsit.platform.notify.base import Nudge
from unsit.ui.popup import NudgePopup


def main() -> int:
    app = QApplication(sys.argv[:1])
    control = QLabel("an ordinary window")
    control.setWindowTitle("control")
    control.resize(300, 200)
    control.show()
    popup = NudgePopup()
    popup.show_nudge(Nudge(title="Time to unsit", body="You have been sitting for 1 h.", snooze_minutes=10))
    print(json.dumps({"popup": [popup.width(), popup.height()]}), flush=True)
    stdin = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    stdin.activated.connect(lambda: sys.stdin.readline() or app.quit())
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
