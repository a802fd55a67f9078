"""Screenshots of the drill, settings, history and main windows in one language, to look at by eye.

    scripts/screenshots LANG OUT_DIR      e.g. scripts/screenshots de /tmp/shots

Runs on the display Qt finds (Xvfb in the tests; QT_QPA_PLATFORM=offscreen works too) with
private XDG folders, sample history and a fixed clock, and writes <OUT_DIR>/<lang>-<window>.png.
Each window is also checked for the two faults a long language brings: a label whose text does
not fit (clipped) and two visible widgets overlapping; those are printed and make the exit status 1.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def _layout_problems(window: object) -> list[str]:
    from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

    assert isinstance(window, QWidget)
    problems = []
    for label in window.findChildren(QLabel):
        if not label.isVisible() or not label.text() or label.wordWrap() or label.text().startswith("<"):
            continue
        needed = label.fontMetrics().horizontalAdvance(label.text().replace("&", "").split("\n")[0])
        if needed > label.contentsRect().width() + 1:
            problems.append(f"clipped label {label.objectName() or label.text()[:30]!r}: needs {needed} px, "
                            f"has {label.contentsRect().width()}")
    for button in window.findChildren(QAbstractButton):
        if not button.isVisible():
            continue
        if button.sizeHint().width() > button.width() + 1:
            problems.append(f"clipped button {button.text()!r}: wants {button.sizeHint().width()} px, "
                            f"has {button.width()}")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    language, out = argv[0], Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="unsit-shots-"))
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = str(home / var)
        (home / var).mkdir()

    from PySide6.QtWidgets import QApplication

    from tests.fakes import FakeClock
    from unsit.app.language import LanguageSwitcher
    from unsit.runtime.resources import asset_path
    from unsit.store.drill_library import load_library
    from unsit.store.history import History
    from unsit.store.settings_file import SettingsFile
    from unsit.store.settings_store import SettingsStore
    from unsit.ui.drill_window import DrillWindow
    from unsit.ui.history_window import HistoryWindow
    from unsit.ui.main_window_view import MainWindow
    from unsit.ui.settings_dialog import SettingsDialog

    app = QApplication([])
    switcher = LanguageSwitcher()
    code = switcher.apply(language)
    if code != language.split("_")[0] and code != language:
        print(f"{language!r} is not a shipped language; showing {code}", file=sys.stderr)
    clock = FakeClock(datetime(2026, 11, 23, 10, 30).astimezone())
    drills, _messages = load_library(asset_path("drills"), None)
    history = History(home / "history.sqlite3")
    now = clock.now()
    for days_ago in range(6):
        for _ in range(days_ago % 4 + 1):
            history.record("drill_finished", now - timedelta(days=days_ago, hours=1), drill_id="x")
        history.record("streak_ended", now - timedelta(days=days_ago, hours=2),
                       streak_seconds=(40 + 9 * days_ago) * 60, reason="drill")
    history.record("drill_skipped", now, drill_id="y")
    store = SettingsStore(SettingsFile(home / "XDG_CONFIG_HOME" / "settings.toml"))
    store.load_initial()

    longest = max(drills, key=lambda d: len(d.name))
    drill = DrillWindow(longest, clock, cue_player=lambda _kind: None)
    main_window = MainWindow()
    windows = {"drill": drill, "settings": SettingsDialog(store), "history": HistoryWindow(history, clock),
               "main": main_window}
    status = 0
    for name, window in windows.items():
        window.show()
        for _ in range(5):
            app.processEvents()
        if name == "drill":
            clock.advance(3.5)
            drill.tick()  # into the first step: its cue is the long text
            app.processEvents()
        path = out / f"{code}-{name}.png"
        window.grab().save(str(path))
        problems = _layout_problems(window)
        for problem in problems:
            print(f"{path.name}: {problem}")
        status = status or (1 if problems else 0)
        print(f"{path} ({window.width()}x{window.height()})")
    history.close()
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
