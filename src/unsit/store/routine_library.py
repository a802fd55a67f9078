"""Read the routines: the built-in routine files, then the user's own.

The rules are the drill library's (assets/routines/SCHEMA.md, ``store/data_folder.py``):
every ``*.toml`` in a folder is one routine, read in file-name order; only regular files
of sane size inside the folder are read; a bad file is skipped with a message naming the file, the field and
the problem, and the others still load. A routine naming a drill that did not load is
such a bad file. A user routine with a built-in's id replaces it; within one folder the
first file with an id wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from unsit.core.drills import Drill
from unsit.core.routines import Routine, RoutineError, parse_routine
from unsit.store.data_folder import load_builtin_and_user, read_toml_table


def load_routine_file(path: Path, drills: Mapping[str, Drill]) -> Routine:
    """Read, parse and check one routine file against the loaded drills.

    Raises:
        RoutineError: naming the file, the field and the problem.
    """
    return parse_routine(read_toml_table(path, "routine", RoutineError), str(path), drills)


def load_routines(builtin_dir: Path, user_dir: Path | None,
                  drills: Mapping[str, Drill] | list[Drill]) -> tuple[list[Routine], list[str]]:
    """Load the built-in routines, then the user's.

    Args:
        builtin_dir: the bundled routines folder (assets/routines); nothing is said when it is missing.
        user_dir: the user's routines folder (AppPaths.user_routines_dir); may be None or missing.
        drills: the drills that loaded (by id, or as the library's list).

    Returns:
        (routines, messages): usable routines, built-ins first; one message per skipped
        file or override, each naming the file, the field and the problem.
    """
    by_id = drills if isinstance(drills, Mapping) else {d.id: d for d in drills}
    return load_builtin_and_user(builtin_dir if builtin_dir.is_dir() else None, user_dir, "routine",
                                 lambda path: load_routine_file(path, by_id))
