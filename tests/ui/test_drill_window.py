"""The drill window on a real X server: phases, controls, keys, signals, rendering."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QPushButton

from unsit.core.drill_session import State
from unsit.core.drills import Drill, parse_drill
from unsit.store.drill_library import load_library
from unsit.ui.drill_window import DrillWindow

ASSETS = Path(__file__).resolve().parents[2] / "assets"


@pytest.fixture(scope="module")
def library() -> dict[str, Drill]:
    drills, messages = load_library(ASSETS / "drills", None)
    assert messages == []
    return {d.id: d for d in drills}


def sided(library) -> Drill:
    """A small drill built on the real hip extension frames: L 10 s, L reps 2x4 s, R 10 s, R reps 2x4 s."""
    real = library["standing-hip-extension"]
    drill = parse_drill(
        {
            "schema_version": 1, "id": "sided", "family": "extension", "name": "Sided test",
            "purpose": "Testing.", "safety": "Stop if it hurts.",
            "frames": {"start": "start.svg", "end": "end.svg"},
            "steps": [
                {"cue": "Left hold.", "seconds": 10, "side": "left", "frames": ["end"]},
                {"cue": "Left reps.", "reps": 2, "seconds_per_rep": 4, "side": "left", "frames": ["start", "end"]},
                {"cue": "Right hold.", "seconds": 10, "side": "right", "frames": ["end"]},
                {"cue": "Right reps.", "reps": 2, "seconds_per_rep": 4, "side": "right", "frames": ["start", "end"]},
            ],
        },
        "sided.toml",
    )
    return replace(drill, frames=dict(real.frames))


@pytest.fixture
def open_window(qtbot, fake_clock):
    played: list[str] = []

    def make(drill: Drill, **kwargs) -> DrillWindow:
        kwargs.setdefault("cue_player", played.append)
        w = DrillWindow(drill, fake_clock, **kwargs)
        qtbot.addWidget(w)
        w.played = played  # type: ignore[attr-defined]  # the cue list rides on the window for the tests
        w.show()
        qtbot.waitExposed(w)
        return w

    return make


def advance(window: DrillWindow, clock, seconds: float) -> None:
    clock.advance(seconds)
    window.tick()


def texts(w: DrillWindow) -> tuple[str, str, str]:
    return w.step_label.text(), w.side_label.text(), w.ring.text


def test_title_accessibility_and_total_shown_before_starting(open_window, library):
    drill = library["standing-hip-circles"]
    w = open_window(drill)
    assert w.windowTitle() == "Unsit — Standing hip circles"
    assert w.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert "2:05 in total" in w.detail_label.text()
    for widget in w.findChildren(QPushButton):
        assert widget.accessibleName(), widget.objectName()
    for widget in (w.name_label, w.cue_label, w.step_label, w.side_label, w.ring, w.pose_view):
        assert widget.accessibleName()
    assert texts(w) == ("Get ready", "Left leg first", "0:03")
    assert w.cue_label.text().startswith("Coming up: Hand on the desk.")


def test_length_changes_the_total(open_window, library):
    w = open_window(library["standing-hip-circles"], length="short")
    assert "1:17 in total" in w.detail_label.text()


def test_step_sequence_with_get_ready_switch_sides_and_both_sides(open_window, library, fake_clock):
    w = open_window(sided(library))
    timer = w.findChild(QTimer, "drill_tick")
    assert timer is not None and timer.isActive() and 100 <= timer.interval() <= 250
    advance(w, fake_clock, 3)
    assert texts(w) == ("Step 1 of 4", "Left leg", "0:10")
    assert w.cue_label.text() == "Left hold." and not w.pose_view._mirrored
    advance(w, fake_clock, 10)
    assert texts(w) == ("Step 2 of 4  ·  rep 1 of 2", "Left leg", "0:08")
    advance(w, fake_clock, 4.5)
    assert w.step_label.text() == "Step 2 of 4  ·  rep 2 of 2"
    advance(w, fake_clock, 3.5)
    assert texts(w) == ("Switch sides", "Right leg next", "0:05")
    assert w.session.state is State.SWITCH_SIDES
    advance(w, fake_clock, 5)
    assert texts(w) == ("Step 3 of 4", "Right leg", "0:10")
    assert w.pose_view._mirrored
    # get ready, step 1, step 2 (rep 1), rep 2's tick, switch sides, step 3
    assert w.played == ["ready", "step", "step", "tick", "ready", "step"]


def test_finishing_emits_drill_finished_with_the_duration_and_shows_done(qtbot, open_window, library, fake_clock):
    w = open_window(sided(library))
    with qtbot.waitSignal(w.drill_finished, timeout=1000) as blocker:
        advance(w, fake_clock, 3 + 10 + 8 + 5 + 10 + 7.9)
        assert w.session.state is State.STEP
        advance(w, fake_clock, 0.1)
    assert blocker.args == ["sided", pytest.approx(44.0)]
    assert w.step_label.text() == "Done" and w.ring.text == "0:00"
    assert not w.findChild(QTimer, "drill_tick").isActive()
    assert w.done_button.isVisible() and not w.pause_button.isVisible()
    assert w.played[-1] == "end"
    with qtbot.assertNotEmitted(w.drill_ended_early):
        w.done_button.click()


def test_a_long_stall_jumps_ahead_correctly(qtbot, open_window, library, fake_clock):
    w = open_window(sided(library))
    advance(w, fake_clock, 3 + 10 + 8 + 2)  # 2 s into the switch-sides pause
    assert texts(w) == ("Switch sides", "Right leg next", "0:03")
    with qtbot.waitSignal(w.drill_finished, timeout=1000) as blocker:
        advance(w, fake_clock, 3600)  # the event loop froze for an hour
    assert blocker.args[1] == pytest.approx(44.0)
    assert w.session.state is State.FINISHED


def test_pause_and_resume_with_the_button_and_space(qtbot, open_window, library, fake_clock):
    w = open_window(sided(library))
    timer = w.findChild(QTimer, "drill_tick")
    advance(w, fake_clock, 5)
    w.pause_button.click()
    assert w.session.state is State.PAUSED and not timer.isActive()
    assert w.pause_button.text() == "Resume" and w.step_label.text().startswith("Paused")
    fake_clock.advance(300)
    w.tick()
    assert w.ring.text == "0:08"
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=3000)
    qtbot.keyClick(w, Qt.Key.Key_Space)
    assert w.session.state is State.STEP and timer.isActive()
    advance(w, fake_clock, 3)
    assert w.ring.text == "0:05"
    qtbot.keyClick(w, Qt.Key.Key_Space)
    assert w.session.state is State.PAUSED


def test_skip_with_the_button_and_the_right_arrow(qtbot, open_window, library, fake_clock):
    w = open_window(sided(library))
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=3000)
    w.skip_button.click()
    assert w.step_label.text() == "Step 1 of 4"
    qtbot.keyClick(w, Qt.Key.Key_Right)
    assert w.step_label.text().startswith("Step 2 of 4")
    qtbot.keyClick(w, Qt.Key.Key_Right)
    assert w.step_label.text() == "Switch sides"
    for _ in range(2):
        qtbot.keyClick(w, Qt.Key.Key_Right)
    assert w.step_label.text().startswith("Step 4 of 4")
    with qtbot.waitSignal(w.drill_finished, timeout=1000) as blocker:
        qtbot.keyClick(w, Qt.Key.Key_Right)
    assert blocker.args == ["sided", pytest.approx(0.0)]


def test_escape_ends_early_and_closes(qtbot, open_window, library, fake_clock):
    w = open_window(sided(library))
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=3000)
    advance(w, fake_clock, 7)
    with qtbot.assertNotEmitted(w.drill_finished), qtbot.waitSignal(w.drill_ended_early, timeout=1000) as blocker:
        qtbot.keyClick(w, Qt.Key.Key_Escape)
    assert blocker.args == ["sided", pytest.approx(7.0)]
    assert not w.isVisible()


def test_end_button_and_closing_the_window_count_as_ended_early(qtbot, open_window, library, fake_clock):
    w = open_window(sided(library))
    with qtbot.waitSignal(w.drill_ended_early, timeout=1000) as blocker:
        w.end_button.click()
    assert blocker.args[0] == "sided"
    w2 = open_window(sided(library))
    advance(w2, fake_clock, 4)
    signals = []
    w2.drill_ended_early.connect(lambda *args: signals.append(args))
    w2.close()  # what the window manager's close button does
    w2.close()
    assert signals == [("sided", pytest.approx(4.0))]


def test_keyboard_only_return_clicks_the_focused_button(qtbot, open_window, library, fake_clock):
    w = open_window(sided(library))
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=3000)
    assert w.focusWidget() is w.pause_button
    w.end_button.setFocus()
    with qtbot.waitSignal(w.drill_ended_early, timeout=1000):
        qtbot.keyClick(w.end_button, Qt.Key.Key_Return)


def test_done_closes_with_return_after_the_end(qtbot, open_window, library, fake_clock):
    w = open_window(sided(library))
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=3000)
    advance(w, fake_clock, 1000)
    assert w.focusWidget() is w.done_button
    qtbot.keyClick(w, Qt.Key.Key_Return)
    assert not w.isVisible()


def test_timer_runs_only_while_shown(qtbot, open_window, library):
    w = open_window(sided(library))
    timer = w.findChild(QTimer, "drill_tick")
    assert timer.isActive()
    w.hide()
    assert not timer.isActive()
    w.show()
    assert timer.isActive()


def test_the_real_timer_drives_the_window(qtbot, open_window, library, fake_clock):
    w = open_window(sided(library))
    fake_clock.advance(3)
    qtbot.waitUntil(lambda: w.step_label.text() == "Step 1 of 4", timeout=3000)


def test_sounds_off_plays_nothing(open_window, library, fake_clock):
    w = open_window(sided(library), sounds_enabled=False)
    advance(w, fake_clock, 1000)
    assert w.played == []


def test_missing_frame_shows_a_placeholder_and_does_not_crash(qtbot, open_window, library, fake_clock, tmp_path):
    (tmp_path / "bad.svg").write_text("<svg><not closed")
    frames = {"start": str(tmp_path / "gone.svg"), "end": str(tmp_path / "bad.svg")}
    drill = replace(library["hip-hinge"], frames=frames)
    w = open_window(drill)
    advance(w, fake_clock, 3 + 6 + 2)  # into the reps, crossfading between both frames
    assert 0 < w.pose_view._blend[2] < 1
    image = w.pose_view.grab().toImage()  # paints both frames: placeholders
    assert w.pose_view.missing == {str(tmp_path / "gone.svg"), str(tmp_path / "bad.svg")}
    assert image.width() > 0


def _colours(image) -> set[str]:
    found = set()
    for x in range(0, image.width(), 2):
        for y in range(0, image.height(), 2):
            colour = image.pixelColor(x, y)
            if colour.alpha() == 255:
                found.add(colour.name().upper())
    return found


def test_ink_follows_the_palette_and_the_right_side_is_mirrored(open_window, library):
    w = open_window(library["hip-hinge"])
    palette = w.pose_view.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#00FF00"))
    w.pose_view.setPalette(palette)
    path = library["hip-hinge"].frames["end"]
    image = w.pose_view.frame_pixmap(path, 240).toImage()
    colours = _colours(image)
    assert "#00FF00" in colours and "#2B2F36" not in colours
    assert "#E8743B" in colours  # the working leg keeps the accent
    w.pose_view.set_frames([path], mirrored=True)
    mirrored = w.pose_view.frame_pixmap(path, 240).toImage()
    flipped = image.flipped(Qt.Orientation.Horizontal)
    differing = sum(
        1 for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)
        if mirrored.pixelColor(x, y).rgba() != flipped.pixelColor(x, y).rgba()
    )
    assert differing < 0.02 * (image.width() // 3) * (image.height() // 3)
    assert mirrored != image


def test_pixmaps_follow_the_device_pixel_ratio(open_window, library):
    w = open_window(library["hip-hinge"])
    pixmap = w.pose_view.frame_pixmap(library["hip-hinge"].frames["start"], 120)
    assert pixmap.devicePixelRatio() == w.pose_view.devicePixelRatioF()
    assert pixmap.width() == round(120 * pixmap.devicePixelRatio())


def test_show_on_mouse_screen_centres_the_window(qtbot, library, fake_clock):
    w = DrillWindow(library["hip-hinge"], fake_clock, sounds_enabled=False)
    qtbot.addWidget(w)
    w.show_on_mouse_screen()
    qtbot.waitExposed(w)
    area = QApplication.primaryScreen().availableGeometry()
    assert (w.width(), w.height()) == (420, 520)
    centre = w.geometry().center()
    assert abs(centre.x() - area.center().x()) <= 2 and abs(centre.y() - area.center().y()) <= 2
