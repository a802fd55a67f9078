"""The Wayland idle source's logic, driven by fake ext-idle-notify event sequences on a fake clock."""

from __future__ import annotations

import logging

import pytest

from unsit.core.streak import StreakTracker
from unsit.platform.idle import candidate_sources
from unsit.platform.idle.idle_timeline import IdleState, IdleTimeline
from unsit.platform.idle.wayland import WaylandIdleSource, wayland_socket_path

TIMEOUT = 5.0


def make_source(fake_clock, timeout: float = TIMEOUT) -> WaylandIdleSource:
    return WaylandIdleSource(IdleTimeline(timeout), clock=fake_clock.monotonic)


def test_timeline_is_zero_until_idled_then_exact_from_the_last_input(fake_clock) -> None:
    timeline = IdleTimeline(TIMEOUT)
    assert timeline.state is IdleState.ACTIVE
    assert timeline.idle_seconds(fake_clock.monotonic()) == 0.0
    fake_clock.advance(3)  # input stopped at t=0; the compositor has not said anything yet
    assert timeline.idle_seconds(fake_clock.monotonic()) == 0.0
    fake_clock.advance(2)
    timeline.idled(fake_clock.monotonic())  # at t=5: no input for 5 s
    assert timeline.idle_seconds(fake_clock.monotonic()) == 5.0
    fake_clock.advance(55)
    assert timeline.idle_seconds(fake_clock.monotonic()) == 60.0
    timeline.resumed(fake_clock.monotonic())
    assert timeline.state is IdleState.ACTIVE
    assert timeline.idle_seconds(fake_clock.monotonic()) == 0.0


def test_a_repeated_idled_keeps_the_first_moment(fake_clock) -> None:
    timeline = IdleTimeline(TIMEOUT)
    timeline.idled(fake_clock.monotonic())
    fake_clock.advance(30)
    timeline.idled(fake_clock.monotonic())  # no news: must not pull the last input forward
    assert timeline.idle_seconds(fake_clock.monotonic()) == 35.0


def test_a_clock_read_before_the_event_never_gives_negative_idle(fake_clock) -> None:
    timeline = IdleTimeline(TIMEOUT)
    now = fake_clock.monotonic()
    timeline.idled(now)
    assert timeline.idle_seconds(now - 10) == 0.0


@pytest.mark.parametrize("bad", [0, -1])
def test_timeline_refuses_a_timeout_that_is_not_positive(bad) -> None:
    with pytest.raises(ValueError, match="timeout_seconds"):
        IdleTimeline(bad)


def test_source_reports_what_the_events_say_and_none_once_lost(fake_clock, caplog) -> None:
    source = make_source(fake_clock)
    assert source.name == "wayland-ext-idle"
    assert source.idle_seconds() == 0.0
    fake_clock.advance(TIMEOUT)
    source.on_idled()
    fake_clock.advance(10)
    assert source.idle_seconds() == 15.0
    source.on_resumed()
    assert source.idle_seconds() == 0.0
    with caplog.at_level(logging.WARNING, logger="unsit.platform.idle.wayland"):
        source.on_lost("broken pipe")
        source.on_lost("broken pipe")
    assert source.idle_seconds() is None
    assert caplog.text.count("Wayland idle source lost") == 1  # logged once
    source.close()
    source.close()  # safe twice


def test_a_closed_source_answers_none_without_a_warning(fake_clock, caplog) -> None:
    source = make_source(fake_clock)
    source.on_idled()
    with caplog.at_level(logging.WARNING, logger="unsit.platform.idle.wayland"):
        source.close()
    assert source.idle_seconds() is None
    assert caplog.text == ""


def run_day(fake_clock, source: WaylandIdleSource, script: list[tuple[float, str]], away_reset: float = 60.0,
            tick: float = 5.0) -> list[tuple[float, float, float, bool]]:
    """Tick a StreakTracker every ``tick`` s while the compositor's events happen as scripted.

    ``script`` holds (seconds from the start, "idled" | "resumed") pairs. Returns
    (t, streak, away, active) after every tick.
    """
    tracker = StreakTracker(away_reset, fake_clock.monotonic(), fake_clock.boottime())
    start = fake_clock.monotonic()
    events = sorted(script)
    readings = []
    end = events[-1][0] + 120 if events else 120
    t = 0.0
    while t < end:
        step_end = t + tick
        while events and events[0][0] <= step_end:
            at, kind = events.pop(0)
            fake_clock.advance(at - (fake_clock.monotonic() - start))
            source.on_idled() if kind == "idled" else source.on_resumed()
        fake_clock.advance(step_end - (fake_clock.monotonic() - start))
        t = step_end
        tracker.observe(fake_clock.monotonic(), fake_clock.boottime(), source.idle_seconds(), locked=False)
        readings.append((t, tracker.streak_seconds, tracker.away_seconds, tracker.active))
    return readings


def test_streak_ends_a_minute_after_the_last_input_within_one_tick(fake_clock) -> None:
    # Typing for 100 s (no events), then gone: idled comes 5 s after the last key.
    readings = run_day(fake_clock, make_source(fake_clock), [(105.0, "idled")])
    ended_at = next(t for t, _streak, _away, active in readings if not active)
    assert 160.0 <= ended_at < 165.0  # away_reset 60 s after the last input at t=100, next tick
    at_130 = next(r for r in readings if r[0] == 130.0)
    assert at_130[3] and at_130[1] == 130.0  # a 30 s pause still counts as sitting
    assert at_130[2] == 30.0  # ... and the away run is exact, not rounded to the timeout


def test_presence_follows_the_last_input_within_the_timeout(fake_clock) -> None:
    # Gone at 40 (idled at 45), back at 72 (resumed), gone again at 80 (idled at 85).
    readings = run_day(fake_clock, make_source(fake_clock), [(45.0, "idled"), (72.0, "resumed"), (85.0, "idled")])
    by_t = {t: (streak, away, active) for t, streak, away, active in readings}
    assert by_t[70.0][1] == 30.0  # the away run before the return: exact
    assert by_t[75.0][1] <= TIMEOUT  # back at the desk: present again
    assert by_t[75.0][2] and by_t[75.0][0] == 75.0  # a 32 s pause did not end the streak
    assert by_t[135.0][2] is True and by_t[140.0][2] is False  # gone at 80 -> ended at 140


def test_a_video_with_an_idle_inhibitor_keeps_the_streak(fake_clock) -> None:
    # An inhibitor (a playing video) stops the compositor from sending idled: the user is
    # watching at the desk, which is sitting. Nothing arrives for 10 minutes.
    readings = run_day(fake_clock, make_source(fake_clock), [], tick=5.0)
    assert all(active for *_rest, active in readings)
    assert readings[-1][1] == readings[-1][0]


def test_socket_path_from_the_environment() -> None:
    assert wayland_socket_path({}) is None
    assert wayland_socket_path({"WAYLAND_DISPLAY": "wayland-1"}) is None  # no runtime dir: unknowable
    assert wayland_socket_path({"WAYLAND_DISPLAY": "wayland-1", "XDG_RUNTIME_DIR": "/run/user/7"}) == \
        "/run/user/7/wayland-1"
    assert wayland_socket_path({"WAYLAND_DISPLAY": "/tmp/x/wayland-0", "XDG_RUNTIME_DIR": "/r"}) == "/tmp/x/wayland-0"


def test_wayland_order_gnome_monitor_then_ext_idle_then_freedesktop() -> None:
    def names(env: dict[str, str]) -> list[str]:
        return [name for name, _ in candidate_sources(env, "linux")]

    bus = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nowhere", "XDG_RUNTIME_DIR": "/run/user/7"}
    wayland = {**bus, "WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}
    assert names({**wayland, "XDG_CURRENT_DESKTOP": "sway"}) == ["wayland-ext-idle", "freedesktop", "gnome"]
    # KDE Plasma 6 answers the freedesktop call with NotSupported: the protocol comes first.
    assert names({**wayland, "XDG_CURRENT_DESKTOP": "KDE"}) == ["wayland-ext-idle", "freedesktop", "gnome"]
    # Mutter has no ext-idle-notify; its own monitor is best there.
    assert names({**wayland, "XDG_CURRENT_DESKTOP": "ubuntu:GNOME"}) == ["gnome", "wayland-ext-idle", "freedesktop"]
    # No bus: the protocol alone.
    assert names({"WAYLAND_DISPLAY": "/tmp/w/wayland-0"}) == ["wayland-ext-idle"]
    # An X11 session asks X first.
    assert names({**bus, "DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"}) == ["x11", "freedesktop", "gnome"]
