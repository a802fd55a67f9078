"""A round countdown: a ring that fills as the step goes by, with m:ss in the middle."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QWidget

from unsit.text.i18n import _

ACCENT = "#E8743B"


class ProgressRing(QWidget):
    """Shows ``fraction`` (0..1) of a phase done and the time left as text."""

    def __init__(self, side_px: int = 112, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("progress_ring")
        self.setAccessibleName(_("Time left in this step"))
        self.setFixedSize(side_px, side_px)
        self._fraction = 0.0
        self._text = ""
        self._accent = QColor(ACCENT)

    @property
    def fraction(self) -> float:
        return self._fraction

    @property
    def text(self) -> str:
        return self._text

    def set_progress(self, fraction: float, text: str) -> None:
        """Update the ring; repaints only when something visible changed."""
        fraction = round(max(0.0, min(1.0, fraction)), 3)
        if fraction != self._fraction or text != self._text:
            if text != self._text:
                self.setAccessibleDescription(text)
            self._fraction, self._text = fraction, text
            self.update()

    def set_accent(self, colour: QColor) -> None:
        self._accent = QColor(colour)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.size()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen_px = max(4.0, self.width() / 14)
        rect = QRectF(self.rect()).adjusted(pen_px / 2 + 1, pen_px / 2 + 1, -pen_px / 2 - 1, -pen_px / 2 - 1)
        # The track is text at 15 % over the window colour, mixed here: a translucent pen would wake
        # Qt's pooled blending threads on every repaint (see figure_view._mix).
        text, window = (self.palette().color(role) for role in (QPalette.ColorRole.WindowText,
                                                                 QPalette.ColorRole.Window))
        track = QColor.fromRgbF(*(0.15 * t + 0.85 * w for t, w in zip(
            (text.redF(), text.greenF(), text.blueF()), (window.redF(), window.greenF(), window.blueF()), strict=True)))
        painter.setPen(QPen(track, pen_px))
        painter.drawEllipse(rect)
        if self._fraction > 0:
            pen = QPen(self._accent, pen_px)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.drawArc(rect, 90 * 16, -round(self._fraction * 360 * 16))
        font = QFont(self.font())
        font.setPixelSize(max(12, round(self.width() * 0.24)))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._text)
        painter.end()
