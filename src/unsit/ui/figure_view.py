"""Draws the drill figure from its pose with QPainter, and animates it only while it moves.

The figure is solved by ``core.pose.solve`` and projected in the view its step asks for
(side, three-quarter or front: a hip turning in and out shows only from the front), so a
rep is a leg that moves, not a crossfade. The working leg is accented; for the
right side the whole picture is mirrored. Colours follow the palette (light and dark),
and painting is vector work at the device pixel ratio, so it is sharp at 2x.
``export_svg`` writes any pose as an SVG file for docs and screenshots.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer, Slot
from PySide6.QtGui import (
    QBrush,
    QColor,
    QHideEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QSizePolicy, QWidget

from unsit.core.drills import Step
from unsit.core.motion import Frame
from unsit.core.pose import (
    CHAIR_HALF_CM,
    CHAIR_SEAT_CM,
    CHAIR_X_CM,
    HEAD_RADIUS_CM,
    PELVIS_CM,
    WALL_BEYOND_DESK_CM,
    Arm,
    Body,
    Hands,
    Leg,
    Pose,
    Prop,
    Vec,
    View,
    desk_box,
    project,
    solve,
)
from unsit.text.i18n import _

ACCENT = "#E8743B"
FRAME_MS = 33
"""The animation timer's interval while the figure moves: 30 frames a second. A move lasts 2 s or
more and a leg travels at most about 60 px in it, so a frame moves it 1-2 px: smooth to the eye,
at half the paints (and half the CPU) of the display's 60 Hz."""
VIEW_BOX = QRectF(-84.0, -18.0, 194.0, 232.0)
"""The projected world area (cm, y up) every pose is drawn into: fixed, so nothing jumps."""
LIMB_CM = 8.0
TRUNK_CM = 20.0


@dataclass(frozen=True)
class Scene:
    """Everything one picture shows."""

    pose: Pose
    hands: Hands = Hands.FREE
    props: tuple[Prop, ...] = ()
    desk_x_cm: float = 0.0
    side: str = "left"  # "left", "right" or "both"
    view: View = View.THREE_QUARTER
    planted: str = ""  # the foot that stays put through the step (core.pose.planted_foot)

    @classmethod
    def for_step(cls, step: Step, pose: Pose) -> Scene:
        """``pose`` drawn the way ``step`` shows it: its hands, furniture, side, view and planted foot."""
        return cls(pose, step.hands, step.props, step.desk_x_cm, step.side, step.view, step.planted)


@dataclass(frozen=True)
class Colours:
    """The figure's colours for one palette."""

    ink: QColor
    far: QColor
    accent: QColor
    far_accent: QColor
    prop: QColor
    trunk: QColor
    background: QColor

    @classmethod
    def from_palette(cls, palette: QPalette) -> Colours:
        ink = palette.color(QPalette.ColorRole.WindowText)
        background = palette.color(QPalette.ColorRole.Window)
        return cls.for_colours(ink, background)

    @classmethod
    def for_colours(cls, ink: QColor, background: QColor) -> Colours:
        accent = QColor(ACCENT)
        return cls(ink=QColor(ink), far=_mix(ink, background, 0.45), accent=accent,
                   far_accent=_mix(accent, background, 0.4), prop=_mix(ink, background, 0.6),
                   trunk=_mix(ink, background, 0.72), background=QColor(background))


def _mix(a: QColor, b: QColor, share_b: float) -> QColor:
    """``a`` seen through ``b``: an opaque colour. A translucent fill of more than about 96 scan
    lines makes Qt's raster engine hand the blending to two pooled threads ("Thread (pooled)"),
    woken on every such fill; opaque colours are drawn on the GUI thread alone."""
    return QColor.fromRgbF(*(x * (1 - share_b) + y * share_b for x, y in
                             zip((a.redF(), a.greenF(), a.blueF()), (b.redF(), b.greenF(), b.blueF()), strict=True)))


class _Mapper:
    """World (cm) -> widget coordinates, through the step's view."""

    def __init__(self, target: QRectF, mirrored: bool, view: View = View.THREE_QUARTER):
        self.scale = min(target.width() / VIEW_BOX.width(), target.height() / VIEW_BOX.height())
        self.cx = target.center().x()
        self.cy = target.center().y()
        self.mirrored = mirrored
        self.view = view

    def __call__(self, point: Vec) -> QPointF:
        sx, sy, _ = project(point, self.view)
        sx -= VIEW_BOX.center().x()
        sy -= VIEW_BOX.center().y()
        if self.mirrored:
            sx = -sx
        return QPointF(self.cx + sx * self.scale, self.cy - sy * self.scale)

    def level_y(self, point: Vec) -> float:
        """The widget y of ``point``: a floor drawn through it stays level whatever the view."""
        return self(point).y()


def paint_scene(painter: QPainter, target: QRectF, scene: Scene, colours: Colours, *, backdrop: bool = True) -> None:
    """Draw ``scene`` into ``target`` (a square works best); ``backdrop=False`` leaves out the floor
    and props (``paint_backdrop``: the view paints them once and keeps them)."""
    body = solve(scene.pose, scene.hands, scene.desk_x_cm, scene.planted)
    to = _Mapper(target, scene.side == "right", scene.view)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if backdrop:
        _paint_floor_and_props(painter, to, scene, colours)
    both = scene.side == "both"
    width = LIMB_CM * to.scale
    _paint_arm(painter, to, body.far_arm, colours.far, width * 0.85)
    _paint_leg(painter, to, body.support_leg, colours.far_accent if both else colours.far, width * 0.9)
    _paint_trunk(painter, to, body, colours, width)
    _paint_leg(painter, to, body.work_leg, colours.accent, width)
    _paint_arm(painter, to, body.near_arm, colours.ink, width * 0.9)
    _paint_pelvis(painter, to, body, colours, width)  # on top: a tuck or a tilt is always seen
    painter.restore()


def paint_backdrop(painter: QPainter, target: QRectF, scene: Scene, colours: Colours) -> None:
    """Draw what stays still under ``scene``'s figure: the floor and the props."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _paint_floor_and_props(painter, _Mapper(target, scene.side == "right", scene.view), scene, colours)
    painter.restore()


def _pen(colour: QColor, width: float) -> QPen:
    pen = QPen(colour, max(1.0, width))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def _polyline(painter: QPainter, points: list[QPointF], colour: QColor, width: float) -> None:
    painter.setPen(_pen(colour, width))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPolyline(QPolygonF(points))


def _paint_leg(painter: QPainter, to: _Mapper, leg: Leg, colour: QColor, width: float) -> None:
    _polyline(painter, [to(leg.hip), to(leg.knee), to(leg.ankle)], colour, width)
    _polyline(painter, [to(leg.ankle), to(leg.heel), to(leg.toe)], colour, width * 0.7)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour.darker(115))
    painter.drawEllipse(to(leg.knee), width * 0.42, width * 0.42)


def _paint_arm(painter: QPainter, to: _Mapper, arm: Arm, colour: QColor, width: float) -> None:
    _polyline(painter, [to(arm.shoulder), to(arm.elbow), to(arm.hand)], colour, width)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(to(arm.hand), width * 0.75, width * 0.75)


def _paint_trunk(painter: QPainter, to: _Mapper, body: Body, colours: Colours, limb: float) -> None:
    back, top, neck = to(body.pelvis_back), to(body.lumbar_top), to(body.neck_base)
    trunk = colours.trunk
    spine = QPainterPath(back)
    spine.quadTo(top, neck)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(_pen(trunk, TRUNK_CM * to.scale))
    painter.drawPath(spine)
    painter.setPen(_pen(colours.ink, limb * 0.55))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(spine)  # the spine line: straight when neutral, curved when not
    _polyline(painter, [neck, to(body.head)], colours.ink, limb * 0.8)
    _paint_head(painter, to, body, colours)


def _paint_pelvis(painter: QPainter, to: _Mapper, body: Body, colours: Colours, limb: float) -> None:
    """A rounded pelvis with a belt line across its top: the line tips as the pelvis tilts.

    The belt runs from the sacrum to past the hip bones, longer than the pelvis, so a few
    degrees of tilt (an arch flattened to level) are seen; no point, so it never reads as an arrow.
    """
    back, front = to(body.pelvis_back), to(body.pelvis_front)
    hips = to(_mid(body.work_leg.hip, body.support_leg.hip))
    low = to(body.pelvis_low)
    centre = QPointF((back.x() + front.x() + hips.x() + low.x()) / 4, (back.y() + front.y() + hips.y() + low.y()) / 4)
    # seen from the side the belt runs back to front (a tilt forward or back); seen from the
    # front it runs hip to hip (the pelvis held level side to side)
    start, end = back, front
    if to.view is View.FRONT:
        start, end = to(body.support_leg.hip), to(body.work_leg.hip)
        if end.x() < start.x():
            start, end = end, start
    angle = math.degrees(math.atan2(end.y() - start.y(), end.x() - start.x()))
    width = max(math.hypot(end.x() - start.x(), end.y() - start.y()) * 1.3, PELVIS_CM * 1.2 * to.scale)
    height = PELVIS_CM * 1.7 * to.scale
    painter.save()
    painter.translate(centre)
    painter.rotate(angle)
    painter.setPen(_pen(colours.background, limb * 0.4))
    painter.setBrush(QBrush(colours.ink))
    painter.drawRoundedRect(QRectF(-width / 2, -height / 2, width, height), height * 0.45, height * 0.45)
    belt = max(width * 0.95, PELVIS_CM * 1.6 * to.scale)  # well beyond the pelvis at both ends
    painter.setPen(_pen(colours.background, limb * 0.75))
    painter.drawLine(QPointF(-belt, -height * 0.3), QPointF(belt, -height * 0.3))
    painter.setPen(_pen(colours.accent, limb * 0.45))
    painter.drawLine(QPointF(-belt, -height * 0.3), QPointF(belt, -height * 0.3))
    painter.restore()


def _paint_head(painter: QPainter, to: _Mapper, body: Body, colours: Colours) -> None:
    centre = to(body.head)
    radius = HEAD_RADIUS_CM * to.scale
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colours.ink)
    painter.drawEllipse(centre, radius, radius)
    face = body.face
    nose_base = to(tuple(h + f * HEAD_RADIUS_CM * 0.85 for h, f in zip(body.head, face, strict=True)))  # type: ignore[arg-type]
    nose_tip = to(tuple(h + f * HEAD_RADIUS_CM * 1.35 for h, f in zip(body.head, face, strict=True)))  # type: ignore[arg-type]
    painter.setPen(_pen(colours.ink, radius * 0.42))
    painter.drawLine(nose_base, nose_tip)
    eye = to(tuple(h + f * HEAD_RADIUS_CM * 0.5 + u for h, f, u in zip(body.head, face, (0.0, 3.0, 4.0), strict=True)))  # type: ignore[arg-type]
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colours.background)
    painter.drawEllipse(eye, radius * 0.16, radius * 0.16)


def _mid(a: Vec, b: Vec) -> Vec:
    return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2)


def _paint_floor_and_props(painter: QPainter, to: _Mapper, scene: Scene, colours: Colours) -> None:
    floor_y = to.level_y((0.0, 0.0, 0.0))
    painter.setPen(_pen(colours.prop, max(1.0, 1.6 * to.scale)))
    left, right = to.cx - VIEW_BOX.width() * to.scale * 0.45, to.cx + VIEW_BOX.width() * to.scale * 0.45
    painter.drawLine(QPointF(left, floor_y), QPointF(right, floor_y))  # level in every view
    x = scene.desk_x_cm
    pen = _pen(colours.prop, max(1.0, 2.2 * to.scale))
    fill = _mix(colours.prop, colours.background, 0.82)  # opaque: see _mix
    painter.setPen(pen)
    painter.setBrush(fill)
    if Prop.WALL in scene.props:
        wall = x + WALL_BEYOND_DESK_CM
        painter.drawPolygon(QPolygonF([to((wall, 0.0, -45.0)), to((wall, 175.0, -45.0)),
                                       to((wall, 175.0, 45.0)), to((wall, 0.0, 45.0))]))
    if Prop.DESK in scene.props:
        _paint_box_top(painter, to, desk_box(scene.hands, x).low, desk_box(scene.hands, x).high)
    if Prop.CHAIR in scene.props:
        seat, cx, half = CHAIR_SEAT_CM, CHAIR_X_CM, CHAIR_HALF_CM
        painter.drawPolygon(QPolygonF([to((cx - half, seat, -half)), to((cx + half, seat, -half)),
                                       to((cx + half, seat, half)), to((cx - half, seat, half))]))
        painter.drawLine(to((cx - half, seat, 0.0)), to((cx - half - 2, seat + 45, 0.0)))
        painter.drawLine(to((cx, seat, 0.0)), to((cx, 0.0, 0.0)))


def _paint_box_top(painter: QPainter, to: _Mapper, low: Vec, high: Vec) -> None:
    """A desk: its top as a slab seen from above, and two legs down to the floor."""
    (x0, _bottom, z0), (x1, top, z1) = low, high
    painter.drawPolygon(QPolygonF([to((x0, top, z0)), to((x1, top, z0)), to((x1, top, z1)), to((x0, top, z1))]))
    for leg_x, leg_z in ((x0 + 4, z1 - 4), (x0 + 4, z0 + 4), (x1 - 4, z1 - 4)):
        painter.drawLine(to((leg_x, top, leg_z)), to((leg_x, 0.0, leg_z)))


def export_svg(path: Path, scene: Scene, size_px: int = 240, *, ink: str = "#2B2F36",
               background: str = "#FFFFFF") -> None:
    """Write ``scene`` as an SVG picture of ``size_px`` square."""
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(size_px, size_px))
    generator.setViewBox(QRectF(0, 0, size_px, size_px))
    generator.setTitle("Unsit drill pose")
    painter = QPainter(generator)
    painter.fillRect(QRectF(0, 0, size_px, size_px), QColor(background))
    paint_scene(painter, QRectF(0, 0, size_px, size_px), scene, Colours.for_colours(QColor(ink), QColor(background)))
    painter.end()


class FigureView(QWidget):
    """A square view of the drill figure.

    ``show_scene`` repaints only when the picture changes; ``follow`` runs a frame timer
    that pulls frames from a source until the figure stops moving. ``paint_count``
    counts paint events (tests check that a held pose costs none).
    """

    def __init__(self, side_px: int = 240, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("figure_view")
        self.setAccessibleName(_("Drill illustration"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._side_px = side_px
        self._scene: Scene | None = None
        self._source: Callable[[], Frame] | None = None
        self._template: Scene | None = None
        self._timer = QTimer(self)
        self._timer.setObjectName("figure_frame")
        self._timer.setInterval(FRAME_MS)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._next_frame)
        self.paint_count = 0
        self._palette_colours: tuple[int, Colours] | None = None
        self._backdrop_cache: tuple[tuple[object, ...], QPixmap] | None = None
        # Every pixel is painted here (from the backdrop), so the window need not paint under it.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self._side_px, self._side_px)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self._side_px // 2, self._side_px // 2)

    @property
    def scene(self) -> Scene | None:
        return self._scene

    @property
    def animating(self) -> bool:
        """True while the frame timer runs."""
        return self._timer.isActive()

    def show_scene(self, scene: Scene) -> None:
        """Show ``scene``; no repaint when it is what is shown already, and only its square."""
        if scene != self._scene:
            self._scene = scene
            self.update(self._square().toAlignedRect())

    def follow(self, source: Callable[[], Frame], template: Scene) -> None:
        """Animate: every frame, show ``source()``'s pose in ``template``, until it stops moving."""
        self._source = source
        self._template = template
        if not self._timer.isActive():
            self._timer.start()

    def stop(self) -> None:
        """Stop animating (the last pose stays)."""
        self._timer.stop()
        self._source = None

    @Slot()
    def _next_frame(self) -> None:
        if self._source is None or self._template is None:
            self._timer.stop()
            return
        frame = self._source()
        self.show_scene(replace(self._template, pose=frame.pose))
        if not frame.moving:
            self.stop()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        self.stop()
        super().hideEvent(event)

    def _square(self) -> QRectF:
        """The centred square the scene is drawn into (the rest of the view stays blank)."""
        side = float(min(self.width(), self.height()))
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def _colours(self) -> Colours:
        """The figure's colours for the palette in use, worked out once per palette."""
        palette = self.palette()
        key = palette.cacheKey()
        if self._palette_colours is None or self._palette_colours[0] != key:
            self._palette_colours = (key, Colours.from_palette(palette))
        return self._palette_colours[1]

    def _backdrop(self, scene: Scene, colours: Colours) -> QPixmap:
        """The background, floor and props, painted once for a size, scene setting and palette."""
        ratio = self.devicePixelRatioF()
        key = (self.width(), self.height(), ratio, scene.props, scene.hands, scene.desk_x_cm, scene.side, scene.view,
               self.palette().cacheKey())
        if self._backdrop_cache is None or self._backdrop_cache[0] != key:
            pixmap = QPixmap(round(self.width() * ratio), round(self.height() * ratio))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(colours.background)
            painter = QPainter(pixmap)
            paint_backdrop(painter, self._square(), scene, colours)
            painter.end()
            self._backdrop_cache = (key, pixmap)
        return self._backdrop_cache[1]

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        self.paint_count += 1
        colours = self._colours()
        painter = QPainter(self)
        if self._scene is None:
            painter.fillRect(self.rect(), colours.background)  # opaque: the window paints nothing under it
        else:  # an opaque copy of the still parts, then the figure
            painter.drawPixmap(0, 0, self._backdrop(self._scene, colours))
            paint_scene(painter, self._square(), self._scene, colours, backdrop=False)
        painter.end()
