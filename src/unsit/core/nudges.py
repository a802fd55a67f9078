"""The nudge state machine: when a nudge is due, and what snooze, skip, drills and pauses do.

It owns no timers and reads no clock. Its inputs are the streak (from ``StreakTracker``)
and the user's intents; its outputs are events. Due times are measured in *streak
seconds*, so time away, asleep or a wall-clock jump never brings a nudge closer.

The phase shown to the user is the first that applies of: IN_DRILL, PAUSED,
OUTSIDE_WORK_HOURS, AWAY (the streak ended and the user is not back), then the nudge
cycle itself: SITTING, NUDGE_DUE, SNOOZED or SKIPPED.

Two nudges in one streak are always at least ``snooze_seconds`` of streak apart, whatever
the user pressed or changed. A nudge on screen that stops applying (snooze, skip, drill,
pause, work hours closing, streak ended) is withdrawn with a ``NudgeWithdrawn`` event.
"""

from __future__ import annotations

from datetime import datetime

from unsit.core.events import (
    EndReason,
    Event,
    NudgeDue,
    NudgeWithdrawn,
    Paused,
    Phase,
    Resumed,
    Skipped,
    Snoozed,
)

CYCLE_PHASES = frozenset({Phase.SITTING, Phase.NUDGE_DUE, Phase.SNOOZED, Phase.SKIPPED})


class NudgeMachine:
    """Decides when to nudge, in streak seconds.

    Args:
        interval_seconds: streak length that brings the first nudge.
        snooze_seconds: extra streak before a snoozed or ignored nudge comes again;
            also the least streak between two nudges.
    """

    def __init__(self, interval_seconds: float, snooze_seconds: float):
        self.interval_seconds = float(interval_seconds)
        self.snooze_seconds = float(snooze_seconds)
        self._cycle = Phase.SITTING
        self._anchor_seconds = 0.0  # streak when the cycle phase was entered
        self._last_nudge_seconds: float | None = None  # in the current streak
        self._ignored = 0
        self.in_drill = False
        self.paused = False
        self.paused_until: datetime | None = None
        self.outside_work_hours = False

    @property
    def cycle(self) -> Phase:
        """SITTING, NUDGE_DUE, SNOOZED or SKIPPED, whatever overlays it."""
        return self._cycle

    @property
    def blocked(self) -> bool:
        """True when no nudge may come (drill, pause, outside work hours)."""
        return self.in_drill or self.paused or self.outside_work_hours

    def phase(self, streak_active: bool) -> Phase:
        """The phase to show, given whether a streak is running."""
        if self.in_drill:
            return Phase.IN_DRILL
        if self.paused:
            return Phase.PAUSED
        if self.outside_work_hours:
            return Phase.OUTSIDE_WORK_HOURS
        if not streak_active:
            return Phase.AWAY
        return self._cycle

    def due_at_seconds(self) -> float:
        """The streak at which the next nudge comes (if the user is present then)."""
        if self._cycle is Phase.SITTING:
            due = self.interval_seconds
        elif self._cycle is Phase.SKIPPED:
            due = self._anchor_seconds + self.interval_seconds
        else:  # NUDGE_DUE (repeat if ignored) or SNOOZED
            due = self._anchor_seconds + self.snooze_seconds
        if self._last_nudge_seconds is not None:
            due = max(due, self._last_nudge_seconds + self.snooze_seconds)
        return due

    def evaluate(self, streak_seconds: float, streak_active: bool, present: bool) -> list[Event]:
        """Deliver a nudge if one is due and nothing holds it back."""
        if not streak_active or not present or self.blocked:
            return []
        if streak_seconds < self.due_at_seconds():
            return []
        repeat = self._ignored if self._cycle is Phase.NUDGE_DUE else 0
        self._cycle = Phase.NUDGE_DUE
        self._anchor_seconds = streak_seconds
        self._last_nudge_seconds = streak_seconds
        self._ignored = repeat + 1
        return [NudgeDue(streak_seconds=streak_seconds, repeat=repeat)]

    def streak_ended(self, reason: EndReason) -> list[Event]:
        """The streak is over: close a showing nudge and start the cycle afresh."""
        events = self._withdraw(reason.value)
        self._cycle = Phase.SITTING
        self._anchor_seconds = 0.0
        self._last_nudge_seconds = None
        self._ignored = 0
        return events

    def snooze(self, streak_seconds: float, snooze_minutes: int) -> list[Event]:
        """Nudge again after ``snooze_seconds`` more streak (never sooner than planned)."""
        events = self._withdraw("snoozed")
        due_before = self.due_at_seconds()
        self._cycle = Phase.SNOOZED
        self._anchor_seconds = max(streak_seconds, due_before - self.snooze_seconds)
        return [*events, Snoozed(minutes=snooze_minutes)]

    def skip(self, streak_seconds: float, *, announce: bool = True) -> list[Event]:
        """No nudge until the streak has grown by another full interval."""
        events = self._withdraw("skipped")
        self._cycle = Phase.SKIPPED
        self._anchor_seconds = streak_seconds
        return events + ([Skipped()] if announce else [])

    def start_drill(self) -> list[Event]:
        """A drill began: no nudges until it ends."""
        events = self._withdraw("drill")
        self.in_drill = True
        return events

    def pause(self, until: datetime | None) -> list[Event]:
        """Hold nudges until resumed; the streak keeps counting."""
        events = self._withdraw("paused")
        self.paused = True
        self.paused_until = until
        return [*events, Paused(until=until)]

    def resume(self) -> list[Event]:
        """Nudges are allowed again (a nudge already due comes at the next tick)."""
        if not self.paused:
            return []
        self.paused = False
        self.paused_until = None
        return [Resumed()]

    def set_outside_work_hours(self, outside: bool) -> list[Event]:
        """Outside work hours no nudge comes."""
        events = self._withdraw("outside_work_hours") if outside else []
        self.outside_work_hours = outside
        return events

    def _withdraw(self, reason: str) -> list[Event]:
        """Close the nudge on screen, if any; its due time stays where it was."""
        if self._cycle is not Phase.NUDGE_DUE:
            return []
        self._cycle = Phase.SITTING
        self._ignored = 0
        return [NudgeWithdrawn(reason=reason)]
