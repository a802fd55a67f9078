"""History rows without SQLite: what an event row holds, and how it travels to the history job.

The tray process builds rows here and hands them, one line each, to ``store/history_job.py``,
which writes them with SQLite; so the tray itself never loads SQLite for writing. A line is
the row's seven fields separated by tabs, each field tagged: ``-`` for none, ``s`` and an
escaped string, ``f`` and a float (``repr``, so it reads back exactly, infinities included).
"""

from __future__ import annotations

from datetime import datetime, timezone

from unsit.core.days import unsit_day

KINDS: tuple[str, ...] = (
    "nudge", "snooze", "skip", "drill_started", "drill_finished", "drill_skipped", "streak_ended",
    "nudge_held",  # came due while quiet (do-not-disturb, full screen, a call): not seen, not a "nudge"
    "call",  # a call (microphone capture) ended; duration_seconds is its length
    "reminder_answered",  # a reminder (e.g. the morning offer) was answered; reason is "<kind>:<action>"
)
FIELDS = 7
"""kind, at_utc, local_date, drill_id, duration_seconds, streak_seconds, reason (the events table's order)."""
MAX_LINE_CHARS = 4096
"""A longer line is not a row this app wrote."""

Row = tuple[str, str, str, "str | None", "float | None", "float | None", "str | None"]

_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


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
    return (kind, at_utc, unsit_day(at).isoformat(), drill_id, _number(duration_seconds), _number(streak_seconds),
            reason)


def _number(value: float | None) -> float | None:
    return None if value is None else float(value)


def encode_row(row: Row) -> str:
    """One line (no newline at the end) for ``row``."""
    return "\t".join(_encode_field(value) for value in row)


def encode_rows(rows: list[Row]) -> bytes:
    """The history job's input for ``rows``: one line each (``history_job.read_rows`` reads it)."""
    return "".join(encode_row(row) + "\n" for row in rows).encode("utf-8")


def _encode_field(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return "f" + repr(value)
    return "s" + escape(str(value))


def escape(text: str) -> str:
    """``text`` with no tab or line break left in it (backslash escapes)."""
    return "".join(_ESCAPES.get(char, char) for char in text)


def unescape(text: str) -> str:
    """The text that ``escape`` was given.

    Raises:
        ValueError: an escape ``escape`` does not write.
    """
    out: list[str] = []
    chars = iter(text)
    for char in chars:
        if char != "\\":
            out.append(char)
            continue
        escaped = next(chars, "")
        if escaped not in _UNESCAPES:
            raise ValueError(f"unknown escape \\{escaped}")
        out.append(_UNESCAPES[escaped])
    return "".join(out)


def decode_row(line: str) -> Row:
    """The row of a line written by ``encode_row``.

    Raises:
        ValueError: the line is not such a row (what is wrong, in English, for the log).
    """
    line = line.rstrip("\n")
    if len(line) > MAX_LINE_CHARS:
        raise ValueError(f"a row line is {len(line)} characters long (at most {MAX_LINE_CHARS})")
    parts = line.split("\t")
    if len(parts) != FIELDS:
        raise ValueError(f"a row has {FIELDS} fields, this line has {len(parts)}")
    kind, at_utc, local_date, drill_id, duration, streak, reason = (_decode_field(part) for part in parts)
    kind = _text(kind, "kind")
    if kind not in KINDS:
        raise ValueError(f"unknown history event kind {kind!r}")
    return (kind, _text(at_utc, "at_utc"), _text(local_date, "local_date"), _optional_text(drill_id, "drill_id"),
            _optional_number(duration, "duration_seconds"), _optional_number(streak, "streak_seconds"),
            _optional_text(reason, "reason"))


def _text(value: str | float | None, name: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text")
    return value


def _optional_text(value: str | float | None, name: str) -> str | None:
    return None if value is None else _text(value, name)


def _optional_number(value: str | float | None, name: str) -> float | None:
    if value is not None and not isinstance(value, float):
        raise ValueError(f"{name} must be a number or none")
    return value


def _decode_field(text: str) -> str | float | None:
    if text == "-":
        return None
    tag, body = text[:1], text[1:]
    if tag == "f":
        return float(body)  # ValueError for anything else
    if tag != "s":
        raise ValueError(f"a field starts with '-', 's' or 'f', not {tag!r}")
    return unescape(body)
