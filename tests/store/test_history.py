"""History database: recording, day summaries, streaks, CSV export, migrations."""

from __future__ import annotations

import csv
import sqlite3
from datetime import date, datetime, timedelta, timezone

import pytest

from unsit.store.history import MIGRATIONS, SCHEMA_VERSION, DaySummary, History, HistoryError

TZ = timezone(timedelta(hours=-5))  # a local zone west of UTC: dates differ from UTC dates
NOW = datetime(2026, 11, 23, 21, 0, tzinfo=TZ)  # 02:00 UTC on the 24th


@pytest.fixture
def history(tmp_path):
    h = History(tmp_path / "data" / "history.sqlite3")
    yield h
    h.close()


def at(days_ago: int, hour: int = 10) -> datetime:
    return (NOW - timedelta(days=days_ago)).replace(hour=hour, minute=0)


def test_pragmas(history):
    db = sqlite3.connect(history.path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert history._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert history._db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000


def test_record_is_visible_to_another_connection_at_once(history):
    history.record("drill_finished", NOW, drill_id="hip-90-90", duration_seconds=118.5)
    other = sqlite3.connect(history.path)
    row = other.execute("SELECT kind, at_utc, local_date, drill_id, duration_seconds FROM events").fetchone()
    assert row == ("drill_finished", "2026-11-24T02:00:00.000000+00:00", "2026-11-23", "hip-90-90", 118.5)


def test_record_rejects_bad_input(history):
    with pytest.raises(ValueError, match="unknown history event kind"):
        history.record("stretch", NOW)
    with pytest.raises(ValueError, match="timezone aware"):
        history.record("nudge", NOW.replace(tzinfo=None))


def test_today_summary(history):
    history.record("nudge", at(0, 9))
    history.record("snooze", at(0, 9))
    history.record("nudge", at(0, 10))
    history.record("drill_started", at(0, 10), drill_id="a")
    history.record("drill_finished", at(0, 10), drill_id="a", duration_seconds=120)
    history.record("streak_ended", at(0, 10), streak_seconds=3700, reason="drill")
    history.record("skip", at(0, 12))
    history.record("drill_skipped", at(0, 13), drill_id="b", duration_seconds=20)
    history.record("streak_ended", at(0, 14), streak_seconds=1500, reason="away")
    history.record("streak_ended", at(1, 14), streak_seconds=9000, reason="away")  # yesterday
    assert history.today(NOW) == DaySummary(
        date(2026, 11, 23), sitting_seconds=5200, longest_streak_seconds=3700,
        drills_done=1, drills_skipped=2, nudges=2,
    )


def test_days_zero_filled_oldest_first(history):
    history.record("drill_finished", at(2), drill_id="a")
    history.record("drill_finished", at(2), drill_id="b")
    history.record("drill_finished", at(9), drill_id="old")  # outside the window
    days = history.days(7, NOW)
    assert [d.date for d in days] == [date(2026, 11, 17) + timedelta(days=i) for i in range(7)]
    assert [d.drills_done for d in days] == [0, 0, 0, 0, 2, 0, 0]
    assert days[0] == DaySummary(date(2026, 11, 17))
    assert len(history.days(30, NOW)) == 30


def test_day_streak(history):
    for days_ago, count in ((1, 3), (2, 4), (3, 3), (4, 2), (5, 3)):
        for _ in range(count):
            history.record("drill_finished", at(days_ago))
    # Today has none yet: the streak up to yesterday still shows.
    assert history.day_streak(NOW, 3) == 3
    assert history.day_streak(NOW, 2) == 5
    assert history.day_streak(NOW, 4) == 0  # yesterday did not reach 4
    for _ in range(3):
        history.record("drill_finished", at(0))
    assert history.day_streak(NOW, 3) == 4
    with pytest.raises(ValueError):
        history.day_streak(NOW, 0)


def test_export_csv(history, tmp_path):
    history.record("nudge", at(0))
    history.record("streak_ended", at(0), streak_seconds=61.5, reason='said "away", left')
    out = tmp_path / "export.csv"
    assert history.export_csv(out) == 2
    rows = list(csv.reader(out.open(newline="", encoding="utf-8")))
    assert rows[0] == ["id", "kind", "at_utc", "local_date", "drill_id", "duration_seconds", "streak_seconds", "reason"]
    assert rows[2][1] == "streak_ended" and rows[2][6] == "61.5" and rows[2][7] == 'said "away", left'


def test_migration_from_version_1(tmp_path):
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
    db.execute("INSERT INTO events (kind, at_utc, local_date, streak_seconds)"
               " VALUES ('streak_ended', '2026-11-23T15:00:00+00:00', '2026-11-23', 600)")
    db.commit()
    db.close()
    h = History(path)
    assert h.schema_version == SCHEMA_VERSION == 2
    assert h.today(NOW).sitting_seconds == 600  # old rows survive
    h.record("streak_ended", NOW, streak_seconds=60, reason="drill")  # new column works
    indexes = [r[1] for r in h._db.execute("PRAGMA index_list(events)")]
    assert "events_by_day" in indexes
    h.close()


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "future.sqlite3"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(HistoryError, match="schema version"):
        History(path)


def test_reopen_keeps_events(tmp_path):
    path = tmp_path / "h.sqlite3"
    h = History(path)
    h.record("nudge", NOW)
    h.close()
    h = History(path)
    assert h.today(NOW).nudges == 1
    h.close()


def test_a_damaged_database_is_kept_aside_and_a_new_one_started(tmp_path):
    from unsit.store.history import open_history

    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"this is not a database, it was hit by a cosmic ray" * 100)
    now = datetime(2026, 11, 23, 9, 30, 5, tzinfo=timezone.utc)
    history, message = open_history(path, now)
    assert history is not None
    history.record("nudge", now, streak_seconds=3600)
    assert history.today(now).nudges == 1
    kept = tmp_path / "history.sqlite3.bad-20261123T093005"
    assert kept.read_bytes().startswith(b"this is not a database")
    assert kept.name in message
    history.close()


def test_a_database_from_a_newer_unsit_is_left_untouched(tmp_path):
    import sqlite3

    from unsit.store.history import SCHEMA_VERSION, open_history

    path = tmp_path / "history.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    history, message = open_history(path, datetime(2026, 11, 23, tzinfo=timezone.utc))
    assert history is None and "schema version" in message
    assert sorted(p.name for p in tmp_path.iterdir() if "bad" in p.name) == []


def test_export_csv_replaces_a_file_atomically(history, tmp_path, monkeypatch):
    from unsit.runtime import atomic

    out = tmp_path / "export.csv"
    out.write_text("an earlier export\n")
    history.record("nudge", at(0))

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", full_disk)
    with pytest.raises(OSError):
        history.export_csv(out)
    monkeypatch.undo()
    assert out.read_text() == "an earlier export\n"  # never a half-written file
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".export")) == []
    assert history.export_csv(out) == 1
    assert out.read_text().startswith("id,kind,at_utc")


def test_finished_routines_are_counted_on_their_own_and_as_one_drill_session(history):
    history.record("drill_started", at(0, 8), drill_id="routine:morning")
    history.record("drill_finished", at(0, 8), drill_id="routine:morning", duration_seconds=320)
    history.record("drill_finished", at(0, 11), drill_id="hip-hinge", duration_seconds=80)
    history.record("drill_skipped", at(0, 17), drill_id="routine:warm-up", duration_seconds=40)  # stopped
    history.record("drill_finished", at(2, 18), drill_id="routine:warm-up", duration_seconds=170)
    history.record("drill_finished", at(2, 19), drill_id=None)  # an old row without an id
    today = history.today(NOW)
    assert (today.drills_done, today.drills_skipped, today.routines_done) == (2, 1, 1)
    assert [d.routines_done for d in history.days(3, NOW)] == [1, 0, 1]


def test_calls_are_counted_with_their_length_per_day(history):
    history.record("call", at(0, 9), duration_seconds=52 * 60)
    history.record("call", at(0, 15), duration_seconds=8 * 60)
    history.record("call", at(1, 9), duration_seconds=600)  # yesterday
    history.record("nudge_held", at(0, 9), streak_seconds=3600, reason="call")
    today = history.today(NOW)
    assert (today.calls, today.call_seconds, today.nudges) == (2, 60 * 60, 0)
    assert [d.calls for d in history.days(3, NOW)] == [0, 1, 2]


def test_a_history_written_before_calls_existed_opens_and_counts_none(tmp_path):
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    for script in MIGRATIONS:
        db.executescript(script)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    db.execute("INSERT INTO events (kind, at_utc, local_date, streak_seconds) VALUES "
               "('streak_ended', '2026-11-23T15:00:00+00:00', '2026-11-23', 600)")
    db.commit()
    db.close()
    old = History(path)
    try:
        today = old.today(NOW)
        assert (today.sitting_seconds, today.calls, today.call_seconds) == (600, 0, 0.0)
        old.record("call", NOW, duration_seconds=90)
        assert old.today(NOW).calls == 1
    finally:
        old.close()


def test_standing_periods_are_counted_per_day_beside_sitting(history):
    history.record("standing", at(0, 9), duration_seconds=20 * 60)
    history.record("standing", at(0, 14), duration_seconds=10 * 60, reason="break")
    history.record("standing", at(1, 9), duration_seconds=5 * 60)  # yesterday
    history.record("streak_ended", at(0, 10), streak_seconds=3000, reason="stood")
    today = history.today(NOW)
    assert (today.standing_seconds, today.sitting_seconds) == (30 * 60, 3000)
    assert [d.standing_seconds for d in history.days(3, NOW)] == [0, 5 * 60, 30 * 60]


def test_only_a_period_that_unsit_stopping_ended_is_handed_to_the_next_start(history):
    assert history.stopped_standing() is None
    history.record("standing", at(0, 9), duration_seconds=600, reason="quit")
    assert history.stopped_standing() == (at(0, 9).astimezone(timezone.utc), 600.0)
    history.record("standing", at(0, 10), duration_seconds=60)  # sat down after that: nothing to hand on
    assert history.stopped_standing() is None
