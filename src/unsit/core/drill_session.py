"""One run of a drill: get ready, the steps, switch-sides pauses; pure and clock-driven.

The session lays the drill out as a timeline of phases and tracks how far along it
the user is, measured with ``Clock.monotonic`` while not paused. ``tick()`` may be
called at any rate: a stalled event loop (or a long gap) simply moves further along
the timeline, crossing as many phases as needed, and reports each one entered.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

from unsit.core.clock import Clock
from unsit.core.drills import SWITCH_SIDES_SECONDS, Drill, Step, needs_switch, scale_for
from unsit.core.motion import Frame

GET_READY_SECONDS = 3.0
MIN_DONE_FRACTION = 0.5
"""A drill counts as done only when at least this share of its steps' time was really spent
in it; skipping through to the end otherwise ends it early."""


class State(enum.Enum):
    """Where the session is."""

    READY = "ready"  # built, not started
    GET_READY = "get_ready"
    STEP = "step"
    SWITCH_SIDES = "switch_sides"
    PAUSED = "paused"
    FINISHED = "finished"
    ENDED_EARLY = "ended_early"


@dataclass(frozen=True)
class Stretch:
    """One stretch of the timeline: get-ready, a step, or a switch-sides pause."""

    state: State
    step_index: int  # the step it is, or the step it leads to
    start_seconds: float
    duration_seconds: float

    @property
    def end_seconds(self) -> float:
        return self.start_seconds + self.duration_seconds


@dataclass(frozen=True)
class StepChanged:
    """A new phase began (``state`` is GET_READY, STEP or SWITCH_SIDES)."""

    state: State
    step_index: int


@dataclass(frozen=True)
class Finished:
    """The last step ran out. ``duration_seconds`` is the active time (pauses excluded)."""

    duration_seconds: float


@dataclass(frozen=True)
class EndedEarly:
    """The user stopped the drill; ``elapsed_seconds`` is the active time so far."""

    elapsed_seconds: float


SessionEvent = StepChanged | Finished | EndedEarly


def build_timeline(drill: Drill, scale: float) -> tuple[Stretch, ...]:
    """Lay out get-ready, the steps and the switch-sides pauses back to back."""
    phases = [Stretch(State.GET_READY, 0, 0.0, GET_READY_SECONDS)]
    at = GET_READY_SECONDS
    for i, step in enumerate(drill.steps):
        if i > 0 and needs_switch(drill.steps[i - 1], step):
            phases.append(Stretch(State.SWITCH_SIDES, i, at, SWITCH_SIDES_SECONDS))
            at += SWITCH_SIDES_SECONDS
        duration = step.duration_seconds(scale)
        phases.append(Stretch(State.STEP, i, at, duration))
        at += duration
    return tuple(phases)


class DrillSession:
    """The state of one drill being done.

    Args:
        drill: the drill to run.
        clock: the injected clock (only ``monotonic`` is read).
        length: "short", "standard" or "long" (settings.drill_length).
        scale: the factor for the steps' lengths; when given, ``length`` is not read (a routine
            fits each drill to its own length).
    """

    def __init__(self, drill: Drill, clock: Clock, length: str = "standard", *, scale: float | None = None):
        self.drill = drill
        self.scale = scale_for(length) if scale is None else scale
        self._clock = clock
        self.timeline = build_timeline(drill, self.scale)
        self._state = State.READY
        self._paused_from: State | None = None
        self._phase_index = 0
        self._position = 0.0  # seconds along the timeline
        self._skipped = 0.0  # timeline seconds jumped over by skips
        self._last_mono = 0.0

    # --- intents -------------------------------------------------------------------
    def start(self) -> list[SessionEvent]:
        """Begin with the get-ready phase."""
        if self._state is not State.READY:
            return []
        self._last_mono = self._clock.monotonic()
        self._state = State.GET_READY
        return [StepChanged(State.GET_READY, 0)]

    def tick(self) -> list[SessionEvent]:
        """Move along the timeline by the time passed since the last call."""
        if not self.running:
            return []
        now = self._clock.monotonic()
        self._position += max(0.0, now - self._last_mono)
        self._last_mono = now
        return self._catch_up()

    def pause(self) -> list[SessionEvent]:
        """Stop the countdown (time passing while paused does not count).

        Returns the events of the time up to the pause (the drill may end just then).
        """
        events = self.tick()
        if self.running:
            self._paused_from = self._state
            self._state = State.PAUSED
        return events

    def resume(self) -> None:
        """Carry on from where the pause began."""
        if self._state is State.PAUSED and self._paused_from is not None:
            self._state = self._paused_from
            self._paused_from = None
            self._last_mono = self._clock.monotonic()

    def skip_step(self) -> list[SessionEvent]:
        """Jump to the start of the next phase (finishing after the last step)."""
        if self._state is State.PAUSED:
            self.resume()
            events = self._skip()
            return events + (self.pause() if self.running else [])
        if not self.running:
            return []
        events = self.tick()
        if not self.running:
            return events
        return events + self._skip()

    def end_early(self) -> list[SessionEvent]:
        """Stop for good before the end."""
        if self._state in (State.READY, State.FINISHED, State.ENDED_EARLY):
            return []
        events = self.tick()
        if events and isinstance(events[-1], Finished):  # the last step ran out just now
            return [events[-1]]
        self._state = State.ENDED_EARLY
        self._paused_from = None
        return [EndedEarly(self.active_seconds)]

    # --- readings ------------------------------------------------------------------
    @property
    def state(self) -> State:
        return self._state

    @property
    def phase_state(self) -> State:
        """The phase's own state, also while paused (GET_READY, STEP or SWITCH_SIDES)."""
        if self._state is State.PAUSED and self._paused_from is not None:
            return self._paused_from
        return self._state

    @property
    def running(self) -> bool:
        return self._state in (State.GET_READY, State.STEP, State.SWITCH_SIDES)

    @property
    def done(self) -> bool:
        return self._state in (State.FINISHED, State.ENDED_EARLY)

    @property
    def phase(self) -> Stretch:
        return self.timeline[self._phase_index]

    @property
    def step_index(self) -> int:
        """0-based index of the current step (or of the step coming up)."""
        return self.phase.step_index

    @property
    def step_count(self) -> int:
        return len(self.drill.steps)

    @property
    def step(self) -> Step:
        return self.drill.steps[self.step_index]

    @property
    def side(self) -> str:
        """"left", "right" or "both": the side of the current or coming step."""
        return self.step.side

    @property
    def phase_elapsed_seconds(self) -> float:
        return min(self.phase.duration_seconds, max(0.0, self._position - self.phase.start_seconds))

    @property
    def remaining_seconds(self) -> float:
        """Seconds left in the current phase."""
        if self._state is State.FINISHED:
            return 0.0
        return self.phase.duration_seconds - self.phase_elapsed_seconds

    @property
    def step_fraction(self) -> float:
        """How much of the current phase is done, 0..1."""
        if self._state is State.FINISHED:
            return 1.0
        return self.phase_elapsed_seconds / self.phase.duration_seconds

    @property
    def total_seconds(self) -> float:
        """The whole timeline, get-ready included."""
        return self.timeline[-1].end_seconds

    @property
    def steps_seconds(self) -> float:
        """The steps' time alone (no get-ready, no switch-sides pauses)."""
        return sum(p.duration_seconds for p in self.timeline if p.state is State.STEP)

    @property
    def left_seconds(self) -> float:
        """Timeline seconds still to come, get-ready and switch-sides pauses included (0 when done)."""
        if self.done:
            return 0.0
        return max(0.0, self.total_seconds - self._position)

    @property
    def active_seconds(self) -> float:
        """Time spent in the drill so far, without pauses and skipped parts."""
        return min(self._position, self.total_seconds) - self._skipped

    @property
    def rep(self) -> tuple[int, int] | None:
        """(current rep counted from 1, reps) in a reps step, else None."""
        step = self.step
        if self.phase_state is not State.STEP or step.reps is None or not step.seconds_per_rep:
            return None
        reps = step.scaled_reps(self.scale) or 1
        return min(reps, int(self.phase_elapsed_seconds // step.seconds_per_rep) + 1), reps

    def figure_now(self) -> Frame:
        """The figure's pose at the clock's time (between ticks too), and whether it moves.

        Before a step (get ready, switch sides) it stands in the step's first pose; when
        paused or done it keeps the pose it had.
        """
        position = self._position
        if self.running:
            position += max(0.0, self._clock.monotonic() - self._last_mono)
        return self._figure_at(position)

    def _figure_at(self, position: float) -> Frame:
        phase = self.phase
        step = self.drill.steps[phase.step_index]
        if self._state is State.FINISHED:
            last = self.drill.steps[-1]
            return Frame(last.motion.frame_at(0.0, 0.0).pose, False)
        if phase.state is not State.STEP or position < phase.start_seconds:
            return Frame(step.motion.poses[0], False)
        elapsed = min(position, phase.end_seconds) - phase.start_seconds
        frame = step.motion.frame_at(elapsed, phase.duration_seconds)
        return frame if self.running else Frame(frame.pose, False)

    # --- internals -----------------------------------------------------------------
    def _catch_up(self) -> list[SessionEvent]:
        events: list[SessionEvent] = []
        while self._position >= self.phase.end_seconds:
            if self._phase_index == len(self.timeline) - 1:
                if self.active_seconds < MIN_DONE_FRACTION * self.steps_seconds:
                    self._state = State.ENDED_EARLY  # skipped through: not a drill done
                    events.append(EndedEarly(self.active_seconds))
                    return events
                self._state = State.FINISHED
                events.append(Finished(self.active_seconds))
                return events
            self._phase_index += 1
            self._state = self.phase.state
            events.append(StepChanged(self.phase.state, self.phase.step_index))
        return events

    def _skip(self) -> list[SessionEvent]:
        target = self.phase.end_seconds
        self._skipped += max(0.0, target - self._position)
        self._position = target
        return self._catch_up()


def format_mm_ss(seconds: float) -> str:
    """Seconds as m:ss, rounded up so a countdown shows 0:01 until it really ends."""
    whole = max(0, math.ceil(seconds - 1e-9))
    return f"{whole // 60}:{whole % 60:02d}"
