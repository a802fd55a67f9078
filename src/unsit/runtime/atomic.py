"""Writing a whole file so that a crash leaves either the old content or the new, never half."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# Windows: an antivirus scanner or the search indexer opening the file for a moment makes
# os.replace fail with "access denied" or a sharing violation. Retried after these pauses
# (0.31 s in all), then the error stands.
REPLACE_RETRY_SECONDS = (0.01, 0.02, 0.04, 0.08, 0.16)
_TRANSIENT_WINERRORS = (5, 32, 33)  # ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION


def replace_file(source: str | os.PathLike[str], target: str | os.PathLike[str], *,
                 windows: bool = sys.platform == "win32", sleep: Callable[[float], None] = time.sleep) -> None:
    """``os.replace``, retried with backoff on Windows while another program holds the file open.

    Raises:
        OSError: the last attempt's error (at once on other systems, or for any other error).
    """
    pauses = iter(REPLACE_RETRY_SECONDS if windows else ())
    while True:
        try:
            os.replace(source, target)
            return
        except PermissionError as exc:
            if getattr(exc, "winerror", 5 if windows else None) not in _TRANSIENT_WINERRORS:
                raise
            pause = next(pauses, None)
            if pause is None:
                raise
            sleep(pause)


def write_atomically(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Replace ``path`` with ``data``: temp file in the same folder, fsync, rename, fsync folder.

    Creates missing parent folders. A failure removes the temp file and leaves ``path`` as it was.

    Args:
        path: the file to write (a symlink there is replaced, not followed).
        data: the whole new content.
        mode: permission bits for the file; None keeps the temp file's owner-only 0o600.

    Raises:
        OSError: the folder or the file cannot be written.
    """
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(tmp_name, mode)
        replace_file(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        raise
    fsync_folder(folder)


def fsync_folder(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` durable (POSIX only; Windows cannot open folders)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
