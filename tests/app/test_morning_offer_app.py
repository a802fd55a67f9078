"""The morning offer end to end in the app built as it runs on the test desktop: the first
sit-down brings its own dunst notification next to the hourly nudge's, and a click on it
(its default action, Start) plays the morning routine."""

from __future__ import annotations

from tests.app import test_routine_app
from unsit.ui.routine_window import RoutineWindow

running_app = test_routine_app.running_app  # the real app on a FakeClock, in this process

pytestmark = test_routine_app.pytestmark


class Typing:
    """The user types all the time (the desktop's own idle counter never moves under Xvfb)."""

    def idle_seconds(self) -> float:
        return 1.0


def test_the_first_sit_down_offers_the_routine_and_start_plays_it(running_app, desktop, qtbot):
    parts, clock = running_app
    controller, presenter = parts["controller"], parts["presenter"]
    controller._idle = Typing()
    controller.tick()  # (the app's own first tick may have offered it already)
    qtbot.waitUntil(lambda: "morning_routine" in presenter._kind_notifiers)
    offer = presenter._kind_notifiers["morning_routine"]
    qtbot.waitUntil(lambda: offer.current_id > 0 and desktop.dunst.count() == 1)
    assert controller.engine.status().morning_offer == "shown"
    for _ in range(60):  # an hour of sitting: the hourly nudge comes as its own notification
        clock.advance(60)
        controller.tick()
    # The desktop's quiet answer comes from a worker thread; its arrival ticks the controller.
    qtbot.waitUntil(lambda: controller.engine.status().phase.value == "nudge_due")
    nudge_notifier = presenter._notifier
    qtbot.waitUntil(lambda: desktop.dunst.count() == 2 and not nudge_notifier.delivering)
    assert nudge_notifier.current_id not in (0, offer.current_id)
    controller.snooze()  # the nudge is answered: the offer's notification stays
    qtbot.waitUntil(lambda: desktop.dunst.count() == 1)
    assert offer.current_id > 0
    desktop.dunst.action(0)  # a click on the offer: its default action, Start
    qtbot.waitUntil(lambda: isinstance(parts["windows"].drill_window, RoutineWindow))
    window = parts["windows"].drill_window
    qtbot.waitExposed(window)
    assert window.routine_session is not None
    assert controller.engine.status().phase.value == "in_drill"
    assert controller.engine.status().morning_offer == "done"
    qtbot.waitUntil(lambda: desktop.dunst.count() == 0)
    window.end_drill()
