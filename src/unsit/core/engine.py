"""The engine the UI drives: ticks and intents in, events and status out.

``Engine`` composes the ``StreakTracker`` (continuous sitting) and the ``NudgeMachine``
(phases). It reads the injected Clock, owns no timers and returns a list of events from
every call; the UI renders them.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from unsit.core.calls import CallTracker
from unsit.core.clock import Clock
from unsit.core.days import unsit_day
from unsit.core.events import (
    DayStarted,
    DrillFinished,
    DrillSkipped,
    DrillStarted,
    EndReason,
    Event,
    NudgeDue,
    Paused,
    Phase,
    PhaseChanged,
    PostureChanged,
    QuietReason,
    ReminderAnswered,
    StreakEnded,
    WallMoment,
    WithdrawReason,
)
from unsit.core.morning_offer import MorningOffer
from unsit.core.nudges import CYCLE_PHASES, PENDING_CYCLES, NudgeMachine
from unsit.core.posture import StandingWatch
from unsit.core.reminders import KINDS, MORNING_ROUTINE, STANDING_TOO_LONG, Effect
from unsit.core.settings import Settings
from unsit.core.streak import StreakTracker, StreakUpdate
from unsit.core.work_hours import is_open

PAUSE_END_EARLY = timedelta(seconds=1)
"""A scheduler's PAUSE_END up to this early still ends the pause (clocks read a moment apart)."""


@dataclass(frozen=True, slots=True)
class Observation:
    """What the platform saw at a tick.

    Attributes:
        idle_seconds: OS time since the last keyboard/mouse input; None when no idle
            detector works (the user then counts as present while unlocked).
        locked: the session is locked.
        quiet: why now is a bad moment for a nudge (empty: it is not), or a function that
            tells; the engine calls it only when a nudge is due or held, so the desktop is
            asked only then. The function returns None while the answer is not known yet:
            the due nudge then waits for a later tick (the shell ticks when the answer comes).
        call_since: the Clock's ``monotonic()`` reading when the running call (an
            application recording the microphone) began; None when there is no call.
    """

    idle_seconds: float | None
    locked: bool = False
    quiet: frozenset[QuietReason] | Callable[[], frozenset[QuietReason] | None] = field(default=frozenset())
    call_since: float | None = None

    def quiet_now(self) -> frozenset[QuietReason] | None:
        """The quiet reasons (calls ``quiet`` when it is a function); None: not known yet."""
        return self.quiet() if callable(self.quiet) else self.quiet


@dataclass(frozen=True, slots=True)
class Status:
    """A snapshot for the tray tooltip, the CLI and the status file.

    Attributes:
        next_nudge_in_seconds: streak time left until the next nudge if sitting goes
            on; None when paused, outside work hours, in a drill or away.
        held_because: why a due nudge is held (empty when none is).
        call_seconds: how long the running call has lasted (None: no call, or calls are
            not followed because ``hold_during_calls`` is off).
        morning_offer: today's morning-routine offer: an ``OfferState`` value (waiting, held,
            shown, later, done), or "off" when the ``morning_routine`` setting is off.
        standing_seconds: how long the user has been standing (None: they sit).
    """

    phase: Phase
    streak_seconds: float
    next_nudge_in_seconds: float | None
    paused_until: datetime | None
    away_seconds: float
    present: bool
    idle_source: str
    interval_seconds: float
    held_because: frozenset[QuietReason] = frozenset()
    nudge_waiting: bool = False
    call_seconds: float | None = None
    morning_offer: str = "waiting"
    standing_seconds: float | None = None

    @property
    def standing(self) -> bool:
        """True while the user stands (a sit-stand desk)."""
        return self.standing_seconds is not None

    @property
    def in_call(self) -> bool:
        """True while a call runs (and calls are followed)."""
        return self.call_seconds is not None

    @property
    def holding_nudge(self) -> bool:
        """True while a due nudge is held because it is quiet."""
        return bool(self.held_because)

    @property
    def nudge_pending(self) -> bool:
        """A nudge waits for the user (shown, snoozed or held): a tray click starts the drill."""
        return self.nudge_waiting

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON data: enum as its value, seconds as whole numbers, ISO 8601 time."""
        return {
            "phase": self.phase.value,
            "streak_seconds": int(self.streak_seconds),
            "next_nudge_in_seconds": (
                None if self.next_nudge_in_seconds is None
                else math.ceil(self.next_nudge_in_seconds)
            ),
            "paused_until": None if self.paused_until is None else self.paused_until.isoformat(),
            "away_seconds": int(self.away_seconds),
            "present": self.present,
            "idle_source": self.idle_source,
            "interval_seconds": int(self.interval_seconds),
            "morning_offer": self.morning_offer,
            "posture": "standing" if self.standing else "sitting",
            "standing_seconds": int(self.standing_seconds or 0),
        }


class Engine:
    """Sitting streak + nudge phases, driven by ticks and user intents.

    Args:
        settings: the current settings.
        clock: where time comes from (monotonic and boottime for durations; now() only
            when the shell reports a wall-clock moment, see ``wall_moment``).
        idle_source: name of the idle detector in use ("none" when there is none).
    """

    def __init__(self, settings: Settings, clock: Clock, idle_source: str = "none"):
        self._settings = settings
        self._clock = clock
        self._idle_source = idle_source
        self._tracker = StreakTracker(
            settings.away_reset_minutes * 60, clock.monotonic(), clock.boottime()
        )
        self._machine = NudgeMachine(settings.interval_minutes * 60, settings.snooze_minutes * 60)
        self._machine.set_outside_work_hours(not is_open(clock.now(), settings))
        self._offer = MorningOffer(unsit_day(clock.now()), settings.snooze_minutes * 60, settings.morning_routine)
        self._offers = {MORNING_ROUTINE.key: self._offer}  # offer kinds by key (answers are routed here)
        self._drill_streak_seconds: float | None = None  # streak when the drill began
        self._pause_ends_boottime: float | None = None  # a pause given as a length ends here
        self._calls = CallTracker(settings.away_reset_minutes * 60)
        self._standing = StandingWatch(settings.standing_max_minutes * 60, settings.snooze_minutes * 60)
        self._stood_long_enough = False  # this standing period already ended the sitting streak
        self._present_while_standing = 0.0  # monotonic reading of the last tick the user was present, standing

    @property
    def settings(self) -> Settings:
        """The settings in force."""
        return self._settings

    def apply_settings(self, settings: Settings) -> list[Event]:
        """Use new settings at once (a shorter interval can make a nudge due next tick)."""
        before = self._phase()
        self._settings = settings
        self._tracker.away_reset_seconds = settings.away_reset_minutes * 60
        self._calls.away_reset_seconds = settings.away_reset_minutes * 60
        self._machine.interval_seconds = settings.interval_minutes * 60
        self._machine.snooze_seconds = settings.snooze_minutes * 60
        self._offer.later_seconds = settings.snooze_minutes * 60
        self._standing.later_seconds = settings.snooze_minutes * 60
        self._standing.set_max_seconds(settings.standing_max_minutes * 60)
        events = self._offer.set_enabled(settings.morning_routine)
        events += self._set_outside_work_hours(not is_open(self._clock.now(), settings))
        tracker = self._tracker  # a nudge held under the old interval may not be due under the new one
        events += self._machine.recheck_held(tracker.streak_seconds, tracker.active, tracker.present)
        return self._with_phase_change(before, events)

    def tick(self, obs: Observation) -> list[Event]:
        """Account for the time since the last tick and deliver (or hold) a nudge if one is due.

        Only monotonic durations are followed here (streak, snooze, a pause given as a
        length); wall-clock moments come through ``wall_moment``.
        """
        before = self._phase()
        events: list[Event] = []
        if self._machine.paused:
            events += self._follow_pause()
        monotonic = self._clock.monotonic()
        events += self._calls.observe(monotonic, obs.call_since if self._settings.hold_during_calls else None,
                                      obs.idle_seconds)
        # A call keeps a running streak going (a call is sitting); it never starts one for a user who is away.
        idle = self._calls.idle_seconds(obs.idle_seconds, monotonic) if self._tracker.active else obs.idle_seconds
        update = self._tracker.observe(monotonic, self._clock.boottime(), idle, obs.locked)
        events += self._apply_update(update)
        if self._standing.standing:
            events += self._follow_standing(monotonic, came_back=update.started)
        streak, active, present = self._tracker.streak_seconds, self._tracker.active, self._tracker.present
        may_remind = active and present and not self._machine.blocked
        standing = self._standing.standing
        sitting = present and not standing  # no nudge, no morning offer while standing
        may_offer = may_remind and not standing
        quiet: frozenset[QuietReason] | None = frozenset()
        if (self._machine.is_due(streak, active, sitting) or self._offer.is_due(may_offer)
                or self._standing.is_due(monotonic, may_remind)):
            desktop = obs.quiet_now()  # None: the desktop has not answered yet
            # A call is quiet whatever the desktop says (or before it answers).
            quiet = (desktop or frozenset()) | {QuietReason.CALL} if self._calls.in_call else desktop
        if quiet is not None:  # not known yet: decide on a later tick (the shell ticks when it answers)
            held = self._machine.held
            delivered = self._machine.evaluate(streak, active, sitting, quiet)
            if held is not None and QuietReason.CALL in held.reasons:  # held through a call: say how long it was
                after_call = self._calls.last_call_seconds
                delivered = [dataclasses.replace(e, after_call_seconds=after_call) if isinstance(e, NudgeDue) else e
                             for e in delivered]
            events += delivered
            events += self._offer.evaluate(streak, may_offer, quiet)
            events += self._standing.evaluate(monotonic, may_remind, quiet)
        return self._with_phase_change(before, events)

    def stand(self) -> list[Event]:
        """The user stands (a sit-stand desk): the sitting streak waits, and no nudge comes.

        A nudge on screen is taken back (standing up answers it). Standing for at least
        ``away_reset_minutes`` is the break: the streak ends and sitting down starts from zero.
        """
        return self._stand(0.0)

    def restore_standing(self, stood_seconds: float, stopped_seconds_ago: float) -> list[Event]:
        """At start-up: the last run stopped while the user stood (``stood_seconds`` long, that long ago).

        A restart shorter than the away reset is no break: the user still stands, and the period
        goes on (its reminder and its break count the time before the restart). Longer, they sit.
        """
        if not 0 <= stopped_seconds_ago < self._tracker.away_reset_seconds:
            return []
        return self._stand(max(0.0, stood_seconds) + stopped_seconds_ago)

    def stop(self) -> list[Event]:
        """The app is stopping: a standing period under way ends here (the history keeps its length)."""
        ended = self._standing.sit(self._clock.monotonic())
        if ended is None:
            return []
        self._tracker.standing = False
        return [*ended[1], PostureChanged(standing=False, stood_seconds=ended[0], stopped=True)]

    def _stand(self, already_seconds: float) -> list[Event]:
        before = self._phase()
        if not self._standing.stand(self._clock.monotonic(), already_seconds):
            return []
        self._tracker.standing = True
        self._stood_long_enough = False
        self._present_while_standing = self._clock.monotonic()
        events: list[Event] = [*self._machine.withdraw(WithdrawReason.STOOD), PostureChanged(standing=True)]
        events += self._follow_standing(self._clock.monotonic(), came_back=False)
        return self._with_phase_change(before, events)

    def sit(self) -> list[Event]:
        """The user sits down: the streak goes on where it waited (or from zero after a long stand)."""
        before = self._phase()
        return self._with_phase_change(before, self._sit(automatic=False))

    def _sit(self, *, automatic: bool) -> list[Event]:
        # Back from a break, the period ended when the user left, not when they came back.
        ended = self._standing.sit(self._present_while_standing if automatic else self._clock.monotonic())
        if ended is None:
            return []
        stood, events = ended
        self._tracker.standing = False
        self._stood_long_enough = False
        return [*events, PostureChanged(standing=False, stood_seconds=stood, automatic=automatic)]

    def _follow_standing(self, monotonic: float, *, came_back: bool) -> list[Event]:
        """While standing: a stand of the away reset ends the streak; back from an absence, the user sits.

        Leaving the desk, locking or sleeping for the away reset while standing ends the
        standing period: people sit down after a break, and a forgotten "standing" would
        hold every nudge. The period is counted up to the last tick the user was present.
        """
        if came_back:
            return self._sit(automatic=True)
        standing = self._standing.standing_seconds(monotonic)
        if self._tracker.present:
            self._present_while_standing = monotonic
        if self._stood_long_enough or standing < self._tracker.away_reset_seconds:
            return []
        self._stood_long_enough = True
        if not self._tracker.active:
            return []  # the streak ended already (the user left)
        streak = self._tracker.streak_seconds
        self._tracker.clear_streak()
        events = self._machine.streak_ended(EndReason.STOOD)
        if streak > 0:
            events.append(StreakEnded(streak_seconds=streak, reason=EndReason.STOOD))
        return events

    def wall_moment(self, moment: WallMoment) -> list[Event]:
        """A wall-clock moment came (the shell's scheduler says which); decide what it means.

        PAUSE_END ends a pause whose wall-clock end has come (a stale job does nothing);
        WORK_HOURS_EDGE and CLOCK_CHANGED re-read work hours; DAY_START reports the new day.
        """
        before = self._phase()
        now = self._clock.now()
        events: list[Event] = []
        if (moment in (WallMoment.PAUSE_END, WallMoment.CLOCK_CHANGED) and self._pause_ends_boottime is None
                and _reached(now + PAUSE_END_EARLY, self._machine.paused_until)):
            events += self._machine.resume()
        if moment in (WallMoment.WORK_HOURS_EDGE, WallMoment.CLOCK_CHANGED):
            events += self._set_outside_work_hours(not is_open(now, self._settings))
        if moment in (WallMoment.DAY_START, WallMoment.CLOCK_CHANGED):
            events += self._offer.new_day(unsit_day(now))
        if moment is WallMoment.DAY_START:
            events.append(DayStarted(day=unsit_day(now)))
        return self._with_phase_change(before, events)

    def snooze(self) -> list[Event]:
        """Nudge again after snooze_minutes more sitting (no-op unless a nudge cycle runs)."""
        if self._phase() not in CYCLE_PHASES:
            return []
        before = self._phase()
        events = self._machine.snooze(self._tracker.streak_seconds, self._settings.snooze_minutes)
        return self._with_phase_change(before, events)

    def skip(self) -> list[Event]:
        """No nudge until another full interval of sitting (no-op unless a nudge cycle runs)."""
        if self._phase() not in CYCLE_PHASES:
            return []
        before = self._phase()
        events = self._machine.skip(self._tracker.streak_seconds)
        return self._with_phase_change(before, events)

    def start_drill(self, drill_id: str) -> list[Event]:
        """A drill window opened on ``drill_id``: no nudges until it finishes or is closed."""
        if self._machine.in_drill:
            return []
        before = self._phase()
        self._drill_streak_seconds = self._tracker.streak_seconds
        events = [*self._machine.start_drill(), *self._offer.block(WithdrawReason.DRILL),
                  *self._standing.block(WithdrawReason.DRILL), DrillStarted(drill_id=drill_id)]
        return self._with_phase_change(before, events)

    def finish_drill(self, drill_id: str, duration_seconds: float) -> list[Event]:
        """The drill was completed: the streak ends and a fresh one starts at zero."""
        before = self._phase()
        events: list[Event] = [DrillFinished(drill_id=drill_id, duration_seconds=duration_seconds)]
        if self._tracker.active:
            ended = self._drill_streak_seconds
            if ended is None or not self._machine.in_drill:
                ended = self._tracker.streak_seconds
            events.append(StreakEnded(streak_seconds=ended, reason=EndReason.DRILL))
        events += self._machine.streak_ended(EndReason.DRILL)
        self._machine.end_drill()
        self._drill_streak_seconds = None
        self._tracker.restart(self._clock.monotonic(), self._clock.boottime())
        return self._with_phase_change(before, events)

    def end_drill_early(self, drill_id: str, elapsed_seconds: float) -> list[Event]:
        """The drill was closed before the end: recorded as skipped."""
        before = self._phase()
        self._machine.end_drill()
        events: list[Event] = [DrillSkipped(drill_id=drill_id, elapsed_seconds=elapsed_seconds)]
        events += self._machine.skip(self._tracker.streak_seconds, announce=False)
        return self._with_phase_change(before, events)

    def pause(self, until: datetime | None) -> list[Event]:
        """No nudges until the wall-clock moment ``until`` (None: until resume()); the streak keeps counting."""
        before = self._phase()
        self._pause_ends_boottime = None
        events = [*self._offer.block(WithdrawReason.PAUSED), *self._standing.block(WithdrawReason.PAUSED),
                  *self._machine.pause(until)]
        return self._with_phase_change(before, events)

    def pause_for(self, seconds: float) -> list[Event]:
        """No nudges for ``seconds`` of real time, however the wall clock is changed meanwhile."""
        before = self._phase()
        self._pause_ends_boottime = self._clock.boottime() + seconds
        events = [*self._offer.block(WithdrawReason.PAUSED), *self._standing.block(WithdrawReason.PAUSED),
                  *self._machine.pause(self._clock.now() + timedelta(seconds=seconds))]
        events = [Paused(until=e.until, for_seconds=seconds) if isinstance(e, Paused) else e for e in events]
        return self._with_phase_change(before, events)

    def resume(self) -> list[Event]:
        """End a pause. Does nothing when not paused."""
        before = self._phase()
        self._pause_ends_boottime = None
        return self._with_phase_change(before, self._machine.resume())

    def _follow_pause(self) -> list[Event]:
        """End a pause given as a length when its real time is up (a pause until a moment waits for PAUSE_END)."""
        if self._pause_ends_boottime is None:
            return []
        left = self._pause_ends_boottime - self._clock.boottime()
        if left <= 0:
            self._pause_ends_boottime = None
            return self._machine.resume()
        # What the wall clock says the end is, shown to the user (it moves only when the clock is changed).
        self._machine.show_pause_end(self._clock.now() + timedelta(seconds=left))
        return []

    def set_work_hours_open(self, is_open: bool) -> list[Event]:
        """Work hours are open or closed from now until the next WORK_HOURS_EDGE (an override)."""
        before = self._phase()
        events = self._set_outside_work_hours(not is_open)
        return self._with_phase_change(before, events)

    def _set_outside_work_hours(self, outside: bool) -> list[Event]:
        """Work hours closed (or opened): nudges and the morning offer follow."""
        events = self._machine.set_outside_work_hours(outside)
        if outside:
            events += [*self._offer.block(WithdrawReason.OUTSIDE_WORK_HOURS),
                       *self._standing.block(WithdrawReason.OUTSIDE_WORK_HOURS)]
        return events

    def answer(self, kind: str, action: str) -> list[Event]:
        """The user picked ``action`` on a reminder of ``kind``; unknown keys or stale answers do nothing.

        Snooze and skip are applied here; the shell opens the drill or routine named by the
        returned ``ReminderAnswered`` (start_drill / start_routine).
        """
        reminder = KINDS.get(kind)
        picked = reminder.action(action) if reminder is not None else None
        if picked is None:
            return []
        if picked.effect is Effect.SNOOZE:
            return self.snooze()
        if picked.effect is Effect.SKIP:
            return self.skip()
        answered = ReminderAnswered(kind=kind, action=action, effect=picked.effect.value,
                                    routine_id=picked.routine_id)
        if picked.effect is Effect.START_DRILL:
            return [answered]
        if kind == STANDING_TOO_LONG.key:
            if picked.effect is Effect.SIT:
                return [*self.sit(), answered] if self._standing.standing else []
            events = self._standing.later(self._clock.monotonic())
            return [*events, answered] if events else []
        offer = self._offers.get(kind)
        if offer is None:
            return []
        events = offer.later() if picked.effect is Effect.LATER else offer.finish()
        return [*events, answered] if events else []  # no events: a stale answer to a closed offer

    def restore_answers(self, kind: str, actions: Sequence[str]) -> None:
        """Tell an offer kind the answers an earlier run recorded today (action keys, oldest first).

        The shell reads them from the history at start-up, so a restart on the same Unsit day
        does not offer again. Unknown kinds or actions are ignored.
        """
        reminder = KINDS.get(kind)
        offer = self._offers.get(kind)
        if reminder is None or offer is None:
            return
        effects = [picked.effect for picked in (reminder.action(a) for a in actions) if picked is not None]
        offer.restore(finished=any(e is not Effect.LATER for e in effects), later=Effect.LATER in effects)

    def set_idle_source(self, name: str) -> None:
        """Name of the idle detector now in use, for status()."""
        self._idle_source = name

    def status(self) -> Status:
        """A snapshot as of the last tick."""
        phase = self._phase()
        streak = self._tracker.streak_seconds
        next_in = None
        if phase in CYCLE_PHASES:
            next_in = max(0.0, self._machine.due_at_seconds() - streak)
        held = self._machine.held
        return Status(
            held_because=held.reasons if held is not None else frozenset(),
            call_seconds=self._calls.call_seconds,
            nudge_waiting=held is not None or phase in PENDING_CYCLES,
            morning_offer=self._offer.state.value if self._settings.morning_routine else "off",
            standing_seconds=(self._standing.standing_seconds(self._clock.monotonic())
                              if self._standing.standing else None),
            phase=phase,
            streak_seconds=streak,
            next_nudge_in_seconds=next_in,
            paused_until=self._machine.paused_until,
            away_seconds=self._tracker.away_seconds,
            present=self._tracker.present,
            idle_source=self._idle_source,
            interval_seconds=self._machine.interval_seconds,
        )

    def _phase(self) -> Phase:
        phase = self._machine.phase(self._tracker.active)
        return Phase.STANDING if self._standing.standing and phase in CYCLE_PHASES else phase

    def _apply_update(self, update: StreakUpdate) -> list[Event]:
        if update.ended is None:
            return []
        self._drill_streak_seconds = None  # a drill under way no longer ends that streak
        events = self._machine.streak_ended(update.ended)
        if update.ended_streak_seconds > 0:
            events.append(StreakEnded(streak_seconds=update.ended_streak_seconds, reason=update.ended))
        return events

    def _with_phase_change(self, before: Phase, events: list[Event]) -> list[Event]:
        after = self._phase()
        if after is not before:
            events.append(PhaseChanged(old=before, new=after))
        return events


def _reached(now: datetime, until: datetime | None) -> bool:
    """True when a pause ``until`` has come (a pause without end never has)."""
    if until is None:
        return False
    if (until.tzinfo is None) != (now.tzinfo is None):
        now = now.replace(tzinfo=until.tzinfo)
    return now >= until
