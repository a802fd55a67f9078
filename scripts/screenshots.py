"""Screenshots of every Unsit window, checked for clipped text and low contrast.

    scripts/screenshots OUT_DIR [--languages en,de,ar,ja] [--palettes light,dark] [--scales 1,2]
    scripts/screenshots LANG OUT_DIR          one language, light, 1x (the old form)

Draws the main window, the drill window (at a step with reps, and its end screen), a routine,
the settings, the history and the nudge popup in each language, palette and scale, with
private XDG folders, sample history and a fixed clock, and writes
<OUT_DIR>/<lang>-<palette>-<scale>x-<window>.png. Each scale runs in its own process (Qt reads
QT_SCALE_FACTOR once). Runs on the display Qt finds (Xvfb in the tests; QT_QPA_PLATFORM=offscreen
works too).

Each window is checked for what a long language or a dark palette brings, printed and making the
exit status 1:
- text cut by its label or button: a line wider than the label, more lines (or wrapped lines)
  than its height holds, a button narrower than its text;
- contrast below WCAG AA between a text and what is behind it (4.5:1; 3:1 for large text),
  for labels, buttons and the painted countdown ring.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

LANGUAGES = ("en", "de", "ar", "ja")
PALETTES = ("light", "dark")
SCALES = ("1", "2")
AA_NORMAL = 4.5
AA_LARGE = 3.0


# --- checks -------------------------------------------------------------------------
def luminance(colour: Any) -> float:
    """WCAG relative luminance of a QColor."""
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def contrast(a: Any, b: Any) -> float:
    """WCAG contrast ratio of two QColors (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _large(font: Any) -> bool:
    """WCAG large text: 18 pt, or 14 pt bold (24 px / 18.66 px)."""
    pixels = font.pixelSize() if font.pixelSize() > 0 else font.pointSizeF() * 96 / 72
    return pixels >= 24 or (font.bold() and pixels >= 18.66)


def _background(widget: Any) -> Any:
    """The colour behind ``widget``: the nearest ancestor that fills its background, else the window's."""
    from PySide6.QtGui import QPalette

    current = widget
    while current is not None:
        if current.autoFillBackground() or current.isWindow():
            return current.palette().color(current.backgroundRole() if current.autoFillBackground()
                                           else QPalette.ColorRole.Window)
        current = current.parentWidget()
    return widget.palette().color(QPalette.ColorRole.Window)


def _text_cut(label: Any) -> str | None:
    """Why ``label``'s text does not fit it, or None."""
    text = label.text().replace("&", "")
    if not text or text.startswith("<"):
        return None
    metrics = label.fontMetrics()
    room = label.contentsRect()
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        if needed > label.height() + 1:
            return f"needs {needed} px of height, has {label.height()}"
        return None
    lines = text.split("\n")
    widest = max(metrics.horizontalAdvance(line) for line in lines)
    if widest > room.width() + 1:
        return f"needs {widest} px, has {room.width()}"
    tall = metrics.lineSpacing() * len(lines)
    if tall > room.height() + metrics.leading() + 2:
        return f"needs {tall} px of height for {len(lines)} lines, has {room.height()}"
    return None


def _layout_problems(window: Any) -> list[str]:
    """Text cut by its label or button, anywhere in ``window``."""
    from PySide6.QtWidgets import QAbstractButton, QLabel

    problems = []
    for label in window.findChildren(QLabel):
        if label.isVisible():
            why = _text_cut(label)
            if why:
                problems.append(f"clipped label {label.objectName() or label.text()[:30]!r}: {why}")
    problems.extend(f"clipped button {button.text()!r}: wants {button.sizeHint().width()} px, has {button.width()}"
                    for button in window.findChildren(QAbstractButton)
                    if button.isVisible() and button.sizeHint().width() > button.width() + 1)
    return problems


def _contrast_problems(window: Any) -> list[str]:
    """Text below WCAG AA contrast against what is behind it (enabled widgets only)."""
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QAbstractButton, QLabel

    from unsit.ui.progress_ring import ProgressRing

    problems = []
    checks: list[tuple[str, Any, Any, Any]] = [
        (f"label {label.objectName() or label.text()[:30]!r}", label.palette().color(label.foregroundRole()),
         _background(label), label.font())
        for label in window.findChildren(QLabel) if label.isVisible() and label.isEnabled() and label.text()]
    for button in window.findChildren(QAbstractButton):
        if button.isVisible() and button.isEnabled() and button.text():
            palette = button.palette()
            checks.append((f"button {button.text()!r}", palette.color(QPalette.ColorRole.ButtonText),
                           palette.color(QPalette.ColorRole.Button), button.font()))
    checks.extend((f"ring {ring.objectName()!r} digits", ring.palette().color(QPalette.ColorRole.WindowText),
                   _background(ring), ring.font())
                  for ring in window.findChildren(ProgressRing) if ring.isVisible() and ring.text)
    for what, text, behind, font in checks:
        ratio = contrast(text, behind)
        needed = AA_LARGE if _large(font) else AA_NORMAL
        if ratio < needed:
            problems.append(f"low contrast {what}: {text.name()} on {behind.name()} is {ratio:.2f}:1, "
                            f"AA needs {needed}:1")
    return problems


# --- the windows ----------------------------------------------------------------------
def dark_palette() -> Any:
    """A dark palette like the desktops' dark themes (Breeze Dark, Adwaita dark)."""
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in ((roles.Window, "#2a2b2e"), (roles.WindowText, "#e6e6e6"), (roles.Base, "#1e1f21"),
                         (roles.AlternateBase, "#323336"), (roles.Text, "#e6e6e6"), (roles.Button, "#37383c"),
                         (roles.ButtonText, "#e6e6e6"), (roles.Highlight, "#3d8fd1"),
                         (roles.HighlightedText, "#ffffff"), (roles.ToolTipBase, "#37383c"),
                         (roles.ToolTipText, "#e6e6e6"), (roles.PlaceholderText, "#a0a0a0"), (roles.Link, "#8ab4f8"),
                         (roles.Light, "#4a4b50"), (roles.Midlight, "#404145"), (roles.Mid, "#2f3033"),
                         (roles.Dark, "#1a1a1c"), (roles.Shadow, "#000000")):
        palette.setColor(role, QColor(colour))
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7d7e82"))
    return palette


def _sample_history(path: Path, clock: Any) -> Any:
    from unsit.store.history import History

    history = History(path)
    now = clock.now()
    for days_ago in range(6):
        for _ in range(days_ago % 4 + 1):
            history.record("drill_finished", now - timedelta(days=days_ago, hours=1), drill_id="x")
        history.record("streak_ended", now - timedelta(days=days_ago, hours=2),
                       streak_seconds=(40 + 9 * days_ago) * 60, reason="drill")
    history.record("drill_skipped", now, drill_id="y")
    return history


def _to_reps_step(window: Any, clock: Any) -> None:
    """Run the drill window to the last rep of its first reps step (the widest counter)."""
    session = window.session
    for _ in range(2000):
        rep = session.rep
        if rep is not None and rep[0] == rep[1]:
            return
        clock.advance(0.5)
        window.tick()


def _windows(app: Any, clock: Any, home: Path, history: Any) -> dict[str, Any]:
    """Every window, built now (in the palette in use) and shown at a moment worth checking."""
    from unsit.core.engine import Status
    from unsit.core.events import Phase
    from unsit.platform.notify.base import Nudge
    from unsit.runtime.resources import asset_path
    from unsit.store.drill_library import load_library
    from unsit.store.routine_library import load_routines
    from unsit.store.settings_file import SettingsFile
    from unsit.store.settings_store import SettingsStore
    from unsit.ui.drill_window import DrillWindow
    from unsit.ui.history_window import HistoryWindow
    from unsit.ui.main_window_view import MainWindow
    from unsit.ui.popup import NudgePopup
    from unsit.ui.routine_window import RoutineWindow
    from unsit.ui.settings_dialog import SettingsDialog
    from unsit.ui.text import nudge_text

    drills, _messages = load_library(asset_path("drills"), None)
    routines, _more = load_routines(asset_path("routines"), None, drills)
    store = SettingsStore(SettingsFile(home / "XDG_CONFIG_HOME" / "settings.toml"))
    store.load_initial()
    with_reps = [d for d in drills if any(step.reps for step in d.steps)]
    longest = max(with_reps or drills, key=lambda d: len(d.name))
    main = MainWindow()
    main.update_view(Status(phase=Phase.SITTING, streak_seconds=2460, next_nudge_in_seconds=1140, paused_until=None,
                            away_seconds=0, present=True, idle_source="x11", interval_seconds=3600),
                     snooze_minutes=10, drills_today=3)
    from tests.fakes import FakeClock

    # Each drill window on its own clock: one running out must not move another (their timers tick).
    drill_clock, end_clock, routine_clock = (FakeClock(clock.now()) for _ in range(3))
    drill = DrillWindow(longest, drill_clock, cue_player=lambda _kind: None)
    ended = DrillWindow(drills[0], end_clock, cue_player=lambda _kind: None, drills_today=lambda: 3)
    routine = RoutineWindow(max(routines, key=lambda r: len(r.steps)), routine_clock,
                            cue_player=lambda _kind: None)
    popup = NudgePopup()
    windows = {"main": main, "drill": drill, "drill-end": ended, "routine": routine,
               "settings": SettingsDialog(store), "history": HistoryWindow(history, clock), "popup": popup}
    for name, window in windows.items():
        if name == "popup":
            title, body = nudge_text(3900, after_call_seconds=52 * 60, length="short")
            popup.show_nudge(Nudge(title, body, 10))
        else:
            window.show()
        for _ in range(3):
            app.processEvents()
    _to_reps_step(drill, drill_clock)
    routine_clock.advance(3.5)
    routine.tick()
    end_clock.advance(ended.session.left_seconds + 1)
    ended.tick()
    for _ in range(3):
        app.processEvents()
    return windows


def render(language: str, scale: str, palettes: list[str], out: Path) -> int:
    """One process: one language at one scale, in each palette."""
    home = Path(tempfile.mkdtemp(prefix="unsit-shots-"))
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = str(home / var)
        (home / var).mkdir()
    from PySide6.QtWidgets import QApplication

    from tests.fakes import FakeClock
    from unsit.app.language import LanguageSwitcher

    app = QApplication([])
    app.setStyle("Fusion")  # the same look on every machine; the palettes are what is checked
    code = LanguageSwitcher().apply(language)
    if code not in (language, language.split("_", maxsplit=1)[0]):
        print(f"{language!r} is not a shipped language; showing {code}", file=sys.stderr)
    clock = FakeClock(datetime(2026, 11, 23, 10, 30).astimezone())
    history = _sample_history(home / "history.sqlite3", clock)
    light = app.style().standardPalette()
    status = 0
    for palette_name in palettes:
        app.setPalette(dark_palette() if palette_name == "dark" else light)
        windows = _windows(app, clock, home, history)
        for name, window in windows.items():
            path = out / f"{code}-{palette_name}-{scale}x-{name}.png"
            window.grab().save(str(path))
            problems = _layout_problems(window) + _contrast_problems(window)
            for problem in problems:
                print(f"{path.name}: {problem}")
            status = status or (1 if problems else 0)
            print(f"{path} ({window.width()}x{window.height()})")
        for window in windows.values():
            window.close()
        app.processEvents()
    history.close()
    return status


def _option(argv: list[str], name: str, default: tuple[str, ...]) -> list[str]:
    if name in argv:
        return argv[argv.index(name) + 1].split(",")
    return list(default)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"] and len(argv) == 5:
        _flag, language, scale, palettes, out = argv
        return render(language, scale, palettes.split(","), Path(out))
    positional = [a for i, a in enumerate(argv)
                  if not a.startswith("--") and (i == 0 or not argv[i - 1].startswith("--"))]
    if len(positional) == 2:  # LANG OUT_DIR: one language, light, 1x
        languages, palettes, scales, out = [positional[0]], ["light"], ["1"], Path(positional[1])
    elif len(positional) == 1:
        out = Path(positional[0])
        languages = _option(argv, "--languages", LANGUAGES)
        palettes = _option(argv, "--palettes", PALETTES)
        scales = _option(argv, "--scales", SCALES)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    status = 0
    for scale in scales:
        env = dict(os.environ, QT_SCALE_FACTOR=scale)
        for language in languages:
            run = subprocess.run([sys.executable, __file__, "--one", language, scale, ",".join(palettes), str(out)],
                                 env=env, check=False)
            status = status or run.returncode
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
