"""Standing at a sit-stand desk: the standing period and the reminder to stop standing.

Pure state, no clock: the engine passes monotonic readings. The user says when they stand
and sit (the tray's check item, ``unsit stand`` / ``unsit sit``, a desk controller script).
What standing means for the sitting streak is the engine's (``core/engine.py``): the streak
waits while standing, and a stand of at least the away reset is the break. This module
follows the standing period itself and decides when to say "sit down, or walk a little":
after ``max_seconds`` of standing (0: never), again ``later_seconds`` after "Later".
"""

from __future__ import annotations

from dataclasses import dataclass

from unsit.core.events import Event, QuietReason, ReminderDue, ReminderHeld, ReminderWithdrawn, WithdrawReason
from unsit.core.reminders import STANDING_TOO_LONG

KIND = STANDING_TOO_LONG.key


@dataclass
class _Period:
    since: float  # monotonic reading when the user stood up
    counted_from: float  # monotonic reading from which this run of the app counts the period (a restart)
    remind_at: float  # standing seconds at which the reminder is due (0: never)
    shown: bool = False
    held_reasons: frozenset[QuietReason] = frozenset()
    held_at: float = 0.0  # standing seconds when the reminder was held


class StandingWatch:
    """The posture and, while standing, the standing reminder.

    Args:
        max_seconds: standing this long brings the reminder (0: no reminder).
        later_seconds: after "Later", the reminder comes again after this much more standing.
    """

    def __init__(self, max_seconds: float, later_seconds: float):
        self.max_seconds = float(max_seconds)
        self.later_seconds = float(later_seconds)
        self._period: _Period | None = None

    @property
    def standing(self) -> bool:
        """True while the user stands."""
        return self._period is not None

    def standing_seconds(self, monotonic: float) -> float:
        """How long the current standing period has lasted (0 while sitting)."""
        return 0.0 if self._period is None else max(0.0, monotonic - self._period.since)

    def stand(self, monotonic: float, already_seconds: float = 0.0) -> bool:
        """The user stands (``already_seconds``: a period that began before, e.g. kept over a restart).

        Returns:
            False when the user already stood (nothing changes).
        """
        if self._period is not None:
            return False
        since = monotonic - max(0.0, already_seconds)
        self._period = _Period(since=since, counted_from=monotonic, remind_at=self.max_seconds)
        return True

    def sit(self, monotonic: float) -> tuple[float, list[Event]] | None:
        """The user sits down (or stopped standing at ``monotonic``): the time stood, and the reminder taken back.

        The time stood is what this run of the app saw: a part before a restart was counted then.

        Returns:
            None when the user was not standing.
        """
        period = self._period
        if period is None:
            return None
        self._period = None
        events: list[Event] = []
        if period.shown or period.held_reasons:
            events.append(ReminderWithdrawn(kind=KIND, reason=WithdrawReason.STOOD))
        return max(0.0, monotonic - max(period.since, period.counted_from)), events

    def set_max_seconds(self, max_seconds: float) -> None:
        """The setting changed: a period under way follows the new length (0 turns the reminder off)."""
        self.max_seconds = float(max_seconds)
        if self._period is not None and not self._period.shown:
            self._period.remind_at = self.max_seconds

    def is_due(self, monotonic: float, may_remind: bool) -> bool:
        """True when the reminder would be shown now if it were not quiet."""
        period = self._period
        if period is None or not may_remind or period.shown or period.remind_at <= 0:
            return False
        return self.standing_seconds(monotonic) >= period.remind_at

    def evaluate(self, monotonic: float, may_remind: bool,
                 quiet: frozenset[QuietReason] = frozenset()) -> list[Event]:
        """One tick: show (or hold while quiet) a due reminder.

        Args:
            monotonic: the clock reading now.
            may_remind: the user is present, not paused, not in a drill, in work hours.
            quiet: why now is quiet (empty: it is not).
        """
        if not self.is_due(monotonic, may_remind):
            return []
        period = self._period
        assert period is not None
        standing = self.standing_seconds(monotonic)
        if quiet:
            if period.held_reasons:
                return []
            period.held_reasons = frozenset(quiet)
            period.held_at = standing
            return [ReminderHeld(kind=KIND, reasons=period.held_reasons)]
        event = ReminderDue(kind=KIND, held_reasons=period.held_reasons,
                            held_seconds=standing - period.held_at if period.held_reasons else 0.0,
                            seconds=standing)
        period.shown = True
        period.held_reasons = frozenset()
        return [event]

    def later(self, monotonic: float) -> list[Event]:
        """"Later": close it; it comes again after ``later_seconds`` more standing."""
        period = self._period
        if period is None or not period.shown:
            return []
        period.shown = False
        period.remind_at = self.standing_seconds(monotonic) + self.later_seconds
        return [ReminderWithdrawn(kind=KIND, reason=WithdrawReason.ANSWERED)]

    def block(self, reason: WithdrawReason) -> list[Event]:
        """A pause, a drill or closing work hours took over: take a shown or held reminder back.

        A shown one counts as answered "Later"; a held one was never seen and may still come.
        """
        period = self._period
        if period is None:
            return []
        if period.shown:
            period.shown = False
            period.remind_at = period.remind_at + self.later_seconds
            return [ReminderWithdrawn(kind=KIND, reason=reason)]
        if period.held_reasons:
            period.held_reasons = frozenset()
            return [ReminderWithdrawn(kind=KIND, reason=reason)]
        return []
