"""A short-lived child process, run without blocking the GUI and without Qt's ``QProcess``.

``QProcess`` costs an idle tray about 0.3 MB (its binding and the Qt code it touches,
measured against this module's way with ``bench``'s method), for a job that runs a few times
an hour. Here the child is started with ``os.posix_spawn``; its input is a memory file it
reads from the start (nothing to feed while it runs), its output comes back through a pipe
that a ``QSocketNotifier`` watches, its standard error goes to another memory file. When the
pipe closes the child is reaped and ``finished`` is emitted. POSIX only (the history job is
not run this way on Windows).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import time

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

log = logging.getLogger(__name__)

MAX_OUTPUT_BYTES = 1 << 20
"""A child writing more than this is stopped (the history job writes a few lines)."""
REAP_RETRY_MS = 20


class ChildJob(QObject):
    """One run of ``argv`` with ``input_bytes`` on its standard input.

    Attributes:
        output: what it wrote to standard output (complete once ``finished``).
        errors: what it wrote to standard error (read once ``finished``).
        exit_code: its exit status, negative for the signal that ended it; None until finished.
        pid: its process id once started (kept after it ended).
    """

    finished = Signal()

    def __init__(self, argv: list[str], input_bytes: bytes = b"", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._argv = argv
        self._input = input_bytes
        self._pid: int | None = None
        self._out: int | None = None  # the read end of the output pipe
        self._errors_fd: int | None = None
        self._notifier: QSocketNotifier | None = None
        self._chunks: list[bytes] = []
        self._size = 0
        self.output = b""
        self.errors = b""
        self.exit_code: int | None = None
        self.pid: int | None = None

    @property
    def running(self) -> bool:
        """Started and not reaped yet."""
        return self._pid is not None

    def start(self) -> None:
        """Start the child.

        Raises:
            OSError: it cannot be started (no such program, not executable, no memory; Windows).
        """
        if sys.platform == "win32":
            raise OSError("child jobs need POSIX (posix_spawn)")
        input_fd = _memory_file("unsit-job-input", self._input)
        errors_fd = _memory_file("unsit-job-errors", b"")
        out_read, out_write = os.pipe()
        try:
            self._pid = os.posix_spawn(self._argv[0], self._argv, dict(os.environ), file_actions=[
                (os.POSIX_SPAWN_DUP2, input_fd, 0), (os.POSIX_SPAWN_DUP2, out_write, 1),
                (os.POSIX_SPAWN_DUP2, errors_fd, 2)])
        except OSError:
            for fd in (out_read, errors_fd):
                os.close(fd)
            raise
        finally:
            os.close(input_fd)
            os.close(out_write)
        os.set_blocking(out_read, False)
        self.pid = self._pid
        self._out, self._errors_fd = out_read, errors_fd
        self._notifier = QSocketNotifier(out_read, QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._read_available)

    def wait(self, timeout_seconds: float) -> bool:
        """Block until the child has finished (``finished`` is emitted first); False on time-out."""
        import select

        deadline = time.monotonic() + timeout_seconds
        while self._out is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            select.select([self._out], [], [], left)
            self._read_available()
        while self._pid is not None:
            if not self._reap():
                if time.monotonic() >= deadline:
                    return False
                time.sleep(REAP_RETRY_MS / 1000)
        return True

    def kill(self) -> None:
        """Stop the child now (``finished`` follows, with a negative exit code)."""
        if sys.platform != "win32" and self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def _read_available(self, *_args: object) -> None:
        if self._out is None:
            return
        while True:
            try:
                chunk = os.read(self._out, 65536)
            except BlockingIOError:
                return
            except OSError as exc:
                log.warning("could not read a child's output: %s", exc)
                chunk = b""
            if not chunk:
                break
            self._size += len(chunk)
            if self._size > MAX_OUTPUT_BYTES:
                log.warning("a child wrote over %d bytes; stopping it", MAX_OUTPUT_BYTES)
                self.kill()
                break
            self._chunks.append(chunk)
        self._close_output()
        self._reap_soon()

    def _close_output(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._out is not None:
            os.close(self._out)
            self._out = None
        self.output = b"".join(self._chunks)

    def _reap_soon(self) -> None:
        if self._pid is not None and not self._reap():
            QTimer.singleShot(REAP_RETRY_MS, self._reap_soon)

    def _reap(self) -> bool:
        """Collect the child's exit if it has exited; True once it is collected."""
        if self._pid is None or sys.platform == "win32":
            return True
        try:
            pid, status = os.waitpid(self._pid, os.WNOHANG)
        except ChildProcessError:  # already collected elsewhere
            pid, status = self._pid, 0
        if pid == 0:
            return False
        self._pid = None
        self.exit_code = os.waitstatus_to_exitcode(status)
        if self._errors_fd is not None:
            os.lseek(self._errors_fd, 0, os.SEEK_SET)
            self.errors = _read_all(self._errors_fd)
            os.close(self._errors_fd)
            self._errors_fd = None
        self.finished.emit()
        return True


def _memory_file(name: str, data: bytes) -> int:
    """A file descriptor of an unnamed file holding ``data``, at its start."""
    if sys.platform == "win32":
        raise OSError("child jobs need POSIX")
    if sys.platform == "linux":
        fd = os.memfd_create(name, os.MFD_CLOEXEC)
    else:  # macOS, the BSDs
        import tempfile

        with tempfile.TemporaryFile() as handle:
            fd = os.dup(handle.fileno())
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


def _read_all(fd: int) -> bytes:
    """At most about ``MAX_OUTPUT_BYTES`` from ``fd``, to its end."""
    chunks: list[bytes] = []
    size = 0
    while size <= MAX_OUTPUT_BYTES and (chunk := os.read(fd, 65536)):
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)
