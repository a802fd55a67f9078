"""Routing a nudge by notification style, the popup fallback, and holding it during do-not-disturb."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, Signal

from unsit.platform.notify.base import NotifierSignals, Nudge
from unsit.ui.nudge_presenter import NudgePresenter

NUDGE = Nudge(title="Time to unsit", body="You have been sitting for 1 h 00 min.", snooze_minutes=10)


class Notifier:
    name = "fake"

    def __init__(self, clickable=True):
        self.signals = NotifierSignals()
        self.clickable = clickable
        self.shown = []
        self.withdrawn = 0

    def show_nudge(self, nudge):
        self.shown.append(nudge)

    def withdraw(self):
        self.withdrawn += 1

    def close(self):
        pass


class Dnd(QObject):
    quiet_ended = Signal()

    def __init__(self):
        super().__init__()
        self.quiet = False
        self.watching = 0

    def is_quiet(self):
        return self.quiet

    def watch_until_quiet_ends(self):
        self.watching += 1


@pytest.mark.parametrize("style,system,popup", [("system", 1, False), ("popup", 0, True), ("both", 1, True)])
def test_style_decides_where_the_nudge_goes(qtbot, style, system, popup):
    notifier = Notifier()
    presenter = NudgePresenter(notifier, Dnd(), style)
    presenter.present(NUDGE)
    assert len(notifier.shown) == system
    assert (presenter._popup is not None and presenter._popup.isVisible()) is popup
    presenter.withdraw()
    if popup:
        assert not presenter._popup.isVisible()


def test_a_notifier_without_click_gets_the_popup_too(qtbot):
    notifier = Notifier(clickable=False)
    presenter = NudgePresenter(notifier, Dnd(), "system")
    presenter.present(NUDGE)
    assert notifier.shown == [NUDGE]
    assert presenter._popup.isVisible()
    with qtbot.waitSignal(presenter.snooze_requested):
        presenter._popup.snooze_requested.emit()
    presenter.withdraw()


def test_notifier_intents_come_out_of_the_presenter(qtbot):
    notifier = Notifier()
    presenter = NudgePresenter(notifier, Dnd(), "system")
    for name in ("drill_requested", "snooze_requested", "skip_requested"):
        with qtbot.waitSignal(getattr(presenter, name)):
            getattr(notifier.signals, name).emit()


def test_do_not_disturb_holds_the_nudge_until_it_ends(qtbot):
    notifier, dnd = Notifier(), Dnd()
    presenter = NudgePresenter(notifier, dnd, "system")
    dnd.quiet = True
    presenter.present(NUDGE)
    assert notifier.shown == [] and presenter.holding and dnd.watching == 1
    dnd.quiet = False
    dnd.quiet_ended.emit()
    assert notifier.shown == [NUDGE] and not presenter.holding


def test_a_withdrawn_held_nudge_is_never_shown(qtbot):
    notifier, dnd = Notifier(), Dnd()
    presenter = NudgePresenter(notifier, dnd, "system")
    dnd.quiet = True
    presenter.present(NUDGE)
    presenter.withdraw()  # the user walked away meanwhile
    dnd.quiet_ended.emit()
    assert notifier.shown == []
