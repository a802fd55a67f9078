"""A built-in card for any reminder kind: title, body and one button per action.

One card per kind, so kinds never hide each other. Like the nudge popup it never takes the
keyboard when it appears (a frameless tool window shown without activation); a click on
the card lets it take focus. Each button sends back its action key through ``answered``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from unsit.ui.corner_card import CornerCard


class ReminderCard(CornerCard):
    """The built-in card of one reminder kind.

    Args:
        kind: the reminder kind's key (object names and the accessible name follow it).
        slot: 0 for the lowest card; higher slots sit above it so cards never cover each other.
    """

    answered = Signal(str)  # the action key

    def __init__(self, kind: str, slot: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(f"reminder_card_{kind}", "reminder_title", slot, parent)
        self.kind = kind
        self._buttons_row = QHBoxLayout()
        self._buttons: list[QPushButton] = []
        self._layout.addLayout(self._buttons_row)

    @property
    def buttons(self) -> tuple[QPushButton, ...]:
        """The action buttons in order (object names ``action_<key>``)."""
        return tuple(self._buttons)

    def show_reminder(self, title: str, body: str, actions: list[tuple[str, str]]) -> None:
        """Show (or update) the card with ``actions`` as (key, label) pairs, first one default."""
        for button in self._buttons:
            self._buttons_row.removeWidget(button)
            button.deleteLater()
        self._buttons = []
        for index, (key, label) in enumerate(actions):
            button = QPushButton(label, self)
            button.setObjectName(f"action_{key}")
            button.setAccessibleName(label.replace("&", ""))
            button.setDefault(index == 0)
            button.clicked.connect(lambda _=False, key=key: self._answer(key))
            self._buttons.append(button)
            self._buttons_row.addWidget(button)
        self._title.setText(title)
        self._body.setText(body)
        self.setWindowTitle(f"Unsit — {title}")
        self.setAccessibleName(title)
        self.setAccessibleDescription(body)
        self._show_in_corner()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        """A click on the card itself lets it take the keyboard."""
        self._set_accepts_focus(True)
        self.activateWindow()
        if self._buttons:
            self._buttons[0].setFocus(Qt.FocusReason.MouseFocusReason)
        super().mousePressEvent(event)

    def _answer(self, key: str) -> None:
        self.hide()
        self.answered.emit(key)
