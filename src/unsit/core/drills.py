"""The drill model: ``Drill`` and ``Step``, and ``parse_drill`` to validate drill files.

A drill file is TOML (see assets/drills/SCHEMA.md); the store reads and parses the
TOML, this module only checks the resulting mapping. Every problem is reported as a
``DrillError`` naming the file, the field (e.g. ``steps[2].seconds``) and what is wrong.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1
FAMILIES: tuple[str, ...] = ("extension", "rotation", "hinge")
SIDES: tuple[str, ...] = ("left", "right", "both")
LENGTH_SCALES: dict[str, float] = {"short": 0.5, "standard": 1.0, "long": 1.5}
SWITCH_SIDES_SECONDS = 5.0
"""The pause inserted between a one-sided step and the next step on the other side."""

MAX_STEP_SECONDS = 600
MAX_REPS = 100
MAX_SECONDS_PER_REP = 60
MAX_STEPS = 40
MAX_TEXT_CHARS = 400

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_FRAME_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")
_TOP_KEYS = {"schema_version", "id", "family", "name", "purpose", "safety", "frames", "steps"}
_STEP_KEYS = {"cue", "seconds", "reps", "seconds_per_rep", "side", "frames"}


class DrillError(ValueError):
    """A drill file that cannot be used.

    Attributes:
        source: the file (or other origin) the data came from.
        field: the offending field, e.g. ``steps[1].reps``.
        problem: what is wrong with it, in plain words.
    """

    def __init__(self, source: str, field: str, problem: str):
        super().__init__(f"{source}: {field}: {problem}")
        self.source = source
        self.field = field
        self.problem = problem


def scale_for(length: str) -> float:
    """The duration factor for a ``drill_length`` setting ("short", "standard", "long").

    Raises:
        ValueError: for an unknown length.
    """
    try:
        return LENGTH_SCALES[length]
    except KeyError:
        raise ValueError(f"unknown drill length {length!r}; use one of {', '.join(LENGTH_SCALES)}") from None


def _round_half_up(value: float) -> int:
    return int(value + 0.5)


@dataclass(frozen=True)
class Step:
    """One step of a drill: a hold (``seconds``) or a set of ``reps``.

    Attributes:
        cue: what to do, shown big during the step.
        seconds: hold time, or None for a reps step.
        reps: number of repetitions, or None for a hold.
        seconds_per_rep: the pace of one repetition (reps steps only).
        side: "left", "right" or "both".
        frames: names of the drill's frames to loop through during the step.
    """

    cue: str
    seconds: float | None
    reps: int | None
    seconds_per_rep: float | None
    side: str
    frames: tuple[str, ...]

    def scaled_reps(self, scale: float = 1.0) -> int | None:
        """Number of reps at this length (at least one), or None for a hold."""
        if self.reps is None:
            return None
        return max(1, _round_half_up(self.reps * scale))

    def duration_seconds(self, scale: float = 1.0) -> float:
        """How long the step lasts at a length factor (whole seconds for holds, at least 1)."""
        reps = self.scaled_reps(scale)
        if reps is not None and self.seconds_per_rep is not None:
            return float(reps * self.seconds_per_rep)
        return float(max(1, _round_half_up((self.seconds or 0.0) * scale)))


def needs_switch(before: Step, after: Step) -> bool:
    """True when a switch-sides pause goes between two consecutive steps."""
    return {before.side, after.side} == {"left", "right"}


@dataclass(frozen=True)
class Drill:
    """A drill as read from its file.

    Attributes:
        id: stable identifier (file name without .toml by convention).
        family: "extension", "rotation" or "hinge".
        name: title shown to the user.
        purpose: one line saying what the drill is for.
        safety: the safety note shown with the drill.
        frames: frame name -> SVG path (relative in the file; the library makes it absolute).
        steps: the steps in order.
        source: where the drill came from (file path), for messages.
    """

    id: str
    family: str
    name: str
    purpose: str
    safety: str
    frames: dict[str, str] = field(hash=False)
    steps: tuple[Step, ...]
    source: str

    def total_seconds(self, scale: float = 1.0) -> float:
        """All steps plus the switch-sides pauses (the 3-s get-ready is not counted)."""
        total = sum(s.duration_seconds(scale) for s in self.steps)
        switches = sum(1 for a, b in zip(self.steps, self.steps[1:], strict=False) if needs_switch(a, b))
        return total + switches * SWITCH_SIDES_SECONDS

    @property
    def one_sided(self) -> bool:
        """True when the drill works one leg at a time."""
        return any(s.side != "both" for s in self.steps)


def _text(data: Mapping[str, Any], key: str, where: str, source: str) -> str:
    value = data.get(key)
    if value is None:
        raise DrillError(source, where, "is missing")
    if not isinstance(value, str) or not value.strip():
        raise DrillError(source, where, "must be non-empty text")
    if len(value) > MAX_TEXT_CHARS:
        raise DrillError(source, where, f"is longer than {MAX_TEXT_CHARS} characters")
    return " ".join(value.split())


def _number(value: Any, where: str, source: str, minimum: float, maximum: float) -> float:
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not is_number or (isinstance(value, float) and math.isnan(value)):
        raise DrillError(source, where, f"must be a number of seconds, got {value!r}")
    if not (minimum < value <= maximum):
        raise DrillError(source, where, f"must be more than {minimum:g} and at most {maximum:g}, got {value!r}")
    return float(value)


def _unknown_keys(data: Mapping[str, Any], allowed: set[str], where: str, source: str) -> None:
    extra = sorted(str(k) for k in data if k not in allowed)
    if extra:
        prefix = f"{where}." if where else ""
        raise DrillError(source, prefix + extra[0], "is not a known field (a typo?)")


def _parse_frames(data: Mapping[str, Any], source: str) -> dict[str, str]:
    frames = data.get("frames")
    if frames is None:
        raise DrillError(source, "frames", "is missing")
    if not isinstance(frames, Mapping) or not frames:
        raise DrillError(source, "frames", "must be a table of frame name = \"file.svg\"")
    out: dict[str, str] = {}
    for name, path in frames.items():
        where = f"frames.{name}"
        if not isinstance(name, str) or not _FRAME_NAME_RE.match(name):
            raise DrillError(source, where, "frame names use letters, digits, - and _")
        if not isinstance(path, str) or not path.lower().endswith(".svg"):
            raise DrillError(source, where, "must be the path of an .svg file")
        if path.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", path):
            raise DrillError(source, where, "must be a relative path")
        out[name] = path
    return out


def _parse_step(raw: Any, index: int, frame_names: set[str], source: str) -> Step:
    where = f"steps[{index + 1}]"  # counted from 1, like a person reading the file
    if not isinstance(raw, Mapping):
        raise DrillError(source, where, "must be a table")
    _unknown_keys(raw, _STEP_KEYS, where, source)
    cue = _text(raw, "cue", f"{where}.cue", source)
    side = raw.get("side", "both")
    if side not in SIDES:
        raise DrillError(source, f"{where}.side", f"must be one of {', '.join(SIDES)}, got {side!r}")
    has_seconds, has_reps = "seconds" in raw, "reps" in raw
    if has_seconds == has_reps:
        raise DrillError(source, where, "needs exactly one of seconds or reps")
    seconds = reps = per_rep = None
    if has_seconds:
        if "seconds_per_rep" in raw:
            raise DrillError(source, f"{where}.seconds_per_rep", "only goes with reps")
        seconds = _number(raw["seconds"], f"{where}.seconds", source, 0, MAX_STEP_SECONDS)
    else:
        value = raw["reps"]
        if isinstance(value, bool) or not isinstance(value, int) or not (1 <= value <= MAX_REPS):
            raise DrillError(source, f"{where}.reps", f"must be a whole number from 1 to {MAX_REPS}, got {value!r}")
        reps = value
        if "seconds_per_rep" not in raw:
            raise DrillError(source, f"{where}.seconds_per_rep", "is missing (needed with reps)")
        per_rep = _number(raw["seconds_per_rep"], f"{where}.seconds_per_rep", source, 0, MAX_SECONDS_PER_REP)
        if reps * per_rep > MAX_STEP_SECONDS:
            raise DrillError(source, where, f"reps x seconds_per_rep is over {MAX_STEP_SECONDS} seconds")
    frames = raw.get("frames")
    if frames is None:
        raise DrillError(source, f"{where}.frames", "is missing")
    if not isinstance(frames, (list, tuple)) or not frames:
        raise DrillError(source, f"{where}.frames", "must be a non-empty list of frame names")
    for name in frames:
        if not isinstance(name, str) or name not in frame_names:
            known = ", ".join(sorted(frame_names))
            raise DrillError(source, f"{where}.frames", f"{name!r} is not one of the drill's frames ({known})")
    return Step(cue=cue, seconds=seconds, reps=reps, seconds_per_rep=per_rep, side=side, frames=tuple(frames))


def parse_drill(data: Mapping[str, Any], source: str) -> Drill:
    """Check parsed TOML data and build a ``Drill``.

    Args:
        data: the mapping read from a drill file.
        source: the file name, used in error messages and kept on the drill.

    Raises:
        DrillError: naming the file, the field and the problem.
    """
    if not isinstance(data, Mapping):
        raise DrillError(source, "(file)", "must be a TOML table")
    version = data.get("schema_version")
    if version is None:
        raise DrillError(source, "schema_version", "is missing (use schema_version = 1)")
    if isinstance(version, bool) or not isinstance(version, int) or version != SCHEMA_VERSION:
        raise DrillError(source, "schema_version", f"must be {SCHEMA_VERSION}, got {version!r}")
    _unknown_keys(data, _TOP_KEYS, "", source)
    drill_id = data.get("id")
    if not isinstance(drill_id, str) or not _ID_RE.match(drill_id):
        raise DrillError(source, "id", f"must be lower-case letters, digits and -, got {drill_id!r}")
    family = data.get("family")
    if family not in FAMILIES:
        raise DrillError(source, "family", f"must be one of {', '.join(FAMILIES)}, got {family!r}")
    name = _text(data, "name", "name", source)
    purpose = _text(data, "purpose", "purpose", source)
    safety = _text(data, "safety", "safety", source)
    frames = _parse_frames(data, source)
    raw_steps = data.get("steps")
    if raw_steps is None:
        raise DrillError(source, "steps", "is missing")
    if not isinstance(raw_steps, (list, tuple)) or not raw_steps:
        raise DrillError(source, "steps", "must be a non-empty array of tables ([[steps]])")
    if len(raw_steps) > MAX_STEPS:
        raise DrillError(source, "steps", f"has more than {MAX_STEPS} steps")
    steps = tuple(_parse_step(raw, i, set(frames), source) for i, raw in enumerate(raw_steps))
    return Drill(
        id=drill_id, family=family, name=name, purpose=purpose, safety=safety,
        frames=frames, steps=steps, source=source,
    )
