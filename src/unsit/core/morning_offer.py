"""When to offer the morning routine: at the first sit-down of each Unsit day, once.

Pure state, no clock: the engine tells it the Unsit day (from wall-clock moments), whether an
offer may come now (present, sitting, not paused, in work hours, no drill), how far the
streak has grown, and whether it is quiet. The offer is shown at most once per day; "Later"
offers it again after ``later_seconds`` of sitting; "Not today" and "Start" end it for the day.
A clock set back to a day already seen never brings a second offer.
"""

from __future__ import annotations

from datetime import date
from enum import Enum

from unsit.core.events import Event, QuietReason, ReminderDue, ReminderHeld, ReminderWithdrawn, WithdrawReason
from unsit.core.reminders import MORNING_ROUTINE, HoldPolicy

KIND = MORNING_ROUTINE.key


class OfferState(Enum):
    """Where today's offer stands."""

    WAITING = "waiting"  # not offered yet today
    HELD = "held"  # due while quiet, not shown yet
    SHOWN = "shown"  # on screen, not answered
    LATER = "later"  # answered "Later": comes again after more sitting
    DONE = "done"  # answered (or taken back): no more offers today


class MorningOffer:
    """Decides when the morning routine offer is shown.

    Args:
        day: the Unsit day it is now.
        later_seconds: sitting time after "Later" before the offer comes again.
        enabled: the ``morning_routine`` setting.
        hold: what quiet time does to a due offer (the kind's ``HoldPolicy``): held until it
            ends, or dropped for the day.
    """

    def __init__(self, day: date, later_seconds: float, enabled: bool = True,
                 hold: HoldPolicy = MORNING_ROUTINE.hold):
        self.later_seconds = float(later_seconds)
        self._hold = hold
        self._enabled = enabled
        self._day = day
        self._state = OfferState.WAITING
        self._later_left_seconds = 0.0
        self._last_streak_seconds = 0.0
        self._held_reasons: frozenset[QuietReason] = frozenset()
        self._held_streak_seconds = 0.0

    @property
    def state(self) -> OfferState:
        """Today's offer state."""
        return self._state

    @property
    def day(self) -> date:
        """The latest Unsit day seen."""
        return self._day

    def set_enabled(self, enabled: bool) -> list[Event]:
        """The setting changed; turning it off takes a showing or held offer back."""
        events = [] if enabled else self._take_back(WithdrawReason.PAUSED, done=True)
        self._enabled = enabled
        return events

    def new_day(self, day: date) -> list[Event]:
        """The Unsit day is ``day`` now; a later day than any seen before brings a fresh offer."""
        if day <= self._day:
            return []  # same day, or the clock was set back: never a second offer
        events = self._take_back(WithdrawReason.DAY_ENDED, done=False)
        self._day = day
        self._state = OfferState.WAITING
        return events

    def is_due(self, may_offer: bool) -> bool:
        """True when the offer would be shown now if it were not quiet."""
        if not (self._enabled and may_offer):
            return False
        if self._state is OfferState.LATER:
            return self._later_left_seconds <= 0
        return self._state in (OfferState.WAITING, OfferState.HELD)

    def evaluate(self, streak_seconds: float, may_offer: bool,
                 quiet: frozenset[QuietReason] = frozenset()) -> list[Event]:
        """One tick: count sitting toward "Later", then show (or hold) a due offer.

        Args:
            streak_seconds: the sitting streak now.
            may_offer: the user is present and sitting, not paused, in work hours, not in a drill.
            quiet: why now is quiet (empty: it is not).
        """
        grown = streak_seconds - self._last_streak_seconds
        self._last_streak_seconds = streak_seconds
        if grown < 0:  # a new streak began
            grown = streak_seconds
        if self._state is OfferState.LATER and may_offer:
            self._later_left_seconds -= grown
        if not self.is_due(may_offer):
            return []
        if quiet:
            if self._hold is HoldPolicy.DROP:
                self._state = OfferState.DONE  # never shown: no offer until the next day
                return []
            if self._state is OfferState.HELD:
                return []
            self._state = OfferState.HELD
            self._held_reasons = frozenset(quiet)
            self._held_streak_seconds = streak_seconds
            return [ReminderHeld(kind=KIND, reasons=self._held_reasons)]
        held = self._state is OfferState.HELD
        event = ReminderDue(
            kind=KIND,
            held_reasons=self._held_reasons if held else frozenset(),
            held_seconds=max(0.0, streak_seconds - self._held_streak_seconds) if held else 0.0,
        )
        self._state = OfferState.SHOWN
        self._held_reasons = frozenset()
        return [event]

    def later(self) -> list[Event]:
        """"Later": close it, offer again after ``later_seconds`` more sitting."""
        if self._state is not OfferState.SHOWN:
            return []
        self._state = OfferState.LATER
        self._later_left_seconds = self.later_seconds
        return [ReminderWithdrawn(kind=KIND, reason=WithdrawReason.ANSWERED)]

    def finish(self) -> list[Event]:
        """"Start" or "Not today": close it; no more offers until the next Unsit day."""
        if self._state is not OfferState.SHOWN:
            return []
        self._state = OfferState.DONE
        return [ReminderWithdrawn(kind=KIND, reason=WithdrawReason.ANSWERED)]

    def restore(self, *, finished: bool, later: bool) -> None:
        """An earlier run of the app already had today's offer answered (read from the history).

        Args:
            finished: "Start" or "Not today" was picked today: no more offers today.
            later: "Later" was picked today (and nothing ended it): it comes again after
                ``later_seconds`` of sitting, not at once.
        """
        if self._state is not OfferState.WAITING:
            return  # this run has its own answer already
        if finished:
            self._state = OfferState.DONE
        elif later:
            self._state = OfferState.LATER
            self._later_left_seconds = self.later_seconds

    def block(self, reason: WithdrawReason) -> list[Event]:
        """A pause, a drill or closing work hours took over: take the offer back.

        A shown offer counts as offered for the day; a held one was never seen and may come later.
        """
        return self._take_back(reason, done=True)

    def _take_back(self, reason: WithdrawReason, *, done: bool) -> list[Event]:
        if self._state is OfferState.HELD:
            self._state = OfferState.WAITING
            self._held_reasons = frozenset()
            return [ReminderWithdrawn(kind=KIND, reason=reason)]
        if self._state is OfferState.SHOWN:
            self._state = OfferState.DONE if done else OfferState.WAITING
            return [ReminderWithdrawn(kind=KIND, reason=reason)]
        return []
