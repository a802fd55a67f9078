"""The tray's history: events go to the history job, so an idle tray never loads SQLite.

SQLite's library and the store's code are about 1.6 MB of the tray's memory, and an idle
tray only writes a few rows an hour. So the rows wait here, in memory, while a short-lived
process (``store/history_job.py``, about 60 ms of CPU) stores them; the answer comes back
through Qt's event loop and nothing here ever waits on the database. Start-up runs the job's
``start`` once and waits for it (it did the same work in this process before).

SQLite is loaded in this process only when something reads the history (the history
window, the drill picker): ``reader()`` then opens it here, writes the rows still waiting,
and from then on events are written here directly, as before.

Where no job can run (a frozen build, Windows, where a console would flash, or when the
job fails to start) everything happens in this process, as before.

A row is stored once: a row sent again because its answer was lost is skipped by the job.
Rows that cannot be written (disk full, read-only, locked) stay here, at most
``MAX_PENDING_EVENTS``, and are sent again a minute later; the user is told once per kind
of trouble, in the store's words.
"""

from __future__ import annotations

import logging
import sys
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from unsit.core.days import unsit_day
from unsit.platform.child_job import ChildJob
from unsit.store.history_rows import Row, encode_rows, make_row, unescape

if TYPE_CHECKING:
    from unsit.store.history import History

log = logging.getLogger(__name__)

MAX_PENDING_EVENTS = 1000
RETRY_SECONDS = 60.0
START_TIMEOUT_SECONDS = 30.0  # the job waits up to 3 x 5 s for a database another program locks
JOB_TIMEOUT_SECONDS = 60.0  # a write job running longer is stopped and its rows sent again later
CLOSE_TIMEOUT_SECONDS = 15.0
JOB_MODULE = "unsit.store.history_job"


def job_command() -> list[str] | None:
    """How to run the history job here, or None where it runs in this process instead."""
    if getattr(sys, "frozen", False) or sys.platform == "win32" or not sys.executable:
        return None
    return [sys.executable, "-m", JOB_MODULE]


class HistoryLink(QObject):
    """The history as the tray uses it: ``record`` never loads SQLite, ``reader`` does.

    Args:
        path: the database file.
        command: how to run the history job (``job_command()``), or None to use SQLite here.
        language: the language code for the job's messages, asked at each run.
        clock: monotonic seconds, to space retries.

    Attributes:
        on_problem: called with a message for the user, once per kind of trouble.
        dropped_events: events lost because the rows waiting here were too many.
    """

    def __init__(self, path: Path, command: list[str] | None, *, language: Callable[[], str] = lambda: "",
                 clock: Callable[[], float] = time.monotonic, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self._command = command
        self._language = language
        self._clock = clock
        self._rows: deque[Row] = deque(maxlen=MAX_PENDING_EVENTS)
        self._job: ChildJob | None = None
        self._job_rows: list[Row] = []
        self._job_started = 0.0
        self._send_due = False  # a send is scheduled: the events of one tick go in one job
        self._next_try = 0.0
        self._told: set[str] = set()
        self._local: History | None = None
        self._answers: dict[str, list[str]] = {}
        self._day = ""  # Unsit's day (ISO date) that the counts below are for; "" = not known here
        self._day_starts: list[tuple[str, str]] = []  # (UTC time, drill id) of the drills started that day
        self._day_done = 0  # drills finished that day
        self.on_problem: Callable[[str], None] | None = None
        self.dropped_events = 0

    # -- start-up ---------------------------------------------------------------------------

    def start(self, now: datetime, answer_kinds: tuple[str, ...] = ()) -> tuple[bool, str | None]:
        """Open the history (through the job when there is one).

        Returns:
            Whether there is a history (False: written by a newer Unsit), and a message for the
            user when something is wrong or had to be done about the file.
        """
        if self._command is not None:
            done, output = self._run_now(["start", str(self.path), *answer_kinds], [], START_TIMEOUT_SECONDS)
            if done:
                return self._read_start(output, now)
            log.warning("the history job did not run; the history is used in this process")
            self._command = None
        return self._open_here(now, close_interrupted=True)

    def _read_start(self, output: str, now: datetime) -> tuple[bool, str | None]:
        problems: list[str] = []
        for fields in _lines(output):
            if fields[0] == "off" and len(fields) == 2:
                return False, fields[1]
            if fields[0] == "problem" and len(fields) == 3:
                problems.append(fields[2])
            elif fields[0] == "answer" and len(fields) == 3:
                self._answers.setdefault(fields[1], []).append(fields[2])
            elif fields[0] == "day" and len(fields) == 3 and fields[2].isdigit():
                self._day, self._day_done = fields[1], int(fields[2])
            elif fields[0] == "started" and len(fields) == 3:
                self._day_starts.append((fields[1], fields[2]))
        if self._day != unsit_day(now).isoformat():  # an older job: ask the database when needed
            self._day, self._day_starts, self._answers = "", [], {}
        return True, "\n".join(problems) or None

    def _open_here(self, now: datetime, *, close_interrupted: bool) -> tuple[bool, str | None]:
        from unsit.store.history import open_history

        history, problem = open_history(self.path, now, close_interrupted=close_interrupted)
        if history is None:
            return False, problem
        history.on_problem = self._tell_here
        self._local = history
        if self._rows:
            history.add_rows(list(self._rows), now)
            self._rows.clear()
        return True, problem

    def reminder_answers(self, kind: str, now: datetime) -> list[str]:
        """The actions picked on reminders of ``kind`` on Unsit's day of ``now``."""
        if self._local is None and self._day == unsit_day(now).isoformat():
            return list(self._answers.get(kind, []))
        reader = self.reader()
        return [] if reader is None else reader.reminder_answers(kind, now)

    # -- writing ----------------------------------------------------------------------------

    def record(self, kind: str, at: datetime, *, drill_id: str | None = None, duration_seconds: float | None = None,
               streak_seconds: float | None = None, reason: str | None = None) -> bool:
        """Store one event; True once it is in the database (through the job: later).

        Raises:
            ValueError: unknown kind or naive datetime.
        """
        if self._local is not None:
            return self._local.record(kind, at, drill_id=drill_id, duration_seconds=duration_seconds,
                                      streak_seconds=streak_seconds, reason=reason)
        row = make_row(kind, at, drill_id=drill_id, duration_seconds=duration_seconds,
                       streak_seconds=streak_seconds, reason=reason)
        self._count(row)
        if len(self._rows) == self._rows.maxlen:
            self.dropped_events += 1
            log.error("too many history events wait to be written; the oldest is lost")
        self._rows.append(row)
        if not self._told and not self._send_due:
            self._send_due = True
            QTimer.singleShot(0, self._send_scheduled)
        return False

    def _count(self, row: Row) -> None:
        """Keep today's drill counts (every event since start-up passes here)."""
        kind, at_utc, day, drill_id = row[0], row[1], row[2], row[3]
        if not self._day or day < self._day:
            return
        if day > self._day:
            self._day, self._day_starts, self._day_done = day, [], 0
        if kind == "drill_started" and drill_id is not None:
            self._day_starts.append((at_utc, drill_id))
        elif kind == "drill_finished":
            self._day_done += 1

    @property
    def pending_events(self) -> int:
        """Events not in the database yet."""
        return self._local.pending_events if self._local is not None else len(self._rows)

    @property
    def in_process(self) -> bool:
        """SQLite is used in this process now (a read needed it, or no job can run)."""
        return self._local is not None

    @property
    def sending(self) -> bool:
        """A write job is under way or about to start."""
        return self._local is None and (self._send_due or self._job is not None)

    def retry_pending(self) -> bool:
        """Send waiting events if the last try was long enough ago. True when none are left."""
        if self._local is not None:
            return self._local.retry_pending()
        if self._job is not None and self._clock() - self._job_started > JOB_TIMEOUT_SECONDS:
            log.warning("the history job has run for over %.0f s; stopping it", JOB_TIMEOUT_SECONDS)
            self._job.kill()  # its finished signal ends the try; its rows are sent again
        elif self._rows and self._clock() >= self._next_try:
            self._send()
        return not self._rows

    def _send_scheduled(self) -> None:
        self._send_due = False
        self._send()

    def _send(self) -> None:
        if self._job is not None or not self._rows or self._command is None or self._local is not None:
            return
        self._job_rows = list(self._rows)
        job = self._new_job(["write", str(self.path)], self._job_rows, parent=self)
        try:
            job.start()
        except OSError as exc:
            log.warning("the history job could not start (%s); the history is used in this process", exc)
            self._job_rows = []
            self._command = None
            self._open_here(datetime.now().astimezone(), close_interrupted=False)
            return
        job.finished.connect(self._job_finished)
        self._job, self._job_started = job, self._clock()

    def _job_finished(self) -> None:
        job = self._job
        if job is None:
            return
        sent = self._job_rows
        self._job, self._job_rows = None, []
        job.deleteLater()
        if self._take_answer(_job_output(job), sent):
            self._send()  # events that came meanwhile

    def _take_answer(self, output: str, sent: list[Row]) -> bool:
        stored = False
        for fields in _lines(output):
            if fields[0] == "problem" and len(fields) == 3:
                self._tell(fields[1], fields[2])
            elif fields[0] == "off" and len(fields) == 2:
                self._tell("off", fields[1])
            elif fields[0] == "stored" and fields[1:] == [str(len(sent))]:
                stored = True
        if not stored:
            self._next_try = self._clock() + RETRY_SECONDS
            return False
        done = {id(row) for row in sent}
        self._rows = deque((row for row in self._rows if id(row) not in done), maxlen=MAX_PENDING_EVENTS)
        if self._told:
            log.warning("the history database can be written again; %d kept events were written", len(sent))
            self._told.clear()
        return True

    def _tell(self, key: str, message: str) -> None:
        if key in self._told:
            return
        self._told.add(key)
        log.warning("%s", message)
        self._tell_here(message)

    def _tell_here(self, message: str) -> None:
        if self.on_problem is not None:
            try:
                self.on_problem(message)
            except Exception:
                log.exception("could not show a history problem")

    def _language_args(self) -> list[str]:
        language = self._language()
        return ["--language", language] if language else []

    def _new_job(self, args: list[str], rows: list[Row], parent: QObject | None = None) -> ChildJob:
        """The history job with ``args`` (after the language), ``rows`` on its input; not started."""
        assert self._command is not None
        return ChildJob([*self._command, *self._language_args(), *args], encode_rows(rows), parent)

    def _run_now(self, args: list[str], rows: list[Row], timeout_seconds: float) -> tuple[bool, str]:
        """Run the job and wait for it; (whether it ran to the end, its output)."""
        job = self._new_job(args, rows)
        try:
            job.start()
        except OSError as exc:
            log.warning("the history job could not start: %s", exc)
            return False, ""
        if not job.wait(timeout_seconds):
            log.warning("the history job did not finish in %.0f s", timeout_seconds)
            job.kill()
            job.wait(5.0)
            return False, ""
        output = _job_output(job)
        return job.exit_code == 0, output

    # -- reading ----------------------------------------------------------------------------

    def drills_done_today(self, now: datetime) -> int:
        """Drills finished on Unsit's day of ``now``."""
        day = unsit_day(now).isoformat()
        if self._local is None and self._day and day >= self._day:
            return self._day_done if day == self._day else 0
        reader = self.reader()
        return 0 if reader is None else reader.drills_done_today(now)

    def drills_started_since(self, at: datetime) -> list[str]:
        """Ids of the drills started at or after ``at`` (timezone aware), oldest first."""
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError("history timestamps must be timezone aware")
        if self._local is None and self._day and unsit_day(at).isoformat() >= self._day:
            since = at.astimezone(timezone.utc).isoformat(timespec="microseconds")
            return [drill_id for at_utc, drill_id in self._day_starts if at_utc >= since]
        reader = self.reader()
        return [] if reader is None else reader.drills_started_since(at)

    def reader(self) -> History | None:
        """The history opened in this process, for reading (SQLite is loaded from now on).

        Rows still waiting are written first, so what is read is up to date.
        """
        if self._local is None:
            self._wait_for_job()
            available, problem = self._open_here(datetime.now().astimezone(), close_interrupted=False)
            if problem:
                self._tell("reader", problem)
            if not available:
                return None
        return self._local

    def _wait_for_job(self) -> None:
        """Let a job under way end (bounded; stopped after that), its answer taken."""
        job = self._job
        if job is not None and not job.wait(CLOSE_TIMEOUT_SECONDS):
            log.warning("the history job did not finish in %.0f s; stopping it", CLOSE_TIMEOUT_SECONDS)
            job.kill()
            job.wait(5.0)

    def close(self) -> None:
        """Write what waits (waiting a bounded time for the job), then close."""
        if self._local is not None:
            self._local.close()
            return
        self._wait_for_job()
        if self._rows and self._command is not None:
            sent = list(self._rows)
            done, output = self._run_now(["write", str(self.path)], sent, CLOSE_TIMEOUT_SECONDS)
            if done:
                self._take_answer(output, sent)
        if self._rows:
            log.error("%d history events could not be written and are lost", len(self._rows))


def _job_output(job: ChildJob) -> str:
    """What a finished job wrote; what it said on standard error goes to the log."""
    errors = job.errors.decode("utf-8", "replace").strip()
    if errors:
        log.info("history job: %s", errors)
    return job.output.decode("utf-8", "replace")


def _lines(output: str) -> list[list[str]]:
    """The job's output lines as lists of unescaped fields (a bad line is logged and skipped)."""
    found: list[list[str]] = []
    for line in output.splitlines():
        try:
            fields = [unescape(field) for field in line.split("\t")]
        except ValueError:
            log.warning("the history job wrote a line this version does not read: %r", line[:200])
            continue
        if fields and fields[0]:
            found.append(fields)
    return found
