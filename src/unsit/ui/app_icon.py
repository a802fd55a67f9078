"""The application's window icon, painted from the shapes of assets/icons/unsit.svg.

Why not ``QIcon("unsit.svg")``: that loads Qt's SVG icon engine and the QtSvg library into
the tray process for good, 1.6 MB of resident memory beside the tray icon (measured with
``VmRSS`` on an offscreen QApplication that had drawn a tray icon: +1580 kB for the SVG, +60 kB
for these pixmaps). The icon is a rounded square, an arc and a stick figure, drawn with the
tray icon's round pen (ui/tray_art.py). Keep the two in step: the SVG is what installers and
the desktop file use.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPainterPath, QPixmap

from unsit.ui.tray_art import ACCENT, round_pen

SIZES = (16, 24, 32, 48, 64, 128)
STROKES = (((60, 46), (60, 74)), ((38, 32), (60, 50), (82, 32)), ((50, 108), (60, 74), (92, 86)))
"""The figure's lines in the SVG's 128-unit box: the body, the raised arms, the legs."""
ARC_CENTRE, ARC_RADIUS, ARC_DEGREES = (61.0, 74.0), 40.0, (-77.0, -30.0)
"""The swinging leg's path: a circle's arc from about (69, 114) to (101, 92), as in the SVG."""


def _polyline(points: list[QPointF]) -> QPainterPath:
    path = QPainterPath(points[0])
    for point in points[1:]:
        path.lineTo(point)
    return path


def paint_app_icon(painter: QPainter, size: float) -> None:
    """Draw the icon into a ``size`` x ``size`` square at the painter's origin."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    unit = size / 128

    def at(x: float, y: float) -> QPointF:
        return QPointF(x * unit, y * unit)

    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(ACCENT))
    painter.drawRoundedRect(QRectF(4 * unit, 4 * unit, 120 * unit, 120 * unit), 28 * unit, 28 * unit)
    (cx, cy), (start, end) = ARC_CENTRE, ARC_DEGREES
    arc = [at(cx + ARC_RADIUS * math.cos(math.radians(start + (end - start) * i / 12)),
              cy - ARC_RADIUS * math.sin(math.radians(start + (end - start) * i / 12))) for i in range(13)]
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(round_pen(QColor(255, 255, 255, 140), 7 * unit))
    painter.drawPath(_polyline(arc))
    white = QColor(255, 255, 255)
    painter.setPen(round_pen(white, 12 * unit))
    for stroke in STROKES:
        painter.drawPath(_polyline([at(*point) for point in stroke]))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(white))
    painter.drawEllipse(at(60, 24), 11 * unit, 11 * unit)


def app_icon() -> QIcon:
    """Unsit's icon at the sizes window managers ask for."""
    icon = QIcon()
    for size in SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(QColor(0, 0, 0, 0))
        painter = QPainter(pixmap)
        paint_app_icon(painter, size)
        painter.end()
        icon.addPixmap(pixmap)
    return icon
