"""The drill window on a real X server: phases, controls, keys, signals, rendering."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QPushButton

from unsit.core.drill_session import State
from unsit.core.drills import Drill, parse_drill
from unsit.store.drill_library import load_library
from unsit.ui.drill_window import DrillWindow, next_tick_ms
from unsit.ui.figure_view import FRAME_MS

ASSETS = Path(__file__).resolve().parents[2] / "assets"


@pytest.fixture(scope="module")
def library() -> dict[str, Drill]:
    drills, messages = load_library(ASSETS / "drills", None)
    assert messages == []
    return {d.id: d for d in drills}


def sided(library) -> Drill:
    """A small drill: L hold 10 s, L reps 2x4 s, R hold 10 s, R reps 2x4 s (hands on the desk)."""
    desk = {"hands": "desk", "props": ["desk"]}
    return parse_drill(
        {
            "schema_version": 2, "id": "sided", "family": "extension", "name": "Sided test",
            "purpose": "Testing.", "safety": "Stop if it hurts.",
            "steps": [
                {"cue": "Left hold.", "seconds": 10, "side": "left", "poses": ["lean-in"], **desk},
                {"cue": "Left reps.", "reps": 2, "phase_seconds": [2, 2], "side": "left",
                 "poses": ["lean-in", "leg-back"], **desk},
                {"cue": "Right hold.", "seconds": 10, "side": "right", "poses": ["lean-in"], **desk},
                {"cue": "Right reps.", "reps": 2, "phase_seconds": [2, 2], "side": "right",
                 "poses": ["lean-in", "leg-back"], **desk},
            ],
        },
        "sided.toml",
    )


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
    assert "2:29 in total" in w.detail_label.text()
    for widget in w.findChildren(QPushButton):
        assert widget.accessibleName(), widget.objectName()
    for widget in (w.name_label, w.cue_label, w.step_label, w.side_label, w.ring, w.figure_view):
        assert widget.accessibleName()
    assert texts(w) == ("Get ready", "Left leg first", "0:03")
    assert w.cue_label.text().startswith("Coming up: Right hand on the desk, left hand on the hip.")


def test_length_changes_the_total(open_window, library):
    w = open_window(library["standing-hip-circles"], length="short")
    assert "2:17 in total" in w.detail_label.text()


def test_step_sequence_with_get_ready_switch_sides_and_both_sides(open_window, library, fake_clock):
    w = open_window(sided(library))
    timer = w.findChild(QTimer, "drill_tick")
    assert timer is not None and timer.isActive() and 20 <= timer.interval() <= 1000  # the next second
    advance(w, fake_clock, 3)
    assert texts(w) == ("Step 1 of 4", "Left leg", "0:10")
    assert w.cue_label.text() == "Left hold." and w.figure_view.scene.side == "left"
    advance(w, fake_clock, 10)
    assert texts(w) == ("Step 2 of 4\nrep 1 of 2", "Left leg", "0:08")
    advance(w, fake_clock, 4.5)
    assert w.step_label.text() == "Step 2 of 4\nrep 2 of 2"
    advance(w, fake_clock, 3.5)
    assert texts(w) == ("Switch sides", "Right leg next", "0:05")
    assert w.session.state is State.SWITCH_SIDES
    advance(w, fake_clock, 5)
    assert texts(w) == ("Step 3 of 4", "Right leg", "0:10")
    assert w.figure_view.scene.side == "right"
    # get ready, step 1, step 2 (rep 1), rep 2's tick, switch sides, step 3
    assert w.played == ["ready", "step", "step", "tick", "ready", "step"]


def test_finishing_emits_drill_finished_with_the_duration_and_shows_done(qtbot, open_window, library, fake_clock):
    w = open_window(sided(library))
    with qtbot.waitSignal(w.drill_finished, timeout=1000) as blocker:
        advance(w, fake_clock, 3 + 10 + 8 + 5 + 10 + 7.9)
        assert w.session.state is State.STEP
        advance(w, fake_clock, 0.1)
    assert blocker.args == ["sided", pytest.approx(44.0)]
    assert w.step_label.text() == "Done" and w.ring.done and w.ring.text == ""  # a done mark, no "0:00"
    assert w.ring.accessibleDescription() == "Done"
    assert not w.side_label.isVisible()  # no blank line where the side was
    assert "\n\n" not in w.cue_label.text() and not w.cue_label.text().endswith("\n")
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
    # skipping through without doing the drill does not count as done
    with qtbot.assertNotEmitted(w.drill_finished), qtbot.waitSignal(w.drill_ended_early, timeout=1000) as blocker:
        qtbot.keyClick(w, Qt.Key.Key_Right)
    assert blocker.args == ["sided", pytest.approx(0.0)]
    assert w.step_label.text() == "Ended" and "counts as done from half its time" in w.cue_label.text()
    assert w.done_button.isVisible() and not w.skip_button.isVisible()


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


def test_the_figure_animates_only_while_it_moves(qtbot, open_window, fake_clock):
    w = open_window(sided(None))
    view = w.figure_view
    assert not view.animating  # get ready: standing still
    advance(w, fake_clock, 3 + 2)
    assert not view.animating  # a one-pose hold
    advance(w, fake_clock, 8 + 1)
    assert view.animating  # a rep: the leg is moving
    frame_timer = view.findChild(QTimer, "figure_frame")
    assert frame_timer.interval() == FRAME_MS == 33  # 30 frames a second
    w.toggle_pause()
    assert not view.animating
    w.toggle_pause()
    assert view.animating
    advance(w, fake_clock, 60)  # the end
    assert not view.animating and w.session.done


def test_no_redraws_while_a_pose_is_held(qtbot, open_window, fake_clock):
    w = open_window(sided(None))
    advance(w, fake_clock, 3 + 2)
    qtbot.waitUntil(lambda: w.figure_view.paint_count > 0, timeout=3000)
    painted = w.figure_view.paint_count
    tick = w.findChild(QTimer, "drill_tick")
    for _ in range(4):  # the window ticks on; the ring counts down, the figure holds
        fake_clock.advance(0.5)
        with qtbot.waitSignal(tick.timeout, timeout=2000):
            pass
        QApplication.processEvents()
    assert w.ring.text == "0:06"
    assert w.figure_view.paint_count == painted


def test_moving_figure_repaints_at_the_frame_rate(qtbot, open_window, fake_clock):
    w = open_window(sided(None))
    advance(w, fake_clock, 3 + 10)
    painted = w.figure_view.paint_count
    for _ in range(5):  # the clock moves between frames; each frame shows a new pose
        fake_clock.advance(0.1)
        before = w.figure_view.paint_count
        qtbot.waitUntil(lambda before=before: w.figure_view.paint_count > before, timeout=2000)
    assert w.figure_view.paint_count >= painted + 5


def test_the_countdown_tick_leaves_the_moving_figure_to_its_frame_timer(qtbot, open_window, fake_clock):
    w = open_window(sided(None))
    advance(w, fake_clock, 3 + 10 + 0.5)
    view = w.figure_view
    assert view.animating
    shown = view.scene
    for _ in range(3):  # ticks between two frames: the frame timer alone moves the figure
        advance(w, fake_clock, 0.1)
        assert view.scene is shown
    active = [t.objectName() for t in w.findChildren(QTimer) if t.isActive()]
    assert sorted(active) == ["drill_tick", "figure_frame"]  # one frame timer, and the countdown
    # 7.2 s of the 8-s step left, 3.7 s of the first 4-s rep: the next tick shows 0:07
    assert w.findChild(QTimer, "drill_tick").interval() == 205


def test_in_reps_the_tick_also_comes_when_the_next_rep_begins(open_window, fake_clock):
    w = open_window(sided(None))
    advance(w, fake_clock, 3 + 10 + 3.5)  # 0.5 s before rep 2, 4.5 s left in the step
    assert w.findChild(QTimer, "drill_tick").interval() == 505
    advance(w, fake_clock, 0.505)
    assert "rep 2 of 2" in w.step_label.text()
    assert w.played[-1] == "tick"  # the new rep is heard on time


def test_while_the_figure_holds_the_tick_comes_with_the_countdowns_next_second(open_window, fake_clock):
    w = open_window(sided(None))
    advance(w, fake_clock, 3 + 2.25)  # step 1 (a 10-s hold), 7.75 s left
    tick = w.findChild(QTimer, "drill_tick")
    assert tick.isActive() and not w.figure_view.animating
    assert tick.interval() == 755  # 0.75 s until 0:07 shows, and a little
    advance(w, fake_clock, 0.755)
    assert w.ring.text == "0:07"
    assert tick.interval() == 1000
    assert [t.objectName() for t in w.findChildren(QTimer) if t.isActive()] == ["drill_tick"]


def test_next_tick_ms():
    assert next_tick_ms(7.75, 0.3) == 305  # the next rep first
    assert next_tick_ms(7.75, 2.0) == 755
    assert next_tick_ms(7.75, 0.0) == 755  # a rep beginning now is counted already
    assert next_tick_ms(7.75) == 755
    assert next_tick_ms(7.0) == 1000  # just changed: the next second is a second away
    assert next_tick_ms(7.002) == 20  # 0:07 is 2 ms away: not sooner than 20 ms
    assert next_tick_ms(0.3) == 305
    assert next_tick_ms(0.0001) == 20


def _pooled_threads() -> int:
    tasks = Path("/proc/self/task")
    return sum((task / "comm").read_text().strip() == "Thread (pooled)" for task in tasks.iterdir())


_DRILL_SCRIPT = """
import os, sys
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
from unsit.platform.clock import SystemClock
from unsit.runtime.resources import asset_path
from unsit.store.drill_library import load_library
from unsit.ui.drill_window import DrillWindow

class Ahead(SystemClock):
    ahead = 0.0
    def monotonic(self):
        return super().monotonic() + self.ahead

def run(seconds):
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()

app = QApplication(sys.argv[:1])
drills, _ = load_library(asset_path("drills"), None)
clock = Ahead()
for drill_id, into_reps in (("standing-hip-extension", 3.2), ("hip-flexor-stretch-reach", 3.2)):
    drill = next(d for d in drills if d.id == drill_id)
    window = DrillWindow(drill, clock, sounds_enabled=False)
    window.show()
    run(0.3)
    clock.ahead += into_reps + drill.steps[0].duration_seconds(1.0)
    run(0.8)  # the figure moves: 30 frames a second, the ring at each tick
    window.close()
    run(0.1)
names = [open(f"/proc/self/task/{t}/comm").read().strip() for t in os.listdir("/proc/self/task")]
print(names.count("Thread (pooled)"))
"""


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="threads are listed through /proc")
def test_painting_the_drill_starts_no_pooled_threads():
    """Translucent fills over ~96 scan lines make Qt's raster engine blend on two pooled threads
    ("Thread (pooled)") that wake at every such paint: the figure and the ring paint opaque colours.
    Run in a fresh process on the test display, so no other test's painting is counted."""
    result = subprocess.run([sys.executable, "-c", _DRILL_SCRIPT], capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0"]


def _colours(image) -> set[str]:
    found = set()
    for x in range(0, image.width(), 2):
        for y in range(0, image.height(), 2):
            colour = image.pixelColor(x, y)
            if colour.alpha() == 255:
                found.add(colour.name().upper())
    return found


def test_ink_follows_the_palette_and_the_right_side_is_the_mirror(open_window, fake_clock):
    w = open_window(sided(None))
    view = w.figure_view
    palette = view.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#00FF00"))
    view.setPalette(palette)
    advance(w, fake_clock, 3)
    image = view.grab().toImage()
    colours = _colours(image)
    assert "#00FF00" in colours and "#2B2F36" not in colours
    assert "#E8743B" in colours  # the working leg keeps the accent
    advance(w, fake_clock, 10 + 8 + 5)
    assert view.scene.side == "right"
    mirrored = view.grab().toImage()
    flipped = image.flipped(Qt.Orientation.Horizontal)
    differing = sum(
        1 for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)
        if mirrored.pixelColor(x, y).rgba() != flipped.pixelColor(x, y).rgba()
    )
    assert differing < 0.03 * (image.width() // 3) * (image.height() // 3)
    assert mirrored != image


def test_show_on_mouse_screen_centres_the_window(qtbot, library, fake_clock):
    w = DrillWindow(library["hip-hinge"], fake_clock, sounds_enabled=False)
    qtbot.addWidget(w)
    w.show_on_mouse_screen()
    qtbot.waitExposed(w)
    area = QApplication.primaryScreen().availableGeometry()
    assert (w.width(), w.height()) == (420, 520)
    centre = w.geometry().center()
    assert abs(centre.x() - area.center().x()) <= 2 and abs(centre.y() - area.center().y()) <= 2
