"""Draws the tray icon: a ring that fills as the streak nears the interval.

Every size is painted from vector shapes (no scaled bitmaps), so the icon is crisp at
16 px and on HiDPI panels. Colours are chosen to read on light and dark panels alike:
a mid-grey track, the orange accent, and a thin dark halo around light-on-light parts.

No enum of Qt's ``Qt`` namespace is named here (pen caps, ``NoPen``, ``NoBrush``): the first
use of any of them builds the whole namespace, about 1 MB that the idle tray otherwise never
needs (even ``QPen(colour)`` and ``QBrush(colour)`` build it, through their overloads). So
every part is a filled shape: rings, round-capped arcs and strokes are outlines filled with
``QPainter.fillPath``, in a one-pixel texture brush (see ``solid_brush``).
"""

from __future__ import annotations

import enum
import itertools
import math

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QIcon, QPainter, QPainterPath, QPixmap

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
        disc = ring.adjusted(-width / 2, -width / 2, width / 2, width / 2)
        painter.fillPath(_ellipse(disc), solid_brush(DUE))
        painter.fillPath(_ring(disc, halo), solid_brush(HALO))  # on top, as a pen would be
        _draw_figure(painter, centre, size * 0.62, QColor("white"))
        return
    track = TRACK.toRgb()  # a copy (QColor(QColor) would build the enum namespace through its overloads)
    if look is TrayLook.AWAY:
        track.setAlpha(110)
    painter.fillPath(_ring(ring, width + halo), solid_brush(HALO))
    painter.fillPath(_ring(ring, width), solid_brush(track))
    if look is TrayLook.STANDING:
        painter.fillPath(_ring(ring, width), solid_brush(STANDING))
        _draw_figure(painter, centre, size * 0.5, STANDING, UPRIGHT)
        return
    if look is TrayLook.PAUSED:
        bars = QPainterPath()
        bar_w, bar_h = size * 0.12, size * 0.34
        for dx in (-size * 0.10, size * 0.10):
            bars.addRoundedRect(QRectF(centre.x() + dx - bar_w / 2, centre.y() - bar_h / 2, bar_w, bar_h),
                                bar_w / 3, bar_w / 3)
        painter.fillPath(bars, solid_brush(PAUSED))
        return
    if look is TrayLook.PROGRESS and fraction > 0:
        painter.fillPath(_round_arc(ring, width, quantise(fraction)), solid_brush(ACCENT))
    dot = ACCENT if look is TrayLook.PROGRESS else track
    _draw_figure(painter, centre, size * 0.46, dot)


def _draw_figure(painter: QPainter, centre: QPointF, scale: float, colour: QColor,
                 strokes: tuple[tuple[tuple[int, int], ...], ...] = SWINGING) -> None:
    """A figure inside the ring (by default the app icon's, with one leg swinging out).

    Drawn from a 100-unit sketch centred on ``centre``; ``scale`` is its height in pixels.
    """
    if scale * painter.device().devicePixelRatioF() < 12:  # a figure this small is mush: a dot reads better
        painter.fillPath(disc_path(centre, scale * 0.3), solid_brush(colour))
        return
    unit = scale / 100.0

    def at(x: float, y: float) -> QPointF:
        return QPointF(centre.x() + x * unit, centre.y() + y * unit)

    figure = disc_path(at(-4, -42), 12 * unit)  # the head
    for stroke in strokes:
        figure = figure.united(round_stroke([at(*point) for point in stroke], max(1.0, 13 * unit)))
    painter.fillPath(figure, solid_brush(colour))


def solid_brush(colour: QColor) -> QBrush:
    """A brush of one colour: a one-pixel texture.

    ``QBrush(QColor)`` would build Qt's enum namespace. A one-colour gradient did not, but
    Qt builds each gradient's colour table on a thread pool (two threads for the life of
    the process) and keeps the tables in a cache of its own; a texture brush needs neither.
    The texture is a QPixmap (whose binding the tray loads anyway), not a QImage: the idle
    tray never builds QImage's binding (42 kB of heap). Its premultiplied fill rounds a
    translucent colour's channels by at most 1 of 255 differently from the QImage it replaced.
    """
    texture = QPixmap(1, 1)
    texture.fill(colour)
    brush = QBrush()  # then setTexture: QBrush(pixmap) would build QImage's binding too (an overload takes one)
    brush.setTexture(texture)
    return brush


def _ellipse(rect: QRectF) -> QPainterPath:
    path = QPainterPath()
    path.addEllipse(rect)
    return path


def _ring(ellipse: QRectF, width: float) -> QPainterPath:
    """The outline of ``ellipse`` stroked ``width`` wide (centred on it), as a shape to fill."""
    half = width / 2
    path = _ellipse(ellipse.adjusted(-half, -half, half, half))
    path.addEllipse(ellipse.adjusted(half, half, -half, -half))  # odd-even fill: the middle stays empty
    return path


def disc_path(centre: QPointF, radius: float) -> QPainterPath:
    path = QPainterPath()
    path.addEllipse(centre, radius, radius)
    return path


def round_stroke(points: list[QPointF], width: float) -> QPainterPath:
    """The outline of a polyline stroked ``width`` wide with round caps and round joins."""
    radius = width / 2
    outline = disc_path(points[0], radius)
    for start, end in itertools.pairwise(points):
        dx, dy = end.x() - start.x(), end.y() - start.y()
        length = math.hypot(dx, dy)
        if length == 0:
            continue
        nx, ny = -dy / length * radius, dx / length * radius  # the normal, half a width long
        band = QPainterPath(QPointF(start.x() + nx, start.y() + ny))
        band.lineTo(QPointF(end.x() + nx, end.y() + ny))
        band.lineTo(QPointF(end.x() - nx, end.y() - ny))
        band.lineTo(QPointF(start.x() - nx, start.y() - ny))
        band.closeSubpath()
        outline = outline.united(band).united(disc_path(end, radius))
    return outline


def _round_arc(ring: QRectF, width: float, fraction: float) -> QPainterPath:
    """The ring's arc from 12 o'clock clockwise over ``fraction``, ``width`` wide, with round ends."""
    half = width / 2
    sweep = -360.0 * fraction  # Qt's degrees turn counter-clockwise from 3 o'clock
    outer = ring.adjusted(-half, -half, half, half)
    inner = ring.adjusted(half, half, -half, -half)
    band = QPainterPath()
    band.arcMoveTo(outer, 90.0)
    band.arcTo(outer, 90.0, sweep)
    band.arcTo(inner, 90.0 + sweep, -sweep)
    band.closeSubpath()
    rx, ry = ring.width() / 2, ring.height() / 2
    centre = ring.center()
    ends = [QPointF(centre.x() + rx * math.cos(math.radians(angle)), centre.y() - ry * math.sin(math.radians(angle)))
            for angle in (90.0, 90.0 + sweep)]
    return band.united(disc_path(ends[0], half)).united(disc_path(ends[1], half))


def render_pixmap(size: int, look: TrayLook, fraction: float, device_pixel_ratio: float = 1.0) -> QPixmap:
    """One icon image of ``size`` logical pixels at the given device pixel ratio."""
    pixmap = QPixmap(round(size * device_pixel_ratio), round(size * device_pixel_ratio))
    pixmap.setDevicePixelRatio(device_pixel_ratio)
    pixmap.fill(QColor(0, 0, 0, 0))  # transparent
    painter = QPainter(pixmap)
    paint_icon(painter, size, look, fraction)
    painter.end()
    return pixmap


def make_icon(look: TrayLook, fraction: float, pixel_ratio: float | None = None) -> QIcon:
    """A QIcon with every tray size, so the panel never scales a bitmap.

    The 2x pixmaps (four times the pixels of the 1x ones, about 140 kB a set) are painted
    only when a screen needs them (``pixel_ratio``: the highest device pixel ratio of the
    screens, by default asked of the application). The icon is repainted as the ring moves,
    so a HiDPI screen plugged in later gets them at the next repaint.
    """
    if pixel_ratio is None:
        app = QGuiApplication.instance()
        pixel_ratio = app.devicePixelRatio() if isinstance(app, QGuiApplication) else 2.0
    icon = QIcon()
    for size in ICON_SIZES:
        for ratio in (1.0, 2.0) if pixel_ratio > 1.0 else (1.0,):
            icon.addPixmap(render_pixmap(size, look, fraction, ratio))
    return icon
