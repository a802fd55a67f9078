"""A pause given as a length lasts that long, whatever the wall clock does meanwhile."""

from __future__ import annotations

from datetime import timedelta

from tests.core.test_engine import Desk
from unsit.core.events import Paused, Phase, Resumed, WallMoment


def test_pause_30m_then_the_clock_moves_back_a_day(fake_clock):
    desk = Desk(fake_clock)
    events = desk.call("pause_for", 30 * 60)
    assert Paused(until=fake_clock.now() + timedelta(minutes=30), for_seconds=1800) in events
    desk.type_for(600)
    fake_clock.jump_wall(-24 * 3600)
    desk.tick()
    # what the user sees follows the clock: 20 minutes from the new "now", not a day ahead
    assert desk.engine.status().paused_until == fake_clock.now() + timedelta(minutes=20)
    desk.type_for(1195)
    assert desk.phase is Phase.PAUSED
    desk.clock.advance(5)
    assert Resumed() in desk.tick()
    assert desk.phase is not Phase.PAUSED


def test_pause_30m_then_the_clock_moves_forward_a_day_does_not_end_it(fake_clock):
    desk = Desk(fake_clock)
    desk.call("pause_for", 30 * 60)
    desk.type_for(60)
    fake_clock.jump_wall(24 * 3600)
    desk.tick()
    assert desk.phase is Phase.PAUSED
    desk.type_for(29 * 60 - 5)
    assert desk.phase is Phase.PAUSED
    desk.type_for(10)
    assert desk.phase is not Phase.PAUSED


def test_time_asleep_counts_towards_a_length_pause(fake_clock):
    desk = Desk(fake_clock)
    desk.call("pause_for", 30 * 60)
    fake_clock.suspend(45 * 60)
    desk.tick()
    assert desk.phase is not Phase.PAUSED


def test_a_pause_until_a_moment_still_follows_the_wall_clock(fake_clock):
    desk = Desk(fake_clock)
    desk.call("pause", fake_clock.now() + timedelta(hours=2))
    fake_clock.jump_wall(3 * 3600)
    desk.tick()
    assert desk.phase is Phase.PAUSED  # the tick keeps no wall-clock moments
    desk.call("wall_moment", WallMoment.CLOCK_CHANGED)  # the clock-change watcher wakes the scheduler
    assert desk.phase is not Phase.PAUSED


def test_resume_clears_a_length_pause(fake_clock):
    desk = Desk(fake_clock)
    desk.call("pause_for", 60)
    desk.call("resume")
    desk.call("pause", None)  # then an open-ended pause: the old deadline must not end it
    desk.type_for(120)
    assert desk.phase is Phase.PAUSED
