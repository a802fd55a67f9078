"""The drill window playing a routine on a real X server: drill after drill, header, next, stop."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QPushButton

from unsit.core.drill_session import State
from unsit.core.routines import Routine
from unsit.core.settings import Settings
from unsit.store.drill_library import load_library
from unsit.store.routine_library import load_routines
from unsit.ui.routine_window import RoutineWindow
from unsit.ui.windows import Windows

ASSETS = Path(__file__).resolve().parents[2] / "assets"


@pytest.fixture(scope="module")
def library():
    drills, messages = load_library(ASSETS / "drills", None)
    routines, more = load_routines(ASSETS / "routines", None, drills)
    assert messages == more == []
    return drills, {r.id: r for r in routines}


@pytest.fixture
def open_routine(qtbot, fake_clock):
    def make(routine: Routine) -> RoutineWindow:
        played: list[str] = []
        w = RoutineWindow(routine, fake_clock, cue_player=played.append)
        qtbot.addWidget(w)
        w.played = played  # type: ignore[attr-defined]
        w.show()
        qtbot.waitExposed(w)
        return w

    return make


def run_out_current_drill(w: RoutineWindow, clock) -> None:
    clock.advance(w.session.left_seconds)
    w.tick()


def test_the_header_names_the_step_the_drill_and_the_time_left(open_routine, library):
    warm_up = library[1]["warm-up"]
    w = open_routine(warm_up)
    assert w.windowTitle() == "Unsit — Warm-up before a walk or run"
    assert w.name_label.text() == "Warm-up before a walk or run"
    header = w.detail_label.text()
    assert header.startswith("Drill 1 of 2 · Marching on the spot · 2:56 left\n")
    assert warm_up.notes in header  # the notes, before the first drill begins
    assert w.step_label.text() == "Get ready"
    for widget in w.findChildren(QPushButton):
        assert widget.accessibleName(), widget.objectName()
    assert w.next_button.isVisible()


def test_drills_follow_one_another_and_the_routine_finishes_as_one_session(qtbot, open_routine, library,
                                                                           fake_clock):
    warm_up = library[1]["warm-up"]
    w = open_routine(warm_up)
    seen = []
    for index, step in enumerate(warm_up.steps):
        assert w.session.drill is step.drill and w.drill is step.drill
        assert w.detail_label.text().startswith(f"Drill {index + 1} of 2 · {step.drill.name}")
        assert w.safety_label.text() == step.drill.safety
        fake_clock.advance(10)
        w.tick()
        assert (warm_up.notes in w.detail_label.text()) is (index == 0)  # read through the first drill
        seen.append(w.step_label.text())
        if index < len(warm_up.steps) - 1:
            run_out_current_drill(w, fake_clock)
            assert warm_up.notes not in w.detail_label.text()
    assert all(text.startswith("Part ") for text in seen)  # each drill's own steps are its parts
    with qtbot.waitSignal(w.drill_finished, timeout=1000) as blocker:
        run_out_current_drill(w, fake_clock)
    assert blocker.args == ["routine:warm-up", pytest.approx(warm_up.total_seconds(), abs=1)]
    assert "Warm-up before a walk or run, 2:56." in w.cue_label.text()  # the length the header showed
    assert w.routine_session.state is State.FINISHED
    assert w.step_label.text() == "Done" and w.cue_label.text().startswith("Well done: Warm-up before a walk or run")
    assert w.detail_label.text() == "2 drills · 2:56 in total"
    assert not w.findChild(QTimer, "drill_tick").isActive()
    assert w.done_button.isVisible() and not w.next_button.isVisible()
    assert w.played.count("end") == 1 and w.played.count("ready") >= 2


def test_next_drill_moves_on_and_the_time_left_drops(open_routine, library, fake_clock):
    w = open_routine(library[1]["morning"])
    fake_clock.advance(5)
    w.tick()
    before = w.routine_session.left_seconds
    w.next_button.click()
    assert w.routine_session.index == 1 and w.drill.id == "standing-leg-turns"
    assert w.step_label.text() == "Get ready"
    assert w.routine_session.left_seconds < before - 40
    assert w.describe()["routine"] == {"id": "morning", "name": "Morning hip routine", "step": 2, "step_count": 4,
                                       "drill": "standing-leg-turns",
                                       "left_seconds": round(w.routine_session.left_seconds, 1)}


def test_stopping_reports_the_routine_ended_early_with_the_time_spent(qtbot, open_routine, library, fake_clock):
    w = open_routine(library[1]["morning"])
    run_out_current_drill(w, fake_clock)
    fake_clock.advance(20)
    w.tick()
    with qtbot.waitSignal(w.drill_ended_early, timeout=1000) as blocker:
        w.end_button.click()
    assert blocker.args[0] == "routine:morning"
    assert blocker.args[1] == pytest.approx(library[1]["morning"].steps[0].seconds + 3 + 20, abs=0.5)


def test_windows_plays_a_routine_once_and_raises_the_open_window(qtbot, fake_clock, library):
    drills, routines = library
    windows = Windows(drills=drills, clock=fake_clock, routines=list(routines.values()))
    try:
        assert [r.id for r in windows.routines] == ["morning", "warm-up"]
        assert windows.open_routine("nope", Settings()) is None and windows.drill_window is None
        assert windows.open_routine("warm-up", Settings()) == "routine:warm-up"
        assert isinstance(windows.drill_window, RoutineWindow)
        assert windows.open_routine("morning", Settings()) == "routine:warm-up"  # the open one, raised
        with qtbot.waitSignal(windows.drill_ended_early) as blocker:
            windows.drill_window.end_drill()
        assert blocker.args[0] == "routine:warm-up"
    finally:
        windows.close_all()


@pytest.mark.parametrize("routine", [5, "", "x" * 500, ["morning"]])
def test_the_command_handler_refuses_a_bad_routine_as_bad_input(qapp, routine):
    from types import SimpleNamespace

    from tests.ui.fakes_ui import FakeWindows
    from unsit.app.commands import CommandHandler

    started: list[str] = []
    controller = SimpleNamespace(start_routine=started.append, running_drill=lambda: None)
    handler = CommandHandler(controller, dict, lambda: None, FakeWindows(), lambda: None)  # type: ignore[arg-type]
    reply = handler({"command": "drill", "routine": routine})
    assert reply["ok"] is False and reply["bad_input"] is True
    assert reply["error"].endswith("use one of morning, warm-up") and len(reply["error"]) < 160
    assert started == []
    assert handler({"command": "drill", "routine": "warm-up"})["message"] == "Started: Warm-up before a walk or run"
    assert started == ["warm-up"]


def test_spoken_cues_name_the_routine_and_each_drill_coming_up(qtbot, library, fake_clock):
    from tests.ui.test_drill_end import RecordingSpeaker

    warm_up = library[1]["warm-up"]
    speaker = RecordingSpeaker()
    played: list[str] = []
    w = RoutineWindow(warm_up, fake_clock, cue_player=played.append, speak_cues=True, speaker=speaker)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    assert speaker.said[0] == "Warm-up before a walk or run. First: Marching on the spot. Get ready."
    run_out_current_drill(w, fake_clock)
    assert speaker.said[-1].startswith("Next: Standing hip extension. Get ready.")
    assert played[-1] == "ready"


def test_in_a_routine_skip_part_skips_a_part_the_header_stays_true_and_the_routine_still_counts(
        qtbot, library, open_routine, fake_clock):
    morning = library[1]["morning"]
    w = open_routine(morning)
    assert w.skip_button.text() == "Skip part" and w.next_button.text() == "Next drill"
    fake_clock.advance(3.5)
    w.tick()
    assert w.step_label.text().startswith("Part 1 of ")
    w.skip_button.click()  # one part of the first drill
    assert w.routine_session.index == 0 and w.detail_label.text().startswith("Drill 1 of 4 · ")
    assert w.step_label.text().split("\n")[0] in ("Get ready", "Switch sides") or \
        w.step_label.text().startswith("Part 2 of ")
    w.next_button.click()  # the next drill
    assert w.routine_session.index == 1 and w.detail_label.text().startswith("Drill 2 of 4 · ")
    with qtbot.waitSignal(w.drill_finished, timeout=2000) as blocker:
        while not w.routine_session.done:
            run_out_current_drill(w, fake_clock)
    assert blocker.args[0] == "routine:morning"
    assert w.step_label.text() == "Done" and w.ring.done
    assert "Well done" in w.cue_label.text()
