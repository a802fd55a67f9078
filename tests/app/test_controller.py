"""The Controller on a fake clock: ticks become nudges, intents reach the engine, history records."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from tests.ui.fakes_ui import (
    FakeClockChanges,
    FakeHistory,
    FakeIdle,
    FakeJobs,
    FakePresenter,
    FakeQuiet,
    FakeSession,
    FakeTray,
    FakeWindows,
)
from unsit.app.controller import Controller, pause_until
from unsit.core.engine import Engine
from unsit.core.events import Phase, QuietReason
from unsit.core.settings import Settings
from unsit.ui.tray_art import TrayLook


@pytest.fixture
def rig(qapp, fake_clock):
    quiet = FakeQuiet()
    parts = {"idle_source": FakeIdle(), "session": FakeSession(), "presenter": FakePresenter(), "tray": FakeTray(),
             "wall_jobs": FakeJobs(), "history": FakeHistory(), "windows": FakeWindows(), "quiet": quiet,
             "clock_changes": FakeClockChanges()}
    engine = Engine(Settings(interval_minutes=10, snooze_minutes=5), fake_clock, idle_source="fake")
    controller = Controller(engine=engine, clock=fake_clock, **parts)
    controller.refresh_work_hours()

    class Rig:
        pass

    rig = Rig()
    rig.__dict__.update(parts, engine=engine, controller=controller, clock=fake_clock)

    def sit(seconds, step=5):
        for _ in range(int(seconds // step)):
            fake_clock.advance(step)
            parts["idle_source"].value = 1.0
            controller.tick()

    rig.sit = sit
    return rig


def test_sitting_to_the_interval_presents_one_nudge_and_records_it(rig):
    rig.sit(9 * 60)
    assert rig.presenter.presented == []
    assert rig.tray.views[-1][0] is TrayLook.PROGRESS
    assert 0.85 < rig.tray.views[-1][1] < 0.95
    rig.sit(65)
    assert len(rig.presenter.presented) == 1
    nudge = rig.presenter.presented[0]
    assert "10 min" in nudge.body and nudge.snooze_minutes == 5
    assert rig.tray.views[-1][0] is TrayLook.DUE
    assert "time for a drill" in rig.tray.views[-1][3]
    assert rig.history.kinds() == ["nudge"]


def test_clicking_the_nudge_starts_a_drill_and_finishing_ends_the_streak(rig):
    rig.sit(10 * 60 + 5)
    rig.presenter.drill_requested.emit()
    assert rig.windows.opened == [None]
    assert ("drill_started", {"drill_id": "standing-hip-circles"}) in rig.history.rows
    assert rig.engine.status().phase is Phase.IN_DRILL
    assert rig.presenter.withdrawn >= 1
    rig.windows.drill_finished.emit("standing-hip-circles", 120.0)
    assert rig.engine.status().streak_seconds == 0
    assert rig.history.kinds()[-3:] == ["drill_started", "drill_finished", "streak_ended"] or \
        set(rig.history.kinds()) >= {"drill_started", "drill_finished", "streak_ended"}


def test_ending_a_drill_early_counts_as_skipped(rig):
    rig.controller.start_drill("rotation")
    rig.windows.drill_ended_early.emit("knee-in-knee-out", 20.0)
    assert "drill_skipped" in rig.history.kinds()
    assert rig.engine.status().phase is not Phase.IN_DRILL


def test_snooze_from_the_notification(rig):
    rig.sit(10 * 60 + 5)
    rig.presenter.snooze_requested.emit()
    assert rig.engine.status().phase is Phase.SNOOZED
    assert "snooze" in rig.history.kinds()
    rig.sit(4 * 60)
    assert len(rig.presenter.presented) == 1
    rig.sit(70)
    assert len(rig.presenter.presented) == 2


def test_pause_until_tomorrow_schedules_its_end_and_the_job_resumes(rig):
    until = rig.controller.pause({"until": "tomorrow"})
    assert rig.wall_jobs.pause_end == until
    assert rig.engine.status().phase is Phase.PAUSED
    assert rig.tray.views[-1][0] is TrayLook.PAUSED and rig.tray.views[-1][4]["paused"] is True
    rig.sit(20 * 60)
    assert rig.presenter.presented == []
    rig.wall_jobs.pause_ended.emit()  # a job that ran early (a stale one): the core ignores it
    assert rig.engine.status().phase is Phase.PAUSED
    rig.clock.jump_wall(until.timestamp() - rig.clock.now().timestamp())  # the night passes
    rig.wall_jobs.pause_ended.emit()
    assert rig.engine.status().phase is not Phase.PAUSED
    assert rig.wall_jobs.pause_end is None


def test_a_length_pause_ends_by_real_time_not_a_wall_clock_job(rig):
    # Changed deliberately (issue 10): "pause 30m" no longer schedules a wall-clock job, which a
    # clock change would move; the engine's boottime deadline ends it on a tick.
    until = rig.controller.pause({"minutes": 30})
    assert until == rig.clock.now() + timedelta(minutes=30)
    assert rig.wall_jobs.pause_end is None
    assert rig.engine.status().phase is Phase.PAUSED
    rig.clock.jump_wall(-24 * 3600)  # the clock moves back a day
    rig.sit(20 * 60)
    assert rig.engine.status().paused_until == rig.clock.now() + timedelta(minutes=10)
    assert rig.engine.status().phase is Phase.PAUSED
    rig.sit(10 * 60 + 10)
    assert rig.engine.status().phase is not Phase.PAUSED


def test_a_clock_set_wakes_the_scheduler_and_the_core_rereads_moments(rig):
    # Changed deliberately (issue 11): no tick compares the clocks any more; the clock-change
    # watcher (a timerfd on Linux, tests/platform/test_clock_watch.py) reports a set clock.
    rig.sit(60)
    before = rig.wall_jobs.wakeups
    rig.clock.jump_wall(3600)
    rig.sit(5)
    assert rig.wall_jobs.wakeups == before  # the tick alone never notices
    until = rig.controller.pause({"until": "tomorrow"})
    rig.clock.jump_wall(until.timestamp() - rig.clock.now().timestamp() + 60)  # set past the pause's end
    rig.clock_changes.changed.emit()
    assert rig.wall_jobs.wakeups == before + 1
    assert rig.engine.status().phase is not Phase.PAUSED  # the core re-read the moment at once


def test_a_nudge_held_while_quiet_is_shown_when_quiet_ends_and_recorded_as_seen(rig):
    rig.quiet.value = frozenset({QuietReason.FULL_SCREEN})
    rig.sit(10 * 60 + 5)
    assert rig.presenter.presented == []
    assert rig.history.kinds() == ["nudge_held"]
    assert rig.engine.status().holding_nudge
    rig.quiet.value = frozenset()
    rig.sit(5)
    assert len(rig.presenter.presented) == 1
    assert rig.history.kinds() == ["nudge_held", "nudge"]
    assert not rig.engine.status().holding_nudge


def test_resume_from_sleep_ticks_and_wakes_jobs(rig):
    rig.session.resumed.emit()
    assert rig.wall_jobs.wakeups == 1


def test_lock_change_ticks_at_once(rig):
    rig.sit(60)
    views = len(rig.tray.views)
    rig.session.locked = True
    rig.session.locked_changed.emit(True)
    assert len(rig.tray.views) == views + 1


def test_work_hours_close_the_nudges(rig):
    settings = Settings(interval_minutes=10, work_hours_enabled=True, work_days=("mon",),
                        work_hours=("09:00-17:00",))
    rig.controller.apply_settings(settings)  # the fake clock says Monday 08:00
    assert rig.engine.status().phase is Phase.OUTSIDE_WORK_HOURS
    assert rig.wall_jobs.boundary is not None and rig.wall_jobs.boundary.hour == 9
    rig.sit(15 * 60)
    assert rig.presenter.presented == []
    assert rig.presenter.style == "system"


def test_day_rollover_refreshes_history(rig):
    rig.wall_jobs.day_rolled_over.emit()
    assert rig.windows.history_refreshes == 1


def test_pause_until_tomorrow_is_next_day_start(fake_clock):
    now = fake_clock.now().replace(hour=10)
    assert pause_until(now, {"until": "tomorrow"}) == (now + timedelta(days=1)).replace(hour=4, minute=0)
    night = now.replace(hour=1)
    assert pause_until(night, {"until": "tomorrow"}) == night.replace(hour=4)
    assert pause_until(now, {"until": "indefinitely"}) is None
    with pytest.raises(ValueError):
        pause_until(now, {"until": "never"})


def test_the_status_line_says_a_nudge_is_held_and_why(rig):
    rig.quiet.value = frozenset({QuietReason.NOTIFICATIONS_PAUSED})
    rig.sit(10 * 60 + 5)
    assert rig.tray.views[-1][3].endswith(": a nudge waits (notifications paused)")


def test_a_slow_quiet_answer_never_blocks_the_tick_and_the_nudge_follows_it(qapp, qtbot, fake_clock):
    """The app's wiring: QuietAnswers asks on a worker; its ``answered`` ticks the controller."""
    import threading
    import time

    from unsit.platform.quiet_answers import QuietAnswers

    release = threading.Event()

    def slow_desktop() -> frozenset[QuietReason]:
        assert release.wait(10)
        return frozenset()

    quiet = QuietAnswers(slow_desktop, fake_clock.monotonic)
    parts = {"idle_source": FakeIdle(), "session": FakeSession(), "presenter": FakePresenter(), "tray": FakeTray(),
             "wall_jobs": FakeJobs(), "history": FakeHistory(), "windows": FakeWindows(), "quiet": quiet}
    # The nudge alone asks here: the morning offer (due at the first tick) would ask first.
    settings = Settings(interval_minutes=10, snooze_minutes=5, morning_routine=False)
    engine = Engine(settings, fake_clock, idle_source="fake")
    controller = Controller(engine=engine, clock=fake_clock, **parts)
    quiet.answered.connect(controller.tick)
    parts["idle_source"].value = 1.0
    controller.tick()
    started = time.monotonic()
    for _ in range(120):  # to the interval: the desktop is asked and has not answered
        fake_clock.advance(5)
        controller.tick()
    assert time.monotonic() - started < 2.0
    assert parts["presenter"].presented == [] and parts["history"].kinds() == []
    release.set()
    qtbot.waitUntil(lambda: len(parts["presenter"].presented) == 1, timeout=5000)
    assert parts["history"].kinds() == ["nudge"]
    quiet.close()


def test_a_routine_is_one_drill_session_to_the_engine_and_finishing_it_ends_the_streak(rig):
    rig.sit(6 * 60)
    rig.controller.start_routine("morning")
    assert rig.windows.routines_opened == ["morning"]
    assert rig.engine.status().phase is Phase.IN_DRILL
    assert ("drill_started", {"drill_id": "routine:morning"}) in rig.history.rows
    rig.windows.drill_finished.emit("routine:morning", 310.0)
    assert rig.engine.status().streak_seconds == 0
    assert ("drill_finished", {"drill_id": "routine:morning", "duration_seconds": 310.0}) in rig.history.rows


def test_an_unknown_routine_starts_nothing(rig):
    rig.controller.start_routine("unknown")
    assert rig.engine.status().phase is not Phase.IN_DRILL
    assert "drill_started" not in rig.history.kinds()


class StandInCaptureWatch:
    """A capture watch whose calls the test starts and ends (from a thread of its own, like the real ones)."""

    name = "stand-in"

    def __init__(self, clock):
        self.on_change = None
        self._clock = clock
        self._capture = None

    def start(self):
        pass

    def stop(self):
        pass

    def capturing(self):
        return self._capture

    def set_call(self, active: bool):
        from unsit.platform.capture.base import Capture

        self._capture = Capture(("Jitsi",), self._clock.monotonic()) if active else None
        thread = threading.Thread(target=self.on_change)
        thread.start()
        thread.join()


def test_a_call_holds_the_nudge_and_its_end_delivers_it_at_once_with_the_calls_length(qapp, qtbot, fake_clock):
    from unsit.platform.capture.qt_signal import CallWatch

    stand_in = StandInCaptureWatch(fake_clock)
    calls = CallWatch(stand_in)
    parts = {"idle_source": FakeIdle(), "session": FakeSession(), "presenter": FakePresenter(), "tray": FakeTray(),
             "wall_jobs": FakeJobs(), "history": FakeHistory(), "windows": FakeWindows()}
    engine = Engine(Settings(interval_minutes=10), fake_clock, idle_source="fake")
    controller = Controller(engine=engine, clock=fake_clock, calls=calls, **parts)
    with qtbot.waitSignal(controller.rendered):
        stand_in.set_call(True)  # the change reaches the GUI thread as a tick
    assert engine.status().in_call
    parts["idle_source"].value = 900.0  # nobody types during the call
    for _ in range(12 * 12):
        fake_clock.advance(5)
        controller.tick()
    assert parts["presenter"].presented == []
    assert engine.status().held_because == {QuietReason.CALL}
    assert "Holding the nudge: you're in a call (12 min)" in parts["tray"].views[-1][2]
    with qtbot.waitSignal(controller.rendered):
        stand_in.set_call(False)
    [nudge] = parts["presenter"].presented
    assert nudge.body == "You sat through a 12-minute call. Stand up for a hip drill (about 2 min)?"
    assert "call" in parts["history"].kinds()


def _handler(rig):
    from unsit.app.commands import CommandHandler

    return CommandHandler(rig.controller, dict, lambda: None, rig.windows, lambda: None)


def test_unsit_snooze_with_no_nudge_waiting_says_so_and_changes_nothing(rig):
    rig.sit(9 * 60 + 50)
    before = rig.engine.status()
    reply = _handler(rig)({"command": "snooze"})
    assert reply["ok"] and reply["snoozed"] is False
    assert reply["message"] == "No nudge is waiting, so there is nothing to snooze."
    after = rig.engine.status()
    assert after.phase is Phase.SITTING and after.next_nudge_in_seconds == before.next_nudge_in_seconds
    assert "snooze" not in rig.history.kinds()
    rig.sit(15)
    assert len(rig.presenter.presented) == 1
    assert _handler(rig)({"command": "snooze"})["message"] == "Snoozed"
    assert rig.engine.status().phase is Phase.SNOOZED


def test_the_status_command_gives_the_pause_end_in_local_time_for_people(rig, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    import time

    time.tzset()
    try:
        until = rig.controller.pause({"minutes": 30})
        status = _handler(rig)({"command": "status"})["status"]
        assert status["paused_until"] == until.isoformat()  # the ISO field stays
        local = until.astimezone()
        assert status["paused_until_text"].endswith(f"{local.hour:02d}:{local.minute:02d}")
        assert local.utcoffset() is not None and local.utcoffset().total_seconds() > 0
        again = _handler(rig)({"command": "pause", "minutes": 30})
        assert again["message"] == f"Paused until {status['paused_until_text']}"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_a_microphone_open_too_long_without_input_is_said_once_naming_the_application(qapp, qtbot, fake_clock):
    from unsit.core.calls import NO_INPUT_MARGIN_SECONDS
    from unsit.platform.capture.qt_signal import CallWatch

    stand_in = StandInCaptureWatch(fake_clock)
    calls = CallWatch(stand_in)
    parts = {"idle_source": FakeIdle(), "session": FakeSession(), "presenter": FakePresenter(), "tray": FakeTray(),
             "wall_jobs": FakeJobs(), "history": FakeHistory(), "windows": FakeWindows()}
    engine = Engine(Settings(interval_minutes=30, away_reset_minutes=1), fake_clock, idle_source="fake")
    controller = Controller(engine=engine, clock=fake_clock, calls=calls, **parts)
    with qtbot.waitSignal(controller.rendered):
        stand_in.set_call(True)
    idle = 0.0
    for _ in range(int((60 + NO_INPUT_MARGIN_SECONDS + 600) / 60)):  # an hour without input, the mic open
        fake_clock.advance(60)
        idle += 60
        parts["idle_source"].value = idle
        controller.tick()
    [(title, body)] = parts["presenter"].informed
    assert title == "The microphone has been on for a long time"
    assert "Jitsi" in body and "46 min" in body and "no longer takes this for a call" in body
    assert engine.status().phase is Phase.AWAY and not engine.status().in_call


def test_drill_during_a_drill_says_which_one_runs_and_claims_no_start(rig):
    """Issue 21 item 12: `unsit drill hinge` during a drill answered "Started: …" with exit 0."""
    from unsit.app.commands import CommandHandler

    handler = CommandHandler(rig.controller, dict, lambda: None, rig.windows, lambda: None)
    assert handler({"command": "drill", "family": "rotation"})["message"] == "Started: Standing hip circles"
    rig.windows.running = "Unsit — Standing hip circles"
    for request in ({"command": "drill", "family": "hinge"}, {"command": "drill", "routine": "morning"}):
        reply = handler(request)
        assert reply["ok"] is False and reply["drill_running"] is True
        assert reply["error"] == "A drill is already running: Unsit — Standing hip circles. Finish or end it first."
    assert rig.windows.routines_opened == [] and rig.engine.status().phase is Phase.IN_DRILL
