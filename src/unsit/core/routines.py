"""The routine model: ``Routine`` and ``RoutineStep``, and ``parse_routine`` to check routine files.

A routine is an ordered list of drills, each with the length it should take (see
assets/routines/SCHEMA.md). A step's length is met by stretching or shrinking the drill's
own steps by one factor, the same way the drill-length setting does (holds rounded to
whole seconds, reps to whole reps at their own pace; the 5-s switch-sides pauses stay
5 s). The factor may go from 0.5 to 1.5, the range every drill file is checked for, so a
fitted drill is always one a person can do. Rounding can leave a drill a few seconds off
the length asked for; the real total is what the window shows.

The store reads the TOML; this module only checks the mapping against the drills that
loaded. Every problem is a ``RoutineError`` naming the file, the field and what is wrong.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from unsit.core.drill_session import GET_READY_SECONDS
from unsit.core.drills import (
    LENGTH_SCALES,
    MAX_TEXT_CHARS,
    SWITCH_SIDES_SECONDS,
    Drill,
    DrillError,
    needs_switch,
)
from unsit.text.i18n import _, ngettext

SCHEMA_VERSION = 1
ROUTINE_PREFIX = "routine:"
"""A routine run is one drill session to the engine and the history, with the id ``routine:<id>``."""
MIN_SCALE = LENGTH_SCALES["short"]
MAX_SCALE = LENGTH_SCALES["long"]
MAX_STEPS = 12
MAX_ROUTINE_SECONDS = 30 * 60
"""A whole routine (get-ready moments included) lasts at most this long."""

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_TOP_KEYS = {"schema_version", "id", "name", "purpose", "notes", "steps", "translations"}
_STEP_KEYS = {"drill", "seconds"}
_TRANSLATION_KEYS = {"name", "purpose", "notes"}
_LANGUAGE_CODE_RE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")  # the drill files' rule (core/drills.py)


class RoutineError(DrillError):
    """A routine file that cannot be used: the same ``source``, ``field`` and ``problem`` as a drill file's.

    A subclass so the two file kinds share one error shape; callers still catch it by its own name.
    """


def routine_session_id(routine_id: str) -> str:
    """The id a routine run has in the engine and the history: ``routine:<id>``."""
    return ROUTINE_PREFIX + routine_id


def routine_id_of(session_id: str | None) -> str | None:
    """The routine id inside a session id, or None for a plain drill."""
    if session_id is not None and session_id.startswith(ROUTINE_PREFIX):
        return session_id[len(ROUTINE_PREFIX):]
    return None


def switch_seconds(drill: Drill) -> float:
    """The drill's switch-sides pauses together (they are never scaled)."""
    pairs = zip(drill.steps, drill.steps[1:], strict=False)
    return sum(SWITCH_SIDES_SECONDS for a, b in pairs if needs_switch(a, b))


def fit_scale(drill: Drill, seconds: float) -> float:
    """The factor for the drill's steps so the drill takes about ``seconds`` (clamped to 0.5..1.5).

    Steps never run shorter than their spoken line (``Step.duration_seconds``), so the
    length is not linear in the factor: the factor is found by halving the interval.
    """
    low, high = MIN_SCALE, MAX_SCALE
    if drill.total_seconds(low) >= seconds:
        return low
    if drill.total_seconds(high) <= seconds:
        return high
    for _round in range(40):
        middle = (low + high) / 2
        if drill.total_seconds(middle) < seconds:
            low = middle
        else:
            high = middle
    return high


def fit_range_seconds(drill: Drill) -> tuple[float, float]:
    """The shortest and longest length a routine may ask of ``drill``.

    The shortest is the drill shrunk to half, but with every step still long enough for
    its spoken line; asking for less would cut a cue off, so a routine file doing so is refused.
    """
    return drill.total_seconds(MIN_SCALE), drill.total_seconds(MAX_SCALE)


@dataclass(frozen=True)
class RoutineStep:
    """One drill of a routine and the factor that fits it to its length.

    Attributes:
        drill: the drill, as loaded.
        scale: the factor for the drill's steps (0.5 to 1.5; 1 = the drill as written).
        asked_seconds: the length the file asked for, or None for the drill as written.
    """

    drill: Drill
    scale: float
    asked_seconds: float | None = None

    @property
    def seconds(self) -> float:
        """How long the drill really takes at this factor (without its get-ready)."""
        return self.drill.total_seconds(self.scale)


@dataclass(frozen=True)
class RoutineTexts:
    """A user routine file's own translation of its texts into one language (``[translations.<code>]``).

    Attributes:
        name, purpose, notes: "" when the file leaves them out (the file's own text is shown).
    """

    name: str = ""
    purpose: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Routine:
    """A routine as read from its file.

    Attributes:
        id: stable identifier (file name without .toml by convention).
        name: title shown to the user.
        purpose: one line saying when and why to do it.
        notes: optional advice shown through the first drill ("" when none).
        steps: the drills in order.
        source: the file it came from, for messages.
        translations: the file's own translations by language code (``de``, ``pt_BR``).
    """

    id: str
    name: str
    purpose: str
    notes: str
    steps: tuple[RoutineStep, ...]
    source: str
    translations: Mapping[str, RoutineTexts] = field(default_factory=dict, compare=False)

    @property
    def session_id(self) -> str:
        """The id the engine and the history know a run of this routine by."""
        return routine_session_id(self.id)

    def total_seconds(self) -> float:
        """Every drill at its fitted length plus the get-ready moment before each."""
        return sum(step.seconds + GET_READY_SECONDS for step in self.steps)

    @property
    def families(self) -> frozenset[str]:
        """The drill families the routine works on."""
        return frozenset(step.drill.family for step in self.steps)


def _text(data: Mapping[str, Any], key: str, source: str, *, required: bool = True, where: str = "") -> str:
    where = where or key
    value = data.get(key)
    if value is None and not required:
        return ""
    if value is None:
        raise RoutineError(source, where, _("is missing"))
    if not isinstance(value, str) or not value.strip():
        raise RoutineError(source, where, _("must be non-empty text, got {value}").format(value=repr(value)))
    if len(value) > MAX_TEXT_CHARS:
        raise RoutineError(source, where, _("is longer than {limit} characters").format(limit=MAX_TEXT_CHARS))
    return " ".join(value.split())


def _unknown_keys(data: Mapping[str, Any], allowed: set[str], where: str, source: str) -> None:
    extra = sorted(str(k) for k in data if k not in allowed)
    if extra:
        prefix = f"{where}." if where else ""
        raise RoutineError(source, prefix + extra[0], _("is not a known field (a typo?); use {fields}").format(
            fields=", ".join(sorted(allowed))))


def _drill_hint(drills: Mapping[str, Drill]) -> str:
    names = sorted(drills)
    return ", ".join(names[:14]) + (", ..." if len(names) > 14 else "")


def _parse_step(raw: Any, index: int, drills: Mapping[str, Drill], source: str) -> RoutineStep:
    where = f"steps[{index + 1}]"  # counted from 1, like a person reading the file
    if not isinstance(raw, Mapping):
        raise RoutineError(source, where, _("must be a table ([[steps]] with drill = \"...\")"))
    _unknown_keys(raw, _STEP_KEYS, where, source)
    drill_id = raw.get("drill")
    if drill_id is None:
        raise RoutineError(source, f"{where}.drill", _("is missing (the id of a drill)"))
    if not isinstance(drill_id, str) or drill_id not in drills:
        raise RoutineError(source, f"{where}.drill", _("{drill} is not a known drill; use one of {drills}").format(
            drill=repr(drill_id), drills=_drill_hint(drills)))
    drill = drills[drill_id]
    if "seconds" not in raw:
        return RoutineStep(drill, 1.0)
    seconds = raw["seconds"]
    shortest, longest = fit_range_seconds(drill)
    is_number = isinstance(seconds, (int, float)) and not isinstance(seconds, bool)
    if not is_number or (isinstance(seconds, float) and not math.isfinite(seconds)):
        raise RoutineError(source, f"{where}.seconds", _("must be a number of seconds, got {value}").format(
            value=repr(seconds)))
    low, high = math.ceil(shortest), math.floor(longest)
    if not low <= seconds <= high:
        raise RoutineError(source, f"{where}.seconds",
                           _("{drill} can be fitted to {low} to {high} seconds "
                             "(its steps shrunk to half or stretched by half), got {value}").format(
                               drill=repr(drill_id), low=low, high=high, value=repr(seconds)))
    return RoutineStep(drill, fit_scale(drill, float(seconds)), float(seconds))


def _parse_translations(raw: Any, source: str) -> dict[str, RoutineTexts]:
    """``[translations.<code>]`` tables: name, purpose and notes, checked like the file's own texts."""
    if not isinstance(raw, Mapping):
        raise RoutineError(source, "translations", _("must be a table of [translations.<language>] tables"))
    found: dict[str, RoutineTexts] = {}
    for code, table in raw.items():
        where = f"translations.{code}"
        if not isinstance(code, str) or not _LANGUAGE_CODE_RE.match(code):
            raise RoutineError(source, where, _("language codes look like de, fr or pt_BR"))
        if not isinstance(table, Mapping):
            raise RoutineError(source, where, _("must be a table with name, purpose and notes"))
        _unknown_keys(table, _TRANSLATION_KEYS, where, source)
        texts = {key: _text(table, key, source, required=False, where=f"{where}.{key}") for key in _TRANSLATION_KEYS}
        found[code] = RoutineTexts(texts["name"], texts["purpose"], texts["notes"])
    return found


def parse_routine(data: Mapping[str, Any], source: str, drills: Mapping[str, Drill]) -> Routine:
    """Check parsed TOML data against the loaded drills and build a ``Routine``.

    Args:
        data: the mapping read from a routine file.
        source: the file name, used in messages and kept on the routine.
        drills: the drills that loaded, by id (a step naming any other drill is an error).

    Raises:
        RoutineError: naming the file, the field and the problem.
    """
    if not isinstance(data, Mapping):
        raise RoutineError(source, "(file)", _("must be a TOML table"))
    version = data.get("schema_version")
    if isinstance(version, bool) or version != SCHEMA_VERSION:
        raise RoutineError(source, "schema_version", _("must be {version}, got {value}").format(
            version=SCHEMA_VERSION, value=repr(version)))
    _unknown_keys(data, _TOP_KEYS, "", source)
    routine_id = data.get("id")
    if not isinstance(routine_id, str) or not _ID_RE.match(routine_id):
        raise RoutineError(source, "id", _("must be lower-case letters, digits and -, got {value}").format(
            value=repr(routine_id)))
    name = _text(data, "name", source)
    purpose = _text(data, "purpose", source)
    notes = _text(data, "notes", source, required=False)
    raw_steps = data.get("steps")
    if raw_steps is None:
        raise RoutineError(source, "steps", _("is missing ([[steps]] tables, one per drill)"))
    if not isinstance(raw_steps, (list, tuple)) or not raw_steps:
        raise RoutineError(source, "steps", _("must be a non-empty array of tables ([[steps]])"))
    if len(raw_steps) > MAX_STEPS:
        raise RoutineError(source, "steps", ngettext("has {count} drill; a routine has 1 to {limit}",
                                                     "has {count} drills; a routine has 1 to {limit}",
                                                     len(raw_steps)).format(count=len(raw_steps), limit=MAX_STEPS))
    steps = tuple(_parse_step(raw, i, drills, source) for i, raw in enumerate(raw_steps))
    translations = _parse_translations(data.get("translations", {}), source)
    routine = Routine(routine_id, name, purpose, notes, steps, source, translations)
    total = routine.total_seconds()
    if total > MAX_ROUTINE_SECONDS:
        raise RoutineError(source, "steps", _("take {seconds} s together; a routine takes at most {limit} s").format(
            seconds=f"{total:.0f}", limit=MAX_ROUTINE_SECONDS))
    return routine
