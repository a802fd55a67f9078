"""FreedesktopNotifier against a real dunst on the test session's D-Bus bus.

dunst 1.9's ``NotificationAction(N)`` (what ``dunstctl action N`` calls) only reaches
position 0 and only fires the *default* action. The other actions ("snooze", "skip") are
reached the way a dunst user reaches them: its context menu, which pipes the choices
through the configured ``dmenu``. For those tests dunst is restarted with a stand-in dmenu
script that picks one menu line.
"""

from __future__ import annotations

import pytest
from jeepney import DBusAddress, MatchRule, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import Proxy, open_dbus_connection

from tests.desktop import DUNSTRC, stop_process
from tests.dunst_control import Queue
from unsit.platform.notify.base import Nudge
from unsit.platform.notify.freedesktop import FreedesktopNotifier

pytestmark = pytest.mark.desktop

NUDGE = Nudge("Time to unsit", "You have been sitting for 1 h 02 min. A 2-minute hip drill?", 10)
NOTIFICATIONS = DBusAddress("/org/freedesktop/Notifications", bus_name="org.freedesktop.Notifications",
                            interface="org.freedesktop.Notifications")
ALL_SIGNALS = ("drill_requested", "snooze_requested", "skip_requested", "dismissed")

# Stand-in for dmenu: keep dunst's menu for the test to read, answer with the line that
# names the wanted "<id>,<action>" pair.
FAKE_DMENU = """#!/bin/sh
here=$(dirname "$0")
tee "$here/menu.txt" | grep -m1 -F "[$(cat "$here/wanted")]"
"""


def displayed(desktop) -> str:
    return str(desktop.dunst.count())


@pytest.fixture
def clean_dunst(desktop):
    desktop.dunst.close_all()
    yield desktop
    desktop.dunst.close_all()


@pytest.fixture
def notifier(clean_dunst, qapp):
    n = FreedesktopNotifier(icon_path="")
    yield n
    n.close()


@pytest.fixture
def received(notifier):
    """Every signal the notifier emits, in order."""
    seen: list[str] = []
    for name in ALL_SIGNALS:
        getattr(notifier.signals, name).connect(lambda name=name: seen.append(name))
    return seen


def restart_session_dunst(desktop) -> None:
    """Bring back the session's own dunst (same config) after a test stopped or replaced it."""
    desktop.stop_dunst()
    desktop.procs["dunst"] = desktop.launch_dunst(desktop.workdir / "dunstrc")


@pytest.fixture
def menu_dunst(desktop, tmp_path):
    """dunst restarted with the stand-in dmenu; returns a function choosing a menu line."""
    script = tmp_path / "dmenu.sh"
    script.write_text(FAKE_DMENU)
    script.chmod(0o755)
    rc = tmp_path / "dunstrc"
    rc.write_text(DUNSTRC.replace("[global]\n", f"[global]\n    dmenu = {script}\n", 1))
    desktop.stop_dunst()
    proc = None
    try:
        proc = desktop.launch_dunst(rc)

        def choose(notification_id: int, action_key: str) -> None:
            (tmp_path / "wanted").write_text(f"{notification_id},{action_key}")
            desktop.dunst.context_menu()

        yield choose
    finally:
        if proc is not None:
            stop_process(proc)
        restart_session_dunst(desktop)


@pytest.fixture
def other_app():
    """A second D-Bus client that posts its own notifications, with the same action keys."""
    conn = open_dbus_connection("SESSION")
    rule = MatchRule(type="signal", interface="org.freedesktop.Notifications", member="ActionInvoked")
    Proxy(message_bus, conn).AddMatch(rule)

    class Other:
        def notify(self) -> int:
            msg = new_method_call(NOTIFICATIONS, "Notify", "susssasa{sv}i", (
                "Other", 0, "", "Other app", "not ours", ["default", "Open", "snooze", "Later", "skip", "No"], {}, 0))
            return conn.send_and_get_reply(msg, timeout=5).body[0]

        def close(self, notification_id: int) -> None:
            conn.send_and_get_reply(new_method_call(NOTIFICATIONS, "CloseNotification", "u", (notification_id,)))

        def next_action(self) -> tuple[int, str]:
            with conn.filter(rule) as queue:
                return tuple(conn.recv_until_filtered(queue, timeout=10).body)

    yield Other()
    conn.close()


def test_show_nudge_displays_one_unsit_notification(notifier, desktop, qtbot):
    notifier.show_nudge(NUDGE)
    qtbot.waitUntil(lambda: displayed(desktop) == "1" and not notifier.delivering)
    assert notifier.current_id > 0

    notifier.withdraw()  # dunst lists a notification in its history once it is closed
    qtbot.waitUntil(lambda: displayed(desktop) == "0")
    entry = desktop.dunst.history()[0]
    assert entry["appname"] == "Unsit"
    assert entry["summary"] == NUDGE.title
    assert entry["body"] == NUDGE.body


def test_showing_again_replaces_instead_of_stacking(notifier, desktop, qtbot):
    notifier.show_nudge(NUDGE)
    qtbot.waitUntil(lambda: displayed(desktop) == "1" and not notifier.delivering)
    first_id = notifier.current_id
    notifier.show_nudge(Nudge("Time to unsit", "You have been sitting for 1 h 12 min.", 10))
    notifier.show_nudge(Nudge("Time to unsit", "You have been sitting for 1 h 22 min.", 10))
    qtbot.waitUntil(lambda: not notifier.delivering)  # Notify is asynchronous: wait for its answer
    assert notifier.current_id == first_id
    assert displayed(desktop) == "1"
    assert desktop.dunst.count(Queue.WAITING) == 0


def test_default_action_requests_the_drill(notifier, received, desktop, qtbot):
    notifier.show_nudge(NUDGE)
    qtbot.waitUntil(lambda: displayed(desktop) == "1" and not notifier.delivering)
    with qtbot.waitSignal(notifier.signals.drill_requested, timeout=5000):
        desktop.dunst.action(0)
    qtbot.waitUntil(lambda: displayed(desktop) == "0")
    assert received == ["drill_requested"]  # the close that follows an action is not a dismissal
    assert notifier.current_id == 0


def test_dismissing_by_the_user_emits_dismissed(notifier, received, desktop, qtbot):
    notifier.show_nudge(NUDGE)
    qtbot.waitUntil(lambda: displayed(desktop) == "1" and not notifier.delivering)
    with qtbot.waitSignal(notifier.signals.dismissed, timeout=5000):
        desktop.dunst.close_last()  # dunst reports reason 2, "dismissed by the user"
    assert received == ["dismissed"]


def test_withdraw_closes_it_without_signals(notifier, received, desktop, qtbot):
    notifier.show_nudge(NUDGE)
    qtbot.waitUntil(lambda: displayed(desktop) == "1" and not notifier.delivering)
    notifier.withdraw()
    qtbot.waitUntil(lambda: displayed(desktop) == "0")
    notifier.withdraw()  # nothing left: a no-op
    # A later answer flows again: proves the queue held no stray signal from the withdraw.
    notifier.show_nudge(NUDGE)
    with qtbot.waitSignal(notifier.signals.drill_requested, timeout=5000):
        qtbot.waitUntil(lambda: displayed(desktop) == "1" and not notifier.delivering)
        desktop.dunst.action(0)
    assert received == ["drill_requested"]


@pytest.mark.parametrize(("action_key", "signal_name"), [("snooze", "snooze_requested"), ("skip", "skip_requested")])
def test_menu_actions_reach_their_signal(menu_dunst, qapp, qtbot, desktop, action_key, signal_name):
    notifier = FreedesktopNotifier()
    seen: list[str] = []
    for name in ALL_SIGNALS:
        getattr(notifier.signals, name).connect(lambda name=name: seen.append(name))
    try:
        notifier.show_nudge(NUDGE)
        qtbot.waitUntil(lambda: displayed(desktop) == "1" and not notifier.delivering)
        with qtbot.waitSignal(getattr(notifier.signals, signal_name), timeout=5000):
            menu_dunst(notifier.current_id, action_key)
        assert seen == [signal_name]
    finally:
        notifier.close()


def test_other_apps_notifications_do_not_trigger_ours(menu_dunst, other_app, qapp, qtbot, desktop):
    notifier = FreedesktopNotifier()
    seen: list[str] = []
    for name in ALL_SIGNALS:
        getattr(notifier.signals, name).connect(lambda name=name: seen.append(name))
    try:
        notifier.show_nudge(NUDGE)
        qtbot.waitUntil(lambda: displayed(desktop) == "1" and not notifier.delivering)
        # The other app's "snooze" and default actions: the same keys as ours, not our id.
        for action_key in ("snooze", "default"):
            other_id = other_app.notify()
            qtbot.waitUntil(lambda: displayed(desktop) == "2")
            assert other_id != notifier.current_id
            menu_dunst(other_id, action_key)
            assert other_app.next_action() == (other_id, action_key)
            other_app.close(other_id)
            qtbot.waitUntil(lambda: displayed(desktop) == "1" and not notifier.delivering)
        # Signals arrive in order on our connection: once ours is answered, the others were seen.
        with qtbot.waitSignal(notifier.signals.drill_requested, timeout=5000):
            desktop.dunst.action(0)
        assert seen == ["drill_requested"]
    finally:
        notifier.close()


def test_inform_shows_a_plain_message_that_starts_nothing(notifier, received, clean_dunst, qtbot):
    notifier.inform("Unsit found a problem", "interval_minutes = 0 is not allowed")
    qtbot.waitUntil(lambda: displayed(clean_dunst) == "1", timeout=5000)
    notifier.inform("Unsit found a problem", "a second message replaces the first")
    notifier.show_nudge(NUDGE)  # the nudge is a separate notification
    qtbot.waitUntil(lambda: displayed(clean_dunst) == "2", timeout=5000)
    clean_dunst.dunst.close_all()
    history = clean_dunst.dunst.history()
    bodies = {item["body"] for item in history}
    assert "a second message replaces the first" in bodies
    assert "interval_minutes = 0 is not allowed" not in bodies
    assert {item["appname"] for item in history} == {"Unsit"}
    assert "drill_requested" not in received
