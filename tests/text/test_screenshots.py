"""scripts/screenshots draws the four windows in German with nothing clipped (it checks and says so)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.desktop]


def test_german_windows_are_drawn_without_clipping(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "screenshots.py"), "de", str(tmp_path)],
                         capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    shots = sorted(p.name for p in tmp_path.glob("*.png"))
    assert shots == ["de-drill.png", "de-history.png", "de-main.png", "de-settings.png"]
    assert all((tmp_path / name).stat().st_size > 3000 for name in shots)


def test_the_clipping_check_catches_a_squeezed_label_and_button(qtbot):
    import importlib.util

    from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts" / "screenshots.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
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
    problems = module._layout_problems(window)
    assert any("long_label" in p for p in problems) and any("vorlesen" in p for p in problems), problems
