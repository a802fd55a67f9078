"""Calls: an application records the microphone. A call is sitting, and a bad moment for a nudge.

The platform (``platform/capture``) reports whether a capture runs and since when, on the
same awake-time clock the engine reads (``Observation.call_since``). ``CallTracker`` turns
those reports into what the engine needs:

* while a call runs the user counts as present (people talk, listen and watch without
  touching the keyboard), so the streak keeps counting and idle time does not end it;
  a locked screen or a suspend still does;
* after a call, idle time counts from the call's end (not from the last key pressed
  during it), so a user who leaves after the call is away from then on;
* when a call ends, its length (a ``CallEnded`` event), which the nudge held through it
  mentions.

A microphone can stay open all day (a noise filter, a browser tab, a voice assistant), so a
call is believed only within limits. When the OS saw no keyboard or mouse input for
``away_reset_minutes`` plus ``NO_INPUT_MARGIN_SECONDS`` (50 min at the default reset), or
the call has run for ``LONGEST_CALL_SECONDS`` (3 h), the running call no longer counts: idle
time, presence and quiet follow input alone again (an absent person is away, a held nudge
comes when the user is back), and one ``CallNoLongerCounted`` tells the shell to say so
once. It stays uncounted until it ends; the next call is believed afresh.
"""

from __future__ import annotations

from unsit.core.events import CallEnded, CallNoLongerCounted, Event

NO_INPUT_MARGIN_SECONDS = 45 * 60
"""During a call, no input for the away reset plus this long means nobody is there."""
LONGEST_CALL_SECONDS = 3 * 60 * 60
"""A capture running this long is an always-on microphone, not a call."""


class CallTracker:
    """Follows the call reported at each tick (awake-time seconds throughout)."""

    def __init__(self, away_reset_seconds: float = 300.0) -> None:
        self.away_reset_seconds = float(away_reset_seconds)
        self._over_limit = False  # the running call went over a limit and no longer counts
        self._since: float | None = None  # the running call began here
        self._ended_at: float | None = None  # the last call ended here (idle counts from it)
        self._last_call_seconds: float | None = None
        self._seen_at = 0.0  # the clock at the last observation

    @property
    def in_call(self) -> bool:
        """True while a call runs and counts (it has not gone over a limit)."""
        return self._since is not None and not self._over_limit

    @property
    def call_seconds(self) -> float | None:
        """How long the running, counted call has lasted at the last observation (None: none)."""
        if self._since is None or self._over_limit:
            return None
        return max(0.0, self._seen_at - self._since)

    @property
    def no_input_limit_seconds(self) -> float:
        """No input for this long during a call ends its believing."""
        return self.away_reset_seconds + NO_INPUT_MARGIN_SECONDS

    @property
    def last_call_seconds(self) -> float | None:
        """The length of the last call that ended (None: none has)."""
        return self._last_call_seconds

    def observe(self, monotonic: float, call_since: float | None, idle_seconds: float | None = None) -> list[Event]:
        """A tick: ``call_since`` is when the running call began (None: no call now).

        Args:
            idle_seconds: the OS time since the last input (None: unknown), for the no-input limit.

        Returns:
            ``CallEnded`` when a call that was running is over; ``CallNoLongerCounted``
            when the running call went over a limit at this tick.
        """
        self._seen_at = monotonic
        if call_since is not None:
            if self._since is None:
                self._ended_at = None
                self._over_limit = False
            # A start reported in the future (another clock, a bad report) counts from now.
            self._since = min(float(call_since), monotonic)
            return self._check_limits(monotonic, idle_seconds)
        if self._since is None:
            return []
        length = max(0.0, monotonic - self._since)
        self._since = None
        if not self._over_limit:  # an uncounted call left idle time to the OS: nothing to correct
            self._ended_at = monotonic
        self._over_limit = False
        self._last_call_seconds = length
        return [CallEnded(call_seconds=length)]

    def _check_limits(self, monotonic: float, idle_seconds: float | None) -> list[Event]:
        if self._since is None or self._over_limit:
            return []
        length = max(0.0, monotonic - self._since)
        no_input = idle_seconds is not None and idle_seconds >= self.no_input_limit_seconds
        if not no_input and length < LONGEST_CALL_SECONDS:
            return []
        self._over_limit = True
        return [CallNoLongerCounted(call_seconds=length, without_input=no_input)]

    def idle_seconds(self, idle_seconds: float | None, monotonic: float) -> float | None:
        """The idle time the streak should see: at most the time since the last call ended.

        During a call it is None, which the streak reads as "present while unlocked" for the
        whole window, however long the ticks are apart.
        """
        if self._since is not None and self._over_limit:
            return idle_seconds  # a call that no longer counts: the OS counter alone
        if idle_seconds is None or self._since is not None:
            return None
        if self._ended_at is None:
            return idle_seconds
        since_end = max(0.0, monotonic - self._ended_at)
        if idle_seconds <= since_end:  # input came after the call: the OS counter is right again
            self._ended_at = None
            return idle_seconds
        return since_end
