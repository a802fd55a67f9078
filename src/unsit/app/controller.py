"""Runs the engine: the one tick timer, observations in, events out to tray, nudges and history.

Each kind of time has one owner. Durations (streak, snooze, a pause given as a length) are
followed by the engine on this tick. Wall-clock moments (a pause's end, work-hour edges, the
04:00 day start) come from the scheduler in ``wall_jobs``; the engine decides what each one
means (``Engine.wall_moment``). The scheduler is woken when the machine resumes (logind) or
the clock is set (``platform/clock_watch.py``); nothing here compares clocks.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from unsit.core import events as ev
from unsit.core import work_hours
from unsit.core.clock import Clock
from unsit.core.days import pause_until
from unsit.core.engine import Engine, Observation
from unsit.core.events import Phase, QuietReason, WallMoment
from unsit.core.reminders import KINDS, Effect
from unsit.core.settings import Settings
from unsit.platform.notify.base import Nudge
from unsit.store.history_recorder import HistoryRecorder
from unsit.text.drill_text import drill_name
from unsit.ui.text import long_microphone_text, nudge_text, status_line, tooltip_text
from unsit.ui.tray_art import TrayLook

if TYPE_CHECKING:  # the collaborators' shapes: typing only
    from unsit.app.seams import (
        CallSource,
        ClockChanges,
        History,
        IdleSource,
        Presenter,
        Session,
        TrayView,
        WallJobs,
        WindowOpener,
    )

__all__ = ["Controller", "pause_until"]

log = logging.getLogger(__name__)

TICK_MILLISECONDS = 5000


class Controller(QObject):
    """Wires the engine to the desktop. Intents arrive as method calls; state goes to the tray.

    Args:
        quiet: asked on ticks when a nudge is due or held: why now is quiet (do-not-disturb);
            None while not known yet (``platform/quiet_answers.py``: tick again when it answers).
        clock_changes: says when the wall clock was set (wakes the scheduler), or None.
        calls: says when a call (microphone capture) began, and when that changes (a tick
            follows at once, so the held nudge comes as the call ends), or None.
    """

    rendered = Signal(object)  # the engine Status, after each render (the main window follows it)

    def __init__(self, *, engine: Engine, clock: Clock, idle_source: IdleSource, session: Session,
                 presenter: Presenter, tray: TrayView, wall_jobs: WallJobs, history: History | None,
                 windows: WindowOpener, quiet: Callable[[], frozenset[QuietReason] | None] | None = None,
                 clock_changes: ClockChanges | None = None, calls: CallSource | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.engine = engine
        self._clock = clock
        self._idle = idle_source
        self._session = session
        self._presenter = presenter
        self._tray = tray
        self._jobs = wall_jobs
        self._history = history
        self._record = HistoryRecorder(history, clock.now)
        self._windows = windows
        self._quiet: Callable[[], frozenset[QuietReason] | None] = quiet or frozenset
        self._calls = calls
        self._timer = QTimer(self)
        self._timer.setObjectName("engine_tick")
        self._timer.setInterval(TICK_MILLISECONDS)
        self._timer.timeout.connect(self.tick)
        self._handlers: dict[type, Callable[[Any], None]] = {
            ev.NudgeDue: self._on_nudge_due,
            ev.NudgeHeld: lambda e: log.info("holding a due nudge: %s",
                                             ", ".join(sorted(r.value for r in e.reasons))),
            ev.NudgeDropped: lambda e: log.info("dropped the held nudge (%s)", e.reason.value),
            ev.NudgeWithdrawn: lambda e: self._presenter.withdraw(),
            # A pause given as a length ends by the engine's boottime deadline, not at a wall-clock moment.
            ev.Paused: lambda e: self._jobs.schedule_pause_end(e.until if e.for_seconds is None else None),
            ev.Resumed: lambda e: self._jobs.schedule_pause_end(None),
            ev.DayStarted: self._on_day_started,
            ev.ReminderDue: self._on_reminder_due,
            ev.ReminderHeld: lambda e: log.info("holding a due %s reminder: %s", e.kind,
                                                ", ".join(sorted(r.value for r in e.reasons))),
            ev.ReminderWithdrawn: lambda e: self._presenter.withdraw_reminder(e.kind),
            ev.ReminderAnswered: self._on_reminder_answered,
            ev.PhaseChanged: lambda e: log.debug("phase %s -> %s", e.old.value, e.new.value),
            ev.CallEnded: lambda e: log.info("a call ended after %d s", e.call_seconds),
            ev.PostureChanged: lambda e: log.info(
                "posture: %s%s", "standing" if e.standing else f"sitting after {int(e.stood_seconds)} s standing",
                " (back from a break)" if e.automatic else ""),
            ev.CallNoLongerCounted: self._on_call_not_counted,
        }
        presenter.drill_requested.connect(lambda: self.start_drill())
        presenter.snooze_requested.connect(self.snooze)
        presenter.skip_requested.connect(self.skip)
        answered = getattr(presenter, "answered", None)
        if answered is not None:
            answered.connect(self.answer)
        session.locked_changed.connect(lambda _locked: self.tick())
        session.resumed.connect(self._on_resumed)
        wall_jobs.pause_ended.connect(lambda: self._wall_moment(WallMoment.PAUSE_END))
        wall_jobs.work_hours_boundary.connect(lambda: self._wall_moment(WallMoment.WORK_HOURS_EDGE))
        wall_jobs.day_rolled_over.connect(lambda: self._wall_moment(WallMoment.DAY_START))
        if clock_changes is not None:
            clock_changes.changed.connect(self._on_clock_changed)
        if calls is not None:
            calls.changed.connect(self.tick)
        windows.drill_finished.connect(lambda drill_id, secs: self._apply(self.engine.finish_drill(drill_id, secs)))
        windows.drill_ended_early.connect(
            lambda drill_id, secs: self._apply(self.engine.end_drill_early(drill_id, secs)))

    # -- running -------------------------------------------------------------------------
    def start(self) -> None:
        self.refresh_work_hours()
        self.tick()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._apply(self.engine.stop())  # a standing period under way is counted up to now

    def restore(self, events: list[ev.Event]) -> None:
        """Render (and record) what restoring an earlier run's state at start-up gave."""
        self._apply(events)

    def tick(self) -> None:
        """Observe idle and lock state, advance the engine, render what changed."""
        call_since = self._calls.call_since() if self._calls is not None else None
        obs = Observation(idle_seconds=self._idle.idle_seconds(), locked=self._session.locked, quiet=self._quiet,
                          call_since=call_since)
        self._apply(self.engine.tick(obs))
        if self._history is not None and self._history.pending_events:
            self._history.retry_pending()  # events that could not be written (disk full, read-only)

    def _apply(self, events: list[ev.Event]) -> None:
        self._record(events)
        for event in events:
            handler = self._handlers.get(type(event))
            if handler:
                handler(event)
        self.render()

    def render(self) -> None:
        status = self.engine.status()
        phase = status.phase
        if phase is Phase.NUDGE_DUE:
            look = TrayLook.DUE
        elif phase in (Phase.PAUSED, Phase.OUTSIDE_WORK_HOURS):
            look = TrayLook.PAUSED
        elif phase is Phase.AWAY:
            look = TrayLook.AWAY
        elif phase is Phase.STANDING:
            look = TrayLook.STANDING
        else:
            look = TrayLook.PROGRESS
        fraction = status.streak_seconds / status.interval_seconds if status.interval_seconds else 0.0
        self._tray.update_view(
            look, fraction, tooltip_text(status), status_line(status),
            paused=phase is Phase.PAUSED, can_snooze=status.nudge_pending, standing=status.standing,
            snooze_minutes=self.engine.settings.snooze_minutes,
        )
        self.rendered.emit(status)

    # -- intents -------------------------------------------------------------------------
    def running_drill(self) -> str | None:
        """The name of the drill or routine running in its window now (None: none runs)."""
        return self._windows.running_drill_title()

    def start_drill(self, family: str | None = None) -> str:
        """Open a drill (or raise the running one); returns its name.

        A finished drill's end screen is no running drill: a new drill opens in a new window.
        """
        drill = self._windows.open_drill(family, self.engine.settings)
        if drill is None:
            return ""
        if self.engine.status().phase is not Phase.IN_DRILL:
            self._presenter.withdraw()
            self._apply(self.engine.start_drill(drill.id))
        return drill_name(drill)

    def answer(self, kind: str, action: str) -> None:
        """The user picked ``action`` on a reminder of ``kind`` (unknown or stale answers do nothing)."""
        self._apply(self.engine.answer(kind, action))

    def start_routine(self, routine_id: str) -> None:
        """Play routine ``routine_id`` in the drill window (or raise the open drill).

        To the engine a routine run is one drill session, ``routine:<id>``: starting it
        holds nudges, finishing it ends the streak. An unknown id is logged and ignored.
        """
        session_id = self._windows.open_routine(routine_id, self.engine.settings)
        if session_id is None:
            return
        if self.engine.status().phase is not Phase.IN_DRILL:
            self._presenter.withdraw()
            self._apply(self.engine.start_drill(session_id))

    def snooze(self) -> None:
        self._presenter.withdraw()
        self._apply(self.engine.snooze())

    def skip(self) -> None:
        self._presenter.withdraw()
        self._apply(self.engine.skip())

    def stand(self) -> bool:
        """The user stands (a sit-stand desk); False when they stood already."""
        events = self.engine.stand()
        self._apply(events)
        return bool(events)

    def sit(self) -> bool:
        """The user sits down; False when they sat already."""
        events = self.engine.sit()
        self._apply(events)
        return bool(events)

    def set_standing(self, standing: bool) -> None:
        """The tray's or the main window's "I'm standing" check item was toggled."""
        if standing:
            self.stand()
        else:
            self.sit()

    def pause(self, request: dict[str, Any]) -> datetime | None:
        """Pause for ``{"minutes": N}``, ``{"until": "tomorrow"}`` or ``{"until": "indefinitely"}``."""
        until = pause_until(self._clock.now(), request)
        self._presenter.withdraw()
        if "minutes" in request:  # a length: kept across wall-clock changes
            self._apply(self.engine.pause_for(int(request["minutes"]) * 60))
        else:
            self._apply(self.engine.pause(until))
        return until

    def resume(self) -> None:
        if self.engine.status().phase is Phase.PAUSED:
            self._apply(self.engine.resume())

    def apply_settings(self, settings: Settings) -> None:
        self._presenter.set_style(settings.notification_style)
        self._apply(self.engine.apply_settings(settings))
        self.refresh_work_hours()

    def refresh_work_hours(self) -> None:
        """Let the engine re-read work hours now; schedule the next edge."""
        self._apply(self.engine.wall_moment(WallMoment.WORK_HOURS_EDGE))
        self._schedule_work_hours_edge()

    # -- events --------------------------------------------------------------------------
    def _wall_moment(self, moment: WallMoment) -> None:
        """The scheduler's job for ``moment`` ran: the engine decides, then a tick follows at once."""
        self._apply(self.engine.wall_moment(moment))
        if moment is WallMoment.WORK_HOURS_EDGE:
            self._schedule_work_hours_edge()
        self.tick()

    def _schedule_work_hours_edge(self) -> None:
        self._jobs.schedule_work_hours_boundary(work_hours.next_change(self._clock.now(), self.engine.settings))

    def _on_nudge_due(self, event: ev.NudgeDue) -> None:
        title, body = nudge_text(event.streak_seconds, event.after_call_seconds, self.engine.settings.drill_length)
        self._presenter.present(Nudge(title=title, body=body, snooze_minutes=self.engine.settings.snooze_minutes))

    def _on_call_not_counted(self, event: ev.CallNoLongerCounted) -> None:
        """Say once that the microphone has been in use too long to be a call (naming who records it)."""
        apps = self._calls.applications() if self._calls is not None else ()
        log.info("the microphone has been in use for %d s (%s) with %s: no longer counted as a call",
                 event.call_seconds, ", ".join(apps)[:200] or "unknown application",
                 "no input for a long time" if event.without_input else "no end")
        self._presenter.inform(*long_microphone_text(event.call_seconds, apps))

    def _on_reminder_due(self, event: ev.ReminderDue) -> None:
        kind = KINDS.get(event.kind)
        if kind is None:
            return
        seconds = event.seconds if event.seconds is not None else self.engine.status().streak_seconds
        title, body = kind.text(seconds, event.held_reasons, event.held_seconds)
        snooze = self.engine.settings.snooze_minutes
        self._presenter.present_reminder(kind.key, title, body,
                                         [(a.key, a.shown_label(snooze)) for a in kind.actions])

    def _on_reminder_answered(self, event: ev.ReminderAnswered) -> None:
        if event.effect == Effect.START_DRILL.value:
            self.start_drill()
        elif event.effect == Effect.START_ROUTINE.value and event.routine_id is not None:
            self.start_routine(event.routine_id)

    def _on_resumed(self) -> None:
        log.info("the machine resumed from sleep")
        self._on_clock_changed()

    def _on_clock_changed(self) -> None:
        """Resume or a clock set: the scheduler's wait ran on a stale clock; wake it and re-read moments."""
        self._jobs.wakeup()
        self._apply(self.engine.wall_moment(WallMoment.CLOCK_CHANGED))
        self._schedule_work_hours_edge()
        self.tick()

    def _on_day_started(self, event: ev.DayStarted) -> None:
        log.info("a new day starts: %s", event.day.isoformat())
        self._windows.refresh_history()
