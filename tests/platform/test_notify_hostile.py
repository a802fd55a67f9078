"""A buggy or hostile notification server (issue 21, items 1-5), with notification_standin.py's bad modes.

Each test runs a private bus (private_bus.py) with the stand-in in one bad mode and drives the
real presenter. Before these fixes: the link's worker thread died and every later nudge waited
forever (wrong Notify answer, short GetServerInformation), start-up failed (GetCapabilities
answered with a number), ids above 2**31 overflowed Qt ints on stderr, a 2 MB server name went
into ``status``, and every other app's ActionInvoked crossed into the GUI thread.
"""

from __future__ import annotations

import json
import logging
import threading

import pytest

from tests.platform.test_notify_servers import NUDGE, Harness, bus, harness_factory
from unsit.app.nudge_presenter import NudgePresenter
from unsit.platform.notify import pick_notifier

__all__ = ["bus", "harness_factory"]  # fixtures shared with test_notify_servers

pytestmark = pytest.mark.desktop

BIG_ID = 2**32 - 6  # a valid D-Bus "u", above what a signed 32-bit int holds


def notify_worker_alive() -> bool:
    return any(t.name == "unsit-notify-calls" and t.is_alive() for t in threading.enumerate())


@pytest.mark.parametrize("answer", ["string", "empty"])
def test_notify_answered_with_the_wrong_type_goes_to_the_popup_and_the_worker_lives(
        bus, harness_factory, qtbot, caplog, answer):
    caplog.set_level(logging.INFO, logger="unsit")
    bus.start_standin("--name", "liar", "--notify-answer", answer)
    h: Harness = harness_factory(bus)
    h.presenter.present(NUDGE)
    qtbot.waitUntil(h.popup_visible, timeout=5000)
    assert h.presenter.status()["notifier_fallback"] is True
    assert h.presenter.notifier_name == "popup"
    assert notify_worker_alive()
    assert any("not an id ('u')" in r.getMessage() for r in caplog.records)
    h.click_popup(qtbot, 0)
    assert h.answers == ["drill_requested"]
    # The worker still serves: a withdraw and a message go through it without a hang.
    h.notifier.inform("Unsit", "still here")
    qtbot.waitUntil(lambda: [c["member"] for c in bus.calls()] == ["Notify", "Notify"], timeout=5000)


def test_a_short_server_description_at_start_means_the_fallback(bus, qapp, qtbot, monkeypatch):
    bus.start_standin("--name", "terse", "--info", "short")
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.address)
    notifier = pick_notifier(None)
    presenter = NudgePresenter(notifier, "system")
    try:
        assert notifier.name == "freedesktop"
        assert presenter.status()["notifier_fallback"] is True
        presenter.present(NUDGE)
        assert presenter._popup is not None and presenter._popup.isVisible()
        assert notify_worker_alive()
    finally:
        presenter.close()


def test_a_server_restarted_with_a_short_description_means_the_fallback(bus, harness_factory, qtbot):
    bus.start_standin("--name", "good")
    h = harness_factory(bus)
    assert h.presenter.status()["notifier_fallback"] is False
    bus.stop_server()
    bus.start_standin("--name", "broken", "--info", "short")
    qtbot.waitUntil(lambda: h.presenter.status()["notifier_fallback"] is True, timeout=5000)
    assert notify_worker_alive()
    h.presenter.present(NUDGE)
    qtbot.waitUntil(h.popup_visible, timeout=5000)
    # A good server again: back to notifications.
    bus.stop_server()
    bus.start_standin("--name", "good-again")
    qtbot.waitUntil(lambda: h.presenter.status()["notifier_fallback"] is False, timeout=5000)


def test_capabilities_of_the_wrong_type_are_none_and_the_app_starts(bus, qapp, monkeypatch):
    bus.start_standin("--name", "numbers", "--caps-type", "u")
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.address)
    notifier = pick_notifier(None)
    presenter = NudgePresenter(notifier, "system")
    try:
        status = presenter.status()
        assert status["notify_server"] == "numbers 0.1" and status["notify_capabilities"] == []
        assert not notifier.clickable  # no "actions": the popup carries the buttons
    finally:
        presenter.close()


def test_ids_above_two_to_the_31_work_end_to_end_without_a_word_on_stderr(bus, harness_factory, qtbot, capfd):
    bus.start_standin("--name", "bigids", "--first-id", str(BIG_ID))
    h = harness_factory(bus)
    h.presenter.present(NUDGE)
    qtbot.waitUntil(lambda: h.notifier.current_id == BIG_ID, timeout=5000)
    with qtbot.waitSignal(h.presenter.drill_requested, timeout=5000):
        bus.standin("InvokeAction", "us", (BIG_ID, "drill"))
    qtbot.waitUntil(lambda: bus.calls()[-1] == {"member": "CloseNotification", "id": BIG_ID}, timeout=5000)
    h.presenter.present(NUDGE)  # the next one gets the next id, and is dismissed
    qtbot.waitUntil(lambda: h.notifier.current_id == BIG_ID + 1, timeout=5000)
    with qtbot.waitSignal(h.notifier.signals.dismissed, timeout=5000):
        bus.standin("Flood", "usu", (1, "NotificationClosed", BIG_ID + 1))
    err = capfd.readouterr().err
    assert "OverflowError" not in err and "RuntimeWarning" not in err, err[-2000:]


def test_a_huge_server_name_and_version_are_cut(bus, harness_factory):
    bus.start_standin("--name", "windbag", "--info", "huge")
    h = harness_factory(bus)
    status = h.presenter.status()
    assert status["notify_server"].startswith("windbag")
    assert len(status["notify_server"]) <= 201  # name and version, 100 characters each at most
    assert len(json.dumps(status)) < 1000


def test_a_flood_of_other_apps_signals_never_reaches_the_gui_thread(bus, harness_factory, qtbot):
    bus.start_standin("--name", "chatty")
    h = harness_factory(bus)
    h.presenter.present(NUDGE)
    qtbot.waitUntil(lambda: h.notifier.current_id == 1, timeout=5000)
    arrived: list[object] = []
    h.notifier._action_arrived.connect(lambda *args: arrived.append(args))
    h.notifier._closed_arrived.connect(lambda *args: arrived.append(args))
    bus.standin("Flood", "usu", (3000, "ActionInvoked", 100))
    bus.standin("Flood", "usu", (3000, "NotificationClosed", 100))
    # Then ours: it arrives after the flood, and is the only signal that crossed.
    with qtbot.waitSignal(h.presenter.drill_requested, timeout=10_000):
        bus.standin("InvokeAction", "us", (1, "drill"))
    qtbot.waitUntil(lambda: bool(arrived), timeout=5000)  # a lambda may be called on the emitting thread
    assert arrived == [(1, "drill")]
