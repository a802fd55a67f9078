"""Tells when one file is written, replaced, created or removed, without polling.

Linux: one inotify watch on the file's folder (an editor's atomic replace renames a new file
over the old one, which a watch on the file itself would lose), read by a ``QSocketNotifier``
when the kernel has news; only events naming the file count. Qt's ``QFileSystemWatcher`` does
the same underneath but costs an idle tray about 0.25 MB more (its binding and engine, measured
beside this one with ctypes and socket notifiers already loaded), so it is used only
elsewhere (Windows, macOS) or when inotify cannot be set up.
"""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import struct
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, Signal

log = logging.getLogger(__name__)

# <sys/inotify.h>
IN_MODIFY, IN_ATTRIB, IN_CLOSE_WRITE = 0x2, 0x4, 0x8
IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE = 0x40, 0x80, 0x100, 0x200
IN_IGNORED = 0x8000  # the watch is gone (its folder was removed or moved)
IN_ONLYDIR = 0x01000000
WATCHED = IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_ONLYDIR
_EVENT_HEADER = struct.Struct("iIII")  # wd, mask, cookie, len; then len bytes of name
READ_BYTES = 65536


class FileWatch(QObject):
    """Emits ``changed`` when the file at ``path`` may have changed (debounce it: one edit can be several events).

    Call ``rewatch()`` after something may have moved the folder or created it late.
    """

    changed = Signal()

    def __init__(self, path: Path, parent: QObject | None = None, *, use_inotify: bool = True) -> None:
        super().__init__(parent)
        self.path = path
        self._fd: int | None = None
        self._wd: int | None = None
        self._notifier: QSocketNotifier | None = None
        self._add_watch: Any = None
        self._qt: Any = None  # QFileSystemWatcher, where inotify is not used
        if use_inotify and sys.platform.startswith("linux"):
            self._open_inotify()
        self.rewatch()

    @property
    def kind(self) -> str:
        """What watches: ``inotify`` or ``qt``."""
        return "inotify" if self._fd is not None else "qt"

    def _open_inotify(self) -> None:
        if sys.platform == "win32":  # never called there; tells the type checker
            return
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            init, self._add_watch = libc.inotify_init1, libc.inotify_add_watch
        except (OSError, AttributeError) as exc:
            log.info("no inotify (%s); Qt watches the settings file", exc)
            return
        self._add_watch.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
        fd = init(os.O_NONBLOCK | os.O_CLOEXEC)
        if fd < 0:
            log.info("no inotify (%s); Qt watches the settings file", os.strerror(ctypes.get_errno()))
            return
        self._fd = fd
        self._notifier = QSocketNotifier(fd, QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._read_events)

    def rewatch(self) -> None:
        """Watch again what may have been lost: the folder (inotify), or the file and folder (Qt)."""
        if self._fd is not None:
            # Adding a watch is idempotent for a folder already watched; for a folder made anew (the old
            # one removed, its IN_IGNORED perhaps not read yet) it gives a new watch.
            if self.path.parent.is_dir():
                wd = self._add_watch(self._fd, os.fsencode(self.path.parent), WATCHED)
                if wd < 0:
                    log.warning("cannot watch %s: %s", self.path.parent, os.strerror(ctypes.get_errno()))
                else:
                    self._wd = wd
            return
        if self._qt is None:
            from PySide6.QtCore import QFileSystemWatcher

            self._qt = QFileSystemWatcher(self)
            self._qt.fileChanged.connect(self._qt_event)
            self._qt.directoryChanged.connect(self._qt_event)
        folder, path = str(self.path.parent), str(self.path)
        if folder not in self._qt.directories() and self.path.parent.is_dir():
            self._qt.addPath(folder)
        if path not in self._qt.files() and self.path.exists():
            self._qt.addPath(path)

    def _qt_event(self, _path: str) -> None:
        self.changed.emit()

    def _read_events(self, *_args: object) -> None:
        if self._fd is None:
            return
        name = os.fsencode(self.path.name)
        seen = False
        while True:
            try:
                data = os.read(self._fd, READ_BYTES)
            except BlockingIOError:
                break
            except OSError as exc:
                if exc.errno == errno.EINTR:
                    continue
                log.warning("could not read file events: %s", exc)
                break
            offset = 0
            while offset + _EVENT_HEADER.size <= len(data):
                wd, mask, _cookie, length = _EVENT_HEADER.unpack_from(data, offset)
                offset += _EVENT_HEADER.size
                event_name = data[offset:offset + length].rstrip(b"\0")
                offset += length
                if mask & IN_IGNORED:
                    if wd == self._wd:
                        self._wd = None  # the folder went away: watched again at the next rewatch()
                elif event_name == name:
                    seen = True
        if seen:
            self.changed.emit()

    def close(self) -> None:
        """Stop watching."""
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier = None
        if self._fd is not None:
            os.close(self._fd)
            self._fd, self._wd = None, None
