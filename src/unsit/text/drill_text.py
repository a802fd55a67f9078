"""A drill's (and a routine's) texts in the language in use (no Qt: the window and the command line share it).

Shipped drills are translated through the catalogue: ``scripts/i18n extract`` takes each
drill file's name, purpose, safety note and cues with a ``msgctxt`` naming the file and the
field (``drills/hip-hinge.toml: cue``), and this module asks with the same context. A user
drill may carry its own ``[translations.<code>]`` table; a text it leaves out stays in the
file's own language. A user routine may carry the same tables for its name, purpose and notes.

The lookups themselves are ``data_text``'s. The drill model (``core/drills.py``, above this
package) is read through the small Protocols below, so the imports run one way only.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Protocol

from unsit.text.data_text import Translatable, data_file_context, own_table, text_of
from unsit.text.i18n import pgettext


class Drill(Translatable, Protocol):
    """What the lookups read of a drill."""

    @property
    def name(self) -> str: ...
    @property
    def purpose(self) -> str: ...
    @property
    def safety(self) -> str: ...


class Step(Protocol):
    """What the lookups read of a drill's step."""

    @property
    def cue(self) -> str: ...


class Routine(Translatable, Protocol):
    """What the lookups read of a routine."""

    @property
    def name(self) -> str: ...
    @property
    def purpose(self) -> str: ...
    @property
    def notes(self) -> str: ...


def drill_name(drill: Drill) -> str:
    """The drill's title."""
    return text_of("drills", drill, "name", drill.name)


def drill_purpose(drill: Drill) -> str:
    """The one line saying what the drill is for."""
    return text_of("drills", drill, "purpose", drill.purpose)


def drill_safety(drill: Drill) -> str:
    """The drill's safety note."""
    return text_of("drills", drill, "safety", drill.safety)


def routine_name(routine: Routine) -> str:
    """A routine's title (its own ``[translations.<code>]``, else the catalogue, ``routines/<file>: name``)."""
    return text_of("routines", routine, "name", routine.name)


def routine_purpose(routine: Routine) -> str:
    """When and why to do the routine."""
    return text_of("routines", routine, "purpose", routine.purpose)


def routine_notes(routine: Routine) -> str:
    """The routine's advice before it starts ("" when none)."""
    if not routine.notes:
        return ""
    return text_of("routines", routine, "notes", routine.notes)


def step_cue(drill: Drill, step: Step) -> str:
    """What to do in ``step`` (a step of ``drill``)."""
    table = own_table(drill)
    own = table.cues.get(step.cue) if table is not None else None
    return own or pgettext(data_file_context("drills", PurePath(drill.source).name, "cue"), step.cue)
