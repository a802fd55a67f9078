"""SIGKILL the writer at random moments: the database stays intact and loses nothing it confirmed."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

CHILD = r"""
import sys
from datetime import datetime, timezone
from unsit.store.history import History

h = History(sys.argv[1])
start = int(sys.argv[2])
i = start
kinds = ("nudge", "drill_finished", "streak_ended")
while True:
    h.record(kinds[i % 3], datetime.now(timezone.utc), drill_id=str(i), streak_seconds=float(i))
    print(i, flush=True)
    i += 1
"""

ROUNDS = 15
TIME_BUDGET_SECONDS = 12.0


def test_kill_at_random_moments_loses_nothing_confirmed(tmp_path):
    db_path = tmp_path / "history.sqlite3"
    rng = random.Random(os.environ.get("UNSIT_CRASH_SEED", "20261123"))
    confirmed: set[int] = set()
    next_id = 0
    deadline = time.monotonic() + TIME_BUDGET_SECONDS
    rounds = 0
    while rounds < ROUNDS and time.monotonic() < deadline:
        rounds += 1
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(db_path), str(next_id)],
            stdout=subprocess.PIPE, text=True,
        )
        try:
            wanted = rng.randint(1, 40)
            for _ in range(wanted):
                line = child.stdout.readline()
                if not line:
                    break
                confirmed.add(int(line))
            os.kill(child.pid, signal.SIGKILL)  # at whatever point the loop has reached
            # Whatever was printed before the kill was also committed.
            for line in child.stdout:
                confirmed.add(int(line))
        finally:
            child.kill()
            child.wait()
            child.stdout.close()
        assert child.returncode == -signal.SIGKILL
        next_id = max(confirmed, default=-1) + 1000  # ids of later rounds never collide
    assert rounds >= 5, "too slow to run enough kill rounds"
    db = sqlite3.connect(db_path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {int(r[0]) for r in db.execute("SELECT drill_id FROM events")}
    finally:
        db.close()
    missing = confirmed - stored
    assert not missing, f"{len(missing)} confirmed events lost, e.g. {sorted(missing)[:5]}"
    assert len(confirmed) >= rounds
