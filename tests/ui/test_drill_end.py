"""The drill's ending on a real X server: the summary, closing itself a few seconds later
unless the real pointer is over the window, and spoken cues in the window."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QPoint, QTimer
from PySide6.QtGui import QCursor, QGuiApplication

from tests.ui.test_drill_window import ASSETS, advance, sided
from unsit.core.drills import Drill
from unsit.store.drill_library import load_library
from unsit.store.history import History
from unsit.ui.drill_end import CLOSE_AFTER_SECONDS, GRACE_SECONDS, end_text
from unsit.ui.drill_window import DrillWindow

SIDED_SECONDS = 3 + 10 + 8 + 5 + 10 + 8  # get ready, steps and the switch-sides pause


@pytest.fixture(scope="module")
def drill() -> Drill:
    """The sided test drill on the real hip extension frames."""
    drills, messages = load_library(ASSETS / "drills", None)
    assert messages == []
    return sided({d.id: d for d in drills})


class RecordingSpeaker:
    """A Speaker that keeps what it was asked to do."""

    name = "recording"

    def __init__(self) -> None:
        self.said: list[str] = []
        self.stops = 0

    def say(self, text: str) -> None:
        self.said.append(text)

    def stop(self) -> None:
        self.stops += 1


@pytest.fixture
def make_window(qtbot, fake_clock):
    def make(drill, **kwargs) -> DrillWindow:
        kwargs.setdefault("cue_player", lambda kind: None)
        w = DrillWindow(drill, fake_clock, **kwargs)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        return w

    return make


def move_pointer(qtbot, point: QPoint) -> None:
    QCursor.setPos(point)
    qtbot.waitUntil(lambda: QCursor.pos() == point, timeout=3000)


def pointer_away(qtbot, w: DrillWindow) -> None:
    area = QGuiApplication.primaryScreen().geometry()
    corner = area.bottomRight() - QPoint(2, 2)
    assert not w.frameGeometry().contains(corner), (area, w.frameGeometry())
    move_pointer(qtbot, corner)


def watch_deletion(w: DrillWindow) -> list[bool]:
    """A list that gets an item when the window is deleted (it deletes itself on close)."""
    gone: list[bool] = []
    w.destroyed.connect(lambda: gone.append(True))
    return gone


def test_end_text_names_the_drill_its_length_the_streak_and_today():
    assert end_text("Hip hinge", 125, 3) == (
        "Well done: Hip hinge, 2:05.\nSitting streak reset to zero.\nDrills today: 3.")
    assert end_text("Hip hinge", 60, 1).endswith("Your first drill today.")
    assert end_text("Hip hinge", 60, None) == "Well done: Hip hinge, 1:00.\nSitting streak reset to zero."


def test_the_end_screen_counts_todays_drills_from_the_history(qtbot, make_window, drill, fake_clock, tmp_path):
    history = History(tmp_path / "history.sqlite3")
    history.record("drill_finished", fake_clock.now() - timedelta(hours=2), drill_id="hip-hinge", duration_seconds=60)
    history.record("drill_finished", fake_clock.now() - timedelta(days=1), drill_id="hip-hinge", duration_seconds=60)
    w = make_window(drill, drills_today=lambda: history.today(fake_clock.now()).drills_done)
    # What the controller does with the signal: the drill just done is in the count.
    w.drill_finished.connect(lambda drill_id, seconds: history.record(
        "drill_finished", fake_clock.now(), drill_id=drill_id, duration_seconds=seconds))
    pointer_away(qtbot, w)
    advance(w, fake_clock, SIDED_SECONDS)
    assert w.step_label.text() == "Done"
    assert w.cue_label.text() == "Well done: Sided test, 0:41.\nSitting streak reset to zero.\nDrills today: 2."
    assert w.done_button.isVisible() and w.done_button.text() == f"Done · closes in {int(CLOSE_AFTER_SECONDS)} s"
    history.close()


def test_a_failing_history_still_shows_the_end(qtbot, make_window, drill, fake_clock):
    def broken() -> int:
        raise OSError("disk gone")

    w = make_window(drill, drills_today=broken)
    advance(w, fake_clock, SIDED_SECONDS)
    assert w.cue_label.text() == "Well done: Sided test, 0:41.\nSitting streak reset to zero."


def test_closes_itself_after_a_few_seconds_with_the_pointer_away(qtbot, make_window, drill, fake_clock):
    w = make_window(drill)
    pointer_away(qtbot, w)
    ended_early = []
    w.drill_ended_early.connect(lambda *args: ended_early.append(args))
    with qtbot.waitSignal(w.drill_finished, timeout=1000):
        advance(w, fake_clock, SIDED_SECONDS)
    timer = w.findChild(QTimer, "drill_auto_close")
    assert timer is not None and timer.isActive()
    fake_clock.advance(CLOSE_AFTER_SECONDS - 0.5)
    qtbot.waitUntil(lambda: w.done_button.text() == "Done · closes in 1 s", timeout=3000)  # the real timer
    assert w.isVisible()
    gone = watch_deletion(w)
    fake_clock.advance(0.6)
    qtbot.waitUntil(lambda: bool(gone), timeout=3000)  # closed by its real timer, then deleted
    assert ended_early == []  # a finished drill closing is not an early end


def test_stays_while_the_pointer_is_over_it_then_closes_after_a_grace(qtbot, make_window, drill, fake_clock):
    w = make_window(drill)
    move_pointer(qtbot, w.frameGeometry().center())
    advance(w, fake_clock, SIDED_SECONDS)
    assert w.done_button.text() == "Done"
    assert "pointer" in w.done_button.accessibleDescription()
    fake_clock.advance(120)  # two minutes of reading the summary
    w.auto_closer.check()
    assert w.isVisible() and w.done_button.text() == "Done"
    pointer_away(qtbot, w)
    fake_clock.advance(GRACE_SECONDS - 1)
    w.auto_closer.check()
    assert w.isVisible() and w.done_button.text() == "Done · closes in 1 s"
    move_pointer(qtbot, w.frameGeometry().center())  # back for another look: held again
    fake_clock.advance(30)
    w.auto_closer.check()
    assert w.isVisible()
    pointer_away(qtbot, w)
    gone = watch_deletion(w)
    fake_clock.advance(GRACE_SECONDS + 0.1)
    qtbot.waitUntil(lambda: bool(gone), timeout=3000)


def test_closing_by_hand_stops_the_countdown(qtbot, make_window, drill, fake_clock):
    w = make_window(drill)
    pointer_away(qtbot, w)
    advance(w, fake_clock, SIDED_SECONDS)
    timer = w.findChild(QTimer, "drill_auto_close")
    w.done_button.click()
    assert not w.isVisible() and not timer.isActive() and not w.auto_closer.active


def test_spoken_cues_follow_the_drill_and_closing_stops_the_voice(qtbot, make_window, drill, fake_clock):
    speaker = RecordingSpeaker()
    w = make_window(drill, speak_cues=True, speaker=speaker)
    assert speaker.said == ["Get ready. Left leg first."]
    advance(w, fake_clock, 3)
    advance(w, fake_clock, 10)
    advance(w, fake_clock, 4)
    advance(w, fake_clock, 4)
    assert speaker.said[1:] == ["Left hold. Stop if it hurts.",  # the first step ends with the safety note
                                "Left reps.", "Last one.", "Switch sides. Right leg next."]
    stops = speaker.stops
    w.pause_button.click()
    assert speaker.stops == stops + 1
    w.pause_button.click()
    w.close()
    assert speaker.stops > stops + 1


def test_spoken_cues_off_says_nothing(qtbot, make_window, drill, fake_clock):
    speaker = RecordingSpeaker()
    w = make_window(drill, speak_cues=False, speaker=speaker)
    advance(w, fake_clock, 1000)
    assert speaker.said == []


def test_speech_and_sounds_are_independent(qtbot, make_window, drill, fake_clock):
    speaker, played = RecordingSpeaker(), []
    w = make_window(drill, speak_cues=True, speaker=speaker, sounds_enabled=False, cue_player=played.append)
    advance(w, fake_clock, 1000)
    assert played == [] and speaker.said[-1] == "Done. Well done."
