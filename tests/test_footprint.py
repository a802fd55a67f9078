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

# jeepney's threading router and the futures it waits on (~0.12 MB of heap): the notifier's
# link uses Unsit's own router (platform/dbus_router.py) instead.
NOT_LOADED_BY_THE_NOTIFIER = ("concurrent.futures", "jeepney.io.threading")


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
    assert lazily_loaded(loaded, LOADED_ONLY_WHEN_NEEDED + NOT_LOADED_BY_THE_NOTIFIER) == []


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
            "    make_icon(look, 0.6)\n"
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


def lazily_loaded(loaded: set[str], lazy_names: tuple[str, ...]) -> list[str]:
    return sorted(name for name in loaded
                  if any(name == lazy or name.startswith(lazy + ".") for lazy in lazy_names))


@pytest.mark.desktop
def test_a_working_freedesktop_notifier_loads_no_threading_router_or_futures(desktop) -> None:
    """``pick_notifier`` picks the freedesktop notifier on the test desktop (dunst), which then
    shows and withdraws a nudge through its link: none of that loads jeepney's threading router."""
    code = ("import importlib, json, sys, threading, time\n"
            f"for name in {build_imports()!r}:\n"
            "    importlib.import_module(name)\n"
            "from PySide6.QtWidgets import QApplication\n"
            "app = QApplication([])\n"
            "from unsit.platform.notify import pick_notifier\n"
            "from unsit.platform.notify.base import Nudge\n"
            "notifier = pick_notifier(None)\n"
            "notifier.show_nudge(Nudge('Time to unsit', 'footprint check', 10))\n"
            "deadline = time.monotonic() + 20\n"
            "while (notifier.delivering or not notifier.current_id) and time.monotonic() < deadline:\n"
            "    app.processEvents()\n"
            "    time.sleep(0.02)\n"
            "shown = notifier.current_id\n"
            "threads = sorted(t.name for t in threading.enumerate())\n"
            "notifier.close()\n"
            "print(json.dumps({'name': notifier.name, 'shown': shown, 'threads': threads,\n"
            "                  'modules': sorted(sys.modules)}))\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["name"] == "freedesktop" and result["shown"] > 0, result["threads"]
    assert "unsit-dbus-notifications" in result["threads"]  # the link was connected when we looked
    loaded = set(result["modules"])
    assert lazily_loaded(loaded, NOT_LOADED_BY_THE_NOTIFIER + LOADED_ONLY_WHEN_NEEDED) == []
