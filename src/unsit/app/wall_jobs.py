"""Wall-clock jobs (pause end, work-hours boundaries, the daily rollover) on APScheduler 3.

Jobs run on APScheduler's own thread; they only emit Qt signals, which Qt queues to
the GUI thread. Pitfalls handled here:
- ``misfire_grace_time=None``: a job that came due while the machine slept still runs
  on resume (the default of 1 s would silently drop it).
- ``coalesce=True``: several missed runs of the rollover collapse into one.
- APScheduler waits on a monotonic timeout, which stands still during suspend, so the
  controller calls ``wakeup()`` after a resume (logind) or a clock set (the timerfd watch of
  ``platform/clock_watch.py``) to re-check due jobs.

Jobs only say that a moment came; ``Engine.wall_moment`` decides what it means.

Memory rule: APScheduler (about 13 MB with what it imports) is loaded only while there is a
wall-clock moment to wait for: a pause until a moment, work hours enabled, or the history
window open (its "today" turns at 04:00). An idle app with none of these never loads it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from unsit.core.days import DAY_STARTS_AT_HOUR

if TYPE_CHECKING:  # loaded on first need (see ensure_started)
    from apscheduler.schedulers.background import BackgroundScheduler

log = logging.getLogger(__name__)


class WallClockJobs(QObject):
    """Owns the APScheduler instance and turns its jobs into signals."""

    pause_ended = Signal()
    work_hours_boundary = Signal()
    day_rolled_over = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._scheduler: BackgroundScheduler | None = None  # imported and started on first need

    @property
    def started(self) -> bool:
        """True once APScheduler runs (it is loaded only when a wall-clock job is needed)."""
        return self._scheduler is not None

    def ensure_started(self) -> BackgroundScheduler:
        """Load and start APScheduler with the daily rollover job, if not running yet.

        With no pause, no work hours and no history window open there is no wall-clock
        job at all, and APScheduler (about 13 MB with what it imports) stays unloaded.

        Returns:
            The running scheduler.
        """
        if self._scheduler is not None:
            return self._scheduler
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.schedulers.background import BackgroundScheduler
        from apscheduler.triggers.cron import CronTrigger

        scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(max_workers=1)},
            job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
            daemon=True,
        )
        self._scheduler = scheduler
        scheduler.start()
        scheduler.add_job(self.day_rolled_over.emit, CronTrigger(hour=DAY_STARTS_AT_HOUR, minute=0),
                          id="daily_rollover", name="daily rollover", replace_existing=True)
        log.info("wall-clock scheduler started")
        return scheduler

    def shutdown(self) -> None:
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    def schedule_pause_end(self, at: datetime | None) -> None:
        """Run ``pause_ended`` at ``at`` (None removes the job)."""
        self._set_date_job("pause_end", "pause end", at, self.pause_ended.emit)

    def schedule_work_hours_boundary(self, at: datetime | None) -> None:
        """Run ``work_hours_boundary`` at the next open/close time (None removes the job)."""
        self._set_date_job("work_hours", "work-hours boundary", at, self.work_hours_boundary.emit)

    def wakeup(self) -> None:
        """Re-check due jobs now (after a resume from sleep or a wall-clock jump)."""
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.wakeup()

    def next_run(self, job_id: str) -> datetime | None:
        """When a job runs next (for status and tests)."""
        job = self._scheduler.get_job(job_id) if self._scheduler is not None else None
        return job.next_run_time if job else None

    def _set_date_job(self, job_id: str, name: str, at: datetime | None, func: Callable[[], None]) -> None:
        if at is None and self._scheduler is None:
            return
        scheduler = self.ensure_started()
        from apscheduler.jobstores.base import JobLookupError
        from apscheduler.triggers.date import DateTrigger

        try:
            scheduler.remove_job(job_id)
        except JobLookupError:
            pass  # none scheduled, or the scheduler thread just ran and dropped it
        if at is not None:
            scheduler.add_job(func, DateTrigger(run_date=at), id=job_id, name=name)
            log.debug("%s scheduled at %s", name, at.isoformat())
