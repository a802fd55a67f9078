"""Turns the core's events into history rows: what the user saw and did, one row each.

A nudge held while quiet is a ``nudge_held`` row, not a ``nudge``: history counts only
nudges that were shown. A call that ended is a ``call`` row with its length.
Recording never stops the nudges: a failure is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from unsit.core import events as ev

log = logging.getLogger(__name__)


class HistorySink(Protocol):
    """What the recorder writes to (``store.history.History``)."""

    def record(self, kind: str, at: datetime, *, drill_id: str | None = ..., duration_seconds: float | None = ...,
               streak_seconds: float | None = ..., reason: str | None = ...) -> object: ...


def history_row(event: ev.Event) -> tuple[str, dict[str, Any]] | None:
    """The history row (kind, fields) for a core event, or None when it is not history."""
    if isinstance(event, ev.NudgeDue):
        return "nudge", {"streak_seconds": event.streak_seconds}
    if isinstance(event, ev.NudgeHeld):
        return "nudge_held", {"streak_seconds": event.streak_seconds,
                              "reason": ",".join(sorted(r.value for r in event.reasons))}
    if isinstance(event, ev.CallEnded):
        return "call", {"duration_seconds": event.call_seconds}
    if isinstance(event, ev.StreakEnded):
        return "streak_ended", {"streak_seconds": event.streak_seconds, "reason": event.reason.value}
    if isinstance(event, ev.Snoozed):
        return "snooze", {}
    if isinstance(event, ev.Skipped):
        return "skip", {}
    if isinstance(event, ev.DrillStarted):
        return "drill_started", {"drill_id": event.drill_id}
    if isinstance(event, ev.DrillFinished):
        return "drill_finished", {"drill_id": event.drill_id, "duration_seconds": event.duration_seconds}
    if isinstance(event, ev.DrillSkipped):
        return "drill_skipped", {"drill_id": event.drill_id, "duration_seconds": event.elapsed_seconds}
    return None


class HistoryRecorder:
    """Records core events in the history (or nowhere, when there is none).

    Args:
        history: where rows go, or None.
        now: the wall clock (rows are stamped with the local time they happened).
    """

    def __init__(self, history: HistorySink | None, now: Callable[[], datetime]) -> None:
        self._history = history
        self._now = now

    def __call__(self, events: list[ev.Event]) -> None:
        """Record every event that belongs in the history."""
        if self._history is None:
            return
        for event in events:
            row = history_row(event)
            if row is None:
                continue
            kind, fields = row
            try:
                self._history.record(kind, self._now(), **fields)
            except Exception:  # history must never stop the nudges
                log.exception("could not record %s in the history", kind)
