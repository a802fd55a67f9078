"""Turns the core's events into history rows: what the user saw and did, one row each.

A nudge held while quiet is a ``nudge_held`` row, not a ``nudge``: history counts only
nudges that were shown. A call that ended is a ``call`` row with its length. An answered
reminder (the morning offer's Start / Later / Not today) is a ``reminder_answered`` row with
the reason ``<kind>:<action>``; ``restore_offer_answers`` reads today's back at start-up.
Recording never stops the nudges: a failure is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from unsit.core import events as ev
from unsit.core.reminders import MORNING_ROUTINE

if TYPE_CHECKING:
    from unsit.core.engine import Engine

OFFER_KINDS: tuple[str, ...] = (MORNING_ROUTINE.key,)
"""Reminder kinds whose answers last the day (their offer is not made again after a restart)."""

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
    if isinstance(event, ev.ReminderAnswered):
        return "reminder_answered", {"reason": f"{event.kind}:{event.action}"}
    if isinstance(event, ev.PostureChanged):
        if event.standing:
            return None  # a period is one row, written when it ends
        reason = "break" if event.automatic else "quit" if event.stopped else None
        return "standing", {"duration_seconds": event.stood_seconds, "reason": reason}
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


class AnswerSource(Protocol):
    """Where the answers of an earlier run are read (``store.history.History``)."""

    def reminder_answers(self, kind: str, now: datetime) -> list[str]: ...
    def stopped_standing(self) -> tuple[datetime, float] | None: ...


def restore_posture(engine: Engine, history: AnswerSource | None, now: datetime) -> list[ev.Event]:
    """At start-up: an earlier run that stopped while the user stood hands the period on (the engine decides)."""
    if history is None:
        return []
    try:
        stopped = history.stopped_standing()
    except Exception:  # a history problem must not stop the app; the user then counts as sitting
        log.exception("could not read the last standing period from the history")
        return []
    if stopped is None:
        return []
    at, stood_seconds = stopped
    return engine.restore_standing(stood_seconds, (now - at).total_seconds())


def restore_offer_answers(engine: Engine, history: AnswerSource | None, now: datetime) -> None:
    """At start-up: tell the engine which offers were already answered today, so a restart does not offer again."""
    if history is None:
        return
    for kind in OFFER_KINDS:
        try:
            actions = history.reminder_answers(kind, now)
        except Exception:  # a history problem must not stop the app; the offer may then come again
            log.exception("could not read today's %s answers from the history", kind)
            continue
        if actions:
            log.info("today's %s offer was already answered (%s)", kind, ", ".join(actions))
            engine.restore_answers(kind, actions)


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
