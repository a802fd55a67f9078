"""The history window: today at a glance, a 7/30-day chart, the day streak, CSV export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from unsit.core.clock import Clock
from unsit.core.durations import format_duration
from unsit.store.history import DaySummary, History
from unsit.text.i18n import _, ngettext
from unsit.ui.history_chart import ChartDay, HistoryChart

STREAK_MIN_DRILLS = 3


def encouragement(day_streak: int, min_drills: int, done_today: int) -> str:
    """The line under the chart about the day streak."""
    drills = ngettext("at least {count} drill", "at least {count} drills", min_drills).format(count=min_drills)
    if day_streak >= 2:
        # Translators: {at_least} is "at least 3 drills".
        return ngettext("{days} day in a row with {at_least}. Keep it going!",
                        "{days} days in a row with {at_least}. Keep it going!", day_streak).format(
            days=day_streak, at_least=drills)
    if day_streak == 1:
        # Translators: {at_least} is "at least 3 drills".
        return _("1 day with {at_least}. Do it again tomorrow to start a streak.").format(at_least=drills)
    left = max(0, min_drills - done_today)
    return ngettext("{count} more drill today to start a streak.", "{count} more drills today to start a streak.",
                    left).format(count=left)


def routines_line(routines_done: int, days: int) -> str:
    """How many routines were finished in the range shown ("" when none)."""
    if routines_done <= 0:
        return ""
    if days == 7:
        text = ngettext("{count} routine this week.", "{count} routines this week.", routines_done)
    else:
        text = ngettext("{count} routine in the last {days} days.", "{count} routines in the last {days} days.",
                        routines_done)
    return text.format(count=routines_done, days=days)


def to_chart_days(summaries: list[DaySummary]) -> list[ChartDay]:
    """History summaries as plain chart data."""
    return [ChartDay(s.date, s.drills_done, s.drills_skipped, s.longest_streak_seconds / 60, s.standing_seconds / 60)
            for s in summaries]


class _Stat(QFrame):
    """A caption over a big value."""

    def __init__(self, caption: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        self.caption = QLabel(caption, self)
        self.value = QLabel("–", self)
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.value.setFont(font)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        self.setAccessibleName(caption)

    def set_value(self, text: str) -> None:
        self.value.setText(text)
        self.value.setAccessibleName(_("{caption}: {value}").format(caption=self.caption.text(), value=text))


def calls_text(calls: int, call_seconds: float) -> str:
    """"2 calls, 1 h 05 min" (a day's calls and their length); "none" without calls."""
    if calls == 0:
        return _("none")
    return ngettext("{count} call, {length}", "{count} calls, {length}", calls).format(
        count=calls, length=format_duration(call_seconds, whole_minutes=True))


class HistoryWindow(QWidget):
    """Shows what the history database holds; ``refresh()`` re-reads it.

    Args:
        history: the database.
        clock: gives "now" (local, timezone aware).
        streak_min_drills: drills per day that count toward the day streak.
    """

    def __init__(self, history: History, clock: Clock, parent: QWidget | None = None,
                 streak_min_drills: int = STREAK_MIN_DRILLS):
        super().__init__(parent)
        self.history = history
        self.clock = clock
        self.streak_min_drills = streak_min_drills
        self._told_unread = False
        self.setWindowTitle(_("Unsit — History"))
        self.setObjectName("history_window")

        outer = QVBoxLayout(self)
        today_label = QLabel("<b>" + _("Today") + "</b>", self)
        outer.addWidget(today_label)
        stats = QGridLayout()
        self.sitting_stat = _Stat(_("Sitting time"), self)
        self.longest_stat = _Stat(_("Longest streak"), self)
        self.drills_stat = _Stat(_("Drills done / skipped"), self)
        self.calls_stat = _Stat(_("Calls"), self)
        self.standing_stat = _Stat(_("Standing time"), self)
        for col, w in enumerate((self.sitting_stat, self.standing_stat, self.longest_stat, self.drills_stat,
                                 self.calls_stat)):
            stats.addWidget(w, 0, col)
        outer.addLayout(stats)

        toggle_row = QHBoxLayout()
        self.range_title = QLabel(self)
        toggle_row.addWidget(self.range_title)
        toggle_row.addStretch(1)
        self.week_button = QPushButton(_("&7 days"), self)
        self.month_button = QPushButton(_("&30 days"), self)
        self.range_group = QButtonGroup(self)
        for n, button in ((7, self.week_button), (30, self.month_button)):
            button.setCheckable(True)
            button.setAccessibleName(
                ngettext("Show the last {days} day", "Show the last {days} days", n).format(days=n))
            self.range_group.addButton(button, n)
            toggle_row.addWidget(button)
        self.week_button.setChecked(True)
        self.range_group.idToggled.connect(self._range_toggled)
        outer.addLayout(toggle_row)

        self.chart = HistoryChart(self)
        outer.addWidget(self.chart, 1)
        self.encouragement_label = QLabel(self)
        self.encouragement_label.setObjectName("encouragement")
        self.encouragement_label.setWordWrap(True)
        outer.addWidget(self.encouragement_label)

        bottom = QHBoxLayout()
        self.status_label = QLabel(self)
        bottom.addWidget(self.status_label, 1)
        self.export_button = QPushButton(_("&Export CSV…"), self)
        self.export_button.clicked.connect(self.choose_export_file)
        self.close_button = QPushButton(_("Close"), self)
        self.close_button.clicked.connect(self.close)
        bottom.addWidget(self.export_button)
        bottom.addWidget(self.close_button)
        outer.addLayout(bottom)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self).activated.connect(self.refresh)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self).activated.connect(self.close)
        self.resize(620, 480)
        self.refresh()

    def _range_toggled(self, _button_id: int, checked: bool) -> None:
        if checked:
            self.refresh()

    @property
    def days_shown(self) -> int:
        """7 or 30."""
        return self.range_group.checkedId() if self.range_group.checkedId() > 0 else 7

    def refresh(self) -> None:
        """Re-read today, the chart range and the day streak."""
        now = self.clock.now()
        today = self.history.today(now)
        self.sitting_stat.set_value(format_duration(today.sitting_seconds, whole_minutes=True))
        self.standing_stat.set_value(format_duration(today.standing_seconds, whole_minutes=True))
        self.longest_stat.set_value(format_duration(today.longest_streak_seconds, whole_minutes=True))
        numbers = QLocale()
        self.drills_stat.set_value(f"{numbers.toString(today.drills_done)} / {numbers.toString(today.drills_skipped)}")
        self.calls_stat.set_value(calls_text(today.calls, today.call_seconds))
        n = self.days_shown
        self.range_title.setText("<b>" + ngettext("Last {days} day", "Last {days} days", n).format(days=n) + "</b>")
        days = self.history.days(n, now)
        self.chart.set_days(to_chart_days(days))
        streak = self.history.day_streak(now, self.streak_min_drills)
        if self.history.read_trouble is not None:  # each read gave up after a short wait: say so, never freeze
            self.status_label.setText(_("The history could not be read just now: another program may hold the "
                                        "file locked. Press F5 to try again."))
            self._told_unread = True
        elif self._told_unread:
            self.status_label.clear()
            self._told_unread = False
        line = encouragement(streak, self.streak_min_drills, today.drills_done)
        routines = routines_line(sum(d.routines_done for d in days), n)
        self.encouragement_label.setText(f"{line} {routines}" if routines else line)

    def export_to(self, path: Path) -> int:
        """Export every event to ``path``; shows the result and returns the rows written."""
        rows = self.history.export_csv(Path(path))
        self.status_label.setText(ngettext("Exported {count} event to {name}.", "Exported {count} events to {name}.",
                                                   rows).format(count=rows, name=Path(path).name))
        return rows

    def choose_export_file(self) -> None:
        """Ask where to save, then export."""
        suggested = str(Path.home() / f"unsit-history-{self.clock.now():%Y-%m-%d}.csv")
        name, _selected_filter = QFileDialog.getSaveFileName(self, _("Export history"), suggested,
                                                             _("CSV files (*.csv)"))
        if not name:
            return
        try:
            self.export_to(Path(name))
        except OSError as exc:
            QMessageBox.warning(self, _("Unsit — History"), _("Could not export to {name}: {reason}").format(
                name=name, reason=exc.strerror or exc))
