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
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import unsit.app.compose

DRILL_CHAIN = (  # the drill and routine libraries (about 0.7 MB of heap): read when a drill or routine is wanted
    "unsit.core.pose",
    "unsit.core.pose_library",
    "unsit.core.motion",
    "unsit.core.drills",
    "unsit.core.drill_session",
    "unsit.core.routines",
    "unsit.core.drill_picker",
    "unsit.store.data_folder",
    "unsit.store.drill_library",
    "unsit.store.routine_library",
    "unsit.text.drill_text",
)
LOADED_ONLY_WHEN_NEEDED = (
    *DRILL_CHAIN,
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


# SQLite and the store (about 1.6 MB with its library's pages): the history job writes the rows.
NOT_LOADED_BY_THE_HISTORY = ("sqlite3", "_sqlite3", "unsit.store.history")


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
            "    make_icon(look, 0.6, pixel_ratio=2.0)\n"
            "print('Qt' in core.__dict__)\n")
    assert run_offscreen(code).strip() == "False"


def test_the_enum_namespace_check_can_fail() -> None:
    """``'Qt' in PySide6.QtCore.__dict__`` turns True once an enum is used (what the check relies on)."""
    code = ("import PySide6.QtCore as core\n"
            "before = 'Qt' in core.__dict__\n"
            "from PySide6.QtGui import QPen\n"
            "QPen().capStyle()\n"
            "print(before, 'Qt' in core.__dict__)\n")
    assert run_offscreen(code).strip() == "False True"


NOT_KEPT_AFTER_START_UP = (
    "json",  # the command socket imports it on the first request
    "locale",  # argparse's gettext would load it: the tray starts without building the parser
    "unsit.app.commands",  # the running app's answers to commands, made at the first command
    "unsit.cli",  # the parser and the client side of commands: a bare start builds no parser
    "unsit.runtime.qt_libraries",  # the message for a missing system library, when Qt cannot load
    "unsit.platform.command_name", "shlex",  # only in messages
    "unsit.platform.dnd",  # do-not-disturb is asked only while a nudge is due
    "PySide6.QtCore.QEvent", "PySide6.QtCore.QTranslator",  # a language change, a non-English Qt
    "PySide6.QtCore.QTime",  # a pause until a time (its binding's pages, about 64 kB)
    "PySide6.QtGui.QImage",  # 42 kB of binding: the tray icon's brushes are textures of QPixmaps
    "queue",  # the command socket's replies and the notifier's requests are deques
    "concurrent", "jeepney.io.threading",  # D-Bus replies go through platform/dbus_router.py
    "jeepney.io",  # the blocking connections are platform/dbus_connection.py's (77 kB less)
    *NOT_LOADED_BY_THE_HISTORY,
)

START_AND_LIST_MODULES = """
import sys
import unsit.app.compose as app

release = app.release_start_up_memory

def list_modules_and_quit():
    release()
    from PySide6 import QtCore, QtGui
    from PySide6.QtWidgets import QApplication
    names = sorted(sys.modules) + ["PySide6.QtCore." + name for name in vars(QtCore) if name.startswith("Q")]
    names += ["PySide6.QtGui." + name for name in vars(QtGui) if name.startswith("Q")]
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
    not_kept = (*NOT_KEPT_AFTER_START_UP, *DRILL_CHAIN)
    kept = sorted(name for name in loaded if any(name == gone or name.startswith(gone + ".") for gone in not_kept))
    assert kept == [], kept
    assert {"unsit.core.engine", "unsit.ui.tray", "unsit.store.settings_file"} <= loaded  # it did start


@pytest.mark.desktop
def test_the_idle_module_check_sees_what_is_loaded(desktop, tmp_path: Path) -> None:
    """A language other than English loads Qt's translator: the listing sees such a change."""
    loaded = idle_modules(tmp_path, 'language = "de"\n')
    assert "PySide6.QtCore.QTranslator" in loaded


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
def test_without_user_files_the_started_app_holds_no_drill_library(tmp_path: Path) -> None:
    loaded, routines, stderr = start_the_app(tmp_path, {})
    assert sorted(loaded & set(DRILL_CHAIN)) == []
    assert routines == ["Morning hip routine", "Warm-up before a walk or run"]  # named from the light index
    assert "found a problem" not in stderr


@pytest.mark.usefixtures("desktop_left_clean")
def test_a_bad_user_drill_file_is_told_at_start_up(tmp_path: Path) -> None:
    loaded, routines, stderr = start_the_app(tmp_path, {"drills/mine.toml": "id = [unclosed\n"})
    assert "Unsit found a problem" in stderr
    assert "mine.toml: (TOML syntax)" in stderr and "(drill skipped)" in stderr
    assert {"unsit.core.drills", "unsit.store.drill_library"} <= loaded  # read at start, as before
    assert routines == ["Morning hip routine", "Warm-up before a walk or run"]


RECORD_AN_EVENT = APP_IN_PRIVATE_FOLDERS + """
from datetime import datetime
from PySide6.QtCore import QEventLoop

parts = build(app, paths)
assert parts is not None
history = parts["history"]
history.record("drill_started", datetime.now().astimezone(), drill_id="hip-90-90")
while history.sending:
    app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
loaded = sorted(sys.modules)
shutdown(parts)
print(json.dumps({"modules": loaded, "pending": history.pending_events, "database": str(paths.history_db)}))
"""


@pytest.mark.usefixtures("desktop_left_clean")
def test_the_started_app_records_events_without_loading_sqlite(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", RECORD_AN_EVENT, str(tmp_path)], capture_output=True, text=True,
                          env=dict(os.environ), timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert lazily_loaded(set(result["modules"]), NOT_LOADED_BY_THE_HISTORY) == []
    assert result["pending"] == 0
    import sqlite3

    with sqlite3.connect(f"file:{result['database']}?mode=ro", uri=True) as db:
        assert db.execute("SELECT kind, drill_id FROM events").fetchall() == [("drill_started", "hip-90-90")]


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
            "from PySide6.QtCore import QEventLoop\n"
            "while (notifier.delivering or not notifier.current_id) and time.monotonic() < deadline:\n"
            "    app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)  # until an event: the reply\n"
            "shown = notifier.current_id\n"
            "threads = sorted(t.name for t in threading.enumerate())\n"
            "notifier.close()\n"
            "print(json.dumps({'name': notifier.name, 'shown': shown, 'threads': threads,\n"
            "                  'modules': sorted(sys.modules)}))\n")
    result = json.loads(run_offscreen(code))
    assert result["name"] == "freedesktop" and result["shown"] > 0, result["threads"]
    assert "unsit-dbus-notifications" in result["threads"]  # the link was connected when we looked
    loaded = set(result["modules"])
    assert lazily_loaded(loaded, NOT_LOADED_BY_THE_NOTIFIER + LOADED_ONLY_WHEN_NEEDED) == []
