"""What went wrong with the history database, in words a user can act on.

SQLite reports every failure as ``sqlite3.Error``; what to do depends on which one:
a damaged file is set aside and a new one started, a busy one is waited for, and a
full disk or a read-only file keeps events in memory until they can be written.
"""

from __future__ import annotations

import errno
import os
from enum import Enum
from pathlib import Path

from unsit.text.i18n import _

# Primary result codes (https://sqlite.org/rescode.html); extended codes keep them in the low byte.
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_IOERR = 5, 6, 8, 10
_SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 11, 13, 14, 26


class Trouble(Enum):
    """Kinds of database failure that call for different handling."""

    DAMAGED = "damaged"
    BUSY = "busy"
    READ_ONLY = "read_only"
    FULL = "full"
    UNWRITABLE = "unwritable"  # I/O errors, cannot open: maybe a failing disk or a quota
    DANGLING_LINK = "dangling_link"  # the database is a symlink to a file that is not there
    OTHER = "other"


_BY_CODE = {
    _SQLITE_CORRUPT: Trouble.DAMAGED, _SQLITE_NOTADB: Trouble.DAMAGED,
    _SQLITE_BUSY: Trouble.BUSY, _SQLITE_LOCKED: Trouble.BUSY,
    _SQLITE_READONLY: Trouble.READ_ONLY, _SQLITE_FULL: Trouble.FULL,
    _SQLITE_IOERR: Trouble.UNWRITABLE, _SQLITE_CANTOPEN: Trouble.UNWRITABLE,
}
# Python 3.10 has no sqlite_errorcode: fall back to SQLite's fixed English messages.
_BY_MESSAGE = (
    ("malformed", Trouble.DAMAGED), ("not a database", Trouble.DAMAGED),
    ("locked", Trouble.BUSY), ("busy", Trouble.BUSY),
    ("readonly", Trouble.READ_ONLY), ("read-only", Trouble.READ_ONLY),
    ("full", Trouble.FULL),
    ("disk i/o error", Trouble.UNWRITABLE), ("unable to open", Trouble.UNWRITABLE),
)


def classify(exc: BaseException, path: Path | None = None) -> Trouble:
    """Which kind of trouble ``exc`` is (``path``: the database, to tell a read-only place or a broken link)."""
    trouble = _classify_error(exc, path)
    if trouble in (Trouble.UNWRITABLE, Trouble.OTHER, Trouble.READ_ONLY) and path is not None and _dangling_link(path):
        return Trouble.DANGLING_LINK
    return trouble


def _classify_error(exc: BaseException, path: Path | None) -> Trouble:
    if isinstance(exc, OSError):
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return Trouble.READ_ONLY
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return Trouble.FULL
        return Trouble.UNWRITABLE
    trouble = Trouble.OTHER
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and (code & 0xFF) in _BY_CODE:
        trouble = _BY_CODE[code & 0xFF]
    else:
        text = str(exc).lower()
        trouble = next((t for words, t in _BY_MESSAGE if words in text), Trouble.OTHER)
    if trouble in (Trouble.UNWRITABLE, Trouble.OTHER) and path is not None and _read_only_place(path):
        return Trouble.READ_ONLY  # "unable to open database file" in a read-only folder
    return trouble


def _dangling_link(path: Path) -> bool:
    """True when ``path`` is a symlink whose target does not exist (SQLite then says "unable to open")."""
    try:
        return Path(path).is_symlink() and not Path(path).exists()
    except OSError:  # a link loop: not there either
        return True


def _read_only_place(path: Path) -> bool:
    """True when ``path`` (or, when missing, its nearest existing folder) cannot be written."""
    place = Path(path)
    while not place.exists() and place != place.parent:
        place = place.parent
    if place.is_file() and not os.access(place, os.W_OK):
        return True
    folder = place if place.is_dir() else place.parent
    return not os.access(folder, os.W_OK)


def explain(trouble: Trouble, path: Path, exc: BaseException) -> str:
    """One message for the user: what is wrong, and what to do."""
    kept = _("Unsit keeps new events in memory and writes them as soon as it can.")
    if trouble is Trouble.FULL:
        return _("History cannot be saved: the disk holding {folder} is full. {kept} Free some disk space.").format(
            folder=path.parent, kept=kept)
    if trouble is Trouble.READ_ONLY:
        return _("History cannot be saved: {path} (or its folder) is read-only. {kept} "
                 "Make it writable again (e.g. chmod u+w).").format(path=path, kept=kept)
    if trouble is Trouble.BUSY:
        return _("History cannot be saved right now: another program holds {path} locked. {kept} "
                 "Close the program that has it open.").format(path=path, kept=kept)
    if trouble is Trouble.DANGLING_LINK:
        try:
            target = str(Path(path).readlink())
        except OSError:
            target = "?"
        return _("History cannot be saved: {path} is a link to {target}, which does not exist. {kept} "
                 "Put the file (or the disk holding it) back at {target}, or remove the link so that Unsit "
                 "starts a new history.").format(path=path, target=target[:200], kept=kept)
    detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
    return _("History cannot be saved: {path} cannot be written ({detail}). {kept} Check the disk.").format(
        path=path, detail=detail, kept=kept)
