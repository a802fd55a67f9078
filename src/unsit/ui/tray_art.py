"""Draws the tray icon: a ring that fills as the streak nears the interval.

Every size is painted from vector shapes (no scaled bitmaps), so the icon is crisp at
16 px and on HiDPI panels. Colours are chosen to read on light and dark panels alike:
a mid-grey track, the orange accent, and a thin dark halo around light-on-light parts.
"""

from __future__ import annotations

import enum
import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

ACCENT = QColor("#E8743B")
DUE = QColor("#D9480F")
TRACK = QColor(138, 143, 152, 200)
HALO = QColor(0, 0, 0, 90)
PAUSED = QColor("#8A8F98")
STANDING = QColor("#2F9E77")  # a calm green: standing is fine, for a while
ICON_SIZES = (16, 22, 24, 32, 48, 64)
PROGRESS_STEPS = 48  # the ring moves in 48 visible steps; fewer repaints


class TrayLook(enum.Enum):
    """What the icon shows."""

    PROGRESS = "progress"   # sitting: ring filled to the fraction of the interval
    DUE = "due"             # a nudge is due: solid accent disc
    PAUSED = "paused"       # paused or outside work hours: grey pause bars
    AWAY = "away"           # away from the desk: empty, faint ring
    STANDING = "standing"   # standing at a sit-stand desk: a green ring around an upright figure


SWINGING = (((-4, -22), (-4, 8)),                      # body
            ((-26, -38), (-4, -18), (18, -38)),         # arms raised
            ((-14, 46), (-4, 8), (30, 22)))             # one leg down, one swinging out
"""The app icon's figure: standing up with one leg swinging out (a 100-unit sketch)."""

UPRIGHT = (((-4, -22), (-4, 10)),                      # body
           ((-20, 8), (-4, -18), (12, 8)),             # arms down at the sides
           ((-14, 46), (-4, 10), (6, 46)))             # both legs straight
"""Standing still at the desk."""


def quantise(fraction: float) -> float:
    """Round the fill to a visible step so the icon is redrawn only when it changes."""
    fraction = min(1.0, max(0.0, fraction))
    return math.floor(fraction * PROGRESS_STEPS) / PROGRESS_STEPS


def paint_icon(painter: QPainter, size: float, look: TrayLook, fraction: float) -> None:
    """Paint the icon into a square of ``size`` logical pixels."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    width = max(2.0, size * 0.16)
    inset = width / 2 + max(0.5, size * 0.04)
    ring = QRectF(inset, inset, size - 2 * inset, size - 2 * inset)
    centre = ring.center()
    halo = max(1.0, size / 24)
    if look is TrayLook.DUE:
        painter.setPen(QPen(HALO, halo))
        painter.setBrush(QBrush(DUE))
        painter.drawEllipse(ring.adjusted(-width / 2, -width / 2, width / 2, width / 2))
        _draw_figure(painter, centre, size * 0.62, QColor("white"))
        return
    track = QColor(TRACK)
    if look is TrayLook.AWAY:
        track.setAlpha(110)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(round_pen(HALO, width + halo))
    painter.drawEllipse(ring)
    painter.setPen(round_pen(STANDING if look is TrayLook.STANDING else track, width))
    painter.drawEllipse(ring)
    if look is TrayLook.STANDING:
        _draw_figure(painter, centre, size * 0.5, STANDING, UPRIGHT)
        return
    if look is TrayLook.PAUSED:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(PAUSED))
        bar_w, bar_h = size * 0.12, size * 0.34
        for dx in (-size * 0.10, size * 0.10):
            painter.drawRoundedRect(QRectF(centre.x() + dx - bar_w / 2, centre.y() - bar_h / 2, bar_w, bar_h),
                                    bar_w / 3, bar_w / 3)
        return
    if look is TrayLook.PROGRESS and fraction > 0:
        painter.setPen(round_pen(ACCENT, width))
        # Qt angles are in 1/16 degree, counter-clockwise from 3 o'clock: start at 12, go clockwise.
        painter.drawArc(ring, 90 * 16, -round(360 * 16 * quantise(fraction)))
    _draw_figure(painter, centre, size * 0.46, ACCENT if look is TrayLook.PROGRESS else track)


def round_pen(colour: QColor, width: float) -> QPen:
    """A pen with round caps and joins (the ring, the arc, the figure's strokes)."""
    return QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)


def _draw_figure(painter: QPainter, centre: QPointF, scale: float, colour: QColor,
                 strokes: tuple[tuple[tuple[int, int], ...], ...] = SWINGING) -> None:
    """A figure inside the ring (by default the app icon's, with one leg swinging out).

    Drawn from a 100-unit sketch centred on ``centre``; ``scale`` is its height in pixels.
    """
    if scale * painter.device().devicePixelRatioF() < 12:  # a figure this small is mush: a dot reads better
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(colour))
        painter.drawEllipse(centre, scale * 0.3, scale * 0.3)
        return
    unit = scale / 100.0

    def at(x: float, y: float) -> QPointF:
        return QPointF(centre.x() + x * unit, centre.y() + y * unit)

    painter.setPen(round_pen(colour, max(1.0, 13 * unit)))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for stroke in strokes:
        path = QPainterPath(at(*stroke[0]))
        for point in stroke[1:]:
            path.lineTo(at(*point))
        painter.drawPath(path)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(colour))
    painter.drawEllipse(at(-4, -42), 12 * unit, 12 * unit)


def render_pixmap(size: int, look: TrayLook, fraction: float, device_pixel_ratio: float = 1.0) -> QPixmap:
    """One icon image of ``size`` logical pixels at the given device pixel ratio."""
    pixmap = QPixmap(round(size * device_pixel_ratio), round(size * device_pixel_ratio))
    pixmap.setDevicePixelRatio(device_pixel_ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    paint_icon(painter, size, look, fraction)
    painter.end()
    return pixmap


def make_icon(look: TrayLook, fraction: float) -> QIcon:
    """A QIcon with every tray size at 1x and 2x, so the panel never scales a bitmap."""
    icon = QIcon()
    for size in ICON_SIZES:
        for ratio in (1.0, 2.0):
            icon.addPixmap(render_pixmap(size, look, fraction, ratio))
    return icon
