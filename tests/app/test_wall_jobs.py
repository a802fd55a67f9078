"""APScheduler wall-clock jobs reach the GUI thread as signals and survive a suspend."""

from __future__ import annotations

from datetime import datetime, timedelta

from unsit.app.wall_jobs import WallClockJobs


def test_a_job_due_while_the_machine_slept_still_runs_on_resume(qtbot):
    jobs = WallClockJobs()
    try:
        # The pause was to end 20 minutes ago, while the laptop was suspended: APScheduler sees it
        # only late. With the default misfire_grace_time of 1 s it would be dropped; ours must run.
        with qtbot.waitSignal(jobs.pause_ended, timeout=5000):
            jobs.schedule_pause_end(datetime.now().astimezone() - timedelta(minutes=20))
            jobs.wakeup()
        # A one-off job is dropped once it ran (APScheduler empties its store on shutdown,
        # so wait for that first rather than race it).
        qtbot.waitUntil(lambda: jobs.next_run("pause_end") is None, timeout=5000)
    finally:
        jobs.shutdown()


def test_future_jobs_wait_and_can_be_cancelled(qtbot):
    jobs = WallClockJobs()
    try:
        at = datetime.now().astimezone() + timedelta(hours=2)
        jobs.schedule_pause_end(at)
        assert jobs.next_run("pause_end") == at
        jobs.schedule_pause_end(None)
        assert jobs.next_run("pause_end") is None
        assert jobs.next_run("daily_rollover") is not None
        assert jobs.next_run("daily_rollover").hour == 4
    finally:
        jobs.shutdown()


def test_signal_is_delivered_on_the_gui_thread(qtbot, qapp):
    import threading

    jobs = WallClockJobs()
    seen = []
    jobs.work_hours_boundary.connect(lambda: seen.append(threading.current_thread() is threading.main_thread()))
    try:
        with qtbot.waitSignal(jobs.work_hours_boundary, timeout=5000):
            jobs.schedule_work_hours_boundary(datetime.now().astimezone())
        qtbot.waitUntil(lambda: bool(seen) and jobs.next_run("work_hours") is None)
        assert seen == [True]
    finally:
        jobs.shutdown()


LAZY = """
import sys
from datetime import datetime, timedelta
from PySide6.QtCore import QCoreApplication
from unsit.app.wall_jobs import WallClockJobs
app = QCoreApplication([])
jobs = WallClockJobs()
jobs.schedule_pause_end(None)
jobs.schedule_work_hours_boundary(None)
jobs.wakeup()
print("apscheduler" in sys.modules, jobs.started)
jobs.schedule_pause_end(datetime.now().astimezone() + timedelta(hours=1))
print("apscheduler" in sys.modules, jobs.started, jobs.next_run("daily_rollover") is not None)
jobs.shutdown()
"""


def test_apscheduler_loads_only_when_a_wall_clock_job_is_needed():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", LAZY], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:2] == ["False False", "True True True"]
