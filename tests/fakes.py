"""Test doubles shared by the whole suite (import as ``from tests.fakes import FakeClock``)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


class FakeClock:
    """A Clock the test drives: ``advance`` (awake time), ``suspend`` (asleep), ``jump_wall``."""

    def __init__(self, start: datetime | None = None):
        self._mono = 1000.0
        self._sleep = 0.0
        self._wall = start or datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)  # a Monday

    def monotonic(self) -> float:
        return self._mono

    def boottime(self) -> float:
        return self._mono + self._sleep

    def now(self) -> datetime:
        return self._wall

    def advance(self, seconds: float) -> None:
        """Time passes with the machine awake."""
        self._mono += seconds
        self._wall += timedelta(seconds=seconds)

    def suspend(self, seconds: float) -> None:
        """The machine sleeps: boottime and wall time move, monotonic stands still."""
        self._sleep += seconds
        self._wall += timedelta(seconds=seconds)

    def jump_wall(self, seconds: float) -> None:
        """The wall clock is changed (NTP, DST, by hand); no real time passes."""
        self._wall += timedelta(seconds=seconds)
