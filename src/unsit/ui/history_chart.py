"""A small bar + line chart of the last days, drawn with QPainter.

``chart_layout`` is pure: it maps plain data (``ChartDay``) and a plot rectangle to
bar rectangles, streak points, axis ticks and day labels. ``HistoryChart`` only paints
that layout with colours from the palette, so it reads on light and dark themes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QLocale, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from unsit.text.i18n import _, ngettext, pgettext

DONE_COLOR_LIGHT = QColor("#d9652b")  # Unsit's accent (#E8743B), a shade deeper on light: 3.5:1 on white
DONE_COLOR_DARK = QColor("#f08a52")  # a shade lighter on dark
STREAK_COLOR_LIGHT = QColor("#2f5d7c")  # the streak line: a calm ink blue beside the orange bars
STREAK_COLOR_DARK = QColor("#8cc4e8")
STANDING_COLOR_LIGHT = QColor("#237a5c")  # standing time: the green of the tray's standing icon, deeper on light
STANDING_COLOR_DARK = QColor("#5fd3a5")
MINUTES_AXIS_FLOOR = 15.0
"""The minutes axis reaches at least this far (a 4-minute streak is drawn on 0-15 min, not 0-1 h)."""


@dataclass(frozen=True)
class ChartDay:
    """One day of chart data."""

    day: date
    drills_done: int
    drills_skipped: int
    longest_streak_minutes: float
    standing_minutes: float = 0.0  # time stood that day (a sit-stand desk)


@dataclass(frozen=True)
class Box:
    """A rectangle in widget coordinates."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class ChartLayout:
    """Everything the painter draws, in widget coordinates."""

    done_bars: list[Box]
    skipped_bars: list[Box]
    streak_points: list[tuple[float, float]]
    count_ticks: list[tuple[int, float]]  # (drills, y) on the left axis
    minute_ticks: list[tuple[int, float]]  # (minutes, y) on the right axis
    standing_points: list[tuple[float, float]]  # empty when no day had standing time
    day_labels: list[tuple[float, str]]  # (centre x, text)


def nice_ceiling(value: float, steps: tuple[int, ...] = (1, 2, 5)) -> tuple[int, int]:
    """A round axis maximum >= value and its tick step, e.g. 7 -> (8, 2), 45 -> (50, 10)."""
    if value <= 0:
        return steps[0] * 4, steps[0]
    for magnitude in (10 ** e for e in range(7)):
        for s in steps:
            step = s * magnitude
            if value <= step * 5:
                top = step * math.ceil(value / step)
                return max(top, step), step
    return math.ceil(value), math.ceil(value / 5)


def minutes_axis(value: float) -> tuple[int, int]:
    """Axis maximum and step in minutes, on steps people read as time (15, 30, 60 ...)."""
    for step in (5, 10, 15, 30, 60, 120, 240):
        if value <= step * 5:
            return max(step, step * math.ceil(value / step)), step
    return 240 * math.ceil(value / 240), 240


def day_label(day: date, n_days: int) -> str:
    """Weekday initials for a week, day numbers for a month."""
    if n_days <= 7:
        return QLocale().dayName(day.isoweekday(), QLocale.FormatType.ShortFormat)
    return QLocale().toString(day.day)


def chart_layout(days: list[ChartDay], plot: Box) -> ChartLayout:
    """Map days to geometry inside ``plot`` (bars grow up from its bottom edge)."""
    n = len(days)
    # Floors keep a quiet week from filling the whole height with one drill or a short streak.
    count_max, count_step = nice_ceiling(max([d.drills_done for d in days] + [d.drills_skipped for d in days] + [4]))
    minute_max, minute_step = minutes_axis(max([d.longest_streak_minutes for d in days]
                                               + [d.standing_minutes for d in days] + [MINUTES_AXIS_FLOOR]))
    bottom = plot.y + plot.height
    slot = plot.width / n if n else plot.width
    bar_width = max(1.0, min(slot * 0.36, 28.0))
    done, skipped, points, standing, labels = [], [], [], [], []
    label_every = 1 if n <= 14 else 5
    for i, d in enumerate(days):
        centre = plot.x + slot * (i + 0.5)
        h_done = plot.height * d.drills_done / count_max
        h_skip = plot.height * d.drills_skipped / count_max
        done.append(Box(centre - bar_width, bottom - h_done, bar_width, h_done))
        skipped.append(Box(centre, bottom - h_skip, bar_width, h_skip))
        points.append((centre, bottom - plot.height * min(d.longest_streak_minutes, minute_max) / minute_max))
        standing.append((centre, bottom - plot.height * min(d.standing_minutes, minute_max) / minute_max))
        if (n - 1 - i) % label_every == 0:  # always label today, then every k-th day back
            labels.append((centre, day_label(d.day, n)))
    count_ticks = [(v, bottom - plot.height * v / count_max) for v in range(0, count_max + 1, count_step)]
    minute_ticks = [(v, bottom - plot.height * v / minute_max) for v in range(0, minute_max + 1, minute_step)]
    if not any(d.standing_minutes > 0 for d in days):
        standing = []
    return ChartLayout(done, skipped, points, count_ticks, minute_ticks, standing, labels)


def format_minutes(minutes: int) -> str:
    """Axis text: "45m", "1h", "1h30"."""
    if minutes < 60:
        # Translators: a short axis label, e.g. "45m"; keep it very short.
        return _("{minutes}m").format(minutes=minutes)
    h, m = divmod(minutes, 60)
    if not m:
        # Translators: a short axis label, e.g. "2h".
        return _("{hours}h").format(hours=h)
    # Translators: a short axis label, e.g. "1h30" for an hour and a half.
    return _("{hours}h{minutes}").format(hours=h, minutes=f"{m:02d}")


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor.fromRgbF(
        a.redF() * (1 - t) + b.redF() * t, a.greenF() * (1 - t) + b.greenF() * t, a.blueF() * (1 - t) + b.blueF() * t
    )


class HistoryChart(QWidget):
    """Drills done and skipped per day (bars, left axis) and longest streak (line, right axis)."""

    MARGIN_LEFT = 34
    MARGIN_RIGHT = 44
    MARGIN_TOP = 30
    MARGIN_BOTTOM = 26

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._days: list[ChartDay] = []
        self.setObjectName("history_chart")
        self.setMinimumSize(360, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(_("History chart"))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(560, 260)

    def set_days(self, days: list[ChartDay]) -> None:
        """Show these days (oldest first)."""
        self._days = list(days)
        done = sum(d.drills_done for d in days)
        skipped = sum(d.drills_skipped for d in days)
        longest = max([d.longest_streak_minutes for d in days] + [0.0])
        self.setAccessibleDescription(
            ngettext("Last {days} days: {done} drills done, {skipped} skipped; "
                     "longest sitting streak {minutes} minutes.",
                     "Last {days} days: {done} drills done, {skipped} skipped; "
                     "longest sitting streak {minutes} minutes.", len(days)).format(
                days=len(days), done=done, skipped=skipped, minutes=round(longest))
        )
        self.update()

    def days(self) -> list[ChartDay]:
        return list(self._days)

    def plot_box(self) -> Box:
        """The plot area inside the margins."""
        return Box(
            self.MARGIN_LEFT, self.MARGIN_TOP,
            max(1, self.width() - self.MARGIN_LEFT - self.MARGIN_RIGHT),
            max(1, self.height() - self.MARGIN_TOP - self.MARGIN_BOTTOM),
        )

    def colors(self) -> dict[str, QColor]:
        """Series and axis colours taken from the palette."""
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        window = pal.color(QPalette.ColorRole.Window)
        dark = window.lightness() < 128
        return {
            "text": text,
            "muted": _mix(text, window, 0.35),
            "grid": _mix(text, window, 0.85),
            "done": DONE_COLOR_DARK if dark else DONE_COLOR_LIGHT,
            "skipped": _mix(text, window, 0.6),
            "streak": STREAK_COLOR_DARK if dark else STREAK_COLOR_LIGHT,
            "standing": STANDING_COLOR_DARK if dark else STANDING_COLOR_LIGHT,
        }

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        # The chart is drawn left to right in every language (days run left to right, the
        # drills axis on the left); AlignAbsolute keeps Qt from mirroring the labels' alignment
        # under a right-to-left language, which put the minutes axis title over the legend.
        ABSOLUTE = Qt.AlignmentFlag.AlignAbsolute  # noqa: N806 - a flag, named like Qt's
        if not self._days:
            return
        c = self.colors()
        plot = self.plot_box()
        lay = chart_layout(self._days, plot)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetrics(self.font())
        right = plot.x + plot.width
        bottom = plot.y + plot.height
        # Grid and left axis (drills); 1 px lines on half pixels stay sharp at any scale.
        p.setPen(QPen(c["grid"], 1))
        for _value, y in lay.count_ticks:
            yy = math.floor(y) + 0.5
            p.drawLine(QPointF(plot.x, yy), QPointF(right, yy))
        p.setPen(c["muted"])
        for value, y in lay.count_ticks:
            p.drawText(QRectF(0, y - fm.height() / 2, plot.x - 6, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter | ABSOLUTE, str(value))
        for value, y in lay.minute_ticks:
            p.drawText(QRectF(right + 6, y - fm.height() / 2, self.MARGIN_RIGHT - 6, fm.height()),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | ABSOLUTE, format_minutes(value))
        for x, text in lay.day_labels:
            p.drawText(QRectF(x - 30, bottom + 4, 60, fm.height()), Qt.AlignmentFlag.AlignHCenter, text)
        # Bars with slightly rounded tops.
        p.setPen(Qt.PenStyle.NoPen)
        for bars, color in ((lay.done_bars, c["done"]), (lay.skipped_bars, c["skipped"])):
            p.setBrush(color)
            for b in bars:
                if b.height > 0:
                    radius = min(2.5, b.width / 3, b.height)
                    path = QPainterPath()
                    path.addRoundedRect(QRectF(b.x, b.y, b.width, b.height + radius), radius, radius)
                    p.save()
                    p.setClipRect(QRectF(b.x - 1, b.y - 1, b.width + 2, b.height + 1))
                    p.drawPath(path)
                    p.restore()
        # Longest streak (solid) and standing time (dashed, only when there was any): lines with points.
        radius = 3.0 if len(self._days) <= 14 else 2.0
        for points, color, style in ((lay.streak_points, c["streak"], Qt.PenStyle.SolidLine),
                                     (lay.standing_points, c["standing"], Qt.PenStyle.DashLine)):
            if not points:
                continue
            p.setPen(QPen(color, 2, style, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
            p.setBrush(Qt.BrushStyle.NoBrush)
            path = QPainterPath(QPointF(*points[0]))
            for x, y in points[1:]:
                path.lineTo(x, y)
            p.drawPath(path)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(color)
            for x, y in points:
                p.drawEllipse(QPointF(x, y), radius, radius)
        self._paint_legend(p, c, fm, standing=bool(lay.standing_points))
        p.end()

    def _paint_legend(self, p: QPainter, c: dict[str, QColor], fm: QFontMetrics, *, standing: bool) -> None:
        x = float(self.MARGIN_LEFT)
        y = 6.0
        h = fm.height()
        entries = [(pgettext("chart legend: drills", "Done"), c["done"], "box"),
                   (pgettext("chart legend: drills", "Skipped"), c["skipped"], "box"),
                   (_("Longest streak"), c["streak"], "line")]
        if standing:
            entries.append((pgettext("chart legend: minutes", "Standing"), c["standing"], "line"))
        for label, color, kind in entries:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(color)
            if kind == "box":
                p.drawRoundedRect(QRectF(x, y + h / 2 - 5, 10, 10), 2, 2)
            else:
                p.setPen(QPen(color, 2))
                p.drawLine(QPointF(x - 2, y + h / 2), QPointF(x + 12, y + h / 2))
                p.setPen(Qt.PenStyle.NoPen)
                p.drawEllipse(QPointF(x + 5, y + h / 2), 3, 3)
            p.setPen(c["text"])
            p.drawText(QPointF(x + 16, y + fm.ascent() + (h - fm.height()) / 2), label)
            x += 16 + fm.horizontalAdvance(label) + 18
        p.setPen(c["muted"])
        p.drawText(QRectF(0, y, self.width() - 4, h), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute,
                   pgettext("chart axis", "streak"))
