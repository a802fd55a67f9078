"""The tray's history link: events reach the database through the history job, reads stay right."""

from __future__ import annotations

import sqlite3
import stat
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from unsit.app.history_link import RETRY_SECONDS, HistoryLink, job_command
from unsit.core.days import day_start, unsit_day
from unsit.store.history import SCHEMA_VERSION, History

NOW = datetime.now().astimezone()  # the job stamps "today" from the real clock


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def kinds_in(path: Path) -> list[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return [row[0] for row in db.execute("SELECT kind FROM events ORDER BY id")]


def set_version(path: Path, version: int) -> None:
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {version}")


@pytest.fixture
def link(qtbot, tmp_path: Path) -> HistoryLink:
    made = HistoryLink(tmp_path / "history.sqlite3", job_command(), clock=Ticks())
    assert made.start(NOW) == (True, None)
    return made


def settled(qtbot, link: HistoryLink) -> None:
    qtbot.waitUntil(lambda: not link.sending, timeout=20_000)


def test_events_reach_the_database_through_the_job(qtbot, link: HistoryLink) -> None:
    assert link.record("nudge", NOW, streak_seconds=3600.0) is False  # on its way
    link.record("snooze", NOW + timedelta(seconds=1))
    assert link.pending_events == 2
    settled(qtbot, link)
    assert link.pending_events == 0 and not link.in_process
    assert kinds_in(link.path) == ["nudge", "snooze"]


def test_todays_drill_counts_follow_the_events_and_agree_with_the_database(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    earlier = History(path)
    earlier.record("drill_started", NOW - timedelta(seconds=30), drill_id="hip-90-90")
    earlier.record("drill_finished", NOW - timedelta(seconds=20), drill_id="hip-90-90", duration_seconds=100.0)
    earlier.close()
    link = HistoryLink(path, job_command(), clock=Ticks())
    link.start(NOW)
    link.record("drill_started", NOW, drill_id="couch-stretch")
    link.record("drill_finished", NOW + timedelta(seconds=1), drill_id="couch-stretch", duration_seconds=90.0)
    morning = day_start(unsit_day(NOW), NOW)
    assert link.drills_done_today(NOW) == 2
    assert link.drills_started_since(morning) == ["hip-90-90", "couch-stretch"]
    tomorrow = day_start(unsit_day(NOW) + timedelta(days=1), NOW) + timedelta(hours=1)
    assert link.drills_done_today(tomorrow) == 0 and link.drills_started_since(tomorrow - timedelta(hours=1)) == []
    settled(qtbot, link)
    assert not link.in_process
    reader = link.reader()
    assert reader is not None and link.in_process
    assert reader.drills_done_today(NOW) == 2 and reader.drills_started_since(morning) == ["hip-90-90", "couch-stretch"]
    link.close()


def test_a_problem_is_told_once_and_the_rows_wait_for_the_next_try(qtbot, link: HistoryLink) -> None:
    told: list[str] = []
    link.on_problem = told.append
    set_version(link.path, SCHEMA_VERSION + 1)  # a newer Unsit took the file over meanwhile
    link.record("nudge", NOW)
    settled(qtbot, link)
    assert link.pending_events == 1 and len(told) == 1 and "schema version" in told[0]
    link.record("skip", NOW + timedelta(seconds=1))
    assert not link.sending  # in trouble: waits for the next try
    ticks = link._clock
    assert isinstance(ticks, Ticks)
    ticks.now += RETRY_SECONDS
    assert link.retry_pending() is False
    settled(qtbot, link)
    assert link.pending_events == 2 and len(told) == 1  # told once
    set_version(link.path, SCHEMA_VERSION)
    ticks.now += RETRY_SECONDS
    link.retry_pending()
    settled(qtbot, link)
    assert link.pending_events == 0 and kinds_in(link.path) == ["nudge", "skip"]


def test_close_waits_for_the_job_and_writes_what_waits(qtbot, link: HistoryLink) -> None:
    link.record("nudge", NOW)
    link.close()
    assert kinds_in(link.path) == ["nudge"]


def test_a_read_writes_the_waiting_rows_first_then_events_are_written_here(qtbot, link: HistoryLink) -> None:
    link.record("nudge", NOW)
    reader = link.reader()
    assert reader is not None and reader.today(NOW).nudges == 1
    assert link.record("nudge", NOW + timedelta(seconds=1)) is True  # stored before it returns, as before
    assert reader.today(NOW).nudges == 2 and not link.sending
    link.close()


def test_without_a_job_the_history_is_used_here(qtbot, tmp_path: Path) -> None:
    link = HistoryLink(tmp_path / "history.sqlite3", None)
    assert link.start(NOW) == (True, None) and link.in_process
    assert link.record("nudge", NOW) is True
    link.close()
    assert kinds_in(tmp_path / "history.sqlite3") == ["nudge"]


def test_a_job_that_cannot_run_at_start_up_leaves_the_history_here(qtbot, tmp_path: Path) -> None:
    link = HistoryLink(tmp_path / "history.sqlite3", [str(tmp_path / "no-such-python")])
    assert link.start(NOW) == (True, None) and link.in_process
    link.close()


def test_a_job_that_stops_starting_later_leaves_the_history_here(qtbot, tmp_path: Path) -> None:
    script = tmp_path / "job"
    script.write_text(f"#!/bin/sh\nexec {sys.executable} -m unsit.store.history_job \"$@\"\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    link = HistoryLink(tmp_path / "history.sqlite3", [str(script)])
    assert link.start(NOW) == (True, None) and not link.in_process
    script.unlink()
    link.record("nudge", NOW)
    qtbot.waitUntil(lambda: link.in_process, timeout=20_000)
    assert link.pending_events == 0 and kinds_in(tmp_path / "history.sqlite3") == ["nudge"]
    link.close()


def test_the_start_job_brings_back_todays_answers(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    earlier = History(path)
    earlier.record("reminder_answered", NOW, reason="morning_routine:not_today")
    earlier.close()
    link = HistoryLink(path, job_command())
    link.start(NOW, ("morning_routine",))
    assert link.reminder_answers("morning_routine", NOW) == ["not_today"] and not link.in_process
    link.close()


def test_a_job_that_hangs_is_stopped_and_its_rows_sent_again(qtbot, tmp_path: Path) -> None:
    script = tmp_path / "job"
    real = f"exec {sys.executable} -m unsit.store.history_job \"$@\""
    script.write_text(f"#!/bin/sh\nif [ -e {tmp_path}/hang ]; then exec sleep 600; fi\n{real}\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    ticks = Ticks()
    link = HistoryLink(tmp_path / "history.sqlite3", [str(script)], clock=ticks)
    link.start(NOW)
    (tmp_path / "hang").touch()
    link.record("nudge", NOW)
    qtbot.waitUntil(lambda: link._job is not None)
    ticks.now += 30
    link.retry_pending()
    assert link.sending  # not yet: under a minute
    ticks.now += 31
    link.retry_pending()
    qtbot.waitUntil(lambda: not link.sending, timeout=10_000)
    assert link.pending_events == 1
    (tmp_path / "hang").unlink()
    ticks.now += RETRY_SECONDS
    link.retry_pending()
    qtbot.waitUntil(lambda: link.pending_events == 0, timeout=20_000)
    assert kinds_in(tmp_path / "history.sqlite3") == ["nudge"]
    link.close()
