"""A round countdown: a ring that fills as the step goes by, with m:ss in the middle."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QWidget

from unsit.text.i18n import _

ACCENT = "#E8743B"
ACCENT_TEXT_ON_LIGHT = "#A84A17"
"""The accent deepened for text on a light window: 5:1 on #efefef (ACCENT itself is 2.6:1, below WCAG AA)."""


def accent_text(window: QColor) -> QColor:
    """The accent colour for text on ``window``: ACCENT on dark (4.7:1 on #2a2b2e), deeper on light."""
    return QColor(ACCENT_TEXT_ON_LIGHT if window.lightness() >= 128 else ACCENT)


class ProgressRing(QWidget):
    """Shows ``fraction`` (0..1) of a phase done and the time left as text."""

    def __init__(self, side_px: int = 112, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("progress_ring")
        self.setAccessibleName(_("Time left in this step"))
        self.setFixedSize(side_px, side_px)
        self._fraction = 0.0
        self._text = ""
        self._caption = ""
        self._done = False
        self._accent = QColor(ACCENT)

    @property
    def fraction(self) -> float:
        return self._fraction

    @property
    def text(self) -> str:
        return self._text

    @property
    def done(self) -> bool:
        """True while the ring shows the done mark instead of a time."""
        return self._done

    def set_done(self) -> None:
        """A full ring with a check mark in the middle: the drill is over (no "0:00")."""
        if not self._done:
            self._done, self._fraction, self._text = True, 1.0, ""
            self.setAccessibleDescription(_("Done"))
            self.update()

    def set_progress(self, fraction: float, text: str) -> None:
        """Update the ring; repaints only when something visible changed."""
        fraction = round(max(0.0, min(1.0, fraction)), 3)
        if self._done:
            self._done = False
            self.update()
        if fraction != self._fraction or text != self._text:
            if text != self._text:
                self.setAccessibleDescription(text)
            self._fraction, self._text = fraction, text
            self.update()

    def set_caption(self, caption: str) -> None:
        """A small line under the text (the main window's "min"); empty for none."""
        if caption != self._caption:
            self._caption = caption
            self.update()

    @property
    def caption(self) -> str:
        return self._caption

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
        if self._done:
            self._paint_check(painter, rect)
            painter.end()
            return
        font = QFont(self.font())
        font.setPixelSize(max(12, round(self.width() * 0.24)))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        if not self._caption:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._text)
            painter.end()
            return
        text_height = painter.fontMetrics().height()
        small = QFont(self.font())
        small.setPixelSize(max(10, round(self.width() * 0.11)))
        caption_height = round(text_height * 0.55)
        top = (self.height() - text_height - caption_height) / 2
        painter.drawText(QRectF(0, top, self.width(), text_height), Qt.AlignmentFlag.AlignCenter, self._text)
        painter.setFont(small)
        painter.drawText(QRectF(0, top + text_height, self.width(), caption_height),
                         Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, self._caption)
        painter.end()

    def _paint_check(self, painter: QPainter, rect: QRectF) -> None:
        """A check mark across the ring's middle, in the accent colour."""
        size = rect.width()
        path = QPainterPath(QPointF(rect.left() + size * 0.28, rect.top() + size * 0.52))
        path.lineTo(QPointF(rect.left() + size * 0.44, rect.top() + size * 0.67))
        path.lineTo(QPointF(rect.left() + size * 0.73, rect.top() + size * 0.35))
        pen = QPen(self._accent, max(4.0, self.width() / 11))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.drawPath(path)
