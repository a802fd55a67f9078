"""Runs the engine: the one tick timer, observations in, events out to tray, nudges and history.

Every timer of the app lives here or in the drill window (whose countdown timer only
runs while it is open). The engine owns no timers; it is ticked and returns events.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from unsit.core import events as ev
from unsit.core import work_hours
from unsit.core.clock import Clock
from unsit.core.engine import Engine, Observation
from unsit.core.events import Phase
from unsit.core.settings import Settings
from unsit.platform.idle.base import IdleSource
from unsit.platform.notify.base import Nudge
from unsit.ui.text import nudge_text, status_line, tooltip_text
from unsit.ui.tray_art import TrayLook
from unsit.ui.wall_jobs import DAY_STARTS_AT_HOUR

if TYPE_CHECKING:
    from unsit.platform.session import SessionWatcher
    from unsit.store.history import History
    from unsit.ui.nudge_presenter import NudgePresenter
    from unsit.ui.tray import Tray
    from unsit.ui.wall_jobs import WallClockJobs
    from unsit.ui.windows import Windows

log = logging.getLogger(__name__)

TICK_MILLISECONDS = 5000
WALL_JUMP_SECONDS = 30.0  # a change of (wall - monotonic) beyond this is a suspend or a clock change


class Controller(QObject):
    """Wires the engine to the desktop. Intents arrive as method calls; state goes to the tray."""

    rendered = Signal(object)  # the engine Status, after each render (the main window follows it)

    def __init__(self, *, engine: Engine, clock: Clock, idle_source: IdleSource, session: SessionWatcher,
                 presenter: NudgePresenter, tray: Tray, wall_jobs: WallClockJobs, history: History | None,
                 windows: Windows, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self._clock = clock
        self._idle = idle_source
        self._session = session
        self._presenter = presenter
        self._tray = tray
        self._jobs = wall_jobs
        self._history = history
        self._windows = windows
        self._wall_offset: float | None = None
        self._drill_id: str | None = None
        self._timer = QTimer(self)
        self._timer.setObjectName("engine_tick")
        self._timer.setInterval(TICK_MILLISECONDS)
        self._timer.timeout.connect(self.tick)
        self._handlers: dict[type[ev.Event], Callable[[Any], None]] = {
            ev.NudgeDue: self._on_nudge_due,
            ev.NudgeWithdrawn: lambda e: self._presenter.withdraw(),
            ev.StreakEnded: lambda e: self._record("streak_ended", streak_seconds=e.streak_seconds,
                                                   reason=e.reason.value),
            ev.Snoozed: lambda e: self._record("snooze"),
            ev.Skipped: lambda e: self._record("skip"),
            ev.DrillStarted: lambda e: self._record("drill_started", drill_id=self._drill_id),
            ev.DrillFinished: lambda e: self._record("drill_finished", drill_id=e.drill_id,
                                                     duration_seconds=e.duration_seconds),
            ev.DrillSkipped: lambda e: self._record("drill_skipped", drill_id=e.drill_id,
                                                    duration_seconds=e.elapsed_seconds),
            # A pause given as a length ends by the engine's boottime deadline, not at a wall-clock moment.
            ev.Paused: lambda e: self._jobs.schedule_pause_end(e.until if e.for_seconds is None else None),
            ev.Resumed: lambda e: self._jobs.schedule_pause_end(None),
        }
        presenter.drill_requested.connect(lambda: self.start_drill())
        presenter.snooze_requested.connect(self.snooze)
        presenter.skip_requested.connect(self.skip)
        session.locked_changed.connect(lambda _locked: self.tick())
        session.resumed.connect(self._on_resumed)
        wall_jobs.pause_ended.connect(self.resume)
        wall_jobs.work_hours_boundary.connect(self.refresh_work_hours)
        wall_jobs.day_rolled_over.connect(self._on_day_rolled_over)
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

    def tick(self) -> None:
        """Observe idle and lock state, advance the engine, render what changed."""
        self._check_wall_clock()
        obs = Observation(idle_seconds=self._idle.idle_seconds(), locked=self._session.locked)
        self._apply(self.engine.tick(obs))
        if self._history is not None and self._history.pending_events:
            self._history.retry_pending()  # events that could not be written (disk full, read-only)

    def _apply(self, events: list[ev.Event]) -> None:
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
        else:
            look = TrayLook.PROGRESS
        fraction = status.streak_seconds / status.interval_seconds if status.interval_seconds else 0.0
        self._tray.update_view(
            look, fraction, tooltip_text(status), status_line(status),
            paused=phase is Phase.PAUSED, can_snooze=phase in (Phase.NUDGE_DUE, Phase.SNOOZED),
            snooze_minutes=self.engine.settings.snooze_minutes,
        )
        self.rendered.emit(status)

    # -- intents -------------------------------------------------------------------------
    def start_drill(self, family: str | None = None) -> str:
        """Open a drill (or raise the open one); returns its name."""
        drill = self._windows.open_drill(family, self.engine.settings)
        if drill is None:
            return ""
        if self.engine.status().phase is not Phase.IN_DRILL:
            self._presenter.withdraw()
            self._drill_id = drill.id
            self._apply(self.engine.start_drill())
        return drill.name

    def snooze(self) -> None:
        self._presenter.withdraw()
        self._apply(self.engine.snooze())

    def skip(self) -> None:
        self._presenter.withdraw()
        self._apply(self.engine.skip())

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
        """Tell the engine whether we are inside work hours; schedule the next boundary."""
        now = self._clock.now()
        settings = self.engine.settings
        self._apply(self.engine.set_work_hours_open(work_hours.is_open(now, settings)))
        self._jobs.schedule_work_hours_boundary(work_hours.next_change(now, settings))

    # -- events --------------------------------------------------------------------------
    def _on_nudge_due(self, event: ev.NudgeDue) -> None:
        self._record("nudge", streak_seconds=event.streak_seconds)
        title, body = nudge_text(event.streak_seconds)
        self._presenter.present(Nudge(title=title, body=body, snooze_minutes=self.engine.settings.snooze_minutes))

    def _on_resumed(self) -> None:
        log.info("the machine resumed from sleep")
        self._jobs.wakeup()
        self.refresh_work_hours()
        self.tick()

    def _on_day_rolled_over(self) -> None:
        log.info("a new day starts")
        self._windows.refresh_history()

    def _check_wall_clock(self) -> None:
        offset = self._clock.now().timestamp() - self._clock.monotonic()
        if self._wall_offset is not None and abs(offset - self._wall_offset) > WALL_JUMP_SECONDS:
            log.info("wall clock moved by %+.0f s against the monotonic clock (suspend or clock change)",
                     offset - self._wall_offset)
            self._jobs.wakeup()
            self.refresh_work_hours()
        self._wall_offset = offset

    def _record(self, kind: str, **fields: Any) -> None:
        if self._history is None:
            return
        try:
            self._history.record(kind, self._clock.now(), **fields)
        except Exception:  # history must never stop the nudges
            log.exception("could not record %s in the history", kind)


def pause_until(now: datetime, request: dict[str, Any]) -> datetime | None:
    """When a pause request ends: N minutes from now, tomorrow's day start, or never (None)."""
    if "minutes" in request:
        return now + timedelta(minutes=int(request["minutes"]))
    if request.get("until") == "tomorrow":
        start = now.replace(hour=DAY_STARTS_AT_HOUR, minute=0, second=0, microsecond=0)
        return start if start > now else start + timedelta(days=1)
    if request.get("until") == "indefinitely":
        return None
    raise ValueError(f"not a pause request: {request!r}")
