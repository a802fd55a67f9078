"""History window and chart: data mapping (pure), window contents, 7/30 toggle, export."""

from __future__ import annotations

import csv
from datetime import date, timedelta

import pytest
from PySide6.QtGui import QColor, QImage, QPalette

from unsit.core.durations import format_duration
from unsit.store.history import DaySummary, History
from unsit.ui.history_chart import Box, ChartDay, chart_layout, day_label, minutes_axis, nice_ceiling
from unsit.ui.history_window import HistoryWindow, calls_text, encouragement, routines_line, to_chart_days

PLOT = Box(40, 20, 700, 200)
D0 = date(2026, 11, 17)


def week(values):
    return [ChartDay(D0 + timedelta(days=i), done, skipped, streak) for i, (done, skipped, streak) in enumerate(values)]


@pytest.mark.parametrize("value, expected",
                         [(0, (4, 1)), (3, (3, 1)), (4, (4, 1)), (7, (8, 2)), (9, (10, 2)), (45, (50, 10))])
def test_nice_ceiling(value, expected):
    assert nice_ceiling(value) == expected


def test_minutes_axis():
    assert minutes_axis(60) == (60, 15)
    assert minutes_axis(95) == (120, 30)
    assert minutes_axis(301) == (360, 120)


def test_bar_heights_scale_to_the_axis():
    days = week([(4, 0, 30), (2, 1, 60), (0, 0, 0), (8, 2, 120), (1, 0, 15), (0, 3, 45), (3, 0, 90)])
    lay = chart_layout(days, PLOT)
    bottom = PLOT.y + PLOT.height
    # Axis goes to 8 drills (ticks 0, 2, .. 8): 8 drills fill the plot, 4 fill half.
    assert [v for v, _ in lay.count_ticks] == [0, 2, 4, 6, 8]
    assert lay.done_bars[3].height == pytest.approx(200)
    assert lay.done_bars[0].height == pytest.approx(100)
    assert lay.skipped_bars[5].height == pytest.approx(75)
    assert lay.done_bars[2].height == 0
    for bar in lay.done_bars + lay.skipped_bars:
        assert bar.y + bar.height == pytest.approx(bottom)
        assert PLOT.x <= bar.x and bar.x + bar.width <= PLOT.x + PLOT.width
    # Done and skipped sit side by side, one day per slot, left to right.
    assert lay.done_bars[0].x + lay.done_bars[0].width == pytest.approx(lay.skipped_bars[0].x)
    assert [b.x for b in lay.done_bars] == sorted(b.x for b in lay.done_bars)
    # Streak points on the minutes axis (0..120 min).
    assert [v for v, _ in lay.minute_ticks] == [0, 30, 60, 90, 120]
    assert lay.streak_points[3][1] == pytest.approx(PLOT.y)
    assert lay.streak_points[1][1] == pytest.approx(bottom - 100)
    assert [t for _, t in lay.day_labels] == ["Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Mon"]


def test_empty_week_still_has_axes():
    lay = chart_layout(week([(0, 0, 0)] * 7), PLOT)
    assert [v for v, _ in lay.count_ticks] == [0, 1, 2, 3, 4]
    assert [v for v, _ in lay.minute_ticks][-1] == 15  # the axis floor: a short scale, not an hour
    assert all(b.height == 0 for b in lay.done_bars)


def test_month_labels_every_fifth_day_ending_today():
    days = [ChartDay(date(2026, 10, 25) + timedelta(days=i), 1, 0, 10) for i in range(30)]
    lay = chart_layout(days, PLOT)
    texts = [t for _, t in lay.day_labels]
    assert texts[-1] == "23" and len(texts) == 6
    assert day_label(date(2026, 11, 23), 7) == "Mon"


def test_text_helpers():
    assert format_duration(0, whole_minutes=True) == "0 min"
    assert format_duration(42 * 60 + 10, whole_minutes=True) == "42 min"
    assert format_duration(3 * 3600 + 5 * 60, whole_minutes=True) == "3 h 05 min"
    assert encouragement(4, 3, 0) == "4 days in a row with at least 3 drills. Keep it going!"
    assert encouragement(0, 3, 1) == "2 more drills today to start a streak."
    assert to_chart_days([DaySummary(D0, 100, 1800, 2, 1, 3)]) == [ChartDay(D0, 2, 1, 30.0)]


@pytest.fixture
def history(tmp_path, fake_clock):
    h = History(tmp_path / "history.sqlite3")
    now = fake_clock.now()
    for days_ago in range(1, 5):
        for _ in range(3):
            h.record("drill_finished", now - timedelta(days=days_ago), drill_id="x")
    h.record("drill_finished", now, drill_id="x")
    h.record("drill_skipped", now, drill_id="y")
    h.record("streak_ended", now, streak_seconds=62 * 60, reason="drill")
    h.record("streak_ended", now, streak_seconds=20 * 60, reason="away")
    h.record("drill_finished", now - timedelta(days=20), drill_id="x")
    yield h
    h.close()


def test_window_shows_totals_in_whole_minutes(tmp_path, fake_clock, qtbot):
    h = History(tmp_path / "history.sqlite3")
    h.record("streak_ended", fake_clock.now(), streak_seconds=20, reason="away")
    w = HistoryWindow(h, fake_clock)
    qtbot.addWidget(w)
    try:
        assert w.sitting_stat.value.text() == "0 min"  # not "20 s": a day's total, rounded
        assert w.longest_stat.value.text() == "0 min"
    finally:
        h.close()


def test_window_shows_today_and_streak(history, fake_clock, qtbot):
    w = HistoryWindow(history, fake_clock)
    qtbot.addWidget(w)
    assert w.windowTitle() == "Unsit — History"
    assert w.sitting_stat.value.text() == "1 h 22 min"
    assert w.longest_stat.value.text() == "1 h 02 min"
    assert w.drills_stat.value.text() == "1 / 1"
    assert w.encouragement_label.text().startswith("4 days in a row with at least 3 drills")
    assert len(w.chart.days()) == 7
    assert w.chart.days()[-1] == ChartDay(fake_clock.now().date(), 1, 1, 62.0)


def test_toggle_to_30_days(history, fake_clock, qtbot):
    w = HistoryWindow(history, fake_clock)
    qtbot.addWidget(w)
    w.month_button.click()
    assert w.days_shown == 30 and len(w.chart.days()) == 30
    assert sum(d.drills_done for d in w.chart.days()) == 14
    w.week_button.click()
    assert len(w.chart.days()) == 7


def test_refresh_picks_up_new_events(history, fake_clock, qtbot):
    w = HistoryWindow(history, fake_clock)
    qtbot.addWidget(w)
    history.record("drill_finished", fake_clock.now(), drill_id="z")
    history.record("drill_finished", fake_clock.now(), drill_id="z")
    w.refresh()
    assert w.drills_stat.value.text() == "3 / 1"
    assert w.encouragement_label.text().startswith("5 days in a row")


def test_export_without_dialog(history, fake_clock, qtbot, tmp_path):
    w = HistoryWindow(history, fake_clock)
    qtbot.addWidget(w)
    out = tmp_path / "out.csv"
    assert w.export_to(out) == 17
    assert len(list(csv.reader(out.open()))) == 18
    assert "Exported 17 events" in w.status_label.text()


@pytest.mark.parametrize("window_color", ["#f6f5f4", "#242424"])
def test_chart_paints_bars_in_palette_colours(history, fake_clock, qtbot, window_color):
    w = HistoryWindow(history, fake_clock)
    qtbot.addWidget(w)
    pal = w.palette()
    pal.setColor(QPalette.ColorRole.Window, QColor(window_color))
    pal.setColor(QPalette.ColorRole.WindowText, QColor("#1e1e1e" if window_color == "#f6f5f4" else "#eeeeee"))
    pal.setColor(QPalette.ColorRole.Highlight, QColor("#3584e4"))
    w.setPalette(pal)
    w.chart.resize(600, 260)
    image = QImage(w.chart.size(), QImage.Format.Format_ARGB32)
    image.fill(QColor(window_color))
    w.chart.render(image)
    lay = chart_layout(w.chart.days(), w.chart.plot_box())
    bar = lay.done_bars[-2]  # yesterday: 3 drills done
    centre = image.pixelColor(int(bar.x + bar.width / 2), int(bar.y + bar.height / 2))
    assert centre == w.chart.colors()["done"] != QColor("#3584e4")  # the accent family, not the system blue


def test_a_database_damaged_while_running_opens_the_window_and_is_set_aside(tmp_path, fake_clock, qtbot):
    import os
    import sqlite3

    path = tmp_path / "damaged" / "history.sqlite3"
    h = History(path)
    for i in range(3000):
        h.record("nudge", fake_clock.now() - timedelta(minutes=i))
    told: list[str] = []
    h.on_problem = told.append
    with sqlite3.connect(path) as db:
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with open(path, "r+b") as f:
        for page in range(2, pages):
            f.seek(page * 4096 + 8)
            f.write(os.urandom(2048))
    w = HistoryWindow(h, fake_clock)  # `unsit history` on a damaged database: no exception
    qtbot.addWidget(w)
    assert w.drills_stat.value.text().startswith("0")
    assert len(told) == 1 and "kept as" in told[0]
    h.close()


def test_the_routines_of_the_range_follow_the_day_streak_line(history, fake_clock, qtbot):
    now = fake_clock.now()
    for days_ago in (0, 2, 3):
        history.record("drill_finished", now - timedelta(days=days_ago), drill_id="routine:morning")
    history.record("drill_finished", now - timedelta(days=12), drill_id="routine:warm-up")
    history.record("drill_skipped", now, drill_id="routine:warm-up")
    w = HistoryWindow(history, fake_clock)
    qtbot.addWidget(w)
    text = w.encouragement_label.text()
    assert text.startswith("4 days in a row with at least 3 drills") and text.endswith(" 3 routines this week.")
    w.month_button.click()
    assert w.encouragement_label.text().endswith(" 4 routines in the last 30 days.")
    assert routines_line(1, 7) == "1 routine this week." and routines_line(0, 7) == ""


def test_window_shows_the_days_calls(history, fake_clock, qtbot):
    w = HistoryWindow(history, fake_clock)
    qtbot.addWidget(w)
    assert w.calls_stat.value.text() == "none"
    history.record("call", fake_clock.now(), duration_seconds=52 * 60)
    history.record("call", fake_clock.now(), duration_seconds=13 * 60)
    w.refresh()
    assert w.calls_stat.value.text() == "2 calls, 1 h 05 min"
    assert calls_text(1, 600) == "1 call, 10 min"


@pytest.mark.parametrize("direction", ["LeftToRight", "RightToLeft"])
def test_the_chart_labels_keep_their_places_in_a_right_to_left_language(qtbot, direction):
    """The minutes axis title stays top right, clear of the legend, whatever the layout direction."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QFontMetrics

    from unsit.ui.history_chart import HistoryChart

    chart = HistoryChart()
    qtbot.addWidget(chart)
    chart.setLayoutDirection(getattr(Qt.LayoutDirection, direction))
    chart.set_days(week([(1, 0, 20)] * 7))
    chart.resize(600, 260)
    image = QImage(chart.size(), QImage.Format.Format_ARGB32)
    image.fill(QColor("#ffffff"))
    chart.render(image)
    fm = QFontMetrics(chart.font())
    band = range(6, 6 + fm.height())

    def inked(xs: range) -> int:
        return sum(1 for x in xs for y in band if image.pixelColor(x, y).lightness() < 200)

    assert inked(range(chart.width() - chart.MARGIN_RIGHT, chart.width() - 2)) > 0  # the title, top right
    assert inked(range(chart.MARGIN_LEFT - 2)) == 0  # nothing left of the legend


def test_a_file_another_program_locks_outright_is_said_not_waited_for(history, fake_clock, qtbot):
    """The window reads through a read-only view with a short busy timeout: it opens and says why it is empty."""
    import sqlite3

    history.close()
    holder = sqlite3.connect(history.path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("COMMIT")  # the exclusive lock stays until the connection closes
    reader = History.open_reader(history.path)
    try:
        w = HistoryWindow(reader, fake_clock)
        qtbot.addWidget(w)
        assert w.drills_stat.value.text() == "0 / 0"
        assert "another program may hold the file locked" in w.status_label.text()
        holder.close()
        w.refresh()
        assert w.drills_stat.value.text() == "1 / 1" and w.status_label.text() == ""
    finally:
        holder.close()
        reader.close()


def test_the_minutes_axis_follows_a_short_streak():
    days = [ChartDay(date(2026, 11, 23), 1, 0, 4.0)]
    layout = chart_layout(days, Box(0, 0, 100, 100))
    assert [v for v, _y in layout.minute_ticks] == [0, 5, 10, 15]


def test_done_bars_are_in_the_accent_family_in_both_palettes(qtbot):
    from unsit.ui.history_chart import HistoryChart
    from unsit.ui.progress_ring import ACCENT

    chart = HistoryChart()
    qtbot.addWidget(chart)
    for window, text in (("#ffffff", "#1a1a1a"), ("#202124", "#e8eaed")):
        palette = chart.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(window))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(text))
        palette.setColor(QPalette.ColorRole.Highlight, QColor("#3584e4"))  # a blue system highlight
        chart.setPalette(palette)
        colours = chart.colors()
        assert abs(colours["done"].hslHue() - QColor(ACCENT).hslHue()) <= 6
        assert abs(colours["streak"].hslHue() - colours["done"].hslHue()) > 90  # the line stands apart


def test_window_shows_the_days_standing_time_beside_sitting(history, fake_clock, qtbot):
    w = HistoryWindow(history, fake_clock)
    qtbot.addWidget(w)
    assert w.standing_stat.value.text() == "0 min"
    history.record("standing", fake_clock.now(), duration_seconds=25 * 60)
    history.record("standing", fake_clock.now(), duration_seconds=20 * 60, reason="break")
    w.refresh()
    assert w.standing_stat.value.text() == "45 min"


def test_the_chart_draws_standing_time_per_day_only_when_there_was_some():
    plain = [ChartDay(date(2026, 11, 23), 1, 0, 30.0), ChartDay(date(2026, 11, 24), 0, 0, 20.0)]
    assert chart_layout(plain, Box(0, 0, 100, 100)).standing_points == []
    stood = [ChartDay(date(2026, 11, 23), 1, 0, 30.0, 80.0), ChartDay(date(2026, 11, 24), 0, 0, 20.0, 0.0)]
    layout = chart_layout(stood, Box(0, 0, 100, 100))
    assert [y for _x, y in layout.standing_points] == [pytest.approx(100 - 80 / 90 * 100), 100]
    assert layout.minute_ticks[-1][0] == 90  # the axis reaches the longest standing day too


def test_each_days_standing_time_reaches_the_chart(history, fake_clock, qtbot):
    history.record("standing", fake_clock.now(), duration_seconds=40 * 60)
    w = HistoryWindow(history, fake_clock)
    qtbot.addWidget(w)
    assert w.chart.days()[-1].standing_minutes == 40
