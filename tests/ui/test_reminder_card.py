"""Reminder cards under Xvfb: any kind's actions, one card per kind, answers routed as (kind, action)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.app.test_nudge_presenter import NUDGE, Notifier
from unsit.app.nudge_presenter import NudgePresenter

OFFER_ACTIONS = [("start", "Start"), ("later", "Later"), ("not_today", "Not today")]


def test_a_card_renders_the_kinds_actions_and_answering_it_leaves_the_nudge_popup(qtbot):
    presenter = NudgePresenter(Notifier(), "popup")
    presenter.present(NUDGE)
    presenter.present_reminder("morning_routine", "Morning hip routine (about 5 min)", "Body.", OFFER_ACTIONS)
    card = presenter._cards["morning_routine"]
    qtbot.waitUntil(card.isVisible)
    assert [b.text() for b in card.buttons] == ["Start", "Later", "Not today"]
    assert not card.isActiveWindow()  # shown without taking the keyboard
    assert card.geometry().bottom() < presenter._popup.geometry().top()  # stacked above, not covering it
    with qtbot.waitSignal(presenter.answered) as answer:
        qtbot.mouseClick(card.buttons[2], Qt.MouseButton.LeftButton)
    assert answer.args == ["morning_routine", "not_today"]
    assert not card.isVisible() and presenter._popup.isVisible()
    presenter.close()


def test_withdrawing_the_nudge_leaves_the_card_and_withdrawing_the_card_leaves_the_nudge(qtbot):
    presenter = NudgePresenter(Notifier(), "popup")
    presenter.present(NUDGE)
    presenter.present_reminder("morning_routine", "T", "B", OFFER_ACTIONS)
    card = presenter._cards["morning_routine"]
    presenter.withdraw()
    assert card.isVisible() and not presenter._popup.isVisible()
    presenter.present(NUDGE)
    presenter.withdraw_reminder("morning_routine")
    assert not card.isVisible() and presenter._popup.isVisible()
    presenter.withdraw_reminder("unknown kind")  # nothing to take back: no error
    presenter.close()
    assert not card.isVisible()


class KindNotifier:
    """A stand-in for one kind's freedesktop notifier."""

    def __init__(self) -> None:
        from unsit.platform.notify.base import NotifierSignals

        self.signals = NotifierSignals()
        self.shown: list[tuple[str, str, list[tuple[str, str]]]] = []
        self.withdrawn = 0
        self.closed = False

    def show_reminder(self, title: str, body: str, actions: list[tuple[str, str]]) -> None:
        self.shown.append((title, body, actions))

    def withdraw(self) -> None:
        self.withdrawn += 1

    def close(self) -> None:
        self.closed = True


def test_with_a_kind_notifier_the_offer_is_a_system_notification_of_its_own(qtbot):
    made: list[KindNotifier] = []

    def make() -> KindNotifier:
        made.append(KindNotifier())
        return made[-1]

    nudge_notifier = Notifier()
    presenter = NudgePresenter(nudge_notifier, "system", reminder_notifier=make)
    presenter.present(NUDGE)
    presenter.present_reminder("morning_routine", "T", "B", OFFER_ACTIONS)
    presenter.present_reminder("morning_routine", "T", "B2", OFFER_ACTIONS)
    assert len(made) == 1 and [s[1] for s in made[0].shown] == ["B", "B2"]
    assert "morning_routine" not in presenter._cards  # no card in the "system" style
    assert nudge_notifier.shown == [NUDGE] and nudge_notifier.withdrawn == 0
    with qtbot.waitSignal(presenter.answered) as answer:
        made[0].signals.answered.emit("start")
    assert answer.args == ["morning_routine", "start"]
    presenter.present_reminder("morning_routine", "T", "B3", OFFER_ACTIONS)
    made[0].signals.delivery_failed.emit()  # not shown after all: its card at once
    assert presenter._cards["morning_routine"].isVisible()
    presenter.withdraw_reminder("morning_routine")
    assert made[0].withdrawn == 1 and not presenter._cards["morning_routine"].isVisible()
    assert nudge_notifier.withdrawn == 0
    presenter.close()
    assert made[0].closed


def test_a_notifier_without_clicks_sends_the_offer_to_its_card(qtbot):
    made: list[KindNotifier] = []
    presenter = NudgePresenter(Notifier(clickable=False), "system",
                               reminder_notifier=lambda: made.append(KindNotifier()) or made[-1])
    presenter.present_reminder("morning_routine", "T", "B", OFFER_ACTIONS)
    assert made == [] and presenter._cards["morning_routine"].isVisible()
    presenter.close()
