"""The history database (SQLite): every nudge, snooze, skip, drill and streak end.

Durability: the database runs in WAL mode with ``synchronous=FULL``. With WAL,
``NORMAL`` already survives a crash of the app (SIGKILL), but a power cut or kernel
crash may roll back the last commits, because the WAL is only synced at checkpoints.
The rule is "never lose an event reported as stored", and events are rare (a few per
hour), so the one fsync per commit that ``FULL`` costs is worth it.

Every ``record`` runs in autocommit mode: the INSERT is committed before it returns.

Day summaries group events by the local date stored with each event (the date of the
``at`` timestamp in its own time zone). ``sitting_seconds`` of a day is the sum of
``streak_seconds`` of the ``streak_ended`` events recorded that day (a streak is
counted on the day it ends, whole).
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

KINDS: tuple[str, ...] = (
    "nudge", "snooze", "skip", "drill_started", "drill_finished", "drill_skipped", "streak_ended",
)

# Ordered migrations: MIGRATIONS[i] takes the schema from user_version i to i + 1.
MIGRATIONS: tuple[str, ...] = (
    # 1: the event log.
    """
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        at_utc TEXT NOT NULL,
        local_date TEXT NOT NULL,
        drill_id TEXT,
        duration_seconds REAL,
        streak_seconds REAL
    );
    """,
    # 2: why a streak ended; day queries by date.
    """
    ALTER TABLE events ADD COLUMN reason TEXT;
    CREATE INDEX events_by_day ON events (local_date, kind);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
BUSY_TIMEOUT_SECONDS = 5.0
CSV_COLUMNS = ("id", "kind", "at_utc", "local_date", "drill_id", "duration_seconds", "streak_seconds", "reason")


class HistoryError(RuntimeError):
    """The database cannot be used (e.g. written by a newer Unsit)."""


@dataclass(frozen=True)
class DaySummary:
    """One local day at a glance.

    ``drills_skipped`` counts drills skipped or ended early (``drill_skipped``) and
    nudges answered with Skip (``skip``): both are a drill not done.
    """

    date: date
    sitting_seconds: float = 0.0
    longest_streak_seconds: float = 0.0
    drills_done: int = 0
    drills_skipped: int = 0
    nudges: int = 0


def open_history(path: Path, now: datetime) -> tuple["History | None", str | None]:
    """Open the history, setting a damaged database aside instead of failing.

    Returns:
        The history (None when it cannot be used at all) and a message for the user
        when something had to be done about the file.
    """
    try:
        return History(path), None
    except HistoryError as exc:  # e.g. written by a newer Unsit: leave it untouched
        return None, f"History is off: {exc}"
    except sqlite3.DatabaseError as exc:
        kept = path.with_name(f"{path.name}.bad-{now:%Y%m%dT%H%M%S}")
        for suffix in ("", "-wal", "-shm"):
            part = Path(f"{path}{suffix}")
            if part.exists():
                part.replace(Path(f"{kept}{suffix}"))
        try:
            history = History(path)
        except (sqlite3.Error, HistoryError, OSError) as again:
            return None, f"History is off: {path} cannot be used ({again})"
        return history, (f"The history database could not be read ({exc}); it was kept as "
                         f"{kept.name} and a new one was started.")
    except OSError as exc:
        return None, f"History is off: {path} cannot be opened ({exc})"


class History:
    """Append-only event log with day summaries.

    Args:
        path: the database file (its folder is created when needed).
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(
            str(self.path), timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
        )
        try:
            self._db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
            mode = self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":  # pragma: no cover - e.g. a network file system
                raise HistoryError(f"cannot use WAL journal for {self.path} (got {mode})")
            self._db.execute("PRAGMA synchronous = FULL")
            self._migrate()
        except sqlite3.DatabaseError:
            self._db.close()  # let the caller move the damaged file aside
            raise

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            self._db.close()
            raise HistoryError(
                f"{self.path} has schema version {version}; this Unsit knows up to {SCHEMA_VERSION}"
            )
        for target in range(version + 1, SCHEMA_VERSION + 1):
            # executescript commits first; wrap each step so it applies whole or not at all.
            try:
                self._db.executescript(
                    f"BEGIN IMMEDIATE;\n{MIGRATIONS[target - 1]}\nPRAGMA user_version = {target};\nCOMMIT;"
                )
            except sqlite3.Error as exc:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                self._db.close()
                raise HistoryError(f"could not upgrade {self.path} to schema version {target}: {exc}") from exc

    @property
    def schema_version(self) -> int:
        """The database's PRAGMA user_version."""
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    def record(
        self,
        kind: str,
        at: datetime,
        *,
        drill_id: str | None = None,
        duration_seconds: float | None = None,
        streak_seconds: float | None = None,
        reason: str | None = None,
    ) -> None:
        """Store one event; committed (and synced) before this returns.

        Args:
            kind: one of ``KINDS``.
            at: when it happened, timezone aware (local time from the Clock).

        Raises:
            ValueError: unknown kind or naive datetime.
            sqlite3.Error: the database could not be written.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown history event kind {kind!r}; use one of {', '.join(KINDS)}")
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError("history timestamps must be timezone aware")
        at_utc = at.astimezone(timezone.utc).isoformat(timespec="microseconds")
        with self._lock:
            self._db.execute(
                "INSERT INTO events (kind, at_utc, local_date, drill_id, duration_seconds, streak_seconds, reason)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (kind, at_utc, at.date().isoformat(), drill_id, duration_seconds, streak_seconds, reason),
            )

    def today(self, now: datetime) -> DaySummary:
        """Summary of ``now``'s local date."""
        return self.days(1, now)[0]

    def days(self, n: int, now: datetime) -> list[DaySummary]:
        """The last ``n`` local days up to ``now``'s date, oldest first, zero-filled."""
        if n < 1:
            return []
        last = now.date()
        first = last - timedelta(days=n - 1)
        with self._lock:
            rows = self._db.execute(
                """
                SELECT local_date,
                       COALESCE(SUM(CASE WHEN kind = 'streak_ended' THEN streak_seconds END), 0),
                       COALESCE(MAX(CASE WHEN kind = 'streak_ended' THEN streak_seconds END), 0),
                       SUM(kind = 'drill_finished'),
                       SUM(kind IN ('drill_skipped', 'skip')),
                       SUM(kind = 'nudge')
                FROM events WHERE local_date BETWEEN ? AND ?
                GROUP BY local_date
                """,
                (first.isoformat(), last.isoformat()),
            ).fetchall()
        found = {
            r[0]: DaySummary(date.fromisoformat(r[0]), float(r[1]), float(r[2]), int(r[3]), int(r[4]), int(r[5]))
            for r in rows
        }
        out = []
        for i in range(n):
            day = first + timedelta(days=i)
            out.append(found.get(day.isoformat(), DaySummary(day)))
        return out

    def day_streak(self, now: datetime, min_drills: int) -> int:
        """Consecutive days, up to today, with at least ``min_drills`` drills finished.

        Today counts when it already qualifies; when it does not (yet), the streak
        running up to yesterday is returned, so it does not look broken in the morning.
        """
        if min_drills < 1:
            raise ValueError("min_drills must be at least 1")
        with self._lock:
            rows = self._db.execute(
                "SELECT local_date FROM events WHERE kind = 'drill_finished' AND local_date <= ?"
                " GROUP BY local_date HAVING COUNT(*) >= ? ORDER BY local_date DESC",
                (now.date().isoformat(), min_drills),
            ).fetchall()
        good = [date.fromisoformat(r[0]) for r in rows]
        expected = now.date()
        if good and good[0] != expected:
            expected -= timedelta(days=1)
        streak = 0
        for day in good:
            if day != expected:
                break
            streak += 1
            expected -= timedelta(days=1)
        return streak

    def drills_started_since(self, at: datetime) -> list[str]:
        """Ids of the drills started at or after ``at`` (timezone aware), oldest first."""
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError("history timestamps must be timezone aware")
        since = at.astimezone(timezone.utc).isoformat(timespec="microseconds")
        with self._lock:
            rows = self._db.execute(
                "SELECT drill_id FROM events WHERE kind = 'drill_started' AND at_utc >= ? AND drill_id IS NOT NULL"
                " ORDER BY at_utc, id",
                (since,),
            ).fetchall()
        return [str(r[0]) for r in rows]

    def export_csv(self, path: Path) -> int:
        """Write every event, oldest first, to ``path`` as CSV; returns the rows written."""
        with self._lock:
            rows = self._db.execute(f"SELECT {', '.join(CSV_COLUMNS)} FROM events ORDER BY id").fetchall()
        with open(path, "w", newline="", encoding="utf-8") as out:
            import csv  # only for an export

            writer = csv.writer(out)
            writer.writerow(CSV_COLUMNS)
            writer.writerows(rows)
        return len(rows)

    def close(self) -> None:
        """Close the database (checkpoints the WAL)."""
        with self._lock:
            self._db.close()
