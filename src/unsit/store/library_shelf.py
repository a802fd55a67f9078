"""Holds the drill and routine libraries: the built-in files and the user's, read at start-up.

Problems (a user's file that cannot be used) are returned by ``load`` for the start-up message.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from unsit.text.drill_text import routine_name

if TYPE_CHECKING:
    from unsit.core.drills import Drill
    from unsit.core.routines import Routine

log = logging.getLogger(__name__)


class LibraryShelf:
    """The drill and routine libraries.

    Args:
        drills_dir: the built-in drills folder (assets/drills).
        routines_dir: the built-in routines folder (assets/routines).
        user_drills_dir: the user's drills folder; may be None or missing.
        user_routines_dir: the user's routines folder; may be None or missing.
    """

    def __init__(self, drills_dir: Path, routines_dir: Path, user_drills_dir: Path | None = None,
                 user_routines_dir: Path | None = None) -> None:
        self._drills_dir = drills_dir
        self._routines_dir = routines_dir
        self._user_drills_dir = user_drills_dir
        self._user_routines_dir = user_routines_dir
        self._drills: list[Drill] | None = None
        self._routines: list[Routine] = []

    @property
    def loaded(self) -> bool:
        """Whether the libraries have been read."""
        return self._drills is not None

    def load(self) -> list[str]:
        """Read both libraries (once); the problems found, for the user."""
        if self._drills is not None:
            return []
        from unsit.store.drill_library import load_library
        from unsit.store.routine_library import load_routines

        drills, messages = load_library(self._drills_dir, self._user_drills_dir)
        routines, routine_messages = load_routines(self._routines_dir, self._user_routines_dir, drills)
        self._drills, self._routines = drills, routines
        log.info("loaded %d drills and %d routines", len(drills), len(routines))
        return [*messages, *routine_messages]

    @property
    def drills(self) -> list[Drill]:
        """The drills that loaded, built-ins first."""
        self._load_if_needed()
        return list(self._drills or ())

    @property
    def routines(self) -> list[Routine]:
        """The routines that loaded, built-ins first."""
        self._load_if_needed()
        return list(self._routines)

    def routine_titles(self) -> list[tuple[str, str]]:
        """Each routine as (id, name in the language in use)."""
        return [(routine.id, routine_name(routine)) for routine in self.routines]

    def _load_if_needed(self) -> None:
        """For a shelf whose ``load`` was not called (tools, tests): its problems go to the log."""
        if self._drills is None:
            for message in self.load():
                log.warning("%s", message)
