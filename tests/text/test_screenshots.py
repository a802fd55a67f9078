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


def test_the_clipping_check_catches_a_squeezed_label_and_button(qtbot):
    from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

    window = QWidget()
    qtbot.addWidget(window)
    layout = QHBoxLayout(window)
    label = QLabel("Donaudampfschifffahrtsgesellschaftskapitän", window)
    label.setObjectName("long_label")
    label.setMaximumWidth(40)
    button = QPushButton("Übungsanweisungen vorlesen lassen", window)
    button.setMaximumWidth(40)
    layout.addWidget(label)
    layout.addWidget(button)
    window.show()
    qtbot.waitExposed(window)
    problems = _module()._layout_problems(window)
    assert any("long_label" in p for p in problems) and any("vorlesen" in p for p in problems), problems


def test_the_clipping_check_catches_a_second_line_or_wrapped_text_cut_by_its_height(qtbot):
    from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    counter = QLabel("Schritt 2 von 2\nWiederholung 2 von 2", window)
    counter.setObjectName("counter")
    counter.setFixedHeight(counter.fontMetrics().lineSpacing())
    wrapped = QLabel("Beide Gesäßhälften anspannen und das Becken einrollen, sodass die Gürtelschnalle "
                     "nach oben kippt.", window)
    wrapped.setObjectName("wrapped")
    wrapped.setWordWrap(True)
    wrapped.setFixedSize(120, wrapped.fontMetrics().lineSpacing())
    fine = QLabel("Fertig", window)
    fine.setObjectName("fine")
    for widget in (counter, wrapped, fine):
        layout.addWidget(widget)
    window.show()
    qtbot.waitExposed(window)
    problems = _module()._layout_problems(window)
    assert any("'counter'" in p for p in problems) and any("'wrapped'" in p for p in problems), problems
    assert not any("'fine'" in p for p in problems)


def test_the_contrast_check_catches_grey_digits_and_orange_text_on_light(qtbot):
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

    from unsit.ui.progress_ring import ProgressRing

    module = _module()
    assert round(module.contrast(QColor("#000000"), QColor("#ffffff")), 1) == 21.0
    window = QWidget()
    qtbot.addWidget(window)
    palette = window.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#2a2b2e"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#e6e6e6"))
    window.setPalette(palette)
    layout = QVBoxLayout(window)
    ring = ProgressRing(112, window)
    ring.set_progress(0.5, "0:08")
    grey = ring.palette()
    grey.setColor(QPalette.ColorRole.WindowText, QColor("#6a6a6a"))  # mid-grey digits on dark grey
    ring.setPalette(grey)
    side = QLabel("Left leg", window)
    side.setObjectName("side")
    orange = side.palette()
    orange.setColor(QPalette.ColorRole.WindowText, QColor("#e8743b"))
    orange.setColor(QPalette.ColorRole.Window, QColor("#efefef"))
    side.setPalette(orange)
    side.setAutoFillBackground(True)
    plain = QLabel("Readable", window)
    plain.setObjectName("plain")
    for widget in (ring, side, plain):
        layout.addWidget(widget)
    window.show()
    qtbot.waitExposed(window)
    problems = module._contrast_problems(window)
    assert any("ring" in p and "digits" in p for p in problems), problems
    assert any("'side'" in p for p in problems) and not any("'plain'" in p for p in problems), problems
