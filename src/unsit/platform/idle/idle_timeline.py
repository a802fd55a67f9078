"""Idle seconds from idle/resume events (pure: no Wayland, no clock of its own).

Wayland's ext-idle-notify-v1 does not offer a counter. A notification with timeout ``T``
sends ``idled`` once the user has given no input for ``T`` and ``resumed`` at the first
input after that. So:

* after ``idled`` (received at ``t``), the last input was at ``t - T``: from then on the idle
  time is known exactly, ``now - t + T``, until the next ``resumed``;
* otherwise (no ``idled`` since the last ``resumed``, or since the notification was made),
  the last input was less than ``T`` ago: the idle time lies in ``[0, T)``.

:class:`IdleTimeline` reports 0 in the second case, so its value is never more than ``T``
below the truth and exact from ``T`` on. With ``T`` of a few seconds that is well inside what
the streak needs (presence means input within 30 s; an away reset is at least 1 min), and
one notification suffices: more timeouts would only narrow the first ``T`` seconds.
"""

from __future__ import annotations

from enum import Enum


class IdleState(Enum):
    """What the compositor last said about the user."""

    ACTIVE = "active"  # input within the timeout (or no event yet)
    IDLED = "idled"  # no input for the timeout: the last input time is known


class IdleTimeline:
    """Turns ``idled`` / ``resumed`` events of one notification into idle seconds.

    All times are readings of one monotonic clock, in seconds, passed in by the caller.

    Args:
        timeout_seconds: the notification's timeout.
    """

    def __init__(self, timeout_seconds: float):
        if timeout_seconds <= 0:
            raise ValueError(f"timeout_seconds must be > 0, got {timeout_seconds!r}")
        self.timeout_seconds = float(timeout_seconds)
        self.state = IdleState.ACTIVE
        self._last_input: float | None = None  # known moment of the last input, when IDLED

    def idled(self, now: float) -> None:
        """The compositor said: no input for the timeout (event received at ``now``)."""
        if self.state is IdleState.IDLED:
            return  # a repeat carries no news; keep the first (earliest) moment
        self.state = IdleState.IDLED
        self._last_input = now - self.timeout_seconds

    def resumed(self, now: float) -> None:
        """The compositor said: input came back (at ``now``)."""
        self.state = IdleState.ACTIVE
        self._last_input = None

    def idle_seconds(self, now: float) -> float:
        """Seconds since the last input as far as the events tell (never negative)."""
        if self.state is IdleState.ACTIVE or self._last_input is None:
            return 0.0
        return max(0.0, now - self._last_input)
