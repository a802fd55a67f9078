"""A drill's (and a routine's) texts in the language in use (no Qt: the window and the command line share it).

Shipped drills are translated through the catalogue: ``scripts/i18n extract`` takes each
drill file's name, purpose, safety note and cues with a ``msgctxt`` naming the file and the
field (``drills/hip-hinge.toml: cue``), and this module asks with the same context. A user
drill may carry its own ``[translations.<code>]`` table; a text it leaves out stays in the
file's own language. A user routine may carry the same tables for its name, purpose and notes.
"""

from __future__ import annotations

from pathlib import PurePath

from unsit.core.drills import Drill, Step
from unsit.core.routines import Routine
from unsit.i18n import current_language, pgettext


def data_file_context(folder: str, file_name: str, field: str) -> str:
    """The msgctxt of a drill or routine text (scripts/i18n_catalogues.py builds the same)."""
    return f"{folder}/{file_name}: {field}"


def _own(drill: Drill, field: str) -> str | None:
    """The drill file's own translation of ``field`` for the language in use, if it has one."""
    language = current_language()
    table = drill.translations.get(language) or drill.translations.get(language.split("_")[0])
    if table is None:
        return None
    value = getattr(table, field)
    return value or None


def _catalogue(drill: Drill, field: str, text: str) -> str:
    return pgettext(data_file_context("drills", PurePath(drill.source).name, field), text)


def drill_name(drill: Drill) -> str:
    """The drill's title."""
    return _own(drill, "name") or _catalogue(drill, "name", drill.name)


def drill_purpose(drill: Drill) -> str:
    """The one line saying what the drill is for."""
    return _own(drill, "purpose") or _catalogue(drill, "purpose", drill.purpose)


def drill_safety(drill: Drill) -> str:
    """The drill's safety note."""
    return _own(drill, "safety") or _catalogue(drill, "safety", drill.safety)


def _own_routine(routine: Routine, field: str) -> str | None:
    """The routine file's own translation of ``field`` for the language in use, if it has one."""
    language = current_language()
    table = routine.translations.get(language) or routine.translations.get(language.split("_")[0])
    if table is None:
        return None
    value: str = getattr(table, field)
    return value or None


def _routine_catalogue(routine: Routine, field: str, text: str) -> str:
    return pgettext(data_file_context("routines", PurePath(routine.source).name, field), text)


def routine_name(routine: Routine) -> str:
    """A routine's title (its own ``[translations.<code>]``, else the catalogue, ``routines/<file>: name``)."""
    return _own_routine(routine, "name") or _routine_catalogue(routine, "name", routine.name)


def routine_purpose(routine: Routine) -> str:
    """When and why to do the routine."""
    return _own_routine(routine, "purpose") or _routine_catalogue(routine, "purpose", routine.purpose)


def routine_notes(routine: Routine) -> str:
    """The routine's advice before it starts ("" when none)."""
    if not routine.notes:
        return ""
    return _own_routine(routine, "notes") or _routine_catalogue(routine, "notes", routine.notes)


def step_cue(drill: Drill, step: Step) -> str:
    """What to do in ``step`` (a step of ``drill``)."""
    language = current_language()
    table = drill.translations.get(language) or drill.translations.get(language.split("_")[0])
    if table is not None:
        own = table.cues.get(step.cue)
        if own:
            return own
    return _catalogue(drill, "cue", step.cue)
