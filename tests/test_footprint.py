"""What the idle tray process loads: windows, the scheduler and the CLI stay out until needed.

Imports exactly what ``app.build()`` imports (read from its source) in a fresh interpreter and
lists the modules that ended up loaded. Each module named here costs idle memory that a tray
icon sitting for hours does not need (bench/README.md has the figures).
"""

from __future__ import annotations

import ast
import inspect
import json
import os
import subprocess
import sys

import unsit.app

LOADED_ONLY_WHEN_NEEDED = (
    "apscheduler",  # ~5 MB: only when a wall-clock job exists
    "unsit.ui.main_window_view",  # the main window, built when first opened
    "unsit.ui.drill_window",
    "unsit.ui.settings_dialog",
    "unsit.ui.history_window",
    "unsit.ui.popup",
    "logging.handlers",
    "PySide6.QtNetwork",
)


def build_imports() -> list[str]:
    """Modules imported inside ``app.build()`` and at the top of ``app``."""
    tree = ast.parse(inspect.getsource(unsit.app.build))
    names = [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module]
    return ["unsit.app", *names]


def loaded_after_importing(modules: list[str]) -> set[str]:
    code = ("import importlib, json, sys\n"
            f"for name in {modules!r}:\n"
            "    importlib.import_module(name)\n"
            "print(json.dumps(sorted(sys.modules)))\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout))


def test_build_imports_are_read_from_app() -> None:
    imports = build_imports()
    assert "unsit.ui.main_window" in imports and "unsit.ui.tray" in imports


def test_the_idle_tray_does_not_load_windows_scheduler_or_extra_qt_modules() -> None:
    loaded = loaded_after_importing(build_imports())
    unexpected = sorted(name for name in loaded
                        if any(name == lazy or name.startswith(lazy + ".") for lazy in LOADED_ONLY_WHEN_NEEDED))
    assert unexpected == []
