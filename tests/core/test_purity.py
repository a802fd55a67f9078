"""core/ stays pure: no GUI, scheduler, OS or file access, and no real clock."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import unsit.core

CORE_DIR = Path(unsit.core.__file__).parent
FORBIDDEN_MODULES = {"PySide6", "apscheduler", "plyer", "jeepney", "sqlite3", "os", "pathlib"}
FORBIDDEN_CALLS = {
    ("time", "time"), ("time", "monotonic"), ("time", "time_ns"), ("time", "monotonic_ns"),
    ("time", "perf_counter"), ("time", "clock_gettime"),
    ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("date", "today"),
}
FORBIDDEN_FROM_TIME = {"time", "monotonic", "time_ns", "monotonic_ns", "perf_counter", "clock_gettime"}


def violations(source: str) -> list[str]:
    """Every impure import or call in ``source``, as "line: what"."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend(f"{node.lineno}: import {alias.name}" for alias in node.names
                         if alias.name.split(".")[0] in FORBIDDEN_MODULES)
        elif isinstance(node, ast.ImportFrom) and node.module:
            top = node.module.split(".")[0]
            if top in FORBIDDEN_MODULES:
                found.append(f"{node.lineno}: from {node.module} import ...")
            if top == "time" and any(a.name in FORBIDDEN_FROM_TIME for a in node.names):
                found.append(f"{node.lineno}: from time import a real clock")
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "open":
                found.append(f"{node.lineno}: open(")
            elif isinstance(func, ast.Attribute):
                owner = func.value
                owner_name = (
                    owner.id if isinstance(owner, ast.Name)
                    else owner.attr if isinstance(owner, ast.Attribute) else None
                )
                if (owner_name, func.attr) in FORBIDDEN_CALLS:
                    found.append(f"{node.lineno}: {owner_name}.{func.attr}()")
                if func.attr == "open" and owner_name in {"io", "codecs"}:
                    found.append(f"{node.lineno}: {owner_name}.open(")
    return found


def core_files() -> list[Path]:
    return sorted(CORE_DIR.glob("*.py"))


def test_core_has_the_engine_modules():
    names = {p.name for p in core_files()}
    assert {"streak.py", "nudges.py", "engine.py", "work_hours.py", "events.py", "clock.py"} <= names


@pytest.mark.parametrize("path", core_files(), ids=lambda p: p.name)
def test_core_module_is_pure(path):
    assert violations(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "snippet",
    [
        "import os",
        "import os.path",
        "from pathlib import Path",
        "from PySide6.QtCore import QTimer",
        "import apscheduler.schedulers.qt",
        "import plyer",
        "from jeepney import DBusAddress",
        "import sqlite3",
        "import time\nx = time.time()",
        "import time\nx = time.monotonic()",
        "from time import monotonic",
        "from datetime import datetime\nx = datetime.now()",
        "import datetime\nx = datetime.datetime.now()",
        "with open('f') as f:\n    pass",
    ],
)
def test_the_checker_catches_impurity(snippet):
    assert violations(snippet) != []


def test_the_checker_allows_pure_code():
    source = (
        "from datetime import datetime, timedelta\n"
        "import math\n"
        "def f(clock):\n"
        "    return clock.now() + timedelta(seconds=math.ceil(clock.monotonic()))\n"
    )
    assert violations(source) == []
