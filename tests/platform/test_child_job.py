"""Child jobs without QProcess: output, errors, exit codes, time-outs, hostile children, no leaks."""

from __future__ import annotations

import gc
import os
import shutil
import signal
from pathlib import Path

import pytest

from unsit.platform.child_job import MAX_OUTPUT_BYTES, ChildJob

SH = shutil.which("sh") or "/bin/sh"


def open_fds() -> set[str]:
    """This process's descriptors, after the garbage left by earlier tests (an unclosed database) is gone."""
    gc.collect()
    return set(os.listdir("/proc/self/fd"))


def test_a_child_reads_its_input_and_its_output_comes_back_with_the_event_loop(qtbot) -> None:
    job = ChildJob([SH, "-c", "tr a-z A-Z; echo oops >&2; exit 3"], b"rows\nmore rows\n")
    with qtbot.waitSignal(job.finished, timeout=10_000):
        job.start()
        assert job.running
    assert not job.running
    assert job.output == b"ROWS\nMORE ROWS\n" and job.errors == b"oops\n" and job.exit_code == 3


def test_waiting_blocks_until_the_end_and_emits_finished(qtbot) -> None:
    job = ChildJob([SH, "-c", "cat"], b"x" * 300_000)  # more than a pipe holds: read while it writes
    seen: list[bool] = []
    job.finished.connect(lambda: seen.append(True))
    job.start()
    assert job.wait(10.0) is True
    assert seen == [True] and job.output == b"x" * 300_000 and job.exit_code == 0


def test_a_child_that_takes_too_long_is_waited_for_a_bounded_time_and_killed(qtbot) -> None:
    job = ChildJob([SH, "-c", "exec sleep 30"])
    job.start()
    assert job.wait(0.2) is False and job.running
    job.kill()
    assert job.wait(5.0) is True
    assert job.exit_code == -signal.SIGKILL


def test_a_child_writing_without_end_is_stopped(qtbot) -> None:
    job = ChildJob([SH, "-c", "exec cat /dev/zero"])
    with qtbot.waitSignal(job.finished, timeout=20_000):
        job.start()
    assert job.exit_code == -signal.SIGKILL and len(job.output) <= MAX_OUTPUT_BYTES


def test_a_program_that_is_not_there_fails_to_start_and_leaks_nothing(tmp_path: Path) -> None:
    before = open_fds()
    with pytest.raises(OSError):
        ChildJob([str(tmp_path / "missing")]).start()
    assert open_fds() - before == set()


def test_finished_children_leave_no_file_descriptors_or_zombies(qtbot) -> None:
    before = open_fds()
    pids = []
    for _ in range(5):
        job = ChildJob([SH, "-c", "echo done"], b"input")
        job.start()
        assert job.wait(10.0) and job.output == b"done\n"
        pids.append(job.pid)
    assert open_fds() - before == set()  # none left open (one an earlier test left may have been closed)
    assert [pid for pid in pids if pid is None or Path(f"/proc/{pid}").exists()] == []  # collected, no zombies
