"""The history as the running app uses it: one writer thread owns the database, reads never wait long.

Why a writer thread: a write must wait when another program holds the database's write lock
(a backup tool, an ``sqlite3`` shell left open), and SQLite's busy timeout makes that wait
inside the call. On the GUI thread, that wait froze the tray and the command socket (issue
20). So ``record`` only puts the event's row on a ``queue.Queue`` and returns; one thread,
the only user of the writing connection, takes it at once and commits it (WAL,
``synchronous=FULL``: it survives a ``kill -9`` of the app as soon as it is committed,
milliseconds later; nothing is batched on a timer). Events that come while it writes are
written together in the next transaction. Trouble (busy, read-only, full, damaged, a newer
version) is handled by ``History``: kept rows wait in its bounded queue and the user is told
once, in words, through ``on_problem``, which is called on the writer thread.

Why reads stay on the caller's thread: in WAL mode a reader never waits for a writer, so the
history window and the drill picker read through a second, read-only connection
(``History.open_reader``), whose busy timeout is only ``READ_BUSY_MILLISECONDS`` for the rare
program that locks the file outright. Before a read, the caller waits at most
``SETTLE_SECONDS`` for this app's own queued events to be committed, so what it reads includes
them. Today's counts (drills finished, drills started, reminder answers) are read with SQL.

At quit the thread gets a last try; events the disk still refuses are written to a small file
in another folder the app owns (``store/history_spill.py``) and the user is told; the next
start stores them in the database.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path

from unsit.store.history import BUSY_TIMEOUT_SECONDS, MAX_PENDING_EVENTS, History, Row, make_row, open_history
from unsit.store.history_spill import SpillError, load_spill, save_spill, spill_files
from unsit.text.i18n import ngettext

log = logging.getLogger(__name__)

START_TIMEOUT_SECONDS = 20.0  # opening waits up to 3 x 5 s for a file another program locks
SETTLE_SECONDS = 0.25  # how long a read waits for this app's own events to be committed
CLOSE_TIMEOUT_SECONDS = 8.0  # at quit: one write that waits out the busy timeout, and some
_STOP = "stop"
_RETRY = "retry"


class HistoryWriter:
    """Writes events on a thread of its own; reads with SQL on the caller's thread.

    Args:
        path: the database file.
        spill_folders: where events the disk refused are kept at quit (first that works).
        clock: monotonic seconds, to space retries.

    Attributes:
        on_problem: called with a message for the user, once per kind of trouble (on the writer thread).
        dropped_events: events lost because too many waited.
    """

    def __init__(self, path: Path, *, spill_folders: Sequence[Path] = (), clock: Callable[[], float] = time.monotonic,
                 busy_timeout_seconds: float = BUSY_TIMEOUT_SECONDS) -> None:
        self.path = Path(path)
        self._spill_folders = tuple(spill_folders)
        self._clock = clock
        self._busy_timeout = busy_timeout_seconds
        self._queue: queue.Queue[Row | str] = queue.Queue(maxsize=MAX_PENDING_EVENTS)
        self._history: History | None = None  # used on the writer thread only
        self._reader: History | None = None  # used on the caller's thread only
        self._reader_file: tuple[int, int] | None = None
        self._settled = threading.Condition()
        self._unwritten = 0  # rows queued and not yet committed or kept by the History
        self._unfinished = 0  # rows and retries queued and not yet done
        self._retry_queued = False
        self._opened = threading.Event()
        self._open_result: tuple[bool, str | None] = (True, None)
        self._start_gave_up = False
        self._start_time = datetime.now(timezone.utc)
        self._spilled_in: list[Path] = []  # spill files read at start whose rows still wait
        self._leftovers: list[Row] = []
        self._thread = threading.Thread(target=self._run, name="history-writer", daemon=True)
        self.on_problem: Callable[[str], None] | None = None
        self.dropped_events = 0

    # -- start-up ---------------------------------------------------------------------------

    def start(self, now: datetime, timeout_seconds: float = START_TIMEOUT_SECONDS) -> tuple[bool, str | None]:
        """Open the history on the writer thread (waits for it, at most ``timeout_seconds``).

        Returns:
            Whether there is a history (False: written by a newer Unsit), and a message for the
            user when something is wrong or had to be done about the file.
        """
        self._start_time = now
        self._thread.start()
        if not self._opened.wait(timeout_seconds):
            with self._settled:
                self._start_gave_up = True  # the thread tells what it finds when it gets there
            log.warning("the history database did not open in %.0f s; events wait for it", timeout_seconds)
            return True, None
        return self._open_result

    def _open(self) -> bool:
        history, problem = open_history(self.path, self._start_time, busy_timeout_seconds=self._busy_timeout,
                                        clock=self._clock)
        if history is not None:
            history.on_problem = self._tell
            self._history = history
            self._take_spilled(history)
        with self._settled:
            self._open_result = (history is not None, problem)
            late = self._start_gave_up
        self._opened.set()
        if late and problem:
            self._tell(problem)
        return history is not None

    def _take_spilled(self, history: History) -> None:
        """Store the events an earlier run could not write (``store/history_spill.py``)."""
        for path in spill_files(self._spill_folders):
            try:
                rows = load_spill(path)
            except (OSError, SpillError) as exc:
                log.warning("unsaved history events from an earlier run cannot be read; %s is left as it is: %s",
                            path, exc)
                continue
            if history.write_rows(rows, datetime.now(timezone.utc)):  # a row already stored is not stored again
                log.info("%d history events kept in %s by an earlier run were stored", len(rows), path)
                _remove(path)
            else:
                history.add_rows(rows, datetime.now(timezone.utc))
                self._spilled_in.append(path)

    # -- writing ----------------------------------------------------------------------------

    def record(self, kind: str, at: datetime, *, drill_id: str | None = None, duration_seconds: float | None = None,
               streak_seconds: float | None = None, reason: str | None = None) -> bool:
        """Queue one event for the writer thread, which commits it at once. Never waits.

        Returns:
            True when it was queued (False: too many events wait, and it is lost).

        Raises:
            ValueError: unknown kind or naive datetime.
        """
        row = make_row(kind, at, drill_id=drill_id, duration_seconds=duration_seconds,
                       streak_seconds=streak_seconds, reason=reason)
        with self._settled:
            self._unwritten += 1
            self._unfinished += 1
        try:
            self._queue.put_nowait(row)
        except queue.Full:
            self._written(1, 1)
            self.dropped_events += 1
            log.error("too many history events wait to be written; a %s event is lost", kind)
            return False
        return True

    @property
    def pending_events(self) -> int:
        """Events not in the database yet (queued, or kept because the disk refused them)."""
        history = self._history
        return self._unwritten + (history.pending_events if history is not None else 0)

    def retry_pending(self) -> bool:
        """Ask the writer to write kept events if the last try was long enough ago. True when none wait."""
        if self.pending_events and not self._retry_queued:
            self._retry_queued = True
            with self._settled:
                self._unfinished += 1
            try:
                self._queue.put_nowait(_RETRY)
            except queue.Full:
                self._retry_queued = False
                self._written(0, 1)
        return not self.pending_events

    def _run(self) -> None:
        if not self._open():
            return
        history = self._history
        assert history is not None
        stop = False
        while not stop:
            items = [self._queue.get()]
            while True:  # what came meanwhile goes in the same transaction
                try:
                    items.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            rows = [item for item in items if not isinstance(item, str)]
            stop = _STOP in items
            try:
                if rows:
                    history.add_rows(rows, datetime.now(timezone.utc))  # committed, or kept and told
                elif _RETRY in items:
                    history.retry_pending()
                if _RETRY in items:
                    self._retry_queued = False
                if self._spilled_in and not history.pending_events:
                    for path in self._spilled_in:
                        _remove(path)
                    self._spilled_in = []
            except Exception:  # the thread must go on: the next event tries again
                log.exception("could not write history events")
            finally:
                self._written(len(rows), len(items) - items.count(_STOP))
        history.write_pending_now()
        self._leftovers = history.take_pending()
        history.close()

    def _written(self, rows: int, items: int) -> None:
        with self._settled:
            self._unwritten -= rows
            self._unfinished -= items
            self._settled.notify_all()

    def _tell(self, message: str) -> None:
        if self.on_problem is not None:
            try:
                self.on_problem(message)
            except Exception:
                log.exception("could not show a history problem")

    # -- reading ----------------------------------------------------------------------------

    def reader(self) -> History | None:
        """The history for reading on this thread, with this app's events committed so far (waits at most
        ``SETTLE_SECONDS`` for them). None when there is no history."""
        if not self._opened.is_set() or self._history is None:
            return None
        with self._settled:
            if not self._settled.wait_for(lambda: self._unfinished == 0, SETTLE_SECONDS):
                log.info("history events are still being written; reading what is stored")
        now_file = _file_id(self.path)
        if self._reader is None or now_file != self._reader_file:  # a damaged file was replaced meanwhile
            if self._reader is not None:
                self._reader.close()
            self._reader, self._reader_file = History.open_reader(self.path), now_file
        return self._reader

    def drills_done_today(self, now: datetime) -> int:
        """Drills finished on Unsit's day of ``now``."""
        reader = self.reader()
        return 0 if reader is None else reader.drills_done_today(now)

    def drills_started_since(self, at: datetime) -> list[str]:
        """Ids of the drills started at or after ``at`` (timezone aware), oldest first."""
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError("history timestamps must be timezone aware")
        reader = self.reader()
        return [] if reader is None else reader.drills_started_since(at)

    def reminder_answers(self, kind: str, now: datetime) -> list[str]:
        """The actions picked on reminders of ``kind`` on Unsit's day of ``now``."""
        reader = self.reader()
        return [] if reader is None else reader.reminder_answers(kind, now)

    def stopped_standing(self) -> tuple[datetime, float] | None:
        """When the newest standing period ended because Unsit stopped, and how long it was."""
        reader = self.reader()
        return None if reader is None else reader.stopped_standing()

    # -- quitting ---------------------------------------------------------------------------

    def close(self, timeout_seconds: float = CLOSE_TIMEOUT_SECONDS) -> str | None:
        """Write what waits (a bounded wait), keep what the disk refuses in a spill file, close.

        Returns:
            A message for the user when events could not be stored in the database, else None.
        """
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if not self._thread.is_alive():
            return None
        try:
            self._queue.put(_STOP, timeout=timeout_seconds)
        except queue.Full:
            log.error("the history writer does not take events any more")
        self._thread.join(timeout_seconds)
        rows = list(self._leftovers)
        if self._thread.is_alive():
            log.error("the history writer did not finish in %.0f s", timeout_seconds)
            rows += _drain(self._queue)
        if not rows:
            return None
        return self._spill(rows)

    def _spill(self, rows: list[Row]) -> str:
        try:
            kept = save_spill(rows, self._spill_folders)
        except OSError as exc:
            log.error("%d history events could not be written and are lost: %s", len(rows), exc)
            return ngettext("{count} history event could not be saved in {path} and is lost ({reason}).",
                            "{count} history events could not be saved in {path} and are lost ({reason}).",
                            len(rows)).format(count=len(rows), path=self.path, reason=exc.strerror or exc)
        for path in self._spilled_in:
            if path != kept:
                _remove(path)
        log.warning("%d history events could not be written to %s; they are kept in %s", len(rows), self.path, kept)
        return ngettext("{count} history event could not be saved in {path}. It is kept in {kept} and will be "
                        "saved when Unsit starts again.",
                        "{count} history events could not be saved in {path}. They are kept in {kept} and will be "
                        "saved when Unsit starts again.", len(rows)).format(count=len(rows), path=self.path, kept=kept)


def _drain(items: queue.Queue[Row | str]) -> list[Row]:
    rows: list[Row] = []
    while True:
        try:
            item = items.get_nowait()
        except queue.Empty:
            return rows
        if not isinstance(item, str):
            rows.append(item)


def _file_id(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        log.warning("cannot remove %s: %s", path, exc)
