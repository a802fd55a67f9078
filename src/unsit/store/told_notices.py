"""One-time notices: which hints the user has been told already, kept across starts.

A hint such as "no system tray was found" is worth saying on the first start, not on every
start. The keys of the hints told live in a small text file, one key a line. A missing,
unreadable or damaged file only means a hint may be said once more; it never stops the app.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from unsit.runtime.atomic import write_atomically

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 4096
"""More than any list of hints could need: a bigger file is not ours, and is read as empty."""
KEY_RE = re.compile(r"^[a-z0-9-]{1,40}$")


class ToldNotices:
    """The set of hint keys already told, stored in ``path``."""

    def __init__(self, path: Path) -> None:
        self._path = path

    def told(self) -> set[str]:
        """The keys told so far (empty when the file is missing, too big or unreadable)."""
        try:
            with self._path.open("rb") as file:
                data = file.read(MAX_FILE_BYTES + 1)
        except FileNotFoundError:
            return set()
        except OSError as exc:
            log.info("cannot read %s (%s): one-time hints may be said again", self._path, exc.strerror or exc)
            return set()
        if len(data) > MAX_FILE_BYTES:
            log.info("%s is over %d bytes, not a list of hints: ignored", self._path, MAX_FILE_BYTES)
            return set()
        lines = data.decode("utf-8", errors="replace").splitlines()
        return {line.strip() for line in lines if KEY_RE.match(line.strip())}

    def first_time(self, key: str) -> bool:
        """True, and remembered, the first time ``key`` is asked for; False ever after."""
        if not KEY_RE.match(key):
            raise ValueError(f"a hint key is 1-40 of a-z, 0-9 and '-', not {key!r}")
        told = self.told()
        if key in told:
            return False
        try:
            write_atomically(self._path, "".join(f"{k}\n" for k in sorted(told | {key})).encode())
        except OSError as exc:
            log.info("cannot write %s (%s): the %s hint may be said again", self._path, exc.strerror or exc, key)
        return True
