"""Opens the app's windows on demand (drill, settings, history), importing each lazily."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from unsit.core.clock import Clock
from unsit.core.days import day_start, unsit_day
from unsit.core.settings import Settings

if TYPE_CHECKING:  # imported lazily at run time: each window loads when first opened, the drills when wanted
    from unsit.core.drill_picker import DrillPicker
    from unsit.core.drills import Drill
    from unsit.core.routines import Routine
    from unsit.platform.speech import Speaker
    from unsit.store.history import History
    from unsit.store.settings_store import SettingsStore
    from unsit.ui.drill_window import DrillWindow
    from unsit.ui.history_window import HistoryWindow
    from unsit.ui.routine_window import RoutineWindow
    from unsit.ui.settings_dialog import SettingsDialog

log = logging.getLogger(__name__)
RELEASE_AFTER_MS = 2000
"""How long after a drill window is gone its memory is handed back (see runtime.memory)."""


class Library(Protocol):
    """The drills and routines (``store/library_shelf.py``)."""

    @property
    def drills(self) -> Sequence[Drill]: ...

    @property
    def routines(self) -> Sequence[Routine]: ...

    def routine_titles(self) -> list[tuple[str, str]]: ...


class HistorySource(Protocol):
    """The history as the windows read it (``store/history_writer.py``, or ``store.history.History`` itself)."""

    def drills_done_today(self, now: datetime) -> int: ...
    def drills_started_since(self, at: datetime) -> list[str]: ...
    def reader(self) -> History | None: ...


class FixedLibrary:
    """A library of drills and routines already loaded (tests, tools)."""

    def __init__(self, drills: Sequence[Drill] = (), routines: Sequence[Routine] = ()) -> None:
        self.drills = list(drills)
        self.routines = list(routines)

    def routine_titles(self) -> list[tuple[str, str]]:
        from unsit.text.drill_text import routine_name

        return [(r.id, routine_name(r)) for r in self.routines]


class Windows(QObject):
    """Keeps at most one window of each kind and brings it to the front when asked again.

    Args:
        library: the drills and routines; or give ``drills`` and ``routines`` instead.
    """

    drill_finished = Signal(str, float)
    drill_ended_early = Signal(str, float)
    history_opened = Signal()

    def __init__(self, *, clock: Clock, library: Library | None = None, drills: Sequence[Drill] = (),
                 settings_store: SettingsStore | None = None, history: HistorySource | None = None,
                 routines: Sequence[Routine] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library: Library = library if library is not None else FixedLibrary(drills, routines)
        self._clock = clock
        self._picker: DrillPicker | None = None  # built at the first drill, from the library and today's history
        self._settings_store = settings_store
        self._history = history
        self._drill_window: DrillWindow | None = None
        self._drill_serial = 0  # counts drill windows, so a late `destroyed` of an old one forgets nothing newer
        self._speaker: Speaker | None = None  # the system voice, found once when first needed
        self._settings_dialog: SettingsDialog | None = None
        self._history_window: HistoryWindow | None = None

    @property
    def drill_window(self) -> DrillWindow | None:
        return self._drill_window

    @property
    def running_drill(self) -> DrillWindow | None:
        """The drill or routine window whose session still runs (None: none, or only a finished one)."""
        window = self._drill_window
        if window is None or window.runner.done:
            return None
        return window

    def running_drill_title(self) -> str | None:
        """The running drill's or routine's name as its window shows it (None: none runs)."""
        window = self.running_drill
        return None if window is None else window.title

    def open_drill(self, family: str | None, settings: Settings) -> Drill | None:
        """Show a drill window (a new drill, or the running one raised); returns the Drill or None.

        A window showing a finished drill's end screen (or closed and not yet deleted) has
        reported its end: it is closed and a new drill starts in a new window.
        """
        running = self._running_or_none()
        if running is not None:
            _raise(running)
            return running.drill
        if self._picker is None:
            drills = self._library.drills
            if not drills:
                log.error("no drills are available: the drill library could not be loaded")
                return None
            self._picker = _seeded_picker(drills, self._clock, self._history)
        from unsit.ui.drill_window import DrillWindow

        drill = self._picker.next(settings.drill_family, family, unsit_day(self._clock.now()))
        window = DrillWindow(drill, self._clock, length=settings.drill_length, sounds_enabled=settings.sounds_enabled,
                             speak_cues=settings.speak_cues, speaker=self._voice() if settings.speak_cues else None,
                             drills_today=self._drills_today)
        self._adopt(window)
        return drill

    def show_running_drill(self) -> bool:
        """Raise the drill (or routine) window under way; False when none is open."""
        if self._drill_window is None:
            return False
        _raise(self._drill_window)
        return True

    @property
    def routines(self) -> list[Routine]:
        """The routines that loaded, built-ins first (the library is read if it was not yet)."""
        return list(self._library.routines)

    def routine_titles(self) -> list[tuple[str, str]]:
        """Each routine as (id, name in the language in use), without reading the library."""
        return self._library.routine_titles()

    def open_routine(self, routine_id: str, settings: Settings) -> str | None:
        """Play a routine in the drill window (or raise the open drill or routine).

        Returns:
            The session id of the window now showing (``routine:<id>``, or the open drill's
            id), or None for an unknown routine.
        """
        running = self._running_or_none()
        if running is not None:
            _raise(running)
            return running.session_id
        routines = {r.id: r for r in self._library.routines}
        routine = routines.get(routine_id)
        if routine is None:
            log.warning("no routine %r; known: %s", routine_id, ", ".join(routines) or "none")
            return None
        from unsit.ui.routine_window import RoutineWindow

        window: RoutineWindow = RoutineWindow(
            routine, self._clock, sounds_enabled=settings.sounds_enabled, speak_cues=settings.speak_cues,
            speaker=self._voice() if settings.speak_cues else None, drills_today=self._drills_today)
        self._adopt(window)
        return routine.session_id

    def _adopt(self, window: DrillWindow) -> None:
        """Keep ``window`` as the one drill window, pass its signals on, and show it."""
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.drill_finished.connect(self.drill_finished)
        window.drill_ended_early.connect(self.drill_ended_early)
        self._drill_serial += 1
        window.destroyed.connect(lambda _object=None, serial=self._drill_serial: self._forget_drill(serial))
        self._drill_window = window
        window.show_on_mouse_screen()

    def _running_or_none(self) -> DrillWindow | None:
        """The running drill window; one that is over (end screen, or closed) is let go first."""
        running = self.running_drill
        if running is None and self._drill_window is not None:
            over, self._drill_window = self._drill_window, None
            over.close()  # it reported its end already: closing reports nothing more
        return running

    def _voice(self) -> Speaker:
        if self._speaker is None:
            from unsit.platform.speech import detect_speaker

            self._speaker = detect_speaker()
        return self._speaker

    def drills_today(self) -> int | None:
        """Drills done today (None: no history)."""
        return self._drills_today()

    def _drills_today(self) -> int | None:
        return None if self._history is None else self._history.drills_done_today(self._clock.now())

    def _forget_drill(self, serial: int) -> None:
        """Drill window number ``serial`` was deleted: forget it, unless a newer one took its place."""
        if serial == self._drill_serial:
            self._drill_window = None
        from PySide6.QtCore import QTimer

        from unsit.runtime.memory import release_after_window

        # The freed heap and the code pages only the window used go back (issue 23: after the
        # first drill the tray kept about 8 MB more than before it).
        QTimer.singleShot(RELEASE_AFTER_MS, release_after_window)

    def open_settings(self) -> None:
        if self._settings_store is None:
            log.error("the settings are not available")
            return
        if self._settings_dialog is None:
            from unsit.ui.settings_dialog import SettingsDialog

            self._settings_dialog = SettingsDialog(self._settings_store)
            self._settings_dialog.finished.connect(self._forget_settings)
        _raise(self._settings_dialog)

    def _forget_settings(self, *_result: object) -> None:
        dialog, self._settings_dialog = self._settings_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def open_history(self) -> None:
        history = None if self._history is None else self._history.reader()  # a read never waits long
        if history is None:
            log.error("the history database is not available")
            return
        if self._history_window is None:
            from PySide6.QtCore import Qt

            from unsit.ui.history_window import HistoryWindow

            self._history_window = HistoryWindow(history, self._clock)
            self._history_window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self._history_window.destroyed.connect(self._forget_history)
        else:
            self._history_window.history = history  # a new view when the file was replaced meanwhile
        self._history_window.refresh()
        _raise(self._history_window)
        self.history_opened.emit()

    def _forget_history(self) -> None:
        self._history_window = None

    def refresh_history(self) -> None:
        if self._history_window is not None and self._history is not None:
            history = self._history.reader()
            if history is not None:
                self._history_window.history = history
            self._history_window.refresh()

    def retranslate(self) -> None:
        """The language changed: rebuild an open settings or history window (the drill window retranslates
        itself on Qt's LanguageChange). Deferred, so a Save that changed the language finishes first."""
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, self._rebuild_open_windows)

    def _rebuild_open_windows(self) -> None:
        dialog = self._settings_dialog
        if dialog is not None and dialog.isVisible():
            where = dialog.pos()
            dialog.finished.disconnect(self._forget_settings)
            dialog.hide()
            self._forget_settings(dialog)
            self.open_settings()
            if self._settings_dialog is not None:
                self._settings_dialog.move(where)
        history = self._history_window
        if history is not None and history.isVisible():
            geometry = history.geometry()
            history.destroyed.disconnect(self._forget_history)
            history.close()
            self._history_window = None
            self.open_history()
            if self._history_window is not None:
                self._history_window.setGeometry(geometry)

    def close_all(self) -> None:
        for window in (self._drill_window, self._settings_dialog, self._history_window):
            if window is not None:
                window.close()


def _raise(window: QWidget) -> None:
    window.show()
    window.raise_()
    window.activateWindow()


def _seeded_picker(drills: Sequence[Drill], clock: Clock, history: HistorySource | None) -> DrillPicker:
    """A picker that knows which drills were started today (the day turning at 04:00)."""
    from unsit.core.drill_picker import DrillPicker

    now = clock.now()
    day = unsit_day(now)
    done: list[str] = []
    if history is not None:
        try:
            done = history.drills_started_since(day_start(day, now))
        except Exception:
            log.warning("could not read today's drills from history; the picker starts fresh", exc_info=True)
    return DrillPicker(drills, done_today=done, day=day)
