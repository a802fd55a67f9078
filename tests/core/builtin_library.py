"""The built-in drills and routines, read straight from assets/ for the core tests (no store)."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # the backport the app itself depends on there
    import tomli as tomllib

from unsit.core.drills import Drill, parse_drill
from unsit.core.routines import Routine, parse_routine

ASSETS = Path(__file__).resolve().parents[2] / "assets"


@cache
def builtin_drills() -> dict[str, Drill]:
    """Every built-in drill by id."""
    drills = {}
    for path in sorted((ASSETS / "drills").glob("*.toml")):
        drill = parse_drill(tomllib.loads(path.read_text(encoding="utf-8")), str(path))
        drills[drill.id] = drill
    return drills


@cache
def builtin_routines() -> dict[str, Routine]:
    """Every built-in routine by id."""
    routines = {}
    for path in sorted((ASSETS / "routines").glob("*.toml")):
        routine = parse_routine(tomllib.loads(path.read_text(encoding="utf-8")), str(path), builtin_drills())
        routines[routine.id] = routine
    return routines
