"""Holds the drill and routine libraries, read on first use.

The idle tray does not need the drill model, the poses or the parsed files (about 0.7 MB
of Python heap) until a drill or a routine is wanted. The rule for start-up:

- When the user's drills or routines folder holds any ``*.toml`` (a cheap ``os.scandir``,
  nothing parsed), or cannot be listed, both libraries load at start-up exactly as
  before, so a bad user file is still reported in the start-up message.
- Otherwise (the common case: only the built-in files, which the test suite checks)
  loading waits for the first drill, routine or routine list; problems found then are
  reported through ``on_problems``, the same message the app shows at start-up.

The tray's Routines submenu needs the routines' names from the first second; until the
libraries load they come from a light index of the built-in routine files (id and name,
translated as ``drill_text.routine_name`` does), with no drill module imported.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from unsit.runtime.toml_text import TomlError, parse_toml

if TYPE_CHECKING:
    from unsit.core.drills import Drill
    from unsit.core.routines import Routine

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RoutineEntry:
    """A built-in routine as the tray names it before the library loads: id, English name, file."""

    id: str
    name: str
    source: str
    translations: Mapping[str, Any] = field(default_factory=dict)  # built-in files carry none


def holds_user_files(folder: Path | None) -> bool:
    """Whether ``folder`` holds an entry named ``*.toml``, or cannot be listed (so the problem is told now).

    A missing folder, or a path that is not a folder, holds none (the loaders skip it silently too).
    """
    if folder is None:
        return False
    try:
        with os.scandir(folder) as entries:
            return any(entry.name.endswith(".toml") for entry in entries)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True


def read_routine_index(folder: Path) -> list[RoutineEntry]:
    """The id and name of each routine file in ``folder``, in file-name order (nothing else is checked).

    A file that cannot be read or has no string ``id`` and ``name`` is left out (the full load
    reports it); a repeated id keeps its first file, as the loader does.
    """
    entries: list[RoutineEntry] = []
    try:
        paths = sorted(p for p in folder.iterdir() if p.name.endswith(".toml"))
    except OSError:
        return entries
    tables = [_table_or_none(path) for path in paths]
    for path, table in zip(paths, tables, strict=True):
        if table is None:
            continue
        routine_id, name = table.get("id"), table.get("name")
        if isinstance(routine_id, str) and isinstance(name, str) and all(e.id != routine_id for e in entries):
            entries.append(RoutineEntry(routine_id, name, str(path)))
    return entries


def _table_or_none(path: Path) -> dict[str, Any] | None:
    try:
        return parse_toml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, TomlError, RecursionError):
        return None


class LibraryShelf:
    """The drill and routine libraries, loaded on first use (see the module's rule for start-up).

    Args:
        drills_dir: the built-in drills folder (assets/drills).
        routines_dir: the built-in routines folder (assets/routines).
        user_drills_dir: the user's drills folder; may be None or missing.
        user_routines_dir: the user's routines folder; may be None or missing.

    Attributes:
        on_problems: called with the messages of a load on first use (not of ``load_at_start``,
            whose caller shows them with the other start-up problems).
    """

    def __init__(self, drills_dir: Path, routines_dir: Path, user_drills_dir: Path | None = None,
                 user_routines_dir: Path | None = None) -> None:
        self._drills_dir = drills_dir
        self._routines_dir = routines_dir
        self._user_drills_dir = user_drills_dir
        self._user_routines_dir = user_routines_dir
        self._drills: list[Drill] | None = None
        self._routines: list[Routine] = []
        self._index: list[RoutineEntry] | None = None
        self.on_problems: Callable[[list[str]], None] | None = None

    @property
    def loaded(self) -> bool:
        """Whether the libraries have been read."""
        return self._drills is not None

    def load_at_start(self) -> list[str]:
        """Load now if the user has files of their own (see the module's rule); their problems, or []."""
        if self.loaded or not (holds_user_files(self._user_drills_dir)
                               or holds_user_files(self._user_routines_dir)):
            return []
        return self._load()

    @property
    def drills(self) -> list[Drill]:
        """The drills that loaded, built-ins first (read now if not yet)."""
        if self._drills is None:
            self._load_on_first_use()
        return list(self._drills or ())

    @property
    def routines(self) -> list[Routine]:
        """The routines that loaded, built-ins first (read now if not yet)."""
        if self._drills is None:
            self._load_on_first_use()
        return list(self._routines)

    def routine_titles(self) -> list[tuple[str, str]]:
        """Each routine as (id, name in the language in use), without loading the libraries."""
        from unsit.text.data_text import text_of

        if self.loaded:
            return [(r.id, text_of("routines", r, "name", r.name)) for r in self._routines]
        if self._index is None:
            self._index = read_routine_index(self._routines_dir)
        return [(e.id, text_of("routines", e, "name", e.name)) for e in self._index]

    def _load_on_first_use(self) -> None:
        messages = self._load()
        if messages and self.on_problems is not None:
            self.on_problems(messages)

    def _load(self) -> list[str]:
        from unsit.store.drill_library import load_library
        from unsit.store.routine_library import load_routines

        drills, messages = load_library(self._drills_dir, self._user_drills_dir)
        routines, routine_messages = load_routines(self._routines_dir, self._user_routines_dir, drills)
        self._drills, self._routines, self._index = drills, routines, None
        log.info("loaded %d drills and %d routines", len(drills), len(routines))
        return [*messages, *routine_messages]
