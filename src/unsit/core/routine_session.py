"""One run of a routine: its drills one after the other, each a ``DrillSession``; pure and clock-driven.

The routine session has the same intents and readings as a drill session (start, tick,
pause, resume, skip_step, end_early; state, running, done), so the drill window drives
either one. ``current`` is the drill session under way; the window renders it.

When a drill ends (run out, or skipped through) the next one starts at once with its own
get-ready moment, which doubles as "next up". ``skip_drill`` moves on to the next drill
straight away. The routine as a whole follows the drill rule: it counts as done only
when at least half of its drills' step time was really spent in it; otherwise running
off the end is ``EndedEarly``. A drill's run-out moment starts the next one at the tick
that saw it: a stalled event loop loses the overshoot instead of rushing the next drill.
"""

from __future__ import annotations

from dataclasses import dataclass

from unsit.core.clock import Clock
from unsit.core.drill_session import (
    GET_READY_SECONDS,
    MIN_DONE_FRACTION,
    DrillSession,
    EndedEarly,
    Finished,
    SessionEvent,
    State,
)
from unsit.core.routines import Routine, RoutineStep


@dataclass(frozen=True)
class DrillChanged:
    """The routine moved on to drill ``index`` (0-based); its get-ready follows in the same batch."""

    index: int


RoutineEvent = SessionEvent | DrillChanged


class RoutineSession:
    """The state of one routine being done.

    Args:
        routine: the routine to run.
        clock: the injected clock (only ``monotonic`` is read, by the drill sessions).
    """

    def __init__(self, routine: Routine, clock: Clock):
        self.routine = routine
        self._clock = clock
        self._index = 0
        self._current = self._session_for(routine.steps[0])
        self._spent_before = 0.0  # active seconds of the drills already left behind
        self._state: State | None = None  # FINISHED or ENDED_EARLY once the routine is over

    def _session_for(self, step: RoutineStep) -> DrillSession:
        return DrillSession(step.drill, self._clock, scale=step.scale)

    # --- intents -------------------------------------------------------------------
    def start(self) -> list[RoutineEvent]:
        """Begin with the first drill's get-ready."""
        if self._state is not None or self._index != 0:
            return []
        return list(self._current.start())

    def tick(self) -> list[RoutineEvent]:
        """Move along by the time passed since the last call (into the next drill when one ends)."""
        return self._follow(self._current.tick())

    def pause(self) -> list[RoutineEvent]:
        """Stop the countdown of the drill under way."""
        return self._follow(self._current.pause())

    def resume(self) -> None:
        """Carry on from where the pause began."""
        self._current.resume()

    def skip_step(self) -> list[RoutineEvent]:
        """Jump to the next phase of the drill (after its last step: the next drill)."""
        return self._follow(self._current.skip_step())

    def skip_drill(self) -> list[RoutineEvent]:
        """Leave the drill under way and start the next one (after the last: the routine ends)."""
        if self._state is not None or self._current.state is State.READY:
            return []
        was_paused = self._current.state is State.PAUSED
        if was_paused:
            self._current.resume()
        passed = self._current.tick()
        if self._current.done:  # it ran out just now
            return self._follow(passed)
        self._current.end_early()
        events: list[RoutineEvent] = list(passed)
        events += self._advance()
        if was_paused and self._current.running:
            events += self._current.pause()
        return events

    def end_early(self) -> list[RoutineEvent]:
        """Stop the routine for good before the end."""
        if self._state is not None or self._current.state is State.READY:
            return []
        events = self._follow(self._current.tick())
        if self._state is not None:  # the last drill ran out just now
            return events
        self._current.end_early()
        self._spent_before += max(0.0, self._current.active_seconds)
        self._state = State.ENDED_EARLY
        return [*events, EndedEarly(self._spent_before)]

    # --- readings ------------------------------------------------------------------
    @property
    def current(self) -> DrillSession:
        """The drill session under way (the last one once the routine is over)."""
        return self._current

    @property
    def index(self) -> int:
        """0-based index of the drill under way."""
        return self._index

    @property
    def count(self) -> int:
        return len(self.routine.steps)

    @property
    def state(self) -> State:
        """The drill's phase while running or paused; FINISHED or ENDED_EARLY for the routine's end."""
        if self._state is not None:
            return self._state
        return self._current.state

    @property
    def running(self) -> bool:
        return self._state is None and self._current.running

    @property
    def done(self) -> bool:
        return self._state is not None

    @property
    def active_seconds(self) -> float:
        """Time spent in the routine so far, without pauses and skipped parts."""
        if self._state is not None:
            return self._spent_before
        return self._spent_before + max(0.0, self._current.active_seconds)

    @property
    def steps_seconds(self) -> float:
        """All drills' step time (no get-ready, no switch-sides pauses)."""
        return sum(DrillSession(s.drill, self._clock, scale=s.scale).steps_seconds for s in self.routine.steps)

    @property
    def left_seconds(self) -> float:
        """Seconds of the routine still to come: the rest of this drill and every later one."""
        if self._state is not None:
            return 0.0
        later = sum(s.seconds + GET_READY_SECONDS for s in self.routine.steps[self._index + 1:])
        return self._current.left_seconds + later

    # --- internals -----------------------------------------------------------------
    def _follow(self, events: list[SessionEvent]) -> list[RoutineEvent]:
        """Pass the drill's events on; a drill's end starts the next drill or ends the routine."""
        if not events or not isinstance(events[-1], (Finished, EndedEarly)):
            return list(events)
        return [*events[:-1], *self._advance()]

    def _advance(self) -> list[RoutineEvent]:
        self._spent_before += max(0.0, self._current.active_seconds)
        if self._index + 1 >= self.count:
            return [self._finish()]
        self._index += 1
        self._current = self._session_for(self.routine.steps[self._index])
        return [DrillChanged(self._index), *self._current.start()]

    def _finish(self) -> SessionEvent:
        spent = self._spent_before
        if spent >= MIN_DONE_FRACTION * self.steps_seconds:
            self._state = State.FINISHED
            return Finished(spent)
        self._state = State.ENDED_EARLY
        return EndedEarly(spent)
