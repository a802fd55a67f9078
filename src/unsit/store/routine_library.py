"""Read the routines: the built-in routine files, then the user's own.

The rules are the drill library's (assets/routines/SCHEMA.md): every ``*.toml`` in a
folder is one routine, read in file-name order; only regular files of sane size inside
the folder are read; a bad file is skipped with a message naming the file, the field and
the problem, and the others still load. A routine naming a drill that did not load is
such a bad file. A user routine with a built-in's id replaces it; within one folder the
first file with an id wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from unsit.core.drills import Drill, DrillError
from unsit.core.routines import Routine, RoutineError, parse_routine
from unsit.i18n import _
from unsit.store.drill_library import MAX_FILES_PER_FOLDER, read_small_regular_file
from unsit.toml_text import PARSER_MODULES, TomlError, parse_toml
from unsit.transient_imports import transient_modules


def load_routine_file(path: Path, drills: Mapping[str, Drill]) -> Routine:
    """Read, parse and check one routine file against the loaded drills.

    Raises:
        RoutineError: naming the file, the field and the problem.
    """
    source = str(path)
    try:
        data = read_small_regular_file(path, "routine")
    except DrillError as exc:
        raise RoutineError(exc.source, exc.field, exc.problem) from exc
    try:
        table = parse_toml(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise RoutineError(source, "(file)", _("is not UTF-8 text")) from exc
    except TomlError as exc:
        raise RoutineError(source, "(TOML syntax)", str(exc)) from exc
    return parse_routine(table, source, drills)


@transient_modules(*PARSER_MODULES)  # the parser once per folder, forgotten afterwards
def _load_folder(folder: Path, drills: Mapping[str, Drill], messages: list[str]) -> list[Routine]:
    routines: list[Routine] = []
    seen: dict[str, str] = {}
    try:
        files = sorted(p for p in folder.iterdir() if p.name.endswith(".toml"))
    except OSError as exc:
        messages.append(_("{folder}: cannot list routine files: {reason}").format(folder=folder,
                                                                                   reason=exc.strerror or exc))
        return routines
    if len(files) > MAX_FILES_PER_FOLDER:
        messages.append(_("{folder}: holds {count} routine files; only the first {limit} are read").format(
            folder=folder, count=len(files), limit=MAX_FILES_PER_FOLDER))
        files = files[:MAX_FILES_PER_FOLDER]
    for path in files:
        try:
            routine = load_routine_file(path, drills)
        except RoutineError as exc:
            messages.append(_("{problem} (routine skipped)").format(problem=exc))
            continue
        if routine.id in seen:
            messages.append(_("{path}: id: {id} is already used by {other} (routine skipped)").format(
                path=path, id=repr(routine.id), other=seen[routine.id]))
            continue
        seen[routine.id] = str(path)
        routines.append(routine)
    return routines


def load_routines(builtin_dir: Path, user_dir: Path | None,
                  drills: Mapping[str, Drill] | list[Drill]) -> tuple[list[Routine], list[str]]:
    """Load the built-in routines, then the user's.

    Args:
        builtin_dir: the bundled routines folder (assets/routines).
        user_dir: the user's routines folder (AppPaths.user_routines_dir); may be None or missing.
        drills: the drills that loaded (by id, or as the library's list).

    Returns:
        (routines, messages): usable routines, built-ins first; one message per skipped
        file or override, each naming the file, the field and the problem.
    """
    by_id = drills if isinstance(drills, Mapping) else {d.id: d for d in drills}
    messages: list[str] = []
    routines = _load_folder(builtin_dir, by_id, messages) if builtin_dir.is_dir() else []
    if user_dir is None or not user_dir.is_dir():
        return routines, messages
    index = {r.id: i for i, r in enumerate(routines)}
    for routine in _load_folder(user_dir, by_id, messages):
        if routine.id in index:
            messages.append(_("{path}: id: replaces the built-in routine {id}").format(path=routine.source,
                                                                                       id=repr(routine.id)))
            routines[index[routine.id]] = routine
        else:
            index[routine.id] = len(routines)
            routines.append(routine)
    return routines, messages
