"""Live settings: the one place that holds the current Settings and keeps the file in step.

Changes come from the settings window (``update``) or from the user editing
settings.toml while Unsit runs (a ``QFileSystemWatcher``, debounced). Either way the
new settings are announced with ``settings_changed``; a bad hand edit keeps the
previous good value and is reported with ``settings_problem``.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from unsit.core.settings import Settings, SettingsError, validate
from unsit.store.settings_file import SettingsFile

log = logging.getLogger(__name__)

RELOAD_DEBOUNCE_MS = 200


class SettingsStore(QObject):
    """Current settings, saved atomically and reloaded when the file is edited.

    Signals:
        settings_changed(Settings): the settings now in force (only when they differ).
        settings_problem(str): a human message about a rejected value or unreadable file.
    """

    settings_changed = Signal(object)
    settings_problem = Signal(str)

    def __init__(self, settings_file: SettingsFile, parent: QObject | None = None):
        super().__init__(parent)
        self._file = settings_file
        self._settings = Settings()
        self._last_problem = ""
        self._watcher = QFileSystemWatcher(self)
        self._watcher.setObjectName("settings_file_watcher")
        self._watcher.fileChanged.connect(self._on_fs_event)
        self._watcher.directoryChanged.connect(self._on_fs_event)
        self._watched_file: tuple[int, int] | None = None  # (device, inode) the file's watch is on
        self._reload_timer = QTimer(self)
        self._reload_timer.setObjectName("settings_reload_timer")
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DEBOUNCE_MS)
        self._reload_timer.timeout.connect(self.reload)

    @property
    def settings(self) -> Settings:
        """The settings in force."""
        return self._settings

    @property
    def path(self) -> Path:
        """The settings file's path."""
        return self._file.path

    def load_initial(self) -> list[str]:
        """Load (or create) the file at start-up and start watching it.

        Returns:
            Problem messages for the user (empty when the file was fine).
        """
        result = self._file.load(fallback=None)
        self._settings = result.settings
        self._last_problem = "\n".join(result.problems)
        self._watch()
        return list(result.problems)

    def update(self, settings: Settings) -> None:
        """Validate, save atomically and apply ``settings``.

        Raises:
            SettingsError: a value is out of bounds (nothing is saved or applied).
        """
        checked, problems = validate(settings.to_dict(), fallback=self._settings)
        if problems:
            raise SettingsError(problems)
        try:
            self._file.save(checked)
        except OSError as exc:
            log.exception("could not save settings")
            self.settings_problem.emit(f"Could not save {self._file.path}: {exc.strerror or exc}")
        self._watch()
        self._apply(checked)

    def reload(self) -> None:
        """Re-read the file now (normally called by the debounce timer after an edit)."""
        try:
            self._reload()
        finally:
            self._watch()  # after the load, which writes the file (and its folder) again if they went

    def _reload(self) -> None:
        current = self._file.read_bytes()
        if current is not None and current == self._file.known_content:
            return  # our own save, or a touch without a change
        result = self._file.load(fallback=self._settings)
        message = "\n".join(result.problems)  # one message, so a notification shows every problem at once
        if message and message != self._last_problem:  # a file refused again and again is said once
            for problem in result.problems:
                log.warning("settings: %s", problem)
            self.settings_problem.emit(message)
        self._last_problem = message
        self._apply(result.settings)

    def _apply(self, settings: Settings) -> None:
        if settings != self._settings:
            self._settings = settings
            self.settings_changed.emit(settings)

    def _watch(self) -> None:
        """Watch again what an editor's atomic replace or a removed folder dropped.

        The folder's watch sees the file renamed over, created or removed; the file's watch
        (which follows a symlink to its target) sees it written in place, or replaced.
        """
        path = self._file.path
        wanted = [path.parent]
        try:
            info = path.stat()
        except OSError:
            info = None
        if info is not None:
            wanted.append(path)
            if (info.st_dev, info.st_ino) != self._watched_file and str(path) in self._watcher.files():
                self._watcher.removePath(str(path))  # still on the replaced file, until Qt hears it went
            self._watched_file = (info.st_dev, info.st_ino)
        watched = set(self._watcher.files()) | set(self._watcher.directories())
        missing = [p for p in dict.fromkeys(map(str, wanted)) if p not in watched and os.path.exists(p)]
        if missing:
            self._watcher.addPaths(missing)

    def _on_fs_event(self, _path: str) -> None:
        self._reload_timer.start()
