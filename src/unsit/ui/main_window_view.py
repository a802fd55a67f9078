"""The main window's widget: the streak as a ring with the minutes to the next nudge, the status line
and the day's drills beside it, then Start drill, Snooze / Skip, Pause / Resume, Settings, History, Quit.

Imported only when the window first opens (ui/main_window.py), so the tray process does not
load these widget classes while it idles.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QLocale, Qt, Signal
from PySide6.QtGui import QCursor, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QCheckBox, QGridLayout, QHBoxLayout, QLabel, QMenu, QPushButton, QVBoxLayout, QWidget

from unsit import APP_NAME
from unsit.core.events import Phase
from unsit.text.i18n import N_, _, pgettext
from unsit.ui.floating import DIALOG_FLAGS, fit_to_contents
from unsit.ui.progress_ring import ProgressRing
from unsit.ui.text import call_line, status_line

if TYPE_CHECKING:
    from unsit.core.engine import Status

STATUS_WIDTH_PIXELS = 250
RING_PIXELS = 104
PAUSES = ((N_("&30 min"), {"minutes": 30}), (N_("&1 hour"), {"minutes": 60}),
          (N_("&Until tomorrow"), {"until": "tomorrow"}))


class MainWindow(QWidget):
    """Status line (live), Start drill, Snooze / Skip when due, Pause / Resume, Settings, History, Quit."""

    drill_requested = Signal()
    show_drill_requested = Signal()  # Start drill while one runs: raise it instead
    routine_requested = Signal(str)  # a routine's id
    snooze_requested = Signal()
    skip_requested = Signal()
    pause_requested = Signal(object)  # {"minutes": 30} or {"until": "tomorrow"}
    resume_requested = Signal()
    settings_requested = Signal()
    history_requested = Signal()
    quit_requested = Signal()
    standing_toggled = Signal(bool)  # the "I'm standing" check box, clicked: True when now standing

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, DIALOG_FLAGS & ~Qt.WindowType.WindowStaysOnTopHint)
        self.setObjectName("main_window")
        self.setWindowTitle(APP_NAME)
        self.setAccessibleName(_("{app} main window").format(app=APP_NAME))
        self.status_label = QLabel(_("Starting…"))
        self.status_label.setObjectName("status_label")
        self.status_label.setMinimumWidth(STATUS_WIDTH_PIXELS)
        self.status_label.setWordWrap(True)
        bold = self.status_label.font()
        bold.setBold(True)
        self.status_label.setFont(bold)
        self.ring = ProgressRing(RING_PIXELS, self)
        self.ring.setAccessibleName(_("Sitting streak and minutes to the next nudge"))
        self.today_label = QLabel(self)
        self.today_label.setObjectName("today_label")
        self.status_label.setAccessibleName(_("Status"))
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._in_drill = False
        self.standing_check = QCheckBox(_("I'm st&anding"), self)
        self.standing_check.setObjectName("standing_check")
        self.standing_check.setToolTip(_("At a sit-stand desk: while you stand, the sitting streak waits."))
        self.standing_check.clicked.connect(lambda checked=False: self.standing_toggled.emit(bool(checked)))
        self.drill_button = self._button("drill_button", _("&Start drill"), self._drill_clicked)
        self.snooze_button = self._button("snooze_button", _("S&nooze"), self.snooze_requested.emit)
        self.skip_button = self._button("skip_button", _("S&kip"), self.skip_requested.emit)
        self.pause_buttons = [self._button(f"pause_{n}", _(label), partial(self.pause_requested.emit, request))
                              for n, (label, request) in enumerate(PAUSES)]
        self.resume_button = self._button("resume_button", _("&Resume"), self.resume_requested.emit)
        self.settings_button = self._button("settings_button", _("Se&ttings…"), self.settings_requested.emit)
        self.history_button = self._button("history_button", _("&History…"), self.history_requested.emit)
        self.quit_button = self._button("quit_button", _("&Quit {app}").format(app=APP_NAME), self.quit_requested.emit)
        self.routine_button = QPushButton(_("R&outine"), self)
        self.routine_button.setObjectName("routine_button")
        self.routine_button.setAccessibleName(_("Play a routine"))
        self.routine_button.setMenu(QMenu(self.routine_button))
        self.routine_button.setVisible(False)
        self.drill_button.setDefault(True)
        self._pause_label = QLabel(_("Pause:"))

        answer = QHBoxLayout()
        answer.addWidget(self.drill_button)
        answer.addWidget(self.routine_button)
        answer.addStretch(1)
        answer.addWidget(self.snooze_button)
        answer.addWidget(self.skip_button)
        pause = QGridLayout()
        pause.addWidget(self._pause_label, 0, 0)
        for column, button in enumerate(self.pause_buttons, start=1):
            pause.addWidget(button, 0, column)
        pause.addWidget(self.resume_button, 0, 1, 1, len(self.pause_buttons))
        pause.setColumnStretch(len(self.pause_buttons) + 1, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.settings_button)
        bottom.addWidget(self.history_button)
        bottom.addStretch(1)
        bottom.addWidget(self.quit_button)
        texts = QVBoxLayout()
        texts.setSpacing(6)
        texts.addStretch(1)
        texts.addWidget(self.status_label)
        texts.addWidget(self.today_label)
        texts.addWidget(self.standing_check)
        texts.addStretch(1)
        top = QHBoxLayout()
        top.setSpacing(18)
        top.addWidget(self.ring, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addLayout(texts, 1)
        root = QVBoxLayout(self)
        root.setContentsMargins(20, 18, 20, 16)
        root.setSpacing(12)
        root.addLayout(top)
        root.addSpacing(4)
        root.addLayout(answer)
        root.addLayout(pause)
        root.addLayout(bottom)
        fit_to_contents(self)  # a fixed size that follows its contents: tiling managers float it
        self._placed = False
        self._snooze_minutes = 10
        self.update_view(None, snooze_minutes=10)

    def _button(self, name: str, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(lambda _=False: slot())
        return button

    def _drill_clicked(self) -> None:
        (self.show_drill_requested if self._in_drill else self.drill_requested).emit()

    def _drill_button_text(self) -> str:
        return _("&Show the drill") if self._in_drill else _("&Start drill")

    def set_routines(self, routines: list[tuple[str, str]]) -> None:
        """Offer these routines, as (id, name), under the Routine button (hidden when there are none)."""
        menu = self.routine_button.menu()
        menu.clear()
        for routine_id, name in routines:
            action = menu.addAction(name)
            action.setData(routine_id)
            action.triggered.connect(partial(self.routine_requested.emit, routine_id))
        self.routine_button.setVisible(bool(routines))
        fit_to_contents(self)

    def update_view(self, status: Status | None, *, snooze_minutes: int, drills_today: int | None = None) -> None:
        """Show an engine Status (None: not known yet) and the day's drills; buttons follow the phase."""
        phase = status.phase if status is not None else None
        self._show_ring(status)
        self.today_label.setVisible(drills_today is not None)
        if drills_today is not None:
            self.today_label.setText(_("Drills today: {count}.").format(count=drills_today))
        text = status_line(status) if status is not None else _("Starting…")
        call = call_line(status) if status is not None else None
        self.status_label.setText(text if call is None else f"{text}\n{call}")
        due = status is not None and status.nudge_pending
        self.standing_check.setChecked(status is not None and status.standing)
        paused = phase is Phase.PAUSED
        self._in_drill = phase is Phase.IN_DRILL
        self.drill_button.setText(self._drill_button_text())
        self.drill_button.setAccessibleDescription(
            _("A drill is under way: bring its window to the front") if self._in_drill else "")
        self.routine_button.setEnabled(not self._in_drill)
        self._snooze_minutes = snooze_minutes
        self.snooze_button.setText(_("S&nooze ({minutes} min)").format(minutes=snooze_minutes))
        self.snooze_button.setVisible(due)
        self.skip_button.setVisible(due)
        for button in self.pause_buttons:
            button.setVisible(not paused)
        self._pause_label.setText(_("Paused:") if paused else _("Pause:"))
        self.resume_button.setVisible(paused)

    def _show_ring(self, status: Status | None) -> None:
        """The streak as the ring's fill; the whole minutes to the next nudge in its middle."""
        if status is None:
            self.ring.set_progress(0.0, "")
            self.ring.set_caption("")
            return
        interval = status.interval_seconds or 1.0
        fraction = min(1.0, status.streak_seconds / interval)
        next_in = status.next_nudge_in_seconds
        if next_in is None:
            self.ring.set_progress(fraction, "–")
            self.ring.set_caption("")
        else:
            minutes = math.ceil(next_in / 60)
            self.ring.set_progress(fraction, QLocale().toString(minutes))
            # Translators: under the minutes to the next nudge, inside a small ring; keep it very short.
            self.ring.set_caption(pgettext("ring caption", "min"))
        self.ring.setAccessibleDescription(status_line(status))

    def retranslate(self) -> None:
        """Put the fixed texts in the language in use (the status line follows the next render)."""
        self.setAccessibleName(_("{app} main window").format(app=APP_NAME))
        self.status_label.setAccessibleName(_("Status"))
        self.standing_check.setText(_("I'm st&anding"))
        self.standing_check.setToolTip(_("At a sit-stand desk: while you stand, the sitting streak waits."))
        for button, text in ((self.drill_button, self._drill_button_text()), (self.skip_button, _("S&kip")),
                             (self.resume_button, _("&Resume")), (self.settings_button, _("Se&ttings…")),
                             (self.history_button, _("&History…")), (self.routine_button, _("R&outine")),
                             (self.quit_button, _("&Quit {app}").format(app=APP_NAME))):
            button.setText(text)
        for button, (label, _request) in zip(self.pause_buttons, PAUSES, strict=True):
            button.setText(_(label))
        self.snooze_button.setText(_("S&nooze ({minutes} min)").format(minutes=self._snooze_minutes))
        self._pause_label.setText(_("Paused:") if self.resume_button.isVisibleTo(self) else _("Pause:"))
        fit_to_contents(self)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Qt's LanguageChange (the language setting changed): retranslate."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        """Escape closes the window (Unsit keeps running)."""
        if event.key() == Qt.Key.Key_Escape:
            self.close()
        else:
            super().keyPressEvent(event)

    def present(self) -> None:
        """Show the window, raised and focused (the user asked for it); centred the first time."""
        if not self.isVisible() and not self._placed:
            self._placed = True
            self.adjustSize()
            screen = QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()
            if screen is not None:
                self.move(screen.availableGeometry().center() - self.rect().center())
        self.show()
        self.raise_()
        self.activateWindow()
