"""The morning offer end to end in the app built as it runs on the test desktop: the first
sit-down brings its card next to the hourly nudge, and its Start button plays the morning routine."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui import test_routine_app
from unsit.ui.routine_window import RoutineWindow

running_app = test_routine_app.running_app  # the real app on a FakeClock, in this process

pytestmark = test_routine_app.pytestmark


class Typing:
    """The user types all the time (the desktop's own idle counter never moves under Xvfb)."""

    def idle_seconds(self) -> float:
        return 1.0


def test_the_first_sit_down_offers_the_routine_and_start_plays_it(running_app, qtbot):
    parts, clock = running_app
    controller, presenter = parts["controller"], parts["presenter"]
    controller._idle = Typing()
    controller.tick()
    card = presenter._cards["morning_routine"]
    qtbot.waitExposed(card)
    assert [b.text() for b in card.buttons] == ["Start", "Later", "Not today"]
    assert controller.engine.status().morning_offer == "shown"
    for _ in range(60):  # an hour of sitting: the hourly nudge comes, the card stays
        clock.advance(60)
        controller.tick()
    assert controller.engine.status().phase.value == "nudge_due"
    assert card.isVisible()
    controller.snooze()  # the nudge is answered: the offer's card is not touched
    assert card.isVisible()
    qtbot.mouseClick(card.buttons[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(parts["windows"].drill_window, RoutineWindow))
    window = parts["windows"].drill_window
    qtbot.waitExposed(window)
    assert window.routine_session is not None and not card.isVisible()
    assert controller.engine.status().phase.value == "in_drill"
    assert controller.engine.status().morning_offer == "done"
    window.end_drill()
