"""Reminder cards under Xvfb: any kind's actions, one card per kind, answers routed as (kind, action)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.test_nudge_presenter import NUDGE, Notifier
from unsit.ui.nudge_presenter import NudgePresenter

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
