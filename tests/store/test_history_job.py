"""The history job: start-up checks and writes in a process of their own, reported line by line."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from unsit.store.history import SCHEMA_VERSION, History
from unsit.store.history_job import MAX_ROWS, main
from unsit.store.history_rows import encode_row, make_row

NOW = datetime.now().astimezone()  # the job reads the real clock: "today" is today


def run(args: list[str], lines: list[str] | None = None) -> tuple[int, list[list[str]]]:
    said: list[str] = []
    status = main(args, stdin=iter(lines or []), say=said.append)
    return status, [line.split("\t") for line in said]


def rows_in(path: Path) -> list[tuple]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return db.execute("SELECT kind, at_utc, drill_id, reason FROM events ORDER BY id").fetchall()


def test_start_tells_todays_drills_and_answers(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    history = History(path)
    history.record("drill_started", NOW - timedelta(minutes=5), drill_id="hip-90-90")
    history.record("drill_finished", NOW - timedelta(minutes=3), drill_id="hip-90-90", duration_seconds=120)
    history.record("reminder_answered", NOW - timedelta(minutes=2), reason="morning_routine:later")
    history.close()
    status, said = run(["start", str(path), "morning_routine"])
    assert status == 0
    day = [fields for fields in said if fields[0] == "day"]
    assert day == [["day", NOW.date().isoformat() if NOW.hour >= 4 else (NOW.date() - timedelta(days=1)).isoformat(),
                    "1"]]
    assert [fields[2] for fields in said if fields[0] == "started"] == ["hip-90-90"]
    assert ["answer", "morning_routine", "later"] in said
    assert not [fields for fields in said if fields[0] == "problem"]


def test_start_closes_a_drill_a_killed_run_left_open(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    history = History(path)
    history.record("drill_started", NOW, drill_id="hip-90-90")
    history.close()
    run(["start", str(path)])
    assert [row[0] for row in rows_in(path)] == ["drill_started", "drill_skipped"]


def test_start_sets_a_damaged_file_aside_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"this is not a database" * 200)
    status, said = run(["start", str(path)])
    problems = [fields for fields in said if fields[0] == "problem"]
    assert status == 0 and len(problems) == 1 and problems[0][1] == "start"
    assert "could not be read" in problems[0][2] and "a new one was started" in problems[0][2]
    assert len(list(tmp_path.glob("history.sqlite3.bad-*"))) == 1
    assert rows_in(path) == []


def test_a_history_from_a_newer_unsit_is_off_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    status, said = run(["start", str(path)])
    assert status == 0 and said[0][0] == "off" and "schema version" in said[0][1]
    row = encode_row(make_row("nudge", NOW))
    _status, said = run(["write", str(path)], [row])
    assert said[0][0] == "off" and said[-1] == ["kept", "1"]


def test_write_stores_rows_and_a_row_sent_again_only_once(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    lines = [encode_row(make_row("nudge", NOW, streak_seconds=3600.0)) + "\n",
             encode_row(make_row("snooze", NOW)) + "\n",
             encode_row(make_row("snooze", NOW)) + "\n"]  # the same in one batch: two events
    assert run(["write", str(path)], lines) == (0, [["stored", "3"]])
    assert run(["write", str(path)], lines[:2]) == (0, [["stored", "2"]])  # its answer was lost: sent again
    assert [row[0] for row in rows_in(path)] == ["nudge", "snooze", "snooze"]


def test_write_into_a_damaged_file_starts_a_new_one_and_stores_the_rows(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"garbage" * 1000)
    status, said = run(["write", str(path)], [encode_row(make_row("skip", NOW))])
    assert status == 0 and said[0][:2] == ["problem", "damaged"] and said[-1] == ["stored", "1"]
    assert [row[0] for row in rows_in(path)] == ["skip"]


@pytest.mark.parametrize(("args", "lines"), [
    ([], []),
    (["erase", "x"], []),
    (["write", "x", "y"], []),
    (["write", "DB"], ["not a row\n"]),
    (["write", "DB"], [encode_row(make_row("skip", NOW)) + "\n"] * (MAX_ROWS + 1)),
])
def test_a_request_this_app_would_not_send_writes_nothing(tmp_path: Path, args: list[str], lines: list[str],
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    args = [str(tmp_path / "history.sqlite3") if arg == "DB" else arg for arg in args]
    status, said = run(args, lines)
    assert status == 2 and said == []
    assert capsys.readouterr().err
    assert not (tmp_path / "history.sqlite3").exists()


def test_the_job_runs_as_its_own_process_in_the_users_language(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"garbage" * 1000)
    done = subprocess.run([sys.executable, "-m", "unsit.store.history_job", "--language", "de", "start", str(path)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    problem = [line for line in done.stdout.splitlines() if line.startswith("problem\t")]
    assert len(problem) == 1 and "Verlauf" in problem[0], done.stdout
