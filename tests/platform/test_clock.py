import sys
import time

import pytest

from unsit.core.clock import Clock
from unsit.platform.clock import SystemClock


def _readings(clock: SystemClock, count: int = 200) -> list[tuple[float, float]]:
    return [(clock.monotonic(), clock.boottime()) for _ in range(count)]


def test_satisfies_the_core_clock_protocol():
    clock: Clock = SystemClock()
    assert isinstance(clock.monotonic(), float)
    assert isinstance(clock.boottime(), float)


def test_readings_never_go_back():
    readings = _readings(SystemClock())
    monotonic = [m for m, _ in readings]
    boottime = [b for _, b in readings]
    assert monotonic == sorted(monotonic)
    assert boottime == sorted(boottime)


def test_boottime_is_at_least_monotonic_and_the_gap_does_not_shrink():
    readings = _readings(SystemClock())
    gaps = [b - m for m, b in readings]
    assert all(gap >= 0 for gap in gaps)
    # Both clocks tick at the same rate while awake: the gap (time asleep) only grows.
    # Allow for the time between the two reads of one pair on a busy machine.
    assert max(gaps) - min(gaps) < 0.5


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux clock ids")
def test_linux_uses_monotonic_and_boottime_clocks():
    clock = SystemClock()
    before = time.clock_gettime(time.CLOCK_MONOTONIC)
    reading = clock.monotonic()
    after = time.clock_gettime(time.CLOCK_MONOTONIC)
    assert before <= reading <= after
    before = time.clock_gettime(time.CLOCK_BOOTTIME)
    reading = clock.boottime()
    after = time.clock_gettime(time.CLOCK_BOOTTIME)
    assert before <= reading <= after


def test_other_platforms_fall_back_to_time_monotonic():
    clock = SystemClock(platform="win32")
    before = time.monotonic()
    monotonic, boottime = clock.monotonic(), clock.boottime()
    after = time.monotonic()
    assert before <= monotonic <= boottime <= after


def test_now_is_timezone_aware_local_time():
    now = SystemClock().now()
    assert now.tzinfo is not None
    assert now.utcoffset() is not None
    assert abs(now.timestamp() - time.time()) < 5
