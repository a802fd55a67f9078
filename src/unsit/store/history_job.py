"""The history job: a short-lived process that opens the history database, does one thing and exits.

The tray runs it (``store/history_link.py``) so that SQLite is never loaded in the tray
process while it idles: ``start`` once at start-up (set a damaged file aside, bring the
schema up to date, close a drill a killed run left open, read today's reminder answers),
``write`` with the rows of the last events on standard input. Everything the store already
does about trouble (a busy, read-only, full or damaged file) happens here, in the same words.

Usage::

    python -m unsit.store.history_job [--language CODE] start DATABASE [REMINDER_KIND ...]
    python -m unsit.store.history_job [--language CODE] write DATABASE < rows

Output, one line each, fields separated by tabs, text escaped (``history_rows.escape``):
``problem <key> <message>`` (key: ``start`` or a ``Trouble`` value), ``off <message>`` (the
history cannot be used); from ``start``: ``day <date> <drills finished>`` (Unsit's day, turning
at 04:00), ``started <UTC time> <drill id>`` for each drill started that day, ``answer <kind>
<action>``; from ``write``: ``stored <n>`` or ``kept <n>`` (``write``
only: the rows were all stored, or none was and the sender keeps them). Exit status 2 with a
reason on standard error for a request this app would not send.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from unsit.core.days import day_start, unsit_day
from unsit.store.history import History, HistoryError, open_history
from unsit.store.history_rows import MAX_LINE_CHARS, Row, decode_row, escape
from unsit.store.history_trouble import Trouble, classify

MAX_ROWS = 1000
"""At most this many rows in one ``write`` (the tray keeps no more than this in memory)."""
USAGE = "usage: history_job [--language CODE] (start DATABASE [KIND ...] | write DATABASE < rows)"

log = logging.getLogger(__name__)
Say = Callable[[str], None]


def main(argv: list[str] | None = None, stdin: Iterable[str] | None = None, say: Say | None = None) -> int:
    """Run one job; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    out = say or _print
    language = ""
    if args[:1] == ["--language"] and len(args) >= 2:
        language, args = args[1], args[2:]
    if len(args) < 2 or args[0] not in ("start", "write") or (args[0] == "write" and len(args) != 2):
        sys.stderr.write(USAGE + "\n")
        return 2
    from unsit.text.i18n import install

    install(language)
    command, path, kinds = args[0], Path(args[1]), args[2:]
    now = datetime.now().astimezone()
    if command == "start":
        start(path, now, kinds, out)
        return 0
    try:
        rows = read_rows(sys.stdin if stdin is None else stdin)
    except ValueError as exc:
        sys.stderr.write(f"history job: {exc}\n")
        return 2
    write(path, now, rows, out)
    return 0


def _print(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def read_rows(lines: Iterable[str]) -> list[Row]:
    """The rows of the input, one a line (blank lines skipped).

    Raises:
        ValueError: a line is not a row, or there are more than ``MAX_ROWS``.
    """
    rows: list[Row] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if len(rows) == MAX_ROWS:
            raise ValueError(f"more than {MAX_ROWS} rows")
        try:
            rows.append(decode_row(line[:MAX_LINE_CHARS + 1]))
        except ValueError as exc:
            raise ValueError(f"line {number}: {exc}") from exc
    return rows


def start(path: Path, now: datetime, kinds: list[str], say: Say) -> None:
    """Open the history as the tray's start-up does and tell what was found."""
    history, problem = open_history(path, now)
    if history is None:
        say("off\t" + escape(problem or ""))
        return
    try:
        if problem:
            say("problem\tstart\t" + escape(problem))
        day = unsit_day(now)
        say(f"day\t{day.isoformat()}\t{history.drills_done_today(now)}")
        for at_utc, drill_id in history.drill_starts_since(day_start(day, now)):
            say(f"started\t{escape(at_utc)}\t{escape(drill_id)}")
        for kind in kinds:
            for action in history.reminder_answers(kind, now):
                say(f"answer\t{escape(kind)}\t{escape(action)}")
    finally:
        history.close()


def write(path: Path, now: datetime, rows: list[Row], say: Say) -> None:
    """Store ``rows`` in one transaction (rows already stored are skipped) and tell how it went."""
    history = History(path, connect=False)
    history.on_trouble = lambda trouble, message: say(f"problem\t{trouble.value}\t{escape(message)}")
    try:
        history.connect()
    except HistoryError as exc:  # written by a newer Unsit meanwhile
        say("off\t" + escape(str(exc)))
        say(f"kept\t{len(rows)}")
        return
    except (sqlite3.Error, OSError) as exc:
        trouble = classify(exc, path)
        message = history.set_aside(now, exc) if trouble is Trouble.DAMAGED else history.go_offline(trouble, exc)
        say(f"problem\t{trouble.value}\t{escape(message)}")
    try:
        stored = history.write_rows(rows, now)
    finally:
        history.close()
    say(f"{'stored' if stored else 'kept'}\t{len(rows)}")


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    sys.exit(main())
