"""The real app's history: committed before a kill, no frozen tray, nothing imported from the start folder."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.running_app import RunningApp

pytestmark = [pytest.mark.desktop, pytest.mark.slow]  # the real app on its own desktop

PROMPT_SECONDS = 4.0  # the writer waits 5 s for another program's lock: a stalled GUI would take longer


def rows(path: Path, kind: str) -> list[tuple]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return db.execute("SELECT kind, drill_id FROM events WHERE kind = ?", (kind,)).fetchall()


def timed(app: RunningApp, *args: str) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    done = app.cli(*args)
    return done, time.monotonic() - started


def process_tree(pid: int) -> list[int]:
    """``pid`` and every process below it (read from /proc)."""
    found, index = [pid], 0
    while index < len(found):
        for task in Path(f"/proc/{found[index]}/task").glob("*"):
            try:
                found += [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                pass
        index += 1
    return found


def test_an_event_recorded_50_ms_before_a_kill_of_the_app_is_in_the_database(tmp_path: Path) -> None:
    app = RunningApp(tmp_path)
    try:
        started = app.cli("drill")  # answered after the drill_started event was recorded
        assert started.returncode == 0, started.stderr
        time.sleep(0.05)
        for pid in process_tree(app.proc.pid):  # the app and anything it started, as at logout or an OOM kill
            os.kill(pid, signal.SIGKILL)
        app.proc.wait(10)
        assert len(rows(app.history_db, "drill_started")) == 1
    finally:
        app.quit()


STORE_CHILD = r"""
import sys, time
from datetime import datetime, timezone
from pathlib import Path
from unsit.store.history_writer import HistoryWriter

writer = HistoryWriter(Path(sys.argv[1]))
assert writer.start(datetime.now().astimezone()) == (True, None)
writer.record("drill_finished", datetime.now(timezone.utc), drill_id="hip-90-90", duration_seconds=60.0)
print("recorded", flush=True)
time.sleep(60)
"""


def test_an_event_the_store_recorded_50_ms_before_a_kill_is_in_the_database(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    for _round in range(5):  # each round a fresh kill 50 ms after a record
        child = subprocess.Popen([sys.executable, "-c", STORE_CHILD, str(path)], stdout=subprocess.PIPE, text=True)
        try:
            assert child.stdout is not None and child.stdout.readline() == "recorded\n"
            time.sleep(0.05)
            child.send_signal(signal.SIGKILL)
            child.wait(10)
        finally:
            child.kill()
            child.wait()
            if child.stdout is not None:
                child.stdout.close()
    assert len(rows(path, "drill_finished")) == 5


def test_history_opened_while_another_program_holds_the_database_does_not_freeze_the_tray(tmp_path: Path) -> None:
    app = RunningApp(tmp_path)
    holder = sqlite3.connect(app.history_db, isolation_level=None, timeout=10)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another program's write, left open (a backup, an sqlite3 shell)
        holder.execute("INSERT INTO events (kind, at_utc, local_date) VALUES ('skip', 'x', 'x')")
        drill, drill_seconds = timed(app, "drill")  # records drill_started: the writer waits for the lock
        assert drill.returncode == 0, drill.stderr
        opened, history_seconds = timed(app, "history")
        assert opened.returncode == 0, opened.stderr
        status, status_seconds = timed(app, "status")
        assert status.returncode == 0, status.stderr
        assert max(drill_seconds, history_seconds, status_seconds) < PROMPT_SECONDS, (
            drill_seconds, history_seconds, status_seconds)
        app.wait_until(lambda: app.windows_named("Unsit — History"), 20, "the history window")
        assert app.status()["phase"] == "in_drill"
        holder.execute("ROLLBACK")
        # The lock is gone: the waiting event is committed (at once, or at the next minute's retry).
        app.wait_until(lambda: rows(app.history_db, "drill_started"), 90, "the drill to be stored")
    finally:
        holder.close()
        app.quit()


PLANTED = """
import pathlib
pathlib.Path({marker!r}).write_text("imported from the working folder")
"""


def test_a_start_from_a_folder_others_can_write_imports_nothing_from_it(tmp_path: Path) -> None:
    shared = tmp_path / "shared"  # like /tmp: anyone may put an `unsit` package there
    marker = tmp_path / "planted-code-ran"
    for package in ("unsit", "unsit/store", "unsit/app"):
        (shared / package).mkdir(parents=True)
        (shared / package / "__init__.py").write_text(PLANTED.format(marker=str(marker)))
    (shared / "unsit" / "__main__.py").write_text(PLANTED.format(marker=str(marker)))
    (shared / "unsit" / "store" / "history_job.py").write_text(PLANTED.format(marker=str(marker)))
    shared.chmod(0o1777)
    launcher = Path(sys.executable).parent / "unsit"  # the installed command, as a user starts it
    app = RunningApp(tmp_path / "run", command=[str(launcher)], cwd=shared)
    try:
        assert app.cli("drill").returncode == 0  # writes history events
        assert app.cli("history").returncode == 0  # reads them
        app.wait_until(lambda: app.windows_named("Unsit — History"), 20, "the history window")
        assert rows(app.history_db, "drill_started")
    finally:
        app.quit()
    assert not marker.exists(), "code from the folder Unsit was started in ran"


def test_events_the_database_refuses_until_quit_are_told_about_and_kept_for_the_next_start(tmp_path: Path) -> None:
    from datetime import datetime

    from unsit.store.history_spill import SPILL_NAME
    from unsit.store.history_writer import HistoryWriter

    app = RunningApp(tmp_path)
    holder = sqlite3.connect(app.history_db, isolation_level=None, timeout=10)
    config = tmp_path / "XDG_CONFIG_HOME" / "unsit"
    spill = config / SPILL_NAME
    try:
        holder.execute("BEGIN IMMEDIATE")  # another program holds the database until after the quit
        assert app.cli("drill").returncode == 0
        app.wait_until(lambda: "another program holds" in app.output(), 30, "the lock to be told")
        assert app.cli("quit").returncode == 0
        assert app.proc.wait(30) == 0
        assert f"could not be saved in {app.history_db}" in app.output() and str(spill) in app.output()
        app.desktop.dunst.close_all()  # what is on screen moves to dunst's history
        told = [n["body"] for n in app.history_json() if "when Unsit starts again" in n["body"]]
        assert told, app.history_json()  # a notification, not only a line on stderr
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        app.quit()
    assert rows(app.history_db, "drill_started") == [] and spill.exists()

    writer = HistoryWriter(app.history_db, spill_folders=(config,))  # the next start
    assert writer.start(datetime.now().astimezone()) == (True, None)
    writer.close()
    assert len(rows(app.history_db, "drill_started")) == 1 and not spill.exists()
