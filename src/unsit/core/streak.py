"""The sitting streak: turns clock readings and idle observations into continuous sitting time.

Every tick brings the monotonic clock (awake time), the boottime clock (awake + asleep),
the OS idle seconds (time since the last keyboard/mouse input, or None when nothing can
measure it) and whether the session is locked. From these the tracker keeps:

* the *away run*: how long the user has gone without (counted) input, including time
  locked and time asleep, so idle 3 min then suspend 3 min is away 6 min;
* the *streak*: awake time since the streak began. A pause shorter than the reset still
  counts as sitting; time asleep never does. When the away run reaches the reset the
  streak ends and stays at 0 until input comes back.

Ticks may be irregular. Input during a tick window is recognised when the OS idle value
is below what the away run would be without input (``candidate``) and the OS counter
itself went back; the away run that preceded that input is then ``candidate - idle``,
so a long stall between ticks is judged by what the counter shows. While locked, input
does not count. With no idle detector the user counts as present while unlocked.

While ``standing`` is set (the user said they stand at a sit-stand desk) awake time is not
sitting: the streak stands still, and the away run is followed as usual.
"""

from __future__ import annotations

from dataclasses import dataclass

from unsit.core.events import EndReason

PRESENT_IDLE_SECONDS = 30.0
"""An away run shorter than this still counts as "present" (a nudge may be shown)."""

INPUT_TOLERANCE_SECONDS = 1.0
"""Jitter allowed between the OS idle counter and our clocks before we call it input."""


@dataclass(frozen=True, slots=True)
class StreakUpdate:
    """What one observation did to the streak.

    Attributes:
        ended: why the running streak ended in this window, or None.
        ended_streak_seconds: the sitting time the ended streak had reached (up to the
            last input before the away run); 0 when nothing ended.
        started: a new streak began in this window (input came back).
    """

    ended: EndReason | None = None
    ended_streak_seconds: float = 0.0
    started: bool = False


class StreakTracker:
    """Continuous sitting time from clock readings and idle observations.

    The tracker reads no clock itself: the caller passes ``monotonic`` and ``boottime``
    readings (seconds) with each observation.
    """

    def __init__(self, away_reset_seconds: float, monotonic: float, boottime: float):
        self.away_reset_seconds = float(away_reset_seconds)
        self._monotonic = monotonic
        self._boottime = boottime
        self._active = True
        self._committed_seconds = 0.0  # sitting time up to the last counted input
        self._away_awake_seconds = 0.0  # awake part of the current away run
        self._away_seconds = 0.0  # whole away run: idle + locked + asleep
        self._locked = False
        self._idle_seconds: float | None = None  # the OS idle value at the last observation
        self.standing = False  # set by the engine: awake time is then not sitting

    @property
    def active(self) -> bool:
        """True while a streak runs; False after it ended until input comes back."""
        return self._active

    @property
    def streak_seconds(self) -> float:
        """Current streak; a pause shorter than the reset counts as sitting."""
        if not self._active:
            return 0.0
        return self._committed_seconds + self._away_awake_seconds

    @property
    def away_seconds(self) -> float:
        """Length of the current away run (no input, locked or asleep)."""
        return self._away_seconds

    @property
    def present(self) -> bool:
        """True when the user touched the computer within PRESENT_IDLE_SECONDS (30 s)."""
        return self._away_seconds < PRESENT_IDLE_SECONDS

    def restart(self, monotonic: float, boottime: float) -> None:
        """Begin a fresh streak at zero with the user present (after a completed drill)."""
        self._monotonic = monotonic
        self._boottime = boottime
        self._active = True
        self._committed_seconds = 0.0
        self._away_awake_seconds = 0.0
        self._away_seconds = 0.0

    def clear_streak(self) -> None:
        """The streak ends without an absence (a long enough stand): it restarts at zero, presence kept."""
        self._committed_seconds = 0.0
        self._away_awake_seconds = 0.0

    def observe(
        self, monotonic: float, boottime: float, idle_seconds: float | None, locked: bool
    ) -> StreakUpdate:
        """Account for the window since the previous reading.

        Args:
            monotonic: awake-time clock reading (seconds).
            boottime: awake + asleep clock reading (seconds).
            idle_seconds: OS time since the last input; None when unknown (the user is
                then treated as present whenever the session is unlocked).
            locked: the session is locked now (input does not count while locked).

        Returns:
            What happened to the streak in this window.
        """
        awake = max(0.0, monotonic - self._monotonic)
        slept = max(0.0, (boottime - monotonic) - (self._boottime - self._monotonic))
        self._monotonic = monotonic
        self._boottime = boottime
        was_locked = self._locked
        self._locked = locked
        candidate = self._away_seconds + awake + slept
        previous_idle = self._idle_seconds
        self._idle_seconds = None if idle_seconds is None else max(0.0, float(idle_seconds))

        if locked:
            return self._no_input(candidate, awake, slept, locked=True)
        if idle_seconds is None:
            # No idle detector: the awake, unlocked part of the window counts as present.
            before = self._away_seconds + slept
            return self._input(
                before, awake, slept, was_locked,
                since_if_continuing=0.0, since_if_new=0.0, away_after=0.0,
            )
        idle = self._idle_seconds
        assert idle is not None
        input_seen = (
            idle < candidate - INPUT_TOLERANCE_SECONDS
            # Some idle counters stand still while the machine sleeps, so they fall behind
            # our away run for good: only a counter that went back means input.
            and (previous_idle is None or idle < previous_idle + awake - INPUT_TOLERANCE_SECONDS)
            # Nobody types while the machine sleeps: after a suspend the input must have
            # come after the resume.
            and (slept <= INPUT_TOLERANCE_SECONDS or idle <= awake + INPUT_TOLERANCE_SECONDS)
        )
        if input_seen:
            since = min(idle, awake)
            return self._input(
                candidate - idle, awake, slept, was_locked,
                since_if_continuing=since, since_if_new=since, away_after=idle,
            )
        return self._no_input(max(candidate, idle), awake, slept, locked=was_locked)

    def _no_input(self, away: float, awake: float, slept: float, locked: bool) -> StreakUpdate:
        self._away_seconds = away
        if not self.standing:
            self._away_awake_seconds += awake
        if self._active and away >= self.away_reset_seconds:
            return self._end(_reason(slept, locked))
        return StreakUpdate()

    def _input(
        self,
        before: float,
        awake: float,
        slept: float,
        was_locked: bool,
        *,
        since_if_continuing: float,
        since_if_new: float,
        away_after: float,
    ) -> StreakUpdate:
        """Input came in this window after an away run of ``before`` seconds."""
        self._away_seconds = away_after
        if self.standing:  # none of this window is sitting
            awake = since_if_continuing = since_if_new = 0.0
        if self._active and before < self.away_reset_seconds:
            # A short pause: the whole window counts as sitting.
            streak = self._committed_seconds + self._away_awake_seconds + awake
            self._away_awake_seconds = since_if_continuing
            self._committed_seconds = streak - since_if_continuing
            update = StreakUpdate()
        else:
            ended = self._end(_reason(slept, was_locked)) if self._active else StreakUpdate()
            self._active = True
            self._committed_seconds = 0.0
            self._away_awake_seconds = since_if_new
            update = StreakUpdate(ended.ended, ended.ended_streak_seconds, started=True)
        if away_after >= self.away_reset_seconds:
            # After that input the user left again for the whole reset (a long stall).
            again = self._end(EndReason.AWAY)
            if update.ended is None:
                update = StreakUpdate(again.ended, again.ended_streak_seconds, update.started)
        return update

    def _end(self, reason: EndReason) -> StreakUpdate:
        ended_seconds = self._committed_seconds
        self._active = False
        self._committed_seconds = 0.0
        self._away_awake_seconds = 0.0
        return StreakUpdate(ended=reason, ended_streak_seconds=ended_seconds)


def _reason(slept: float, locked: bool) -> EndReason:
    """What was going on in the window where the away run reached the reset."""
    if slept > INPUT_TOLERANCE_SECONDS:
        return EndReason.ASLEEP
    if locked:
        return EndReason.LOCKED
    return EndReason.AWAY
