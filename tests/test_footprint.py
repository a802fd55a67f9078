"""The idle tray leaves the big parts out until needed: APScheduler and the windows.

The memory budget itself is measured by ``bench/idle_footprint`` (idle and after a nudge and
a drill, beside a bare tray icon; bench/README.md has the figures), not checked here.
"""

from __future__ import annotations

import ast
import inspect
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import unsit.app.compose

LOADED_ONLY_WHEN_NEEDED = (
    "apscheduler",  # only while a wall-clock job exists (a pause until a moment, work hours)
    "unsit.ui.main_window_view",  # each window is imported when first opened
    "unsit.ui.drill_window",
    "unsit.ui.routine_window",
    "unsit.ui.settings_dialog",
    "unsit.ui.history_window",
    "unsit.ui.popup",
)


def build_imports() -> list[str]:
    """Modules imported inside ``app.build()`` and at the top of ``app``."""
    tree = ast.parse(inspect.getsource(unsit.app.compose.build))
    names = [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module]
    return ["unsit.app.compose", *names]


def run_offscreen(code: str) -> str:
    """Run ``code`` in a fresh interpreter on Qt's offscreen platform; its stdout (it must succeed)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def loaded_after_importing(modules: list[str]) -> set[str]:
    code = ("import importlib, json, sys\n"
            f"for name in {modules!r}:\n"
            "    importlib.import_module(name)\n"
            "print(json.dumps(sorted(sys.modules)))\n")
    return set(json.loads(run_offscreen(code)))


def test_build_imports_are_read_from_app() -> None:
    imports = build_imports()
    assert "unsit.ui.main_window" in imports and "unsit.ui.tray" in imports


def test_the_idle_tray_imports_neither_the_scheduler_nor_the_windows() -> None:
    loaded = loaded_after_importing(build_imports())
    assert lazily_loaded(loaded, LOADED_ONLY_WHEN_NEEDED) == []


START_AND_LIST_MODULES = """
import sys
import unsit.app.compose as app

release = app.release_start_up_memory

def list_modules_and_quit():
    release()
    from PySide6.QtWidgets import QApplication
    print("MODULES " + " ".join(sorted(sys.modules)), flush=True)
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
def test_the_started_tray_holds_neither_the_scheduler_nor_the_windows(desktop, tmp_path: Path) -> None:
    loaded = idle_modules(tmp_path, "interval_minutes = 45\nmorning_routine = false\n")
    assert lazily_loaded(loaded, LOADED_ONLY_WHEN_NEEDED) == []
    assert {"unsit.core.engine", "unsit.ui.tray", "unsit.store.settings_file"} <= loaded  # it did start


@pytest.mark.desktop
def test_the_idle_module_check_sees_the_scheduler_when_a_job_exists(desktop, tmp_path: Path) -> None:
    """Work hours on: a wall-clock job waits for their next edge, so APScheduler is loaded."""
    loaded = idle_modules(tmp_path, "work_hours_enabled = true\nmorning_routine = false\n")
    assert "apscheduler" in loaded


APP_IN_PRIVATE_FOLDERS = """
import json, os, sys
from pathlib import Path

root = Path(sys.argv[1])
for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"):
    (root / var).mkdir(mode=0o700)
    os.environ[var] = str(root / var)
from PySide6.QtWidgets import QApplication

from unsit.app.compose import build, shutdown
from unsit.runtime.paths import AppPaths

app = QApplication([])
paths = AppPaths.from_platform()
paths.ensure()
paths.settings_file.write_text("morning_routine = false\\n")  # no offer on the shared desktop
"""

START_UP = APP_IN_PRIVATE_FOLDERS + """
for name, text in json.loads(sys.argv[2]).items():
    folder = paths.user_drills_dir if name.startswith("drills/") else paths.user_routines_dir
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name.split("/", 1)[1]).write_text(text)
parts = build(app, paths)
assert parts is not None
loaded = sorted(sys.modules)
routines = [action.text() for action in parts["tray"]._routines_menu.actions()]
shutdown(parts)
print(json.dumps({"modules": loaded, "routines": routines}))
"""


@pytest.fixture
def desktop_left_clean(desktop: Any) -> Iterator[None]:
    """The start-up message is a real notification on the shared desktop: closed afterwards."""
    yield
    desktop.dunst.close_all()


def start_the_app(tmp_path: Path, user_files: dict[str, str]) -> tuple[set[str], list[str], str]:
    """Build the real app in a fresh interpreter on the test desktop, with these user files.

    Returns:
        The modules loaded once start-up is done, the tray's Routines submenu, and stderr
        (where the start-up message goes as a log warning).
    """
    done = subprocess.run([sys.executable, "-c", START_UP, str(tmp_path), json.dumps(user_files)],
                          capture_output=True, text=True, env=dict(os.environ), timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return set(result["modules"]), result["routines"], done.stderr


@pytest.mark.usefixtures("desktop_left_clean")
def test_without_user_files_the_routines_are_named_and_nothing_is_told(tmp_path: Path) -> None:
    _loaded, routines, stderr = start_the_app(tmp_path, {})
    assert routines == ["Morning hip routine", "Warm-up before a walk or run"]
    assert "found a problem" not in stderr


@pytest.mark.usefixtures("desktop_left_clean")
def test_a_bad_user_drill_file_is_told_at_start_up(tmp_path: Path) -> None:
    _loaded, routines, stderr = start_the_app(tmp_path, {"drills/mine.toml": "id = [unclosed\n"})
    assert "Unsit found a problem" in stderr
    assert "mine.toml: (TOML syntax)" in stderr and "(drill skipped)" in stderr
    assert routines == ["Morning hip routine", "Warm-up before a walk or run"]


def lazily_loaded(loaded: set[str], lazy_names: tuple[str, ...]) -> list[str]:
    return sorted(name for name in loaded
                  if any(name == lazy or name.startswith(lazy + ".") for lazy in lazy_names))
