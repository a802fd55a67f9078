"""The single-instance lock that deleting the runtime folder does not remove (Linux and macOS).

The command socket and its lock file live in the runtime folder, which a user (or a cleaner)
can delete while Unsit runs. This second lock lives beside the user's data (``unsit.lock`` in
the data folder): the running app holds an ``flock`` on it for its whole life and the kernel
releases it when the process dies. A second ``unsit`` that finds it held knows one runs, even
while that one's socket is being created again, and does not start beside it; the CLI waits
a moment for the socket instead of saying "not running". Windows has a named pipe instead.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

LOCK_NAME = "unsit.lock"


class InstanceLock:
    """An exclusive ``flock`` on ``path``, held until ``release`` (or the process ends)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._fd is not None

    def take(self) -> bool | None:
        """Try to take the lock without waiting.

        Returns:
            True when taken (or already held here), False when another process holds it,
            None when no lock can be had here (Windows, or the file cannot be opened).
        """
        if self._fd is not None:
            return True
        if sys.platform == "win32":
            return None
        import fcntl

        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        except OSError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        """Let the lock go (closing the file releases the flock)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def held_elsewhere(path: Path) -> bool:
    """True when another process holds the lock at ``path`` (an instance runs)."""
    probe = InstanceLock(path)
    taken = probe.take()
    probe.release()
    return taken is False
