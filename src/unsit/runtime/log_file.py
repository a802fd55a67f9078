"""The app's log file: bounded while the app runs, not only at start-up.

A log handler that checks its own size after each record (a ``tell()``, no stat) and
rotates past ``LOG_KEEP_BYTES``, keeping ``LOG_BACKUPS`` old files, so the log never
takes more than (1 + LOG_BACKUPS) x LOG_KEEP_BYTES. One record is cut to
``MAX_RECORD_CHARS``, so no single bad value can flood it. Built on
``logging.FileHandler`` alone: the tray process does not import logging.handlers.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from unsit import APP_NAME
from unsit.runtime.atomic import replace_file
from unsit.text.i18n import _

LOG_KEEP_BYTES = 1_000_000
LOG_BACKUPS = 3
MAX_RECORD_CHARS = 8_000


def rotate_log(path: Path, keep_bytes: int = LOG_KEEP_BYTES, backups: int = LOG_BACKUPS) -> None:
    """Move ``path`` to ``path.1`` (and older ones up, dropping the oldest) once it reached ``keep_bytes``."""
    try:
        if path.stat().st_size < keep_bytes:
            return
    except OSError:
        return
    for n in range(backups - 1, 0, -1):
        older = path.with_name(f"{path.name}.{n}")
        if older.exists():
            replace_file(older, path.with_name(f"{path.name}.{n + 1}"))
    replace_file(path, path.with_name(f"{path.name}.1"))


def cut(text: str) -> str:
    """``text`` cut to ``MAX_RECORD_CHARS``, saying how long it was."""
    if len(text) <= MAX_RECORD_CHARS:
        return text
    return f"{text[:MAX_RECORD_CHARS]}… [cut: the record had {len(text)} characters]"


class BoundedFormatter(logging.Formatter):
    """A Formatter whose output is never longer than about ``MAX_RECORD_CHARS``."""

    def format(self, record: logging.LogRecord) -> str:
        return cut(super().format(record))


class CappedFileHandler(logging.FileHandler):
    """A FileHandler that rotates by size as it writes and cuts very long records.

    Args:
        path: the log file.
        keep_bytes: rotate once the file reaches this size.
        backups: how many old files to keep.
    """

    def __init__(self, path: Path, keep_bytes: int = LOG_KEEP_BYTES, backups: int = LOG_BACKUPS):
        super().__init__(path, encoding="utf-8")
        self._path = Path(path)
        self._keep_bytes = keep_bytes
        self._backups = backups

    def format(self, record: logging.LogRecord) -> str:
        return cut(super().format(record))

    def emit(self, record: logging.LogRecord) -> None:
        super().emit(record)  # runs under the handler's lock, like the check below
        stream = self.stream
        try:
            if stream is None or stream.tell() < self._keep_bytes:
                return
            stream.close()
            self.stream = None
            rotate_log(self._path, self._keep_bytes, self._backups)
            self.stream = self._open()
        except (OSError, ValueError):
            self.handleError(record)


def setup_logging(log_path: Path, debug: bool) -> None:
    """Log to ``log_path`` (rotated by size, also while running), and warnings to stderr.

    A log file that cannot be written is said once on stderr; the app runs on without it.
    """
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    fmt = BoundedFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        rotate_log(log_path)
        handler: logging.Handler = CappedFileHandler(log_path)
        handler.setFormatter(fmt)
        root.addHandler(handler)
    except OSError as exc:
        print(_("{app}: cannot write the log file {path}: {error}").format(app=APP_NAME, path=log_path, error=exc),
              file=sys.stderr)
    console = logging.StreamHandler()
    console.setFormatter(fmt)
    console.setLevel(logging.DEBUG if debug else logging.WARNING)
    root.addHandler(console)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
