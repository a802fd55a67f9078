"""Draws a drill's SVG pose frames, recoloured for the palette, mirrored, crossfaded.

Frames are drawn for the left leg with the figure facing right, in ink ``#2B2F36``; the
ink is swapped for the palette's text colour at render time (so dark themes work) and
the right side is the mirror image. Rendered pixmaps follow the device pixel ratio
(sharp at 1x and 2x) and are cached per frame, side, size and ink colour.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

log = logging.getLogger(__name__)

INK = "#2B2F36"
_INK_RE = re.compile(re.escape(INK).encode(), re.IGNORECASE)


class PoseView(QWidget):
    """A square view of one or two pose frames blended together.

    Args:
        side_px: the preferred edge length in device-independent pixels.
    """

    def __init__(self, side_px: int = 240, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("pose_view")
        self.setAccessibleName("Drill illustration")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._side_px = side_px
        self._paths: tuple[str | None, ...] = ()
        self._mirrored = False
        self._blend: tuple[int, int, float] = (0, 0, 0.0)
        self._renderers: dict[tuple[str, str], QSvgRenderer | None] = {}
        self._pixmaps: dict[tuple[str, bool, int, float, str], QPixmap] = {}  # path, mirrored, side, DPR, ink
        self.missing: set[str] = set()
        """Frame paths that could not be drawn (shown as a placeholder)."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self._side_px, self._side_px)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self._side_px // 2, self._side_px // 2)

    @property
    def drawn_count(self) -> int:
        """How many frame images have been rendered so far (0 until the first paint)."""
        return len(self._pixmaps)

    def set_frames(self, paths: Sequence[str | None], mirrored: bool) -> None:
        """Choose the frames to show (None = no file) and the side."""
        paths = tuple(paths)
        if paths != self._paths or mirrored != self._mirrored:
            self._paths, self._mirrored = paths, mirrored
            self._blend = (0, 0, 0.0)
            self.update()

    def set_blend(self, index: int, next_index: int, blend: float) -> None:
        """Show frame ``index`` crossfading into ``next_index`` (``blend`` 0..1)."""
        value = (index, next_index, round(max(0.0, min(1.0, blend)), 3))
        if value != self._blend:
            self._blend = value
            self.update()

    # --- drawing ------------------------------------------------------------------
    def _ink(self) -> str:
        return self.palette().color(QPalette.ColorRole.WindowText).name()

    def _renderer(self, path: str, ink: str) -> QSvgRenderer | None:
        key = (path, ink)
        if key not in self._renderers:
            renderer = None
            try:
                data = Path(path).read_bytes()
                renderer = QSvgRenderer(QByteArray(_INK_RE.sub(ink.encode(), data)))
                if not renderer.isValid():
                    log.warning("pose frame %s is not a valid SVG; showing a placeholder", path)
                    renderer = None
            except OSError as exc:
                log.warning("pose frame %s cannot be read (%s); showing a placeholder", path, exc)
            if renderer is None:
                self.missing.add(path)
            self._renderers[key] = renderer
        return self._renderers[key]

    def frame_pixmap(self, path: str | None, side: float) -> QPixmap | None:
        """The rendered frame at ``side`` px (DPR-aware), or None if it cannot be drawn."""
        if path is None:
            return None
        ink = self._ink()
        dpr = self.devicePixelRatioF()
        key = (path, self._mirrored, round(side), dpr, ink)
        cached = self._pixmaps.get(key)
        if cached is not None:
            return cached
        renderer = self._renderer(path, ink)
        if renderer is None:
            return None
        pixmap = QPixmap(max(1, round(side * dpr)), max(1, round(side * dpr)))
        pixmap.setDevicePixelRatio(dpr)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        if self._mirrored:
            painter.translate(side, 0)
            painter.scale(-1, 1)
        renderer.render(painter, QRectF(0, 0, side, side))
        painter.end()
        if len(self._pixmaps) > 24:  # resizes and theme changes: keep it small
            self._pixmaps.clear()
        self._pixmaps[key] = pixmap
        return pixmap

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        side = float(min(self.width(), self.height()))
        target = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self._paths:
            painter.end()
            return
        index, next_index, blend = self._blend
        first = self._path_at(index)
        second = self._path_at(next_index)
        shown = [(first, 1.0 - blend)] if blend < 1.0 else []
        if blend > 0.0 and second is not None:
            shown.append((second, blend))
        for path, opacity in shown:
            pixmap = self.frame_pixmap(path, side)
            painter.setOpacity(opacity)
            if pixmap is None:
                self._draw_placeholder(painter, target)
            else:
                painter.drawPixmap(target.topLeft(), pixmap)
        painter.end()

    def _path_at(self, index: int) -> str | None:
        return self._paths[index] if 0 <= index < len(self._paths) else None

    def _draw_placeholder(self, painter: QPainter, target: QRectF) -> None:
        colour = QColor(self.palette().color(QPalette.ColorRole.WindowText))
        colour.setAlphaF(0.35)
        pen = QPen(colour, 2, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(target.adjusted(12, 12, -12, -12), 16, 16)
        painter.drawText(target, Qt.AlignmentFlag.AlignCenter, "Illustration\nnot available")
