"""Two reminder kinds at once on a real dunst: one notification id per kind, answers by key, and
answering or withdrawing one kind never closes the other's notification."""

from __future__ import annotations

import pytest

from tests.platform import test_notify_freedesktop as fd
from unsit.platform.notify.freedesktop import FreedesktopNotifier

pytestmark = pytest.mark.desktop

clean_dunst = fd.clean_dunst
menu_dunst = fd.menu_dunst
OFFER = ("Morning hip routine (about 5 min)", "A short routine to start the day loose.",
         [("start", "Start"), ("later", "Later"), ("not_today", "Not today")])


@pytest.fixture
def two_kinds(clean_dunst, qapp):
    nudge, offer = FreedesktopNotifier(icon_path=""), FreedesktopNotifier(icon_path="")
    yield nudge, offer
    nudge.close()
    offer.close()


def test_two_kinds_keep_their_own_ids_and_withdrawing_one_leaves_the_other(two_kinds, desktop, qtbot):
    nudge, offer = two_kinds
    nudge.show_nudge(fd.NUDGE)
    offer.show_reminder(*OFFER)
    qtbot.waitUntil(lambda: fd.displayed(desktop) == "2" and not nudge.delivering and not offer.delivering)
    assert nudge.current_id > 0 and offer.current_id > 0 and nudge.current_id != offer.current_id
    offer.show_reminder(*OFFER)  # shown again: replaces only its own
    nudge.show_nudge(fd.NUDGE)
    qtbot.waitUntil(lambda: not nudge.delivering and not offer.delivering)
    assert fd.displayed(desktop) == "2"
    offer.withdraw()
    qtbot.waitUntil(lambda: fd.displayed(desktop) == "1")
    assert nudge.current_id > 0
    nudge.withdraw()
    qtbot.waitUntil(lambda: fd.displayed(desktop) == "0")
    summaries = {entry["summary"] for entry in desktop.dunst.history()}
    assert {fd.NUDGE.title, OFFER[0]} <= summaries


def test_answering_the_offer_routes_its_key_and_leaves_the_nudge(menu_dunst, desktop, qtbot, qapp):
    nudge, offer = FreedesktopNotifier(icon_path=""), FreedesktopNotifier(icon_path="")
    try:
        nudge_answers: list[str] = []
        for name in fd.ALL_SIGNALS:
            getattr(nudge.signals, name).connect(lambda name=name: nudge_answers.append(name))
        nudge.show_nudge(fd.NUDGE)
        offer.show_reminder(*OFFER)
        qtbot.waitUntil(lambda: fd.displayed(desktop) == "2" and not nudge.delivering and not offer.delivering)
        with qtbot.waitSignal(offer.signals.answered) as answer:
            menu_dunst(offer.current_id, "later")
        assert answer.args == ["later"]
        qtbot.waitUntil(lambda: fd.displayed(desktop) == "1")
        assert nudge.current_id > 0 and nudge_answers == []
        with qtbot.waitSignal(nudge.signals.snooze_requested):
            menu_dunst(nudge.current_id, "snooze")
        assert offer.current_id == 0
    finally:
        nudge.close()
        offer.close()
