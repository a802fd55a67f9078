"""Do-not-disturb asked off the GUI thread: the tick gets the last answer, or "not yet", at once."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from tests.platform.private_bus import PrivateBus
from unsit.core.events import QuietReason
from unsit.platform.dnd import DndWatcher
from unsit.platform.quiet_answers import QuietAnswers

FULL = frozenset({QuietReason.FULL_SCREEN})


class SlowDesktop:
    """A blocking question that returns only when the test lets it."""

    def __init__(self) -> None:
        self.value: frozenset[QuietReason] = frozenset()
        self.go = threading.Event()
        self.asked = 0

    def __call__(self) -> frozenset[QuietReason]:
        self.asked += 1
        assert self.go.wait(10)
        return self.value


class Seconds:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def slow():
    desktop = SlowDesktop()
    yield desktop
    desktop.go.set()


def test_the_first_question_says_not_yet_and_the_answer_comes_as_a_signal(qtbot, slow):
    clock = Seconds()
    answers = QuietAnswers(slow, clock)
    started = time.monotonic()
    assert answers() is None  # under way: the tick did not wait for the desktop
    assert time.monotonic() - started < 0.5
    assert answers() is None and slow.asked == 1  # one question at a time
    slow.value = FULL
    with qtbot.waitSignal(answers.answered, timeout=5000):
        slow.go.set()
    assert answers() == FULL
    answers.close()


def test_a_fresh_answer_is_used_and_asked_again_in_the_background(qtbot, slow):
    clock = Seconds()
    answers = QuietAnswers(slow, clock)
    slow.go.set()
    answers()
    qtbot.waitUntil(lambda: answers() is not None, timeout=5000)
    assert slow.asked == 1  # an answer younger than a second is not asked again
    clock.now += 5  # the next engine tick
    slow.go.clear()
    slow.value = FULL
    assert answers() == frozenset()  # the last answer, while the new one is under way
    with qtbot.waitSignal(answers.answered, timeout=5000):  # it changed: the owner ticks again
        slow.go.set()
    assert answers() == FULL and slow.asked == 2
    answers.close()


def test_an_unchanged_answer_emits_nothing(qtbot, slow):
    clock = Seconds()
    answers = QuietAnswers(slow, clock)
    slow.go.set()
    with qtbot.waitSignal(answers.answered, timeout=5000):
        answers()
    clock.now += 5
    with qtbot.assertNotEmitted(answers.answered, wait=300):
        assert answers() == frozenset()
        qtbot.waitUntil(lambda: slow.asked == 2, timeout=5000)
    answers.close()


def test_a_question_that_hangs_holds_nothing_back_after_the_wait(qtbot, slow):
    clock = Seconds()
    answers = QuietAnswers(slow, clock, wait_seconds=3.0)
    assert answers() is None
    clock.now += 2.9
    assert answers() is None
    clock.now += 0.2  # the desktop took longer than the wait: "not quiet", the nudge may come
    assert answers() == frozenset() and slow.asked == 1
    slow.go.set()
    answers.close()


def test_a_failing_question_counts_as_not_quiet(qtbot):
    def broken() -> frozenset[QuietReason]:
        raise ValueError("a probe bug")

    answers = QuietAnswers(broken, Seconds())
    with qtbot.waitSignal(answers.answered, timeout=5000):
        assert answers() is None
    assert answers() == frozenset()
    answers.close()


@pytest.mark.desktop
def test_a_hung_notification_server_never_blocks_the_caller(qtbot, tmp_path: Path):
    """The stand-in with ``--hold`` never answers the do-not-disturb property reads."""
    bus = PrivateBus(tmp_path / "bus")
    bus.start()
    try:
        bus.start_standin("--hold")
        watcher = DndWatcher(platform="linux", bus=bus.address)
        started = time.monotonic()
        assert watcher.quiet_reasons() == frozenset()  # the blocking question waits for its timeouts
        assert time.monotonic() - started >= 0.45  # one D-Bus timeout (0.5 s) on every tick before
        answers = QuietAnswers(watcher.quiet_reasons, time.monotonic)
        started = time.monotonic()
        assert answers() is None
        assert time.monotonic() - started < 0.2
        with qtbot.waitSignal(answers.answered, timeout=10000):
            pass
        assert answers() == frozenset()
        answers.close()
        watcher.close()
    finally:
        bus.close()


def test_the_answer_is_handled_on_the_gui_thread(qtbot, slow):
    """The worker's signal is queued to the GUI thread: the owner's tick never runs on the worker."""
    answers = QuietAnswers(slow, Seconds())
    threads: list[int] = []
    answers.answered.connect(lambda: threads.append(threading.get_ident()))
    assert answers() is None
    with qtbot.waitSignal(answers.answered, timeout=5000):
        slow.go.set()
    assert threads == [threading.get_ident()]
    answers.close()


@pytest.mark.desktop
def test_the_desktop_watcher_is_made_on_the_first_question_and_closed_once(desktop, monkeypatch):
    """``DesktopQuiet`` makes its ``DndWatcher`` only when asked (an idle tray never asks)."""
    from unsit.platform import dnd
    from unsit.platform.quiet_answers import DesktopQuiet

    made: list[DndWatcher] = []
    closed: list[DndWatcher] = []

    class Counted(DndWatcher):
        def __init__(self) -> None:
            super().__init__()
            made.append(self)

        def close(self) -> None:
            closed.append(self)
            super().close()

    monkeypatch.setattr(dnd, "DndWatcher", Counted)
    quiet = DesktopQuiet()
    quiet.close()
    assert made == [] and closed == []
    quiet = DesktopQuiet()
    assert quiet.quiet_reasons() == frozenset()  # the test desktop's dunst is not paused
    assert quiet.quiet_reasons() == frozenset()
    assert len(made) == 1
    quiet.close()
    quiet.close()
    assert closed == made
