"""Two reminder kinds at once on a real dunst: one notification id per kind, answers by key, and
answering or withdrawing one kind never closes the other's notification.

Each test runs with the offer on a connection of its own and with the offer sharing the
nudge notifier's connection (a slot on its link, as the app makes it: issue 11's footprint).
"""

from __future__ import annotations

import threading

import pytest

from tests.platform import test_notify_freedesktop as fd
from unsit.platform.notify.freedesktop import FreedesktopNotifier

pytestmark = pytest.mark.desktop

clean_dunst = fd.clean_dunst
menu_dunst = fd.menu_dunst
OFFER = ("Morning hip routine (about 5 min)", "A short routine to start the day loose.",
         [("start", "Start"), ("later", "Later"), ("not_today", "Not today")])




def make_pair(shared: bool) -> tuple[FreedesktopNotifier, FreedesktopNotifier]:
    """The nudge's notifier and the offer's: on one connection when ``shared``."""
    nudge = FreedesktopNotifier(icon_path="")
    offer = FreedesktopNotifier(share_link_of=nudge) if shared else FreedesktopNotifier(icon_path="")
    return nudge, offer


@pytest.fixture(params=[False, True], ids=["own-connection", "shared-connection"])
def shared(request) -> bool:
    return bool(request.param)


@pytest.fixture
def two_kinds(clean_dunst, qapp, shared):
    nudge, offer = make_pair(shared)
    yield nudge, offer
    offer.close()
    nudge.close()


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


def test_answering_the_offer_routes_its_key_and_leaves_the_nudge(menu_dunst, desktop, qtbot, qapp, shared):
    nudge, offer = make_pair(shared)
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
        offer.close()
        nudge.close()


def unsit_notify_threads() -> int:
    return sum(1 for thread in threading.enumerate() if thread.name.startswith("unsit-notify"))


def test_a_shared_offer_adds_no_thread_and_closing_it_leaves_the_nudge_working(clean_dunst, desktop, qtbot, qapp):
    before = unsit_notify_threads()
    nudge, offer = make_pair(shared=True)
    try:
        assert unsit_notify_threads() == before + 1  # the nudge link's worker only
        offer.show_reminder(*OFFER)
        nudge.show_nudge(fd.NUDGE)
        qtbot.waitUntil(lambda: fd.displayed(desktop) == "2" and not nudge.delivering and not offer.delivering)
        offer.close()  # leaves its slot: takes back its notification, not the nudge's
        qtbot.waitUntil(lambda: fd.displayed(desktop) == "1")
        assert nudge.current_id > 0 and unsit_notify_threads() == before + 1
        offer.show_reminder(*OFFER)  # a closed notifier shows nothing more
        nudge.show_nudge(fd.NUDGE)
        qtbot.waitUntil(lambda: not nudge.delivering)
        assert fd.displayed(desktop) == "1"
    finally:
        offer.close()
        nudge.close()
    qtbot.waitUntil(lambda: unsit_notify_threads() == before)


def test_the_apps_reminder_notifiers_share_the_nudge_notifiers_connection(clean_dunst, qapp, qtbot):
    from unsit.platform.notify import reminder_notifier_factory

    before = unsit_notify_threads()
    nudge = FreedesktopNotifier(icon_path="")
    make = reminder_notifier_factory(nudge)
    assert make is not None
    offer = make()
    try:
        assert unsit_notify_threads() == before + 1
        assert offer.profile is nudge.profile
    finally:
        offer.close()
        nudge.close()
    qtbot.waitUntil(lambda: unsit_notify_threads() == before)
