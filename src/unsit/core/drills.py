"""The drill model: ``Drill`` and ``Step``, and ``parse_drill`` to validate drill files.

A drill file is TOML (see assets/drills/SCHEMA.md); the store reads and parses the
TOML, this module only checks the resulting mapping. Every problem is reported as a
``DrillError`` naming the file, the field (e.g. ``steps[2].seconds``) and what is wrong.
Steps name keyframe poses (from ``core.pose_library`` or the file's own ``[poses]``);
every pose is checked against human joint ranges, and every time against what a
person can do (at least a second per movement, at most ten minutes a drill).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from unsit.core.families import FAMILIES
from unsit.core.motion import Motion
from unsit.core.pose import (
    JOINT_NAMES,
    Hands,
    Pose,
    Prop,
    View,
    desk_x_for,
    planted_foot,
    pose_from,
    range_problems,
)
from unsit.core.pose_library import LIBRARY
from unsit.core.speech_time import hold_seconds_for, reps_for, speech_seconds
from unsit.text.i18n import _

SCHEMA_VERSION = 2
SIDES: tuple[str, ...] = ("left", "right", "both")
LENGTH_SCALES: dict[str, float] = {"short": 0.5, "standard": 1.0, "long": 1.5}
SWITCH_SIDES_SECONDS = 5.0
"""The pause inserted between a one-sided step and the next step on the other side."""

MIN_PHASE_SECONDS = 1.0
"""No movement of a rep, and no move between hold keyframes, is quicker than this."""
MAX_PHASE_SECONDS = 30.0
MIN_HOLD_SECONDS = 2.0
MAX_STEP_SECONDS = 300
MAX_REPS = 60
MAX_KEYFRAMES = 8
MAX_DRILL_SECONDS = 600
"""A drill at the long length takes at most this long."""
MIN_DRILL_SECONDS = 20
"""... and at the short length at least this long."""
MAX_STEPS = 40
MAX_POSES = 32
MAX_TEXT_CHARS = 400
DEFAULT_MOVE_SECONDS = 2.0

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_TOP_KEYS = {"schema_version", "id", "family", "name", "purpose", "safety", "poses", "steps", "translations"}
_TRANSLATION_KEYS = {"name", "purpose", "safety", "cues"}
_LANGUAGE_CODE_RE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")
_STEP_KEYS = {"cue", "side", "hands", "props", "poses", "seconds", "move_seconds", "reps", "phase_seconds", "view"}


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
        seconds_per_rep: the length of one repetition (reps steps only).
        side: "left", "right" or "both".
        pose_names: the keyframe poses, by name.
        motion: the keyframe poses and how the step moves between them.
        hands: where the hands are.
        props: the furniture the step uses.
        desk_x_cm: where the desk (or, further on, the wall) stands during the step.
        view: the angle the figure is seen from (a front view shows a hip turning).
        planted: the foot that stays on the floor all through the step ("support", "work" or "").
        spoken_seconds: how long the step's spoken line takes (``core.speech_time``); the
            step never runs shorter than that, at any length (the first step's line
            carries the drill's safety note too).
    """

    cue: str
    seconds: float | None
    reps: int | None
    seconds_per_rep: float | None
    side: str
    pose_names: tuple[str, ...]
    motion: Motion
    hands: Hands = Hands.FREE
    props: tuple[Prop, ...] = ()
    desk_x_cm: float = 0.0
    view: View = View.THREE_QUARTER
    spoken_seconds: float = 0.0
    planted: str = ""

    def scaled_reps(self, scale: float = 1.0) -> int | None:
        """Number of reps at this length (at least one, and enough to say the cue), or None for a hold."""
        if self.reps is None:
            return None
        needed = reps_for(self.spoken_seconds, self.seconds_per_rep or 1.0)
        return max(1, needed, _round_half_up(self.reps * scale))

    def duration_seconds(self, scale: float = 1.0) -> float:
        """How long the step lasts at a length factor (whole seconds for holds, long enough for its cue)."""
        reps = self.scaled_reps(scale)
        if reps is not None and self.seconds_per_rep is not None:
            return float(reps * self.seconds_per_rep)
        return float(max(hold_seconds_for(self.spoken_seconds), _round_half_up((self.seconds or 0.0) * scale)))

    def fits_its_words(self, scale: float = 1.0) -> bool:
        """True when the step, at ``scale`` and without the spoken-line floor, is long enough for its line."""
        if self.reps is not None and self.seconds_per_rep is not None:
            reps = max(1, _round_half_up(self.reps * scale))
            return reps >= reps_for(self.spoken_seconds, self.seconds_per_rep)
        return _round_half_up((self.seconds or 0.0) * scale) >= hold_seconds_for(self.spoken_seconds)


def spoken_line(cue: str, safety: str, *, first: bool) -> str:
    """What is said when a step starts: its cue, and for a drill's first step the safety note after it."""
    return f"{cue} {safety}" if first and safety else cue


def needs_switch(before: Step, after: Step) -> bool:
    """True when a switch-sides pause goes between two consecutive steps."""
    return {before.side, after.side} == {"left", "right"}


@dataclass(frozen=True)
class DrillTexts:
    """A user drill file's own translation of its texts into one language (``[translations.<code>]``).

    Attributes:
        name, purpose, safety: "" when the file leaves them out (the file's own text is shown).
        cues: each step's cue in the file's language -> its translation.
    """

    name: str = ""
    purpose: str = ""
    safety: str = ""
    cues: Mapping[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Drill:
    """A drill as read from its file.

    Attributes:
        id: stable identifier (file name without .toml by convention).
        family: one of ``FAMILIES``.
        name: title shown to the user.
        purpose: one line saying what the drill is for.
        safety: the safety note shown with the drill.
        steps: the steps in order.
        source: where the drill came from (file path), for messages.
        translations: the file's own translations by language code (``de``, ``pt_BR``).
    """

    id: str
    family: str
    name: str
    purpose: str
    safety: str
    steps: tuple[Step, ...]
    source: str
    translations: Mapping[str, DrillTexts] = field(default_factory=dict, compare=False)

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
        raise DrillError(source, where, _("is missing"))
    if not isinstance(value, str) or not value.strip():
        raise DrillError(source, where, _("must be non-empty text"))
    if len(value) > MAX_TEXT_CHARS:
        raise DrillError(source, where, _("is longer than {limit} characters").format(limit=MAX_TEXT_CHARS))
    return " ".join(value.split())


def _number(value: Any, where: str, source: str, minimum: float, maximum: float) -> float:
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not is_number or (isinstance(value, float) and math.isnan(value)):
        raise DrillError(source, where, _("must be a number of seconds, got {value}").format(value=repr(value)))
    if not (minimum <= value <= maximum):
        raise DrillError(source, where, _("must be from {minimum} to {maximum} seconds, got {value}").format(
            minimum=f"{minimum:g}", maximum=f"{maximum:g}", value=repr(value)))
    return float(value)


def _unknown_keys(data: Mapping[str, Any], allowed: set[str], where: str, source: str) -> None:
    extra = sorted(str(k) for k in data if k not in allowed)
    if extra:
        prefix = f"{where}." if where else ""
        raise DrillError(source, prefix + extra[0], _("is not a known field (a typo?)"))


def _parse_poses(data: Mapping[str, Any], drill_id: str, source: str) -> dict[str, Pose]:
    """The library poses plus the file's own ``[poses.<name>]`` (each ``from`` a known pose)."""
    known: dict[str, Pose] = dict(LIBRARY)
    raw = data.get("poses", {})
    if not isinstance(raw, Mapping):
        raise DrillError(source, "poses", _("must be a table of [poses.<name>] tables"))
    if len(raw) > MAX_POSES:
        raise DrillError(source, "poses", _("has more than {limit} poses").format(limit=MAX_POSES))
    for name, table in raw.items():
        where = f"poses.{name}"
        if not isinstance(name, str) or not _ID_RE.match(name):
            raise DrillError(source, where, _("pose names use lower-case letters, digits and -"))
        if not isinstance(table, Mapping):
            raise DrillError(source, where, _("must be a table of joint = degrees"))
        base_name = table.get("from", "stand")
        if base_name not in known:
            raise DrillError(source, f"{where}.from", _("{pose} is not a known pose ({known})").format(
                pose=repr(base_name), known=_pose_hint(known)))
        angles: dict[str, float] = {}
        for joint, value in table.items():
            if joint == "from":
                continue
            if joint not in JOINT_NAMES:
                raise DrillError(source, f"{where}.{joint}", _("is not a joint; use {joints}").format(
                    joints=", ".join(JOINT_NAMES)))
            is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
            if not is_number or (isinstance(value, float) and math.isnan(value)):
                raise DrillError(source, f"{where}.{joint}", _("must be a number of degrees, got {value}").format(
                    value=repr(value)))
            angles[joint] = float(value)
        pose = pose_from(known[base_name], angles)
        problems = range_problems(pose)
        if problems:
            first = problems[0]
            raise DrillError(source, f"{where}.{first.joint}",
                             _("drill {drill}, pose {pose}: {problem} (an impossible pose)").format(
                                 drill=repr(drill_id), pose=repr(name), problem=first))
        known[name] = pose
    return known


def _pose_hint(known: Mapping[str, Pose]) -> str:
    names = sorted(known)
    return ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")


def _choice(raw: Mapping[str, Any], key: str, where: str, source: str, allowed: tuple[str, ...], default: str) -> str:
    value = raw.get(key, default)
    if value not in allowed:
        raise DrillError(source, f"{where}.{key}", _("must be one of {allowed}, got {value}").format(
            allowed=", ".join(allowed), value=repr(value)))
    return str(value)


def _parse_props(raw: Mapping[str, Any], where: str, source: str) -> tuple[Prop, ...]:
    value = raw.get("props", [])
    allowed = tuple(p.value for p in Prop)
    if not isinstance(value, (list, tuple)) or any(v not in allowed for v in value):
        raise DrillError(source, f"{where}.props", _("must be a list of {allowed}, got {value}").format(
            allowed=", ".join(allowed), value=repr(value)))
    return tuple(Prop(v) for v in dict.fromkeys(value))


def _parse_keyframes(raw: Mapping[str, Any], where: str, poses: Mapping[str, Pose], source: str) -> tuple[str, ...]:
    names = raw.get("poses")
    if names is None:
        raise DrillError(source, f"{where}.poses", _("is missing (the keyframe poses, e.g. {example})").format(
            example='["stand"]'))
    if not isinstance(names, (list, tuple)) or not names or len(names) > MAX_KEYFRAMES:
        raise DrillError(source, f"{where}.poses", _("must be a list of 1 to {limit} pose names").format(
            limit=MAX_KEYFRAMES))
    for name in names:
        if not isinstance(name, str) or name not in poses:
            raise DrillError(source, f"{where}.poses", _("{pose} is not a known pose ({known})").format(
                pose=repr(name), known=_pose_hint(poses)))
    return tuple(names)


def _parse_step(raw: Any, index: int, poses: Mapping[str, Pose], source: str) -> Step:
    where = f"steps[{index + 1}]"  # counted from 1, like a person reading the file
    if not isinstance(raw, Mapping):
        raise DrillError(source, where, _("must be a table"))
    _unknown_keys(raw, _STEP_KEYS, where, source)
    cue = _text(raw, "cue", f"{where}.cue", source)
    side = _choice(raw, "side", where, source, SIDES, "both")
    hands = Hands(_choice(raw, "hands", where, source, tuple(h.value for h in Hands), Hands.FREE.value))
    props = _parse_props(raw, where, source)
    view = View(_choice(raw, "view", where, source, tuple(v.value for v in View), View.THREE_QUARTER.value))
    names = _parse_keyframes(raw, where, poses, source)
    keyframes = tuple(poses[n] for n in names)
    has_seconds, has_reps = "seconds" in raw, "reps" in raw
    if has_seconds == has_reps:
        raise DrillError(source, where, _("needs exactly one of seconds (a hold) or reps"))
    if has_seconds:
        if "phase_seconds" in raw:
            raise DrillError(source, f"{where}.phase_seconds", _("only goes with reps"))
        seconds = _number(raw["seconds"], f"{where}.seconds", source, MIN_HOLD_SECONDS, MAX_STEP_SECONDS)
        move = _number(raw.get("move_seconds", DEFAULT_MOVE_SECONDS), f"{where}.move_seconds", source,
                       MIN_PHASE_SECONDS, MAX_PHASE_SECONDS)
        if (len(names) - 1) * move > seconds * LENGTH_SCALES["short"]:
            raise DrillError(source, f"{where}.move_seconds",
                             _("the moves between the poses take more than half the hold"))
        return Step(cue, seconds, None, None, side, names, Motion(keyframes, (), move), hands, props,
                    desk_x_for(keyframes, hands), view, speech_seconds(cue), planted_foot(keyframes))
    if "move_seconds" in raw:
        raise DrillError(source, f"{where}.move_seconds", _("only goes with seconds (use phase_seconds with reps)"))
    reps = raw["reps"]
    if isinstance(reps, bool) or not isinstance(reps, int) or not (1 <= reps <= MAX_REPS):
        raise DrillError(source, f"{where}.reps", _("must be a whole number from 1 to {limit}, got {value}").format(
            limit=MAX_REPS, value=repr(reps)))
    if len(names) < 2:
        raise DrillError(source, f"{where}.poses", _("reps need at least two poses to move between"))
    phases = raw.get("phase_seconds")
    if not isinstance(phases, (list, tuple)) or len(phases) != len(names):
        raise DrillError(source, f"{where}.phase_seconds",
                         _("must list {count} times in seconds: one per move, the last back to the first pose").format(
                             count=len(names)))
    phase_seconds = tuple(
        _number(v, f"{where}.phase_seconds[{i + 1}]", source, MIN_PHASE_SECONDS, MAX_PHASE_SECONDS)
        for i, v in enumerate(phases)
    )
    motion = Motion(keyframes, phase_seconds)
    if reps * motion.seconds_per_rep > MAX_STEP_SECONDS:
        raise DrillError(source, where, _("reps take over {limit} seconds").format(limit=MAX_STEP_SECONDS))
    return Step(cue, None, reps, motion.seconds_per_rep, side, names, motion, hands, props,
                desk_x_for(keyframes, hands), view, speech_seconds(cue), planted_foot(keyframes))


def _parse_translations(raw: Any, steps: tuple[Step, ...], source: str) -> dict[str, DrillTexts]:
    """``[translations.<code>]`` tables: name, purpose, safety (text) and cues (one per step, in order)."""
    if not isinstance(raw, Mapping):
        raise DrillError(source, "translations", _("must be a table of [translations.<language>] tables"))
    found: dict[str, DrillTexts] = {}
    for code, table in raw.items():
        where = f"translations.{code}"
        if not isinstance(code, str) or not _LANGUAGE_CODE_RE.match(code):
            raise DrillError(source, where, _("language codes look like de, fr or pt_BR"))
        if not isinstance(table, Mapping):
            raise DrillError(source, where, _("must be a table with name, purpose, safety and cues"))
        _unknown_keys(table, _TRANSLATION_KEYS, where, source)
        texts = {key: _text(table, key, f"{where}.{key}", source) for key in ("name", "purpose", "safety")
                 if key in table}
        cues: dict[str, str] = {}
        if "cues" in table:
            raw_cues = table["cues"]
            if not isinstance(raw_cues, (list, tuple)) or len(raw_cues) != len(steps):
                raise DrillError(source, f"{where}.cues", _("must list {count} cues, one per step in order").format(
                    count=len(steps)))
            for number, (step, _cue) in enumerate(zip(steps, raw_cues, strict=True), start=1):
                cues[step.cue] = _text({"cue": _cue}, "cue", f"{where}.cues[{number}]", source)
        found[code] = DrillTexts(texts.get("name", ""), texts.get("purpose", ""), texts.get("safety", ""), cues)
    return found


def _check_total(drill: Drill) -> None:
    longest = drill.total_seconds(LENGTH_SCALES["long"])
    if longest > MAX_DRILL_SECONDS:
        raise DrillError(drill.source, "steps",
                         _("take {seconds} s at the long length; a drill takes at most {limit} s").format(
                             seconds=f"{longest:.0f}", limit=MAX_DRILL_SECONDS))
    shortest = drill.total_seconds(LENGTH_SCALES["short"])
    if shortest < MIN_DRILL_SECONDS:
        raise DrillError(drill.source, "steps",
                         _("take {seconds} s at the short length; a drill takes at least {limit} s").format(
                             seconds=f"{shortest:.0f}", limit=MIN_DRILL_SECONDS))


def parse_drill(data: Mapping[str, Any], source: str) -> Drill:
    """Check parsed TOML data and build a ``Drill``.

    Args:
        data: the mapping read from a drill file.
        source: the file name, used in error messages and kept on the drill.

    Raises:
        DrillError: naming the file, the field and the problem.
    """
    if not isinstance(data, Mapping):
        raise DrillError(source, "(file)", _("must be a TOML table"))
    version = data.get("schema_version")
    if version is None:
        raise DrillError(source, "schema_version", _("is missing (use schema_version = {version})").format(
            version=SCHEMA_VERSION))
    if version == 1 and not isinstance(version, bool):
        raise DrillError(source, "schema_version", _("1 (drills drawn as SVG frames) is no longer read; "
                         "rewrite the drill with named poses as schema_version = 2 (see SCHEMA.md)"))
    if isinstance(version, bool) or not isinstance(version, int) or version != SCHEMA_VERSION:
        raise DrillError(source, "schema_version", _("must be {version}, got {value}").format(
            version=SCHEMA_VERSION, value=repr(version)))
    _unknown_keys(data, _TOP_KEYS, "", source)
    drill_id = data.get("id")
    if not isinstance(drill_id, str) or not _ID_RE.match(drill_id):
        raise DrillError(source, "id", _("must be lower-case letters, digits and -, got {value}").format(
            value=repr(drill_id)))
    family = data.get("family")
    if family not in FAMILIES:
        raise DrillError(source, "family", _("must be one of {allowed}, got {value}").format(
            allowed=", ".join(FAMILIES), value=repr(family)))
    name = _text(data, "name", "name", source)
    purpose = _text(data, "purpose", "purpose", source)
    safety = _text(data, "safety", "safety", source)
    poses = _parse_poses(data, drill_id, source)
    raw_steps = data.get("steps")
    if raw_steps is None:
        raise DrillError(source, "steps", _("is missing"))
    if not isinstance(raw_steps, (list, tuple)) or not raw_steps:
        raise DrillError(source, "steps", _("must be a non-empty array of tables ([[steps]])"))
    if len(raw_steps) > MAX_STEPS:
        raise DrillError(source, "steps", _("has more than {limit} steps").format(limit=MAX_STEPS))
    steps = tuple(_parse_step(raw, i, poses, source) for i, raw in enumerate(raw_steps))
    steps = (replace(steps[0], spoken_seconds=speech_seconds(spoken_line(steps[0].cue, safety, first=True))),
             *steps[1:])
    translations = _parse_translations(data.get("translations", {}), steps, source)
    drill = Drill(id=drill_id, family=family, name=name, purpose=purpose, safety=safety, steps=steps, source=source,
                  translations=translations)
    _check_total(drill)
    return drill
