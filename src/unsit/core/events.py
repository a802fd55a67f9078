"""What the core tells the UI: phases, end reasons and the events every Engine call returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import TypeAlias


class Phase(Enum):
    """Where the nudge cycle stands, as shown in the tray."""

    SITTING = "sitting"
    NUDGE_DUE = "nudge_due"
    SNOOZED = "snoozed"
    SKIPPED = "skipped"
    IN_DRILL = "in_drill"
    PAUSED = "paused"
    OUTSIDE_WORK_HOURS = "outside_work_hours"
    AWAY = "away"


class EndReason(Enum):
    """Why a sitting streak ended."""

    AWAY = "away"
    LOCKED = "locked"
    ASLEEP = "asleep"
    DRILL = "drill"


@dataclass(frozen=True)
class NudgeDue:
    """Time to stand up: show a nudge.

    Attributes:
        streak_seconds: the sitting streak when the nudge was delivered.
        repeat: how many nudges in a row were ignored before this one (0 = fresh nudge).
    """

    streak_seconds: float
    repeat: int


@dataclass(frozen=True)
class NudgeWithdrawn:
    """The nudge on screen no longer applies; close it.

    Attributes:
        reason: an ``EndReason`` value ("away", "locked", "asleep") when the streak ended,
            or "snoozed", "skipped", "drill", "paused", "outside_work_hours".
    """

    reason: str


@dataclass(frozen=True)
class StreakEnded:
    """A sitting streak ended; ``streak_seconds`` is the sitting time it reached."""

    streak_seconds: float
    reason: EndReason


@dataclass(frozen=True)
class PhaseChanged:
    """The phase changed (one event per Engine call, old -> new)."""

    old: Phase
    new: Phase


@dataclass(frozen=True)
class Snoozed:
    """The user snoozed; the next nudge comes after ``minutes`` more sitting."""

    minutes: int


@dataclass(frozen=True)
class Skipped:
    """The user skipped; no nudge until the streak has grown by another interval."""


@dataclass(frozen=True)
class DrillStarted:
    """A drill window opened."""


@dataclass(frozen=True)
class DrillFinished:
    """A drill was completed (it also ended the streak)."""

    drill_id: str
    duration_seconds: float


@dataclass(frozen=True)
class DrillSkipped:
    """A drill was closed early; recorded like a skip."""

    drill_id: str
    elapsed_seconds: float


@dataclass(frozen=True)
class Paused:
    """Nudges are paused until ``until`` (None = until resumed).

    ``for_seconds`` is set for a pause given as a length: it ends after that much real
    time (the engine keeps a boottime deadline), so ``until`` is only what the wall
    clock says now, not a moment to schedule.
    """

    until: datetime | None
    for_seconds: float | None = None


@dataclass(frozen=True)
class Resumed:
    """Nudges are back on after a pause."""


Event: TypeAlias = (
    NudgeDue | NudgeWithdrawn | StreakEnded | PhaseChanged | Snoozed | Skipped
    | DrillStarted | DrillFinished | DrillSkipped | Paused | Resumed
)
