"""Events the disk refused, kept in a small file until the next start writes them into the history.

When the history database cannot be written (a full disk, a read-only file, a newer Unsit's
file) events wait in memory. At quit they are written here instead of being dropped: a JSON
file, replaced atomically, in another folder the app owns (the first of the candidates that
can be written). The next start reads it back and stores its rows in the database.

The file is checked like anything read from disk: at most ``MAX_SPILL_BYTES``, a list of rows of
the events table's seven fields with the right types and a known kind, at most
``MAX_PENDING_EVENTS`` of them. A file that is not such a list is left where it is, with the
reason in the log, and nothing of it is stored.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from unsit.runtime.atomic import write_atomically
from unsit.store.history import KINDS, MAX_PENDING_EVENTS, Row

log = logging.getLogger(__name__)

SPILL_NAME = "history-unsaved.json"
SPILL_VERSION = 1
MAX_SPILL_BYTES = 1_000_000  # a full queue of 1000 rows is about 200 kB
MAX_TEXT_CHARS = 500  # longer than any field this app writes
FILE_MODE = 0o600


class SpillError(ValueError):
    """A spill file that is not what this app writes (the reason in English, for the log)."""


def save_spill(rows: Sequence[Row], folders: Sequence[Path]) -> Path:
    """Write ``rows`` to the first of ``folders`` that takes them (an earlier file there is replaced whole).

    Returns:
        The file written.

    Raises:
        OSError: no folder could take them (the last folder's error).
    """
    import json  # only when something is kept: an idle tray does not hold it

    error: OSError | None = None
    for folder in folders:
        path = folder / SPILL_NAME
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            body = json.dumps({"version": SPILL_VERSION, "rows": [list(row) for row in rows]})
            write_atomically(path, body.encode("utf-8"), mode=FILE_MODE)
        except OSError as exc:
            log.warning("cannot keep unsaved history events in %s: %s", path, exc)
            error = exc
            continue
        return path
    raise error or OSError("no folder to keep unsaved history events in")


def load_spill(path: Path) -> list[Row]:
    """The rows a spill file holds.

    Raises:
        OSError: it cannot be read.
        SpillError: it is not a spill file this app wrote (what is wrong, in English).
    """
    import json  # only when a spill file is there

    with open(path, "rb") as file:
        data = file.read(MAX_SPILL_BYTES + 1)
    if len(data) > MAX_SPILL_BYTES:
        raise SpillError(f"{path} is larger than {MAX_SPILL_BYTES} bytes")
    try:
        found = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise SpillError(f"{path} is not JSON: {exc}") from None
    if not isinstance(found, dict) or found.get("version") != SPILL_VERSION or not isinstance(found.get("rows"), list):
        raise SpillError(f"{path} is not a list of rows of version {SPILL_VERSION}")
    rows = found["rows"]
    if len(rows) > MAX_PENDING_EVENTS:
        raise SpillError(f"{path} holds {len(rows)} rows (at most {MAX_PENDING_EVENTS})")
    return [_row(item, index) for index, item in enumerate(rows)]


def spill_files(folders: Sequence[Path]) -> list[Path]:
    """The spill files present in ``folders``."""
    return [folder / SPILL_NAME for folder in folders if (folder / SPILL_NAME).is_file()]


def _row(item: object, index: int) -> Row:
    if not isinstance(item, list) or len(item) != 7:
        raise SpillError(f"row {index} is not a list of 7 fields")
    kind, at_utc, local_date, drill_id, duration, streak, reason = item
    if kind not in KINDS:
        raise SpillError(f"row {index} has an unknown kind {str(kind)[:40]!r}")
    for name, value, optional in (("at_utc", at_utc, False), ("local_date", local_date, False),
                                  ("drill_id", drill_id, True), ("reason", reason, True)):
        if not (isinstance(value, str) and len(value) <= MAX_TEXT_CHARS) and not (optional and value is None):
            raise SpillError(f"row {index}: {name} must be text of at most {MAX_TEXT_CHARS} characters")
    for name, value in (("duration_seconds", duration), ("streak_seconds", streak)):
        if value is not None and (not isinstance(value, (int, float)) or isinstance(value, bool)):
            raise SpillError(f"row {index}: {name} must be a number or null")
    return (kind, at_utc, local_date, drill_id, None if duration is None else float(duration),
            None if streak is None else float(streak), reason)
