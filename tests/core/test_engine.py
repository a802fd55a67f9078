"""Engine: composition of streak and nudges, status, settings, work hours, pauses.

``Desk`` (a user at a FakeClock-driven computer) is shared by the other core tests.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from unsit.core.engine import Engine, Observation, Status
from unsit.core.events import (
    EndReason,
    NudgeDue,
    NudgeWithdrawn,
    Paused,
    Phase,
    PhaseChanged,
    Resumed,
    StreakEnded,
    WallMoment,
)
from unsit.core.settings import Settings


class Desk:
    """A user at a computer: drives the FakeClock, ticks the engine, keeps every event.

    The simulated OS idle counter counts through suspend (like boottime) unless
    ``idle_through_sleep`` is False; ``detector=False`` makes every observation None.
    """

    def __init__(
        self,
        clock,
        settings: Settings | None = None,
        idle_through_sleep: bool = True,
        detector: bool = True,
    ):
        self.clock = clock
        self.engine = Engine(settings or Settings(), clock, "x11" if detector else "none")
        self.idle_through_sleep = idle_through_sleep
        self.detector = detector
        self.last_input = self._now()
        self.locked = False
        self.events: list = []
        self.nudge_log: list[tuple[float, NudgeDue]] = []  # (monotonic, event)

    def _now(self) -> float:
        return self.clock.boottime() if self.idle_through_sleep else self.clock.monotonic()

    def observation(self) -> Observation:
        idle = self._now() - self.last_input if self.detector else None
        return Observation(idle_seconds=idle, locked=self.locked)

    def tick(self) -> list:
        events = self.engine.tick(self.observation())
        self._keep(events)
        return events

    def call(self, method: str, *args) -> list:
        events = getattr(self.engine, method)(*args)
        self._keep(events)
        return events

    def _keep(self, events: list) -> None:
        self.events += events
        for event in events:
            if isinstance(event, NudgeDue):
                self.nudge_log.append((self.clock.monotonic(), event))

    def type_for(self, seconds: float, step: float = 5.0) -> None:
        """Work with input in every tick window."""
        for _ in range(round(seconds / step)):
            self.clock.advance(step)
            self.last_input = self._now()
            self.tick()

    def rest_for(self, seconds: float, step: float = 5.0) -> None:
        """Sit (or stand) without touching anything."""
        for _ in range(round(seconds / step)):
            self.clock.advance(step)
            self.tick()

    @property
    def streak(self) -> float:
        return self.engine.status().streak_seconds

    @property
    def phase(self) -> Phase:
        return self.engine.status().phase

    def nudges(self) -> list[float]:
        return [e.streak_seconds for e in self.events if isinstance(e, NudgeDue)]

    def of(self, kind) -> list:
        return [e for e in self.events if isinstance(e, kind)]


@pytest.fixture
def desk(fake_clock):
    return Desk(fake_clock)


def test_starts_sitting_with_no_streak(desk):
    status = desk.engine.status()
    assert status.phase is Phase.SITTING
    assert status.streak_seconds == 0
    assert status.next_nudge_in_seconds == 3600
    assert status.interval_seconds == 3600
    assert status.present
    assert status.idle_source == "x11"
    assert desk.engine.settings == Settings()


def test_status_follows_the_streak(desk):
    desk.type_for(600)
    status = desk.engine.status()
    assert status.streak_seconds == pytest.approx(600)
    assert status.next_nudge_in_seconds == pytest.approx(3000)
    assert status.away_seconds == pytest.approx(0)
    desk.rest_for(90)
    status = desk.engine.status()
    assert status.away_seconds == pytest.approx(90)
    assert not status.present
    assert status.streak_seconds == pytest.approx(690)


def test_status_json_dict(desk):
    desk.type_for(600)
    desk.clock.advance(2.5)
    desk.tick()
    until = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
    desk.call("pause", until)
    data = desk.engine.status().to_json_dict()
    assert data == {
        "phase": "paused",
        "streak_seconds": 602,
        "next_nudge_in_seconds": None,
        "paused_until": "2026-11-23T12:00:00+00:00",
        "away_seconds": 2,
        "present": True,
        "idle_source": "x11",
        "interval_seconds": 3600,
        "morning_offer": "done",  # shown at the first sit-down, then taken back by the pause
        "posture": "sitting",
        "standing_seconds": 0,
    }
    desk.call("resume")
    data = desk.engine.status().to_json_dict()
    assert data["phase"] == "sitting"
    assert data["next_nudge_in_seconds"] == 2998  # 2997.5 rounded up: never "0" before it is due
    assert data["paused_until"] is None


def test_status_is_a_frozen_snapshot(desk):
    status = desk.engine.status()
    assert isinstance(status, Status)
    with pytest.raises(AttributeError):
        status.phase = Phase.AWAY  # type: ignore[misc]


def test_no_idle_detector_reports_source_none_and_counts_awake_time(fake_clock):
    desk = Desk(fake_clock, detector=False)
    desk.rest_for(3600)
    status = desk.engine.status()
    assert status.idle_source == "none"
    assert status.present
    assert desk.nudges() == [3600]


def test_set_idle_source_shows_in_status(desk):
    desk.engine.set_idle_source("gnome")
    assert desk.engine.status().idle_source == "gnome"


def test_wall_clock_jumps_change_nothing(desk):
    desk.type_for(1800)
    for jump in (3600, -7200, 86400, -3600):
        desk.clock.jump_wall(jump)
        assert desk.tick() == []
        assert desk.streak == pytest.approx(1800)
    desk.type_for(1800)
    assert desk.nudges() == [3600]


def test_sleep_never_adds_to_the_streak(desk):
    desk.type_for(600)
    desk.clock.suspend(200)
    desk.tick()
    assert desk.streak == pytest.approx(600)


def test_streak_end_is_reported_with_reason_and_phase_away(desk):
    desk.type_for(1200)
    desk.rest_for(300)
    assert desk.of(StreakEnded) == [StreakEnded(streak_seconds=1200, reason=EndReason.AWAY)]
    assert desk.phase is Phase.AWAY
    assert desk.engine.status().next_nudge_in_seconds is None
    assert desk.of(PhaseChanged)[-1] == PhaseChanged(Phase.SITTING, Phase.AWAY)
    desk.type_for(5)
    assert desk.phase is Phase.SITTING
    assert desk.of(PhaseChanged)[-1] == PhaseChanged(Phase.AWAY, Phase.SITTING)


def test_locked_and_asleep_reasons(desk):
    desk.type_for(600)
    desk.locked = True
    desk.rest_for(300)
    desk.locked = False
    desk.type_for(600)
    desk.clock.suspend(3600)
    desk.tick()
    assert [(e.streak_seconds, e.reason) for e in desk.of(StreakEnded)] == [
        (600, EndReason.LOCKED),
        (pytest.approx(595), EndReason.ASLEEP),  # the first tick after unlocking started it
    ]


def test_an_empty_streak_ending_is_not_reported(fake_clock):
    desk = Desk(fake_clock)
    desk.last_input -= 3600  # nobody at the desk when the app started
    desk.rest_for(5)
    assert desk.of(StreakEnded) == []
    assert desk.phase is Phase.AWAY


def test_one_phase_change_per_call(desk):
    desk.type_for(3600)
    events = desk.call("start_drill", "d")
    assert [e for e in events if isinstance(e, PhaseChanged)] == [
        PhaseChanged(Phase.NUDGE_DUE, Phase.IN_DRILL)
    ]


def test_apply_settings_takes_effect_at_once(desk):
    desk.type_for(1800)
    events = desk.call("apply_settings", Settings(interval_minutes=20))
    assert not any(isinstance(e, NudgeDue) for e in events)
    assert desk.engine.settings.interval_minutes == 20
    assert desk.engine.status().next_nudge_in_seconds == 0
    events = desk.tick()  # no time has passed: the tick alone delivers it
    assert NudgeDue(streak_seconds=1800, repeat=0) in events


def test_apply_settings_longer_interval_postpones(desk):
    desk.type_for(1800)
    desk.call("apply_settings", Settings(interval_minutes=90))
    desk.type_for(3600)
    assert desk.nudges() == [5400]


def test_apply_settings_shorter_reset_ends_the_streak_next_tick(desk):
    desk.type_for(600)
    desk.rest_for(200)
    desk.call("apply_settings", Settings(away_reset_minutes=2))
    assert desk.phase is Phase.SITTING
    desk.rest_for(5)
    assert desk.phase is Phase.AWAY


def test_pause_until_resumes_when_the_time_comes(desk):
    """A pause until a moment ends by the scheduler's PAUSE_END, never by the tick."""
    until = desk.clock.now() + timedelta(minutes=30)
    events = desk.call("pause", until)
    assert Paused(until=until) in events
    assert desk.engine.status().paused_until == until
    desk.type_for(1795)
    assert desk.phase is Phase.PAUSED
    assert desk.call("wall_moment", WallMoment.PAUSE_END) == []  # a job that fired early: ignored
    desk.clock.advance(5)
    assert desk.tick() == []  # the tick no longer reads the wall clock for pauses
    assert desk.phase is Phase.PAUSED
    events = desk.call("wall_moment", WallMoment.PAUSE_END)
    assert Resumed() in events
    assert PhaseChanged(Phase.PAUSED, Phase.SITTING) in events
    assert desk.phase is Phase.SITTING
    assert desk.engine.status().paused_until is None
    assert desk.call("resume") == []  # the UI's own job comes late: harmless


def test_pause_with_a_naive_until(desk):
    until = desk.clock.now().replace(tzinfo=None) + timedelta(minutes=1)
    desk.call("pause", until)
    desk.type_for(65)
    desk.call("wall_moment", WallMoment.PAUSE_END)
    assert desk.phase is Phase.SITTING


def test_work_hours_from_the_clock(fake_clock):
    # FakeClock starts Monday 08:00; work hours 09:00-10:00.
    settings = Settings(work_hours_enabled=True, work_hours=("09:00-10:00",), interval_minutes=30)
    desk = Desk(fake_clock, settings)
    assert desk.phase is Phase.OUTSIDE_WORK_HOURS
    assert desk.engine.status().next_nudge_in_seconds is None
    desk.type_for(3595)  # 08:00-08:59:55: sitting, but no nudges
    assert desk.nudges() == []
    assert desk.phase is Phase.OUTSIDE_WORK_HOURS
    desk.type_for(5)  # 09:00: the tick alone does not open work hours
    assert desk.phase is Phase.OUTSIDE_WORK_HOURS
    desk.call("wall_moment", WallMoment.WORK_HOURS_EDGE)  # the scheduler's job at 09:00 opens them
    desk.tick()  # and the shell ticks at once: the overdue nudge comes
    assert desk.nudges() == [3600]
    assert desk.phase is Phase.NUDGE_DUE
    desk.type_for(3595)  # until 09:59:55
    desk.clock.advance(5)
    desk.call("wall_moment", WallMoment.WORK_HOURS_EDGE)  # 10:00 closes them
    desk.tick()
    assert desk.phase is Phase.OUTSIDE_WORK_HOURS
    assert NudgeWithdrawn("outside_work_hours") in desk.events
    assert desk.nudges() == [3600, 4200, 4800, 5400, 6000, 6600]


def test_set_work_hours_open_overrides_until_the_next_boundary(fake_clock):
    settings = Settings(work_hours_enabled=True, work_hours=("09:00-10:00",), interval_minutes=30)
    desk = Desk(fake_clock, settings)
    desk.call("set_work_hours_open", True)  # e.g. the user asked for nudges now
    desk.type_for(1800)
    assert desk.nudges() == [1800]
    assert desk.phase is Phase.NUDGE_DUE
    desk.call("set_work_hours_open", False)
    assert desk.phase is Phase.OUTSIDE_WORK_HOURS


def test_enabling_work_hours_in_settings_closes_at_once(desk):
    events = desk.call("apply_settings", Settings(work_hours_enabled=True, work_hours=("12:00-13:00",)))
    assert PhaseChanged(Phase.SITTING, Phase.OUTSIDE_WORK_HOURS) in events
    events = desk.call("apply_settings", Settings())
    assert PhaseChanged(Phase.OUTSIDE_WORK_HOURS, Phase.SITTING) in events
