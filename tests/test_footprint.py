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
from pathlib import Path

import pytest

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
    # Idle sources of other platforms: each is imported by its opener, when tried.
    "unsit.platform.idle.macos",
    "unsit.platform.idle.windows",
    "unsit.platform.idle.wayland",
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


def test_the_idle_tray_never_builds_qts_enum_namespace() -> None:
    """The first use of any ``Qt.*`` enum builds all ~120 of them (about 1 MB of Python heap).

    The tray's modules are imported and its icon painted in every look, as at start-up and on
    each tick; ``Qt`` must still be absent from ``PySide6.QtCore``'s namespace afterwards.
    """
    code = ("import importlib, PySide6.QtCore as core\n"
            "from PySide6.QtWidgets import QApplication\n"
            f"for name in {build_imports()!r}:\n"
            "    importlib.import_module(name)\n"
            "app = QApplication([])\n"
            "from unsit.ui.tray_art import TrayLook, make_icon\n"
            "for look in TrayLook:\n"
            "    make_icon(look, 0.6, pixel_ratio=2.0)\n"
            "print('Qt' in core.__dict__)\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_the_enum_namespace_check_can_fail() -> None:
    """``'Qt' in PySide6.QtCore.__dict__`` turns True once an enum is used (what the check relies on)."""
    code = ("import PySide6.QtCore as core\n"
            "before = 'Qt' in core.__dict__\n"
            "from PySide6.QtGui import QPen\n"
            "QPen().capStyle()\n"
            "print(before, 'Qt' in core.__dict__)\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60,
                          check=False)
    assert done.stdout.strip() == "False True", done.stderr


NOT_KEPT_AFTER_START_UP = (
    "json",  # the command socket imports it on the first request
    "locale",  # argparse's gettext would load it: the tray starts without building the parser
    "tomllib", "tomli",  # the settings are parsed at start-up, then the parser is forgotten
    "platformdirs",  # the folders are resolved once
    "unsit.platform.autostart",  # start-at-login is synced at start-up and on a settings change
    "unsit.command_name", "shlex",  # only in messages
    "unsit.platform.dnd",  # do-not-disturb is asked only while a nudge is due
    "PySide6.QtCore.QEvent", "PySide6.QtCore.QTranslator",  # a language change, a non-English Qt
)

START_AND_LIST_MODULES = """
import sys
import unsit.app as app

release = app.release_start_up_memory

def list_modules_and_quit():
    release()
    from PySide6 import QtCore
    from PySide6.QtWidgets import QApplication
    names = sorted(sys.modules) + ["PySide6.QtCore." + name for name in vars(QtCore) if name.startswith("Q")]
    print("MODULES " + " ".join(names), flush=True)
    QApplication.instance().quit()

app.release_start_up_memory = list_modules_and_quit  # called by run_app 3 s after start-up
from unsit.__main__ import main
sys.exit(main([]))
"""


def idle_modules(tmp_path: Path, settings: str = "") -> set[str]:
    """What the real tray process holds once started (a private user folder, the test desktop)."""
    env = dict(os.environ)
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"):
        (tmp_path / var).mkdir(mode=0o700)
        env[var] = str(tmp_path / var)
    (tmp_path / "XDG_CONFIG_HOME" / "unsit").mkdir()
    (tmp_path / "XDG_CONFIG_HOME" / "unsit" / "settings.toml").write_text(settings)
    done = subprocess.run([sys.executable, "-c", START_AND_LIST_MODULES], capture_output=True, text=True,
                          env=env, timeout=30, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("MODULES ")]
    assert done.returncode == 0 and lines, done.stdout + done.stderr
    return set(lines[0].split()[1:])


@pytest.mark.desktop
def test_what_start_up_needs_for_a_moment_is_not_kept(desktop, tmp_path: Path) -> None:
    """The real app, started on the test desktop: the one-off parsers and helpers are gone at idle."""
    loaded = idle_modules(tmp_path, "interval_minutes = 45\nmorning_routine = false\n")
    kept = sorted(name for name in loaded
                  if any(name == gone or name.startswith(gone + ".") for gone in NOT_KEPT_AFTER_START_UP))
    assert kept == [], kept
    assert {"unsit.core.engine", "unsit.ui.tray", "unsit.store.settings_file"} <= loaded  # it did start


@pytest.mark.desktop
def test_the_idle_module_check_sees_what_is_loaded(desktop, tmp_path: Path) -> None:
    """A language other than English loads Qt's translator: the listing sees such a change."""
    loaded = idle_modules(tmp_path, 'language = "de"\n')
    assert "PySide6.QtCore.QTranslator" in loaded
