"""A built-in card for any reminder kind: title, body and one button per action.

One card per kind, so kinds never hide each other. Like the nudge popup it never takes the
keyboard when it appears (a frameless tool window shown without activation); a click on
the card lets it take focus. Each button sends back its action key through ``answered``.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QGuiApplication, QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

MARGIN_PIXELS = 16
WIDTH_PIXELS = 360
STACK_OFFSET_PIXELS = 12


class ReminderCard(QWidget):
    """The built-in card of one reminder kind.

    Args:
        kind: the reminder kind's key (object names and the accessible name follow it).
        slot: 0 for the lowest card; higher slots sit above it so cards never cover each other.
    """

    answered = Signal(str)  # the action key

    def __init__(self, kind: str, slot: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self._slot = slot
        self.setWindowFlags(Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint
                            | Qt.WindowType.WindowStaysOnTopHint | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setObjectName(f"reminder_card_{kind}")
        self.setFixedWidth(WIDTH_PIXELS)
        self.setStyleSheet(f"#reminder_card_{kind} {{ border: 1px solid palette(mid); }}"
                           " #reminder_title { font-weight: bold; font-size: 12pt; }")
        self._title = QLabel()
        self._title.setObjectName("reminder_title")
        self._body = QLabel(wordWrap=True)
        self._body.setObjectName("reminder_body")
        self._buttons_row = QHBoxLayout()
        self._buttons: list[QPushButton] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.addWidget(self._title)
        layout.addWidget(self._body)
        layout.addLayout(self._buttons_row)

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
        self.winId()
        self.windowHandle().setFlag(Qt.WindowType.WindowDoesNotAcceptFocus, True)
        height = self.heightForWidth(WIDTH_PIXELS)
        self.setFixedHeight(height if height > 0 else self.sizeHint().height())
        self.move(self._corner_position())
        self.show()
        self.raise_()

    def withdraw(self) -> None:
        """Hide the card without emitting anything."""
        self.hide()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        """A click on the card itself lets it take the keyboard."""
        self.windowHandle().setFlag(Qt.WindowType.WindowDoesNotAcceptFocus, False)
        self.activateWindow()
        if self._buttons:
            self._buttons[0].setFocus(Qt.FocusReason.MouseFocusReason)
        super().mousePressEvent(event)

    def _answer(self, key: str) -> None:
        self.hide()
        self.answered.emit(key)

    def _corner_position(self) -> QPoint:
        area = QGuiApplication.primaryScreen().availableGeometry()
        lift = self._slot * (self.height() + STACK_OFFSET_PIXELS)
        return QPoint(area.right() - WIDTH_PIXELS - MARGIN_PIXELS + 1,
                      area.bottom() - self.height() - MARGIN_PIXELS + 1 - lift)
