"""The history database when it is locked, read-only, full or damaged: nothing lost, the user told once."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from unsit.store.history import RETRY_SECONDS, History, open_history

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def count(path: Path) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return db.execute("SELECT COUNT(*) FROM events").fetchone()[0]


def make_db(path: Path, rows: int) -> None:
    h = History(path)
    for i in range(rows):
        h.record("nudge", NOW + timedelta(seconds=i), streak_seconds=float(i))
    h.close()


def test_a_locked_database_is_waited_for_not_set_aside(tmp_path):
    path = tmp_path / "history.sqlite3"
    make_db(path, 12)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")  # another program holds it for good
    holder.execute("BEGIN EXCLUSIVE")
    clock = Ticks()
    history, message = open_history(path, NOW, busy_timeout_seconds=0.2, attempts=2, clock=clock)
    assert history is not None
    assert "locked" in message
    assert not list(tmp_path.glob("*.bad-*"))
    assert history.record("skip", NOW) is False and history.pending_events == 1
    holder.execute("ROLLBACK")
    holder.close()
    clock.now += RETRY_SECONDS
    assert history.record("snooze", NOW) is True
    assert count(path) == 14
    history.close()


def test_a_briefly_locked_database_opens_normally(tmp_path):
    path = tmp_path / "history.sqlite3"
    make_db(path, 12)
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(0.3, lambda: (holder.execute("ROLLBACK"), holder.close()))
    release.start()
    history, message = open_history(path, NOW, busy_timeout_seconds=5.0)
    release.join()
    assert message is None and history is not None
    assert history.record("nudge", NOW) is True and count(path) == 13
    history.close()


def _scribble_interior_pages(path: Path) -> None:
    with sqlite3.connect(path) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        pages = db.execute("PRAGMA page_count").fetchone()[0]
    with open(path, "r+b") as f:  # keep page 1 (the header and schema) intact
        for page in range(2, pages):
            f.seek(page * page_size + 8)
            f.write(os.urandom(page_size // 2))


def test_damaged_interior_pages_found_at_run_time_are_handled_like_at_start(tmp_path):
    path = tmp_path / "history.sqlite3"
    make_db(path, 3000)  # many pages
    history, message = open_history(path, NOW)
    assert message is None
    told: list[str] = []
    history.on_problem = told.append
    _scribble_interior_pages(path)
    days = history.days(7, NOW)  # must not raise
    assert len(days) == 7
    assert len(told) == 1 and "kept as" in told[0]
    assert list(tmp_path.glob("history.sqlite3.bad-*"))
    assert history.record("nudge", NOW) is True
    assert history.today(NOW).nudges == 1
    history.close()


def test_damaged_interior_pages_at_start_up_are_set_aside(tmp_path):
    path = tmp_path / "history.sqlite3"
    make_db(path, 3000)
    _scribble_interior_pages(path)
    history, message = open_history(path, NOW)
    assert history is not None
    if message is None:  # the start-up reads did not touch a damaged page: the first query will
        history.days(7, NOW)
    assert list(tmp_path.glob("history.sqlite3.bad-*"))
    assert history.record("nudge", NOW) is True
    history.close()


def test_a_drill_left_open_by_a_kill_is_closed_as_interrupted(tmp_path):
    path = tmp_path / "history.sqlite3"
    h = History(path)
    h.record("drill_started", NOW, drill_id="hip-90-90")
    h.close()  # then SIGKILL: no drill_finished, no drill_skipped
    for _ in range(2):  # and only once, however often it starts
        history, message = open_history(path, NOW + timedelta(hours=1))
        assert message is None
        assert history.today(NOW).drills_skipped == 1
        history.close()
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT kind, drill_id, reason FROM events ORDER BY id").fetchall()
    assert rows == [("drill_started", "hip-90-90", None), ("drill_skipped", "hip-90-90", "interrupted")]


DISK_FULL_CHILD = r"""
import resource, signal, sqlite3, sys
from datetime import datetime, timezone, timedelta
from unsit.store.history import open_history, RETRY_SECONDS
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # over the limit: EFBIG, like a full disk
now = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
ticks = [0.0]
history, message = open_history(sys.argv[1], now, clock=lambda: ticks[0])
assert message is None, message
told = []
history.on_problem = told.append
soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, hard))
stored = sum(history.record("nudge", now + timedelta(seconds=i), streak_seconds=float(i) * 1000) for i in range(45))
print("stored_while_full", stored, "pending", history.pending_events, "told", len(told), flush=True)
print("message", told[0] if told else "", flush=True)
resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
ticks[0] += RETRY_SECONDS
print("retry", history.retry_pending(), "pending", history.pending_events, flush=True)
history.close()
"""


def test_events_written_while_the_disk_is_full_are_kept_and_written_later(tmp_path):
    path = tmp_path / "history.sqlite3"
    out = subprocess.run([sys.executable, "-c", DISK_FULL_CHILD, str(path)], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    lines = dict(line.split(" ", 1) for line in out.stdout.splitlines())
    stored, _, pending, _, told = lines["stored_while_full"].split()
    assert int(stored) < 45 and int(pending) == 45 - int(stored) and int(told) == 1
    assert "cannot be saved" in lines["message"]
    assert lines["retry"] == "True pending 0"
    assert count(path) == 45


@pytest.fixture
def small_mount(tmp_path):
    """A real 256 kB tmpfs (root only), unmounted afterwards."""
    mount_point = tmp_path / "fs"
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", str(mount_point)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr!r}")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _remount(mount_point: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(mount_point)], check=True)


def test_a_really_full_disk_keeps_events_until_there_is_space(small_mount):
    path = small_mount / "history.sqlite3"
    clock = Ticks()
    history, message = open_history(path, NOW, clock=clock)
    assert message is None
    told: list[str] = []
    history.on_problem = told.append
    filler = small_mount / "filler"
    try:
        with open(filler, "wb") as f:
            while True:
                f.write(b"\0" * 4096)
                f.flush()
    except OSError:
        pass  # the disk is full now
    results = [history.record("nudge", NOW + timedelta(seconds=i), streak_seconds=float(i)) for i in range(45)]
    assert not all(results)
    assert len(told) == 1 and "full" in told[0]
    filler.unlink()
    clock.now += RETRY_SECONDS
    assert history.retry_pending() is True
    assert count(path) == 45
    history.close()


def test_a_read_only_data_folder_does_not_stop_start_up(small_mount):
    path = small_mount / "history.sqlite3"
    make_db(path, 3)
    _remount(small_mount, "ro")
    clock = Ticks()
    history, message = open_history(path, NOW, clock=clock)
    assert history is not None and "read-only" in message
    assert history.today(NOW).nudges == 3  # the old events can still be read
    assert history.record("nudge", NOW) is False and history.pending_events == 1
    assert not list(small_mount.glob("*.bad-*"))
    _remount(small_mount, "rw")
    clock.now += RETRY_SECONDS
    assert history.retry_pending() is True
    assert count(path) == 4
    history.close()


def test_a_read_only_empty_data_folder_gives_history_off_not_a_crash(small_mount):
    _remount(small_mount, "ro")
    history, message = open_history(small_mount / "data" / "history.sqlite3", NOW)
    assert history is not None and "read-only" in message
    assert history.days(3, NOW)[0].nudges == 0
    assert history.record("nudge", NOW) is False
    history.close()


@pytest.mark.parametrize("message, expected", [
    ("database disk image is malformed", "damaged"), ("file is not a database", "damaged"),
    ("database is locked", "busy"), ("attempt to write a readonly database", "read_only"),
    ("database or disk is full", "full"), ("disk I/O error", "unwritable"), ("no such table: x", "other"),
])
def test_trouble_is_told_apart_by_message_where_there_is_no_error_code(message, expected):
    from unsit.store.history_trouble import classify

    assert classify(sqlite3.OperationalError(message)).value == expected  # Python 3.10 has no sqlite_errorcode


def test_trouble_uses_the_error_code_where_there_is_one():
    from unsit.store.history_trouble import Trouble, classify

    exc = sqlite3.DatabaseError("some words")
    exc.sqlite_errorcode = 11 | (1 << 8)  # an extended SQLITE_CORRUPT code
    assert classify(exc) is Trouble.DAMAGED
    assert classify(OSError(28, "No space left on device")) is Trouble.FULL
    assert classify(OSError(30, "Read-only file system")) is Trouble.READ_ONLY


def test_retries_while_locked_do_not_hold_the_app_for_the_whole_busy_timeout(tmp_path):
    import time

    path = tmp_path / "history.sqlite3"
    make_db(path, 1)
    clock = Ticks()
    history = History(path, busy_timeout_seconds=2.0, clock=clock)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program writes for a long time
    try:
        assert history.record("nudge", NOW) is False  # waited the full 2 s once, then told
        clock.now += RETRY_SECONDS
        started = time.monotonic()
        assert history.retry_pending() is False
        assert time.monotonic() - started < 1.0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    clock.now += RETRY_SECONDS
    assert history.retry_pending() is True and count(path) == 2
    history.close()


def test_the_apps_reads_still_show_past_events_from_a_read_only_data_folder(small_mount):
    """The writer's read-only view falls back to an immutable one where no -shm file can be made."""
    from unsit.store.history_writer import HistoryWriter

    path = small_mount / "history.sqlite3"
    make_db(path, 3)
    _remount(small_mount, "ro")
    writer = HistoryWriter(path)
    available, message = writer.start(NOW)
    assert available and message is not None and "read-only" in message
    reader = writer.reader()
    assert reader is not None and reader.today(NOW).nudges == 3
    writer.close()
    _remount(small_mount, "rw")
