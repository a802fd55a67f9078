"""Unsit's own nudge popup: a small card in the bottom-right corner that never steals focus.

Focus and the keyboard:
- Shown, the popup never takes the keyboard from what the user is typing into: it is a
  frameless tool window that stays on top, shown without activation
  (``WA_ShowWithoutActivating``) and marked ``WindowDoesNotAcceptFocus`` (on X11 its WM_HINTS
  say "input: false", so window managers do not focus it either).
- Keyboard use begins with the user's choice: a click anywhere on the card outside the
  buttons lifts ``WindowDoesNotAcceptFocus`` on the native window, activates it and focuses
  "Start drill" (a click on a button simply answers). Then Alt+S (start), Alt+N (snooze), Alt+K (skip), Tab,
  Space/Enter on the focused button, and Escape (hide) work. Every action also sits in the
  tray menu, which keyboard users reach without the popup.
- The next ``show_nudge`` puts the no-focus flag back.
- Not ``X11BypassWindowManagerHint``: an override-redirect window could not be focused by
  the window manager after a click and would float above full-screen apps and lock screens.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from unsit.platform.notify.base import Nudge, action_labels
from unsit.text.i18n import _, ngettext
from unsit.ui.corner_card import CornerCard


def unbreakable_hyphens(text: str) -> str:
    """``text`` with each hyphen inside a word made non-breaking (U+2011): "52-minute" never wraps apart."""
    return re.sub(r"(?<=\w)-(?=\w)", "\u2011", text)


class NudgePopup(CornerCard):
    """The built-in nudge: title, body (the streak) and Start drill / Snooze / Skip buttons."""

    drill_requested = Signal()
    snooze_requested = Signal()
    skip_requested = Signal()
    dismissed = Signal()  # Escape: hidden without choosing

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("nudge_popup", "nudge_title", parent=parent)
        self.setWindowTitle("Unsit")
        self.setAccessibleName(_("Unsit nudge"))
        self._drill = QPushButton()
        self._drill.setObjectName("drill_button")
        self._snooze = QPushButton()
        self._snooze.setObjectName("snooze_button")
        self._skip = QPushButton()
        self._skip.setObjectName("skip_button")
        for button, signal in ((self._drill, self.drill_requested), (self._snooze, self.snooze_requested),
                               (self._skip, self.skip_requested)):
            button.clicked.connect(lambda _=False, signal=signal: self._answer(signal))
        self._drill.setDefault(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self._drill)
        buttons.addStretch(1)
        buttons.addWidget(self._snooze)
        buttons.addWidget(self._skip)
        self._layout.addLayout(buttons)

    @property
    def buttons(self) -> tuple[QPushButton, QPushButton, QPushButton]:
        """(start drill, snooze, skip), for tests and the lead's wiring."""
        return self._drill, self._snooze, self._skip

    def show_nudge(self, nudge: Nudge) -> None:
        """Show (or update) the popup for ``nudge`` without taking focus."""
        drill, _snooze, _skip = action_labels(nudge)
        self._title.setText(nudge.title)
        self._body.setText(unbreakable_hyphens(nudge.body))
        self._drill.setText(_("&Start drill"))  # Alt+S
        self._snooze.setText(_("S&nooze {minutes} min").format(minutes=nudge.snooze_minutes))  # Alt+N
        self._skip.setText(_("S&kip"))  # Alt+K
        self._drill.setAccessibleName(drill)
        self._snooze.setAccessibleName(
            ngettext("Snooze {minutes} minute", "Snooze {minutes} minutes", nudge.snooze_minutes).format(
                minutes=nudge.snooze_minutes))
        self._skip.setAccessibleName(_("Skip this nudge"))
        self._drill.setAccessibleDescription(_("Open the hip drill window now"))
        self._snooze.setAccessibleDescription(
            ngettext("Remind me again in {minutes} minute", "Remind me again in {minutes} minutes",
                     nudge.snooze_minutes).format(minutes=nudge.snooze_minutes))
        self._skip.setAccessibleDescription(_("No more nudges until another full interval of sitting"))
        self.setWindowTitle(_("Unsit — {title}").format(title=nudge.title))
        self.setAccessibleDescription(nudge.body)
        self._show_in_corner()

    def accept_keyboard(self) -> None:
        """Let the popup take focus (the user clicked into it) and focus "Start drill"."""
        self._set_accepts_focus(True)
        self.activateWindow()
        self._drill.setFocus(Qt.FocusReason.MouseFocusReason)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        """A click on the card itself opts into keyboard use."""
        self.accept_keyboard()
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        """Enter presses the focused (or default) button; Escape hides the popup."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focused = self.focusWidget()
            (focused if isinstance(focused, QPushButton) else self._drill).click()
        elif event.key() == Qt.Key.Key_Escape:
            self.hide()
            self.dismissed.emit()
        else:
            super().keyPressEvent(event)

    def _answer(self, signal: SignalInstance) -> None:
        self.hide()
        signal.emit()
