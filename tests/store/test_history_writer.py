"""The app's history: one writer thread commits events at once, reads are SQL and never wait long."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from unsit.core.days import day_start, unsit_day
from unsit.store.history import RETRY_SECONDS, SCHEMA_VERSION, History
from unsit.store.history_spill import SPILL_NAME, load_spill
from unsit.store.history_writer import HistoryWriter

NOW = datetime.now().astimezone()  # the writer stamps "now" from the real clock where it needs one


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


def hold_write_lock(path: Path) -> sqlite3.Connection:
    """Another program's write transaction on ``path``, left open until the caller rolls it back."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def release_and_retry(holder: sqlite3.Connection, writer: HistoryWriter) -> None:
    """The other program lets go; a minute later the writer tries the kept events again."""
    holder.execute("ROLLBACK")
    holder.close()
    ticks = writer._clock
    assert isinstance(ticks, Ticks)
    ticks.now += RETRY_SECONDS
    writer.retry_pending()
    settled(writer)


def settled(writer: HistoryWriter) -> None:
    """Wait (bounded, on a condition) until the writer thread has committed or kept every queued event."""
    with writer._settled:
        assert writer._settled.wait_for(lambda: writer._unfinished == 0, 20)


@pytest.fixture
def spill(tmp_path: Path) -> Path:
    return tmp_path / "state"


@pytest.fixture
def writer(tmp_path: Path, spill: Path):
    made = HistoryWriter(tmp_path / "history.sqlite3", spill_folders=(spill,), clock=Ticks(),
                         busy_timeout_seconds=0.2)
    assert made.start(NOW) == (True, None)
    yield made
    made.close()


def test_events_are_committed_by_the_writer_thread(writer: HistoryWriter) -> None:
    assert writer.record("nudge", NOW, streak_seconds=3600.0) is True  # queued; never waits
    writer.record("snooze", NOW + timedelta(seconds=1))
    settled(writer)
    assert writer.pending_events == 0
    assert kinds_in(writer.path) == ["nudge", "snooze"]  # committed: another connection sees them


def test_todays_counts_are_read_with_sql_and_include_what_was_just_recorded(tmp_path: Path, spill: Path) -> None:
    path = tmp_path / "history.sqlite3"
    earlier = History(path)
    earlier.record("drill_started", NOW - timedelta(seconds=30), drill_id="hip-90-90")
    earlier.record("drill_finished", NOW - timedelta(seconds=20), drill_id="hip-90-90", duration_seconds=100.0)
    earlier.record("reminder_answered", NOW - timedelta(seconds=10), reason="morning_routine:not_today")
    earlier.close()
    writer = HistoryWriter(path, spill_folders=(spill,))
    writer.start(NOW)
    assert writer.reminder_answers("morning_routine", NOW) == ["not_today"]
    writer.record("drill_started", NOW, drill_id="couch-stretch")
    writer.record("drill_finished", NOW + timedelta(seconds=1), drill_id="couch-stretch", duration_seconds=90.0)
    morning = day_start(unsit_day(NOW), NOW)
    assert writer.drills_done_today(NOW) == 2  # a read waits for this app's own queued events
    assert writer.drills_started_since(morning) == ["hip-90-90", "couch-stretch"]
    tomorrow = day_start(unsit_day(NOW) + timedelta(days=1), NOW) + timedelta(hours=1)
    assert writer.drills_done_today(tomorrow) == 0
    assert writer.drills_started_since(tomorrow - timedelta(hours=1)) == []
    with pytest.raises(ValueError, match="timezone aware"):
        writer.drills_started_since(NOW.replace(tzinfo=None))
    assert writer.close() is None


def test_start_closes_a_drill_a_killed_run_left_open(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    history = History(path)
    history.record("drill_started", NOW, drill_id="hip-90-90")
    history.close()
    writer = HistoryWriter(path)
    writer.start(NOW)
    writer.close()
    assert kinds_in(path) == ["drill_started", "drill_skipped"]


def test_start_sets_a_damaged_file_aside_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"this is not a database" * 200)
    writer = HistoryWriter(path)
    available, message = writer.start(NOW)
    assert available and message is not None and "new one was started" in message
    assert len(list(tmp_path.glob("history.sqlite3.bad-*"))) == 1
    writer.record("nudge", NOW)
    writer.close()
    assert kinds_in(path) == ["nudge"]


def test_a_history_from_a_newer_unsit_is_off_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    History(path).close()
    set_version(path, SCHEMA_VERSION + 1)
    before = path.read_bytes()
    writer = HistoryWriter(path)
    available, message = writer.start(NOW)
    assert not available and message is not None and "schema version" in message
    assert writer.reader() is None and writer.drills_done_today(NOW) == 0
    assert writer.close() is None
    assert path.read_bytes() == before


def test_a_problem_is_told_once_and_the_rows_wait_for_the_next_try(writer: HistoryWriter) -> None:
    told: list[str] = []
    writer.on_problem = told.append
    holder = hold_write_lock(writer.path)  # another program writes for a long time
    writer.record("nudge", NOW)
    settled(writer)
    assert writer.pending_events == 1 and len(told) == 1 and "another program holds" in told[0]
    writer.record("skip", NOW + timedelta(seconds=1))
    settled(writer)
    assert writer.retry_pending() is False  # too soon: nothing tried
    settled(writer)
    assert writer.pending_events == 2 and len(told) == 1  # told once
    release_and_retry(holder, writer)
    assert writer.pending_events == 0 and kinds_in(writer.path) == ["nudge", "skip"]


def test_another_programs_write_lock_holds_neither_record_nor_reads(tmp_path: Path) -> None:
    """The writer waits for the lock on its own thread (a long busy timeout here); the caller never does."""
    path = tmp_path / "history.sqlite3"
    writer = HistoryWriter(path, busy_timeout_seconds=60.0)
    writer.start(NOW)
    writer.record("nudge", NOW)
    settled(writer)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program's write transaction, left open
    holder.execute("INSERT INTO events (kind, at_utc, local_date) VALUES ('skip', 'x', 'x')")
    writer.record("snooze", NOW + timedelta(seconds=1))  # returns at once: only queued
    assert writer.pending_events == 1  # the writer thread waits for the lock meanwhile
    reader = writer.reader()  # waits at most SETTLE_SECONDS for the snooze, then reads what is stored
    assert reader is not None and reader.today(NOW).nudges == 1 and reader.read_trouble is None
    holder.execute("ROLLBACK")
    holder.close()
    settled(writer)  # the lock went: the snooze is committed without waiting for a retry
    assert writer.pending_events == 0 and kinds_in(path) == ["nudge", "snooze"]
    writer.close()


def test_events_the_disk_refuses_are_kept_in_a_file_at_quit_and_stored_at_the_next_start(
        tmp_path: Path, spill: Path) -> None:
    path = tmp_path / "history.sqlite3"
    writer = HistoryWriter(path, spill_folders=(spill,), busy_timeout_seconds=0.2)
    writer.start(NOW)
    holder = hold_write_lock(path)  # refused until after the quit
    writer.record("nudge", NOW, streak_seconds=3600.0)
    writer.record("drill_finished", NOW + timedelta(seconds=1), drill_id="hip-90-90", duration_seconds=60.0)
    message = writer.close()
    assert message is not None and "2 history events could not be saved" in message
    assert str(spill / SPILL_NAME) in message and "when Unsit starts again" in message
    assert [row[0] for row in load_spill(spill / SPILL_NAME)] == ["nudge", "drill_finished"]
    holder.execute("ROLLBACK")  # the next start can write
    holder.close()
    assert kinds_in(path) == []
    again = HistoryWriter(path, spill_folders=(spill,))
    assert again.start(NOW) == (True, None)
    assert again.drills_done_today(NOW) == 1
    assert not (spill / SPILL_NAME).exists()
    assert again.close() is None
    assert kinds_in(path) == ["nudge", "drill_finished"]


def test_kept_events_wait_in_their_file_until_the_database_takes_them(tmp_path: Path, spill: Path) -> None:
    path = tmp_path / "history.sqlite3"
    History(path).close()
    spill.mkdir()
    row = ["skip", NOW.isoformat(), unsit_day(NOW).isoformat(), None, None, None, None]
    (spill / SPILL_NAME).write_text(json.dumps({"version": 1, "rows": [row]}))
    holder = hold_write_lock(path)  # still refused at this start
    writer = HistoryWriter(path, spill_folders=(spill,), clock=Ticks(), busy_timeout_seconds=0.2)
    assert writer.start(NOW)[0]
    assert writer.pending_events == 1 and (spill / SPILL_NAME).exists()  # not written: the file stays
    release_and_retry(holder, writer)
    assert kinds_in(path) == ["skip"] and not (spill / SPILL_NAME).exists()  # written: the file goes
    assert writer.close() is None


def test_a_newer_unsits_history_leaves_the_kept_events_for_it(tmp_path: Path, spill: Path) -> None:
    path = tmp_path / "history.sqlite3"
    History(path).close()
    spill.mkdir()
    row = ["skip", NOW.isoformat(), unsit_day(NOW).isoformat(), None, None, None, None]
    (spill / SPILL_NAME).write_text(json.dumps({"version": 1, "rows": [row]}))
    set_version(path, SCHEMA_VERSION + 1)
    writer = HistoryWriter(path, spill_folders=(spill,), clock=Ticks())
    available, _message = writer.start(NOW)
    assert not available and (spill / SPILL_NAME).exists()  # history off: the file is left for a later Unsit
    writer.close()


def test_a_spill_file_that_is_not_ours_is_left_alone_and_nothing_of_it_stored(tmp_path: Path, spill: Path) -> None:
    spill.mkdir()
    (spill / SPILL_NAME).write_text(json.dumps({"version": 1, "rows": [["rm -rf", "x", "x", None, None, None, None]]}))
    writer = HistoryWriter(tmp_path / "history.sqlite3", spill_folders=(spill,))
    assert writer.start(NOW) == (True, None)
    writer.close()
    assert kinds_in(tmp_path / "history.sqlite3") == [] and (spill / SPILL_NAME).exists()


def test_events_that_cannot_be_kept_anywhere_are_told_as_lost(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    writer = HistoryWriter(path, spill_folders=(blocker / "state",), busy_timeout_seconds=0.2)  # cannot be made
    writer.start(NOW)
    holder = hold_write_lock(path)
    writer.record("nudge", NOW)
    message = writer.close()
    holder.execute("ROLLBACK")
    holder.close()
    assert message is not None and "1 history event could not be saved" in message and "is lost" in message


def test_a_dangling_database_link_is_told_as_a_missing_file_not_a_disk_problem(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    target = tmp_path / "usb-stick" / "history.sqlite3"  # a removed disk: the folder is gone too
    path.symlink_to(target)
    writer = HistoryWriter(path)
    available, message = writer.start(NOW)
    assert available and message is not None
    assert f"is a link to {target}, which does not exist" in message and "Check the disk" not in message
    assert "remove the link" in message
    writer.close()


def test_events_from_several_threads_are_all_stored_once(writer: HistoryWriter) -> None:
    def burst(offset: int) -> None:
        for i in range(50):
            writer.record("nudge", NOW + timedelta(seconds=offset + i))

    threads = [threading.Thread(target=burst, args=(n * 100,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    settled(writer)
    assert len(kinds_in(writer.path)) == 200
