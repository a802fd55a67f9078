"""scripts/screenshots draws every window in en, de, ar, ja, light and dark, 1x and 2x, and checks them.

The checks themselves are tested here too: each must catch the fault it is for.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.desktop]
WINDOWS = ("drill", "drill-end", "history", "main", "popup", "routine", "settings")


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts" / "screenshots.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_window_in_four_languages_two_palettes_and_two_scales_has_no_cut_text_or_low_contrast(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "QT_SCALE_FACTOR")}
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "screenshots.py"), str(tmp_path)],
                         capture_output=True, text=True, timeout=900, env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    expected = sorted(f"{lang}-{palette}-{scale}x-{window}.png" for lang in ("en", "de", "ar", "ja")
                      for palette in ("light", "dark") for scale in (1, 2) for window in WINDOWS)
    assert sorted(p.name for p in tmp_path.glob("*.png")) == expected
    assert all((tmp_path / name).stat().st_size > 3000 for name in expected)


def _window(qtbot, palette: dict[str, str] | None = None):
    """A test window (its palette's roles recoloured) and a function adding a widget to its column."""
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    window = QWidget()
    qtbot.addWidget(window)
    _recoloured(window, **(palette or {}))
    layout = QVBoxLayout(window)

    def add(widget, name: str = ""):
        widget.setParent(window)
        widget.setObjectName(name)
        layout.addWidget(widget)
        return widget

    return window, add


def _show(qtbot, window) -> None:
    window.show()
    qtbot.waitExposed(window)


def test_the_clipping_check_catches_a_squeezed_label_and_button(qtbot):
    from PySide6.QtWidgets import QLabel, QPushButton

    window, add = _window(qtbot)
    add(QLabel("Donaudampfschifffahrtsgesellschaftskapitän"), "long_label").setMaximumWidth(40)
    add(QPushButton("Übungsanweisungen vorlesen lassen")).setMaximumWidth(40)
    _show(qtbot, window)
    problems = _module()._layout_problems(window)
    assert any("long_label" in p for p in problems) and any("vorlesen" in p for p in problems), problems


def test_the_clipping_check_catches_a_second_line_or_wrapped_text_cut_by_its_height(qtbot):
    from PySide6.QtWidgets import QLabel

    window, add = _window(qtbot)
    counter = add(QLabel("Schritt 2 von 2\nWiederholung 2 von 2"), "counter")
    counter.setFixedHeight(counter.fontMetrics().lineSpacing())
    wrapped = add(QLabel("Beide Gesäßhälften anspannen und das Becken einrollen, sodass die Gürtelschnalle "
                         "nach oben kippt."), "wrapped")
    wrapped.setWordWrap(True)
    wrapped.setFixedSize(120, wrapped.fontMetrics().lineSpacing())
    add(QLabel("Fertig"), "fine")
    _show(qtbot, window)
    problems = _module()._layout_problems(window)
    assert any("'counter'" in p for p in problems) and any("'wrapped'" in p for p in problems), problems
    assert not any("'fine'" in p for p in problems)


def _recoloured(widget, **roles: str):
    from PySide6.QtGui import QColor, QPalette

    palette = widget.palette()
    for role, colour in roles.items():
        palette.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    widget.setPalette(palette)
    return widget


def test_the_contrast_check_catches_grey_digits_and_orange_text_on_light(qtbot):
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QLabel

    from unsit.ui.progress_ring import ProgressRing

    module = _module()
    assert round(module.contrast(QColor("#000000"), QColor("#ffffff")), 1) == 21.0
    window, add = _window(qtbot, {"Window": "#2a2b2e", "WindowText": "#e6e6e6"})
    ring = add(ProgressRing(112), "ring")
    ring.set_progress(0.5, "0:08")
    _recoloured(ring, WindowText="#6a6a6a")  # mid-grey digits on dark grey
    side = _recoloured(add(QLabel("Left leg"), "side"), WindowText="#e8743b", Window="#efefef")
    side.setAutoFillBackground(True)
    add(QLabel("Readable"), "plain")
    _show(qtbot, window)
    problems = module._contrast_problems(window)
    assert any("ring" in p and "digits" in p for p in problems), problems
    assert any("'side'" in p for p in problems) and not any("'plain'" in p for p in problems), problems
