"""What the core tells the UI: phases, end reasons and the events every Engine call returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
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
    STANDING = "standing"  # the user said they stand (a sit-stand desk): the streak waits


class QuietReason(Enum):
    """Why now is a bad moment for a nudge (an input of the core, see ``Observation.quiet``)."""

    NOTIFICATIONS_PAUSED = "notifications paused"
    FULL_SCREEN = "full screen"
    BUSY = "busy"  # Windows: presentation mode, a full-screen Direct3D program
    CALL = "call"  # an application records the microphone (platform/capture), setting hold_during_calls


class WallMoment(Enum):
    """A wall-clock moment the shell's scheduler reports; ``Engine.wall_moment`` decides what it means."""

    PAUSE_END = "pause_end"
    WORK_HOURS_EDGE = "work_hours_edge"
    DAY_START = "day_start"
    CLOCK_CHANGED = "clock_changed"  # the wall clock was set or the machine woke: re-read it


class EndReason(Enum):
    """Why a sitting streak ended."""

    AWAY = "away"
    LOCKED = "locked"
    ASLEEP = "asleep"
    DRILL = "drill"
    STOOD = "stood"  # standing for the away reset counts as the break


@dataclass(frozen=True)
class NudgeDue:
    """Time to stand up: show a nudge.

    Attributes:
        streak_seconds: the sitting streak when the nudge was delivered.
        repeat: how many nudges in a row were ignored before this one (0 = fresh nudge).
        after_call_seconds: set when this nudge was held through a call that just ended:
            how long that call lasted (the nudge's text says so).
    """

    streak_seconds: float
    repeat: int
    after_call_seconds: float | None = None


class WithdrawReason(str, Enum):
    """Why a nudge on screen was taken back (a ``str`` Enum: equal to its value)."""

    AWAY = "away"
    LOCKED = "locked"
    ASLEEP = "asleep"
    SNOOZED = "snoozed"
    SKIPPED = "skipped"
    DRILL = "drill"
    PAUSED = "paused"
    OUTSIDE_WORK_HOURS = "outside_work_hours"
    DAY_ENDED = "day_ended"
    ANSWERED = "answered"
    SETTINGS_CHANGED = "settings_changed"  # a held nudge is no longer due under the new interval
    STOOD = "stood"  # the user stood up (or, for the standing reminder, sat down)

    @classmethod
    def streak_ended(cls, reason: EndReason) -> WithdrawReason:
        """The withdraw reason for a streak that ended for ``reason``."""
        return cls(reason.value)


@dataclass(frozen=True)
class NudgeHeld:
    """A nudge came due while the user must not be disturbed; it waits, unseen.

    It is shown (as ``NudgeDue``) when the quiet time ends, if it is still due and the user
    is present; it is dropped if the streak ends first. It never counts as ignored.

    Attributes:
        streak_seconds: the sitting streak when the nudge came due.
        reasons: why it is held.
    """

    streak_seconds: float
    reasons: frozenset[QuietReason]


@dataclass(frozen=True)
class NudgeDropped:
    """A held nudge was never shown: the streak ended (or a pause, drill or work hours took over)."""

    reason: WithdrawReason


@dataclass(frozen=True)
class NudgeWithdrawn:
    """The nudge on screen no longer applies; close it."""

    reason: WithdrawReason


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
    """A drill window opened on drill ``drill_id``."""

    drill_id: str


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


@dataclass(frozen=True)
class CallEnded:
    """A call (the microphone recorded by some application) ended; it lasted ``call_seconds`` of awake time."""

    call_seconds: float


@dataclass(frozen=True)
class CallNoLongerCounted:
    """The running call went over a limit (``core/calls.py``) and no longer counts as sitting or quiet.

    Sent once per call: an always-on microphone (a noise filter, a tab that keeps it open)
    would otherwise keep an absent person "sitting" and hold every nudge all day.

    Attributes:
        call_seconds: how long the microphone had been in use.
        without_input: True when the limit was time without keyboard or mouse input;
            False when it was the longest call.
    """

    call_seconds: float
    without_input: bool


@dataclass(frozen=True)
class DayStarted:
    """Unsit's day turned (at 04:00 local time); ``day`` is the new day's date."""

    day: date


@dataclass(frozen=True)
class ReminderDue:
    """A reminder of kind ``kind`` (a ``core.reminders`` key) is to be shown now.

    The hourly nudge keeps its own ``NudgeDue`` (history, the tray and the tests follow it);
    every other kind comes as ``ReminderDue``.

    Attributes:
        kind: the reminder kind's key.
        held_reasons: why it was held before being shown (empty: it was not held).
        held_seconds: how long it was held.
        seconds: the length its text speaks of ("standing for 60 min"); None: the sitting streak.
    """

    kind: str
    held_reasons: frozenset[QuietReason] = frozenset()
    held_seconds: float = 0.0
    seconds: float | None = None


@dataclass(frozen=True)
class ReminderHeld:
    """A reminder of kind ``kind`` came due while quiet; it waits unseen."""

    kind: str
    reasons: frozenset[QuietReason]


@dataclass(frozen=True)
class ReminderWithdrawn:
    """The reminder of kind ``kind`` on screen (or held) no longer applies; close only that one."""

    kind: str
    reason: WithdrawReason


@dataclass(frozen=True)
class ReminderAnswered:
    """The user answered a reminder; ``effect`` (a ``core.reminders.Effect`` value) says what follows.

    Attributes:
        kind: the reminder kind's key.
        action: the action key picked.
        effect: the action's effect value (the shell acts on "start_drill" and "start_routine").
        routine_id: the routine to start for "start_routine".
    """

    kind: str
    action: str
    effect: str
    routine_id: str | None = None


@dataclass(frozen=True)
class PostureChanged:
    """The user stood up or sat down (a sit-stand desk).

    Attributes:
        standing: the posture now.
        stood_seconds: when sitting down, how long the standing period lasted (0 when standing up).
        automatic: the engine sat the user down itself: they came back from an absence of at
            least the away reset (left the desk, locked, or the machine slept) while standing.
        stopped: the app is stopping while the user stands (the period is counted up to now).
    """

    standing: bool
    stood_seconds: float = 0.0
    automatic: bool = False
    stopped: bool = False


Event: TypeAlias = (
    NudgeDue | NudgeHeld | NudgeDropped | NudgeWithdrawn | StreakEnded | PhaseChanged | Snoozed | Skipped
    | DrillStarted | DrillFinished | DrillSkipped | Paused | Resumed | DayStarted | CallEnded
    | CallNoLongerCounted | ReminderDue | ReminderHeld | ReminderWithdrawn | ReminderAnswered | PostureChanged
)
