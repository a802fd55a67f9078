"""Routing a nudge by notification style and the popup fallback (the presenter only renders)."""

from __future__ import annotations

import pytest

from unsit.app.nudge_presenter import NudgePresenter
from unsit.platform.notify.base import NotifierSignals, Nudge

NUDGE = Nudge(title="Time to unsit", body="You have been sitting for 1 h 00 min.", snooze_minutes=10)


class Notifier:
    name = "fake"

    def __init__(self, clickable=True):
        self.signals = NotifierSignals()
        self.clickable = clickable
        self.shown = []
        self.informed = []
        self.withdrawn = 0

    def show_nudge(self, nudge):
        self.shown.append(nudge)

    def withdraw(self):
        self.withdrawn += 1

    def inform(self, title, body):
        self.informed.append(title)

    def close(self):
        pass


@pytest.mark.parametrize("style,system,popup", [("system", 1, False), ("popup", 0, True), ("both", 1, True)])
def test_style_decides_where_the_nudge_goes(qtbot, style, system, popup):
    notifier = Notifier()
    presenter = NudgePresenter(notifier, style)
    presenter.present(NUDGE)
    assert len(notifier.shown) == system
    assert (presenter._popup is not None and presenter._popup.isVisible()) is popup
    presenter.withdraw()
    if popup:
        assert not presenter._popup.isVisible()


def test_a_notifier_without_click_gets_the_popup_too(qtbot):
    notifier = Notifier(clickable=False)
    presenter = NudgePresenter(notifier, "system")
    presenter.present(NUDGE)
    assert notifier.shown == [NUDGE]
    assert presenter._popup.isVisible()
    with qtbot.waitSignal(presenter.snooze_requested):
        presenter._popup.snooze_requested.emit()
    presenter.withdraw()


def test_notifier_intents_come_out_of_the_presenter(qtbot):
    notifier = Notifier()
    presenter = NudgePresenter(notifier, "system")
    for name in ("drill_requested", "snooze_requested", "skip_requested"):
        with qtbot.waitSignal(getattr(presenter, name)):
            getattr(notifier.signals, name).emit()


def test_the_presenter_only_renders(qtbot):
    # Changed deliberately (issue 11): holding a nudge during do-not-disturb moved to the core
    # (NudgeHeld, tests/core/test_quiet_and_days.py; wired in tests/ui/test_controller.py).
    notifier = Notifier()
    presenter = NudgePresenter(notifier, "system")
    presenter.present(NUDGE)
    assert notifier.shown == [NUDGE]
    assert not hasattr(presenter, "holding")


def test_a_failed_delivery_moves_the_nudge_to_the_fallback_at_once(qtbot):
    notifier, tray = Notifier(), Notifier()
    tray.name = "tray"
    presenter = NudgePresenter(notifier, "system", fallback=tray)
    assert presenter.status()["notifier"] == "fake" and not presenter.status()["notifier_fallback"]
    presenter.present(NUDGE)
    assert notifier.shown == [NUDGE] and tray.shown == []
    notifier.signals.delivery_failed.emit()
    assert tray.shown == [NUDGE]  # the same nudge, on the next channel
    assert presenter.status()["notifier"] == "tray" and presenter.status()["notifier_fallback"]
    assert presenter.status()["nudge_channels"] == ["tray"]
    with qtbot.waitSignal(presenter.drill_requested):
        tray.signals.drill_requested.emit()
    presenter.present(NUDGE)  # while it fails, nudges go straight to the fallback
    assert notifier.shown == [NUDGE] and tray.shown == [NUDGE, NUDGE]
    notifier.signals.server_appeared.emit()
    presenter.present(NUDGE)
    assert notifier.shown == [NUDGE, NUDGE] and len(tray.shown) == 2
    assert presenter.status()["notifier"] == "fake" and not presenter.status()["notifier_fallback"]
    presenter.withdraw()
    assert tray.withdrawn >= 1


def test_without_a_fallback_the_popup_takes_a_failed_nudge(qtbot):
    notifier = Notifier()
    presenter = NudgePresenter(notifier, "system")
    presenter.present(NUDGE)
    assert presenter._popup is None
    notifier.signals.delivery_failed.emit()
    assert presenter._popup.isVisible()
    assert presenter.status()["notifier"] == "popup" and presenter.status()["nudge_channels"] == ["popup"]
    with qtbot.waitSignal(presenter.skip_requested):
        presenter._popup.buttons[2].click()
    presenter.withdraw()


def test_a_failure_after_the_answer_or_withdraw_shows_nothing(qtbot):
    notifier, tray = Notifier(), Notifier()
    tray.name = "tray"
    presenter = NudgePresenter(notifier, "system", fallback=tray)
    presenter.present(NUDGE)
    notifier.signals.snooze_requested.emit()  # answered on the notification
    notifier.signals.delivery_failed.emit()  # then the server went away
    assert tray.shown == []
    notifier.signals.server_appeared.emit()
    presenter.present(NUDGE)
    presenter.withdraw()
    notifier.signals.delivery_failed.emit()
    assert tray.shown == [] and presenter._popup is None


def test_a_notifier_without_actions_is_listed_with_the_popup(qtbot):
    presenter = NudgePresenter(Notifier(clickable=False), "system")
    assert presenter.status()["nudge_channels"] == ["fake", "popup"]
    assert presenter.status()["notify_server"] is None
    assert NudgePresenter(Notifier(), "popup").status()["nudge_channels"] == ["popup"]
    assert NudgePresenter(Notifier(), "both").status()["nudge_channels"] == ["fake", "popup"]


def test_messages_go_to_the_channel_in_use(qtbot):
    notifier, tray = Notifier(), Notifier()
    tray.name = "tray"
    presenter = NudgePresenter(notifier, "system", fallback=tray)
    presenter.inform("Unsit", "first")
    notifier.signals.delivery_failed.emit()
    presenter.inform("Unsit", "second")
    assert notifier.informed == ["Unsit"] and tray.informed == ["Unsit"]
    lone = Notifier()
    alone = NudgePresenter(lone, "system")
    lone.signals.delivery_failed.emit()
    alone.inform("Unsit", "nowhere to show it")  # only the popup is left: logged by the app, not shown
    assert lone.informed == []
