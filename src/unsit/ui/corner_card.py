"""The frameless card in the bottom-right corner that the nudge popup and reminder cards share.

It never takes the keyboard when it appears: a tool window that stays on top, shown without
activation and marked ``WindowDoesNotAcceptFocus`` (on X11, WM_HINTS "input: false"), so
window managers do not focus it either. A subclass lifts that flag when the user clicks
into it (``_set_accepts_focus``), and puts it back at the next show.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

MARGIN_PIXELS = 16
WIDTH_PIXELS = 360
STACK_OFFSET_PIXELS = 12


class CornerCard(QWidget):
    """A title, a body and whatever the subclass adds below them, in the screen's corner.

    Args:
        name: the card's object name (its style sheet and tests use it).
        title_name: the title label's object name.
        slot: 0 for the lowest card; higher slots sit above it, so cards never cover each other.
    """

    def __init__(self, name: str, title_name: str, slot: int = 0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._slot = slot
        self.setWindowFlags(Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint
                            | Qt.WindowType.WindowStaysOnTopHint | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)  # draws the border below
        self.setObjectName(name)
        self.setFixedWidth(WIDTH_PIXELS)
        self.setStyleSheet(f"#{name} {{ border: 1px solid palette(mid); }}"
                           f" #{title_name} {{ font-weight: bold; font-size: 12pt; }}")
        self._title = QLabel()
        self._title.setObjectName(title_name)
        self._body = QLabel(wordWrap=True)
        self._body.setObjectName(title_name.replace("title", "body"))
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(14, 12, 14, 12)
        self._layout.addWidget(self._title)
        self._layout.addWidget(self._body)

    def withdraw(self) -> None:
        """Hide the card without emitting anything."""
        self.hide()

    def _show_in_corner(self) -> None:
        """Show without taking focus, sized to its text, in the corner of the screen in use."""
        self._set_accepts_focus(False)
        # Width and height fixed (min = max): tiling window managers float it (as its Tool type asks).
        # Wider than usual only when a language's buttons need it (German's "Schlummern 10 Min.").
        self.setMinimumWidth(0)
        self.setMaximumWidth(16777215)
        width = max(WIDTH_PIXELS, self._layout.minimumSize().width())
        self.setFixedWidth(width)
        height = self.heightForWidth(width)
        self.setFixedHeight(height if height > 0 else self.sizeHint().height())
        self.move(self._corner_position())
        self.show()
        self.raise_()

    def _set_accepts_focus(self, accepts: bool) -> None:
        # Only the native window's flag changes: QWidget.setWindowFlag would re-create (and
        # hide) the window. Qt's xcb backend rewrites WM_HINTS "input" in place.
        self.winId()  # make sure the native window exists
        self.windowHandle().setFlag(Qt.WindowType.WindowDoesNotAcceptFocus, not accepts)

    def _corner_position(self) -> QPoint:
        screen = QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        lift = self._slot * (self.height() + STACK_OFFSET_PIXELS)
        return QPoint(area.right() - self.width() - MARGIN_PIXELS + 1,
                      area.bottom() - self.height() - MARGIN_PIXELS + 1 - lift)
