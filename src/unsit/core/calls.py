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
"""

from __future__ import annotations

from unsit.core.events import CallEnded


class CallTracker:
    """Follows the call reported at each tick (awake-time seconds throughout)."""

    def __init__(self) -> None:
        self._since: float | None = None  # the running call began here
        self._ended_at: float | None = None  # the last call ended here (idle counts from it)
        self._last_call_seconds: float | None = None
        self._seen_at = 0.0  # the clock at the last observation

    @property
    def in_call(self) -> bool:
        """True while a call runs."""
        return self._since is not None

    @property
    def call_seconds(self) -> float | None:
        """How long the running call has lasted at the last observation (None: no call)."""
        if self._since is None:
            return None
        return max(0.0, self._seen_at - self._since)

    @property
    def last_call_seconds(self) -> float | None:
        """The length of the last call that ended (None: none has)."""
        return self._last_call_seconds

    def observe(self, monotonic: float, call_since: float | None) -> CallEnded | None:
        """A tick: ``call_since`` is when the running call began (None: no call now).

        Returns:
            ``CallEnded`` when a call that was running is over.
        """
        self._seen_at = monotonic
        if call_since is not None:
            if self._since is None:
                self._ended_at = None
            # A start reported in the future (another clock, a bad report) counts from now.
            self._since = min(float(call_since), monotonic)
            return None
        if self._since is None:
            return None
        length = max(0.0, monotonic - self._since)
        self._since = None
        self._ended_at = monotonic
        self._last_call_seconds = length
        return CallEnded(call_seconds=length)

    def idle_seconds(self, idle_seconds: float | None, monotonic: float) -> float | None:
        """The idle time the streak should see: at most the time since the last call ended.

        During a call it is None, which the streak reads as "present while unlocked" for the
        whole window, however long the ticks are apart.
        """
        if idle_seconds is None or self._since is not None:
            return None
        if self._ended_at is None:
            return idle_seconds
        since_end = max(0.0, monotonic - self._ended_at)
        if idle_seconds <= since_end:  # input came after the call: the OS counter is right again
            self._ended_at = None
            return idle_seconds
        return since_end
