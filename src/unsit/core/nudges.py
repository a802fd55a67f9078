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

A nudge that comes due while it is quiet (do-not-disturb, a full-screen window) is held:
one ``NudgeHeld`` event, no repeat counted; it is delivered as ``NudgeDue`` at the first
evaluation that is no longer quiet (if it is still due and the user present), and dropped
(``NudgeDropped``) when the streak ends or a drill, pause or closed work hours take over.
"""

from __future__ import annotations

from datetime import datetime

from unsit.core.events import (
    EndReason,
    Event,
    NudgeDropped,
    NudgeDue,
    NudgeHeld,
    NudgeWithdrawn,
    Paused,
    Phase,
    QuietReason,
    Resumed,
    Skipped,
    Snoozed,
    WithdrawReason,
)

CYCLE_PHASES = frozenset({Phase.SITTING, Phase.NUDGE_DUE, Phase.SNOOZED, Phase.SKIPPED})
PENDING_CYCLES = frozenset({Phase.NUDGE_DUE, Phase.SNOOZED})
"""Cycle phases in which a nudge waits for an answer (shown, or snoozed to come back)."""


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
        self._held: NudgeHeld | None = None  # a due nudge waiting for the quiet time to end
        self._in_drill = False
        self._paused = False
        self._paused_until: datetime | None = None
        self._outside_work_hours = False

    @property
    def in_drill(self) -> bool:
        """True while a drill runs."""
        return self._in_drill

    @property
    def paused(self) -> bool:
        """True while nudges are paused."""
        return self._paused

    @property
    def paused_until(self) -> datetime | None:
        """When the pause ends, as the wall clock says (None: until resumed, or not paused)."""
        return self._paused_until

    @property
    def outside_work_hours(self) -> bool:
        """True outside work hours."""
        return self._outside_work_hours

    @property
    def held(self) -> NudgeHeld | None:
        """The nudge held while quiet, or None."""
        return self._held

    @property
    def cycle(self) -> Phase:
        """SITTING, NUDGE_DUE, SNOOZED or SKIPPED, whatever overlays it."""
        return self._cycle

    @property
    def blocked(self) -> bool:
        """True when no nudge may come (drill, pause, outside work hours)."""
        return self._in_drill or self._paused or self._outside_work_hours

    def phase(self, streak_active: bool) -> Phase:
        """The phase to show, given whether a streak is running."""
        if self._in_drill:
            return Phase.IN_DRILL
        if self._paused:
            return Phase.PAUSED
        if self._outside_work_hours:
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

    def is_due(self, streak_seconds: float, streak_active: bool, present: bool) -> bool:
        """True when a nudge would be delivered now if it were not quiet."""
        if not streak_active or not present or self.blocked:
            return False
        return streak_seconds >= self.due_at_seconds()

    def evaluate(self, streak_seconds: float, streak_active: bool, present: bool,
                 quiet: frozenset[QuietReason] = frozenset()) -> list[Event]:
        """Deliver a due nudge, or hold it while ``quiet`` is not empty."""
        if not self.is_due(streak_seconds, streak_active, present):
            return []
        if quiet:
            if self._held is not None:
                return []
            self._held = NudgeHeld(streak_seconds=streak_seconds, reasons=frozenset(quiet))
            return [self._held]
        self._held = None
        repeat = self._ignored if self._cycle is Phase.NUDGE_DUE else 0
        self._cycle = Phase.NUDGE_DUE
        self._anchor_seconds = streak_seconds
        self._last_nudge_seconds = streak_seconds
        self._ignored = repeat + 1
        return [NudgeDue(streak_seconds=streak_seconds, repeat=repeat)]

    def recheck_held(self, streak_seconds: float, streak_active: bool, present: bool) -> list[Event]:
        """Drop the held nudge when it is no longer due (the interval or snooze was raised)."""
        if self._held is None or self.is_due(streak_seconds, streak_active, present):
            return []
        self._held = None
        return [NudgeDropped(reason=WithdrawReason.SETTINGS_CHANGED)]

    def streak_ended(self, reason: EndReason) -> list[Event]:
        """The streak is over: close a showing nudge and start the cycle afresh."""
        events = self._withdraw(WithdrawReason.streak_ended(reason))
        self._cycle = Phase.SITTING
        self._anchor_seconds = 0.0
        self._last_nudge_seconds = None
        self._ignored = 0
        return events

    @property
    def waiting(self) -> bool:
        """True while a nudge waits for an answer: on screen, snoozed to come back, or held."""
        return self._held is not None or self._cycle in PENDING_CYCLES

    def snooze(self, streak_seconds: float, snooze_minutes: int) -> list[Event]:
        """Nudge again after ``snooze_seconds`` more streak (never sooner than planned).

        With no nudge waiting there is nothing to snooze: nothing changes.
        """
        if not self.waiting:
            return []
        events = self._withdraw(WithdrawReason.SNOOZED)
        due_before = self.due_at_seconds()
        self._cycle = Phase.SNOOZED
        self._anchor_seconds = max(streak_seconds, due_before - self.snooze_seconds)
        return [*events, Snoozed(minutes=snooze_minutes)]

    def skip(self, streak_seconds: float, *, announce: bool = True) -> list[Event]:
        """No nudge until the streak has grown by another full interval.

        The spacing rule still holds: the next nudge never comes sooner than ``snooze_seconds``
        of streak after the last one, so with an interval shorter than the snooze time a skip
        waits for the snooze time (the README says so).
        """
        events = self._withdraw(WithdrawReason.SKIPPED)
        self._cycle = Phase.SKIPPED
        self._anchor_seconds = streak_seconds
        return events + ([Skipped()] if announce else [])

    def start_drill(self) -> list[Event]:
        """A drill began: no nudges until it ends."""
        events = self._withdraw(WithdrawReason.DRILL)
        self._in_drill = True
        return events

    def end_drill(self) -> None:
        """The drill window closed (finished or early): nudges may come again."""
        self._in_drill = False

    def pause(self, until: datetime | None) -> list[Event]:
        """Hold nudges until resumed; the streak keeps counting."""
        events = self._withdraw(WithdrawReason.PAUSED)
        self._paused = True
        self._paused_until = until
        return [*events, Paused(until=until)]

    def resume(self) -> list[Event]:
        """Nudges are allowed again (a nudge already due comes at the next tick)."""
        if not self._paused:
            return []
        self._paused = False
        self._paused_until = None
        return [Resumed()]

    def show_pause_end(self, until: datetime) -> None:
        """A pause given as a length: what the wall clock now says its end is (display only)."""
        if self._paused:
            self._paused_until = until

    def set_outside_work_hours(self, outside: bool) -> list[Event]:
        """Outside work hours no nudge comes."""
        events = self._withdraw(WithdrawReason.OUTSIDE_WORK_HOURS) if outside else []
        self._outside_work_hours = outside
        return events

    def withdraw(self, reason: WithdrawReason) -> list[Event]:
        """Close the nudge on screen (or drop the held one) for ``reason``; its due time stays."""
        return self._withdraw(reason)

    def _withdraw(self, reason: WithdrawReason) -> list[Event]:
        """Close the nudge on screen or drop the held one; its due time stays where it was."""
        if self._held is not None:
            self._held = None
            return [NudgeDropped(reason=reason)]
        if self._cycle is not Phase.NUDGE_DUE:
            return []
        self._cycle = Phase.SITTING
        self._ignored = 0
        return [NudgeWithdrawn(reason=reason)]
