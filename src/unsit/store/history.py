"""The history database (SQLite): every nudge, snooze, skip, drill and streak end.

Durability: the database runs in WAL mode with ``synchronous=FULL``. With WAL,
``NORMAL`` already survives a crash of the app (SIGKILL), but a power cut or kernel
crash may roll back the last commits, because the WAL is only synced at checkpoints.
The rule is "never lose an event reported as stored", and events are rare (a few per
hour), so the one fsync per commit that ``FULL`` costs is worth it.

Every ``record`` runs in autocommit mode: the INSERT is committed before it returns.

The running app does not call this class from its GUI thread for writing: ``store/history_writer.py``
owns one ``History`` on a thread of its own and reads through a second, read-only one
(``History.open_reader``), so a locked or slow file never stalls the tray.

Failures never lose an event silently: an event that cannot be written (disk full, a
read-only file, a database locked by another program) is kept in a bounded queue in
memory and written with the next event or the next retry, and the user is told once
what is wrong. Only a damaged file (SQLITE_CORRUPT, SQLITE_NOTADB) is set aside and a
new one started, at start-up or whenever it is found; a busy one is waited for.

Day summaries group events by the day stored with each event: Unsit's day of the ``at``
timestamp in its own time zone (``core.days.unsit_day``: it turns at 04:00, so a late
evening's drill counts for the day it began in). ``sitting_seconds`` of a day is the sum of
``streak_seconds`` of the ``streak_ended`` events recorded that day (a streak is
counted on the day it ends, whole).

Rows written before the 04:00 rule (0.1.0 builds before issue 11) keep their calendar date,
on purpose, with no migration: only events between 00:00 and 04:00 differ, by one day, and
a rewrite cannot be exact. ``at_utc`` does not store the UTC offset of the moment it was
written, so the migration would have to guess the zone from today's rules (wrong for rows
written while travelling or before a zone change), and nothing marks which rows came before
the rule, so rows written after it could be moved a second time. Totals over several days
are unchanged either way, and the old date is at least the event's true calendar date.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from unsit.core.days import unsit_day
from unsit.runtime.atomic import write_atomically
from unsit.store.history_trouble import Trouble, classify, explain
from unsit.text.i18n import _

log = logging.getLogger(__name__)

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
KINDS: tuple[str, ...] = (
    "nudge", "snooze", "skip", "drill_started", "drill_finished", "drill_skipped", "streak_ended",
    "nudge_held",  # came due while quiet (do-not-disturb, full screen, a call): not seen, not a "nudge"
    "call",  # a call (microphone capture) ended; duration_seconds is its length
    "reminder_answered",  # a reminder (e.g. the morning offer) was answered; reason is "<kind>:<action>"
    # A standing period (sit-stand desk) ended; duration_seconds is its length; reason "break" when the user
    # came back from an absence of the away reset, "quit" when Unsit stopped while they stood.
    "standing",
)
Row = tuple[str, str, str, "str | None", "float | None", "float | None", "str | None"]
"""kind, at_utc, local_date, drill_id, duration_seconds, streak_seconds, reason (the events table's order)."""
READ_BUSY_MILLISECONDS = 100  # a read on the GUI thread waits this long for a lock, then gives up
BUSY_TIMEOUT_SECONDS = 5.0
OPEN_ATTEMPTS = 3
MAX_PENDING_EVENTS = 1000
RETRY_SECONDS = 60.0
RETRY_BUSY_MILLISECONDS = 200
_COLUMNS = "kind, at_utc, local_date, drill_id, duration_seconds, streak_seconds, reason"
_INSERT = f"INSERT INTO events ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
# A row sent again (its first sending was stored, but the answer never came back) is stored once.
_INSERT_UNLESS_STORED = (f"INSERT INTO events ({_COLUMNS}) SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS"
                         " (SELECT 1 FROM events WHERE local_date = ? AND kind = ? AND at_utc = ? AND id <= ?)")
__all__ = ["KINDS", "DaySummary", "History", "HistoryError", "Row", "make_row", "open_history"]
CSV_COLUMNS = ("id", "kind", "at_utc", "local_date", "drill_id", "duration_seconds", "streak_seconds", "reason")
EXPORT_FILE_MODE = 0o644  # what a new file gets under the usual umask: the user may share an export


def make_row(kind: str, at: datetime, *, drill_id: str | None = None, duration_seconds: float | None = None,
             streak_seconds: float | None = None, reason: str | None = None) -> Row:
    """The row for one event (``at`` stored in UTC, its Unsit day in ``at``'s own zone).

    Raises:
        ValueError: unknown kind or naive datetime.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown history event kind {kind!r}; use one of {', '.join(KINDS)}")
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("history timestamps must be timezone aware")
    at_utc = at.astimezone(timezone.utc).isoformat(timespec="microseconds")
    return (kind, at_utc, unsit_day(at).isoformat(), drill_id,
            None if duration_seconds is None else float(duration_seconds),
            None if streak_seconds is None else float(streak_seconds), reason)


class HistoryError(RuntimeError):
    """The database cannot be used (e.g. written by a newer Unsit)."""


@dataclass(frozen=True)
class DaySummary:
    """One local day at a glance.

    ``drills_skipped`` counts drills skipped or ended early (``drill_skipped``) and
    nudges answered with Skip (``skip``): both are a drill not done. A routine run is one
    drill session (id ``routine:<id>``): it counts once in ``drills_done`` or
    ``drills_skipped``, and ``routines_done`` counts the finished ones again on their own.
    """

    date: date
    sitting_seconds: float = 0.0
    longest_streak_seconds: float = 0.0
    drills_done: int = 0
    drills_skipped: int = 0
    nudges: int = 0
    routines_done: int = 0
    calls: int = 0
    call_seconds: float = 0.0
    standing_seconds: float = 0.0


def open_history(path: Path, now: datetime, *, busy_timeout_seconds: float = BUSY_TIMEOUT_SECONDS,
                 attempts: int = OPEN_ATTEMPTS, clock: Callable[[], float] = time.monotonic,
                 close_interrupted: bool = True) -> tuple[History | None, str | None]:
    """Open the history; never raises, and never empties it because it was busy.

    A damaged file is set aside and a new one started. A locked one is waited for
    (``busy_timeout_seconds`` per try, ``attempts`` tries). A read-only or full one is
    opened for reading where possible, and new events wait in memory. Drills left open
    by a killed instance are closed as interrupted (unless ``close_interrupted`` is False:
    opened later by the running instance, whose drill may be under way).

    Returns:
        The history (None only when a newer Unsit wrote it) and a message for the user
        when something is wrong or had to be done about the file.
    """
    history = History(path, busy_timeout_seconds=busy_timeout_seconds, connect=False, clock=clock)
    for attempt in range(attempts):
        try:
            history.connect()
        except HistoryError as exc:  # e.g. written by a newer Unsit: leave it untouched
            return None, _("History is off: {reason}").format(reason=exc)
        except (sqlite3.Error, OSError) as exc:
            trouble = classify(exc, path)
            if trouble is Trouble.BUSY and attempt + 1 < attempts:
                log.info("the history database is busy; trying again (%s)", exc)
                continue
            if trouble is Trouble.DAMAGED:
                return history, history.set_aside(now, exc)
            return history, history.go_offline(trouble, exc)
        break
    if not close_interrupted:
        return history, None
    found: list[str] = []  # damage can show while closing drills: say so like at start-up
    history.on_problem = found.append
    history.close_interrupted_drills()
    history.on_problem = None
    return history, "\n".join(found) or None


class History:
    """Append-only event log with day summaries.

    Args:
        path: the database file (its folder is created when needed).
        busy_timeout_seconds: how long one statement waits for another program's lock.
        connect: open the database now (raises like ``connect``) or leave it to the caller.
        clock: monotonic seconds, to space retries.

    Attributes:
        on_problem: called with a message for the user, once per kind of trouble.
        dropped_events: events lost because the in-memory queue was full.
    """

    def __init__(self, path: Path, *, busy_timeout_seconds: float = BUSY_TIMEOUT_SECONDS, connect: bool = True,
                 clock: Callable[[], float] = time.monotonic):
        self.path = Path(path)
        self._busy_timeout = busy_timeout_seconds
        self._clock = clock
        self._lock = threading.RLock()
        self._db: sqlite3.Connection | None = None
        self._writable = False
        self._pending: deque[Row] = deque(maxlen=MAX_PENDING_EVENTS)  # rows for the events table
        self._told: set[Trouble] = set()
        self._next_retry = 0.0
        self.on_problem: Callable[[str], None] | None = None
        self.on_trouble: Callable[[Trouble, str], None] | None = None  # instead of on_problem, with the kind
        self.dropped_events = 0
        self.read_trouble: Trouble | None = None  # why the last read gave no rows, or None
        if connect:
            self.connect()

    def connect(self) -> None:
        """Open the database for writing (WAL, synchronous=FULL) and bring its schema up to date.

        Raises:
            HistoryError: written by a newer Unsit, or it cannot use WAL.
            sqlite3.Error, OSError: the file cannot be opened or written.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(
            str(self.path), timeout=self._busy_timeout, isolation_level=None, check_same_thread=False
        )
        try:
            db.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout * 1000)}")
            mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":  # pragma: no cover - e.g. a network file system
                raise HistoryError(f"cannot use WAL journal for {self.path} (got {mode})")
            db.execute("PRAGMA synchronous = FULL")
            self._migrate(db)
        except BaseException:
            db.close()  # let the caller move a damaged file aside
            raise
        with self._lock:
            self._close_db()
            self._db, self._writable = db, True

    @classmethod
    def open_reader(cls, path: Path, busy_milliseconds: int = READ_BUSY_MILLISECONDS) -> History:
        """A read-only view of the database: a read waits at most ``busy_milliseconds`` for a lock.

        In WAL mode a reader never waits for a writer; only a program that keeps the file locked
        outright (``locking_mode=EXCLUSIVE``) makes a read wait, and then it gives no rows after
        that short wait (``read_trouble`` says why) instead of holding the caller.
        """
        reader = cls(path, busy_timeout_seconds=busy_milliseconds / 1000, connect=False)
        # mode=ro needs a writable folder for a WAL file's -shm; immutable=1 reads without one (a
        # read-only mount, where nobody writes), but never for a file that is only locked.
        for query in ("?mode=ro", "?immutable=1"):
            try:
                uri = reader.path.resolve().as_uri() + query
                db = sqlite3.connect(uri, uri=True, timeout=busy_milliseconds / 1000, isolation_level=None,
                                     check_same_thread=False)
            except (sqlite3.Error, OSError, ValueError) as exc:
                log.warning("cannot open %s for reading: %s", path, exc)
                continue
            try:
                db.execute("SELECT 1 FROM events LIMIT 1").fetchall()
            except sqlite3.Error as exc:
                if classify(exc, reader.path) is not Trouble.BUSY:
                    db.close()
                    continue
            reader._db = db
            break
        return reader

    def go_offline(self, trouble: Trouble, exc: BaseException) -> str:
        """Keep events in memory; read the old ones if the file can still be read. Returns the message."""
        with self._lock:
            self._close_db()
            # mode=ro needs a writable folder for a WAL file's -shm; immutable=1 reads without one.
            for query in ("?mode=ro", "?immutable=1"):
                try:
                    uri = self.path.resolve().as_uri() + query
                    db = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
                    db.execute("SELECT COUNT(*) FROM events").fetchone()
                except (sqlite3.Error, OSError, ValueError):
                    continue
                self._db = db
                break
            self._writable = False
            self._next_retry = self._clock() + RETRY_SECONDS
            message = explain(trouble, self.path, exc)
            self._told.add(trouble)
            log.warning("%s", message)
            return message

    def set_aside(self, now: datetime, exc: BaseException) -> str:
        """Move a damaged database aside (kept for the user) and start a new one. Returns the message."""
        with self._lock:
            self._close_db()
            kept = self.path.with_name(f"{self.path.name}.bad-{now:%Y%m%dT%H%M%S}")
            try:
                for suffix in ("", "-wal", "-shm"):
                    part = Path(f"{self.path}{suffix}")
                    if part.exists():
                        part.replace(Path(f"{kept}{suffix}"))
                self.connect()
            except (sqlite3.Error, OSError, HistoryError) as again:
                self.go_offline(classify(again, self.path), again)
                return _("The history database {path} is damaged ({reason}) and could not be replaced "
                         "({again}). Unsit keeps new events in memory meanwhile. Move the file away and "
                         "restart Unsit.").format(path=self.path, reason=exc, again=again)
            self._told.discard(Trouble.DAMAGED)
            message = _("The history database could not be read ({reason}); it was kept as "
                        "{name} and a new one was started.").format(reason=exc, name=kept.name)
            log.warning("%s", message)
            return message

    def _close_db(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
            self._db = None
            self._writable = False

    def _migrate(self, db: sqlite3.Connection) -> None:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise HistoryError(
                f"{self.path} has schema version {version}; this Unsit knows up to {SCHEMA_VERSION}"
            )
        for target in range(version + 1, SCHEMA_VERSION + 1):
            # executescript commits first; wrap each step so it applies whole or not at all.
            try:
                db.executescript(
                    f"BEGIN IMMEDIATE;\n{MIGRATIONS[target - 1]}\nPRAGMA user_version = {target};\nCOMMIT;"
                )
            except sqlite3.Error as exc:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                if classify(exc) in (Trouble.DAMAGED, Trouble.BUSY, Trouble.READ_ONLY, Trouble.FULL):
                    raise
                raise HistoryError(f"could not upgrade {self.path} to schema version {target}: {exc}") from exc

    @property
    def schema_version(self) -> int:
        """The database's PRAGMA user_version."""
        rows = self._rows("PRAGMA user_version", ())
        return int(rows[0][0]) if rows else 0

    def record(
        self,
        kind: str,
        at: datetime,
        *,
        drill_id: str | None = None,
        duration_seconds: float | None = None,
        streak_seconds: float | None = None,
        reason: str | None = None,
    ) -> bool:
        """Store one event; committed (and synced) before this returns True.

        Args:
            kind: one of ``KINDS``.
            at: when it happened, timezone aware (local time from the Clock).

        Returns:
            False when it could not be written now: it is kept in memory and written later.

        Raises:
            ValueError: unknown kind or naive datetime.
        """
        row = make_row(kind, at, drill_id=drill_id, duration_seconds=duration_seconds,
                       streak_seconds=streak_seconds, reason=reason)
        with self._lock:
            if len(self._pending) == self._pending.maxlen:
                self.dropped_events += 1
            self._pending.append(row)
            return self._flush(now=at)

    def write_rows(self, rows: list[Row], now: datetime) -> bool:
        """Store rows built elsewhere (kept from an earlier run) in one transaction, or none of them.

        A row already stored (the same kind at the same microsecond) is not stored again: the
        sender may not have heard that an earlier try succeeded. Nothing is kept on failure:
        the sender keeps its rows and tries again.
        """
        with self._lock:
            return self._write(rows, now, resend=True)

    def add_rows(self, rows: list[Row], now: datetime) -> bool:
        """Store rows built elsewhere like ``record`` does (kept in memory when they cannot be written now)."""
        with self._lock:
            self.dropped_events += max(0, len(self._pending) + len(rows) - MAX_PENDING_EVENTS)
            self._pending.extend(rows)
            return self._flush(now=now)

    @property
    def pending_events(self) -> int:
        """Events kept in memory because they could not be written yet."""
        return len(self._pending)

    def retry_pending(self) -> bool:
        """Write kept events if the last try was long enough ago (call it now and then). True when none are left."""
        with self._lock:
            if not self._pending:
                return True
            if self._clock() < self._next_retry:
                return False
            return self._flush(now=datetime.now(timezone.utc))

    def _flush(self, now: datetime) -> bool:
        rows = list(self._pending)
        if not self._write(rows, now):
            return False
        self._pending.clear()
        return True

    def _write(self, rows: list[Row], now: datetime, *, again: bool = True, resend: bool = False) -> bool:
        if not self._writable:
            if self._clock() < self._next_retry:
                return False
            try:
                self.connect()
            except (sqlite3.Error, OSError, HistoryError) as exc:
                self._next_retry = self._clock() + RETRY_SECONDS
                self._trouble(exc, now)
                return False
        assert self._db is not None
        # While in trouble (e.g. another program keeps it locked), a retry must not hold the
        # GUI for the whole busy timeout every time: wait a moment only.
        busy_ms = RETRY_BUSY_MILLISECONDS if self._told else int(self._busy_timeout * 1000)
        try:
            self._db.execute(f"PRAGMA busy_timeout = {busy_ms}")
            self._db.execute("BEGIN IMMEDIATE")
            if resend:
                last_id = self._db.execute("SELECT COALESCE(MAX(id), 0) FROM events").fetchone()[0]
                self._db.executemany(_INSERT_UNLESS_STORED, [(*row, row[2], row[0], row[1], last_id) for row in rows])
            else:
                self._db.executemany(_INSERT, rows)
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            try:
                if self._db is not None and self._db.in_transaction:
                    self._db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            self._next_retry = self._clock() + RETRY_SECONDS
            if self._trouble(exc, now) and again:  # a new database was started: write into it
                return self._write(rows, now, again=False, resend=resend)
            return False
        if self._told:
            log.warning("the history database can be written again; %d kept events were written", len(rows))
            self._told.clear()
        return True

    def _trouble(self, exc: BaseException, now: datetime) -> bool:
        """React to a failure found while running; True when a fresh database replaced a damaged one."""
        trouble = classify(exc, self.path)
        if trouble is Trouble.DAMAGED and self._writable:
            self._tell(trouble, self.set_aside(now, exc))
            return self._writable
        self._tell(trouble, explain(trouble, self.path, exc))
        return False

    def _tell(self, trouble: Trouble, message: str) -> None:
        if trouble in self._told:
            return
        self._told.add(trouble)
        log.warning("%s", message)
        if self.on_trouble is not None:
            self.on_trouble(trouble, message)
        elif self.on_problem is not None:
            try:
                self.on_problem(message)
            except Exception:
                log.exception("could not show a history problem")

    def _rows(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        """Run a query; a failure gives no rows (and is handled and told), never an exception."""
        with self._lock:
            if self._db is None:
                return []
            try:
                rows = self._db.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                self.read_trouble = classify(exc, self.path)
                self._trouble(exc, datetime.now(timezone.utc))
                return []
            self.read_trouble = None
            return rows

    def close_interrupted_drills(self) -> int:
        """Close a drill left open by a killed instance as skipped ("interrupted"). Returns how many."""
        # An open drill is always among the last events: the previous start closed any older one.
        rows = self._rows("SELECT kind, at_utc, local_date, drill_id FROM events WHERE kind IN"
                          " ('drill_started', 'drill_finished', 'drill_skipped')"
                          " AND id > (SELECT COALESCE(MAX(id), 0) FROM events) - 50 ORDER BY id DESC LIMIT 1", ())
        if not rows or rows[0][0] != "drill_started":
            return 0
        _row_id, at_utc, local_date, drill_id = rows[0]
        with self._lock:
            self._pending.appendleft(("drill_skipped", at_utc, local_date, drill_id, None, None, "interrupted"))
            self._flush(now=datetime.now(timezone.utc))
        log.info("a drill left open by an earlier run was closed as interrupted")
        return 1

    def today(self, now: datetime) -> DaySummary:
        """Summary of Unsit's day of ``now`` (it turns at 04:00, like the drill picker's)."""
        return self.days(1, now)[0]

    def days(self, n: int, now: datetime) -> list[DaySummary]:
        """The last ``n`` days up to Unsit's day of ``now``, oldest first, zero-filled."""
        if n < 1:
            return []
        last = unsit_day(now)
        first = last - timedelta(days=n - 1)
        rows = self._rows(
                """
                SELECT local_date,
                       COALESCE(SUM(CASE WHEN kind = 'streak_ended' THEN streak_seconds END), 0),
                       COALESCE(MAX(CASE WHEN kind = 'streak_ended' THEN streak_seconds END), 0),
                       SUM(kind = 'drill_finished'),
                       SUM(kind IN ('drill_skipped', 'skip')),
                       SUM(kind = 'nudge'),
                       COALESCE(SUM(kind = 'drill_finished' AND IFNULL(drill_id, '') LIKE 'routine:%'), 0),
                       SUM(kind = 'call'),
                       COALESCE(SUM(CASE WHEN kind = 'call' THEN duration_seconds END), 0),
                       COALESCE(SUM(CASE WHEN kind = 'standing' THEN duration_seconds END), 0)
                FROM events WHERE local_date BETWEEN ? AND ?
                GROUP BY local_date
                """,
                (first.isoformat(), last.isoformat()),
            )
        found = {
            r[0]: DaySummary(date.fromisoformat(r[0]), float(r[1]), float(r[2]), int(r[3]), int(r[4]), int(r[5]),
                             int(r[6]), int(r[7]), float(r[8]), float(r[9]))
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
        rows = self._rows(
            "SELECT local_date FROM events WHERE kind = 'drill_finished' AND local_date <= ?"
            " GROUP BY local_date HAVING COUNT(*) >= ? ORDER BY local_date DESC",
            (unsit_day(now).isoformat(), min_drills),
        )
        good = [date.fromisoformat(r[0]) for r in rows]
        expected = unsit_day(now)
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
        return [drill_id for _at_utc, drill_id in self.drill_starts_since(at)]

    def drill_starts_since(self, at: datetime) -> list[tuple[str, str]]:
        """(UTC time, id) of the drills started at or after ``at`` (timezone aware), oldest first."""
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError("history timestamps must be timezone aware")
        since = at.astimezone(timezone.utc).isoformat(timespec="microseconds")
        rows = self._rows(
            "SELECT at_utc, drill_id FROM events WHERE kind = 'drill_started' AND at_utc >= ? AND drill_id IS NOT NULL"
            " ORDER BY at_utc, id",
            (since,),
        )
        return [(str(r[0]), str(r[1])) for r in rows]

    def drills_done_today(self, now: datetime) -> int:
        """Drills finished on Unsit's day of ``now``."""
        return self.today(now).drills_done

    def reader(self) -> History:
        """This history (what ``HistoryWriter.reader`` gives: the same reads)."""
        return self

    def reminder_answers(self, kind: str, now: datetime) -> list[str]:
        """The actions picked today (Unsit's day of ``now``) on reminders of ``kind``, oldest first."""
        rows = self._rows(
            "SELECT reason FROM events WHERE kind = 'reminder_answered' AND local_date = ? ORDER BY at_utc, id",
            (unsit_day(now).isoformat(),),
        )
        prefix = kind + ":"
        return [r[0][len(prefix):] for r in rows if isinstance(r[0], str) and r[0].startswith(prefix)]

    def stopped_standing(self) -> tuple[datetime, float] | None:
        """When the newest standing period ended and how long it was, if it ended because Unsit stopped."""
        rows = self._rows("SELECT at_utc, duration_seconds, reason FROM events WHERE kind = 'standing'"
                          " ORDER BY at_utc DESC, id DESC LIMIT 1", ())
        if not rows or rows[0][2] != "quit" or not isinstance(rows[0][1], (int, float)):
            return None
        try:
            return datetime.fromisoformat(str(rows[0][0])), float(rows[0][1])
        except ValueError:  # a row another program wrote
            return None

    def export_csv(self, path: Path) -> int:
        """Write every event, oldest first, to ``path`` as CSV; returns the rows written.

        The file is replaced atomically: a failed export leaves an earlier file at ``path`` whole.

        Raises:
            OSError: ``path`` cannot be written.
        """
        import csv  # only for an export
        import io

        rows = self._rows(f"SELECT {', '.join(CSV_COLUMNS)} FROM events ORDER BY id", ())
        text = io.StringIO(newline="")
        writer = csv.writer(text)
        writer.writerow(CSV_COLUMNS)
        writer.writerows(rows)
        write_atomically(path, text.getvalue().encode("utf-8"), mode=EXPORT_FILE_MODE)
        return len(rows)

    def write_pending_now(self) -> bool:
        """One try now, however recent the last, to write the events kept in memory. True when none are left."""
        with self._lock:
            if self._pending:
                self._next_retry = 0.0
                self._flush(now=datetime.now(timezone.utc))
            return not self._pending

    def close(self) -> None:
        """Close the database (checkpoints the WAL); a last try to write kept events first."""
        with self._lock:
            if not self.write_pending_now():
                log.error("%d history events could not be written and are lost", len(self._pending))
            self._close_db()

    def take_pending(self) -> list[Row]:
        """The events kept in memory (they could not be written), handed over and forgotten here."""
        with self._lock:
            rows = list(self._pending)
            self._pending.clear()
            return rows
