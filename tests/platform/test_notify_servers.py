"""Nudges on notification servers unlike dunst, and when the server or the bus goes away.

Each test runs its own D-Bus bus without service activation (private_bus.py) with a real
dunst or a stand-in server posing as notify-osd or xfce4-notifyd, on the suite's X display,
and drives the real presenter: the notifier, the tray fallback (trayer) and the popup.
"""

from __future__ import annotations

import glob
import logging

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from tests.platform.private_bus import PrivateBus
from unsit.app.nudge_presenter import NudgePresenter
from unsit.platform.notify import pick_fallback, pick_notifier
from unsit.platform.notify.base import Nudge
from unsit.platform.notify.freedesktop import FreedesktopNotifier, server_profile

pytestmark = pytest.mark.desktop

NUDGE = Nudge("Time to unsit", "You have been sitting for 1 h 02 min.", 10)
ANSWERS = ("drill_requested", "snooze_requested", "skip_requested")
# Debian's real servers (scripts/setup installs them for the tests); neither is D-Bus activatable.
NOTIFY_OSD = next(iter(glob.glob("/usr/lib/*/notify-osd") + glob.glob("/usr/lib/notify-osd/notify-osd")), None)
NOTIFICATION_DAEMON = next(iter(glob.glob("/usr/lib/notification-daemon/notification-daemon")), None)


@pytest.fixture
def bus(desktop, tmp_path):
    private = PrivateBus(tmp_path / "bus")
    private.start()
    yield private
    private.close()


class Harness:
    """A presenter on the private bus, and every answer it gave, in order."""

    def __init__(self, bus: PrivateBus, tray: QSystemTrayIcon | None = None, style: str = "system") -> None:
        self.notifier = FreedesktopNotifier(bus=bus.address, profile=server_profile(bus=bus.address),
                                            reconnect_seconds=0.2)
        self.presenter = NudgePresenter(self.notifier, style, fallback=pick_fallback(self.notifier, tray))
        self.answers: list[str] = []
        for name in ANSWERS:
            getattr(self.presenter, name).connect(lambda name=name: self.answers.append(name))

    def popup_visible(self) -> bool:
        popup = self.presenter._popup
        return popup is not None and popup.isVisible()

    def click_popup(self, qtbot, index: int) -> None:
        popup = self.presenter._popup
        assert popup is not None, "no popup was shown"
        qtbot.waitExposed(popup)
        qtbot.mouseClick(popup.buttons[index], Qt.MouseButton.LeftButton)

    def close(self) -> None:
        self.presenter.close()


@pytest.fixture
def harness_factory(qapp):
    made: list[Harness] = []

    def make(bus: PrivateBus, **kwargs) -> Harness:
        made.append(Harness(bus, **kwargs))
        return made[-1]

    yield make
    for harness in made:
        harness.close()


@pytest.fixture
def tray(qapp, desktop, qtbot):
    assert QSystemTrayIcon.isSystemTrayAvailable()
    icon = QSystemTrayIcon(qapp.style().standardIcon(qapp.style().StandardPixmap.SP_MessageBoxInformation))
    icon.show()
    yield icon
    icon.hide()
    icon.deleteLater()


def balloon():
    """Qt's own tray balloon (drawn for XEmbed trays), when it is on screen."""
    return next((w for w in QApplication.topLevelWidgets()
                 if w.metaObject().className() == "QBalloonTip" and w.isVisible()), None)


def click_balloon(desktop, qtbot) -> None:
    qtbot.waitUntil(lambda: balloon() is not None)
    tip = balloon()
    qtbot.waitExposed(tip)
    centre = tip.frameGeometry().center()
    desktop.run("xdotool", "mousemove", str(centre.x()), str(centre.y()), "click", "1")


def warnings_from_unsit(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING and r.name.startswith("unsit")]


def test_a_server_without_actions_gets_a_plain_bubble_and_the_popup_answers(bus, harness_factory, qtbot, caplog):
    bus.start_standin("--name", "notify-osd", "--caps", "body,body-markup,icon-static", "--id-zero")
    h = harness_factory(bus)
    assert not h.notifier.clickable
    h.presenter.present(NUDGE)
    qtbot.waitUntil(lambda: len(bus.calls()) == 1)
    (call,) = bus.calls()
    assert call["actions"] == []  # no actions: notify-osd would make a dialog nobody can answer
    assert call["expire_timeout"] == -1  # nor one that never expires
    assert call["summary"] == NUDGE.title
    assert h.popup_visible()
    assert h.presenter.status() == {
        "notifier": "freedesktop", "notifier_fallback": False, "nudge_channels": ["freedesktop", "popup"],
        "notify_server": "notify-osd 0.1", "notify_capabilities": ["body", "body-markup", "icon-static"]}
    # notify-osd's dialog buttons would send ActionInvoked(0, ...): not an answer to a bubble
    # we sent no actions to.
    qtbot.waitUntil(lambda: not h.notifier.delivering)
    for key in ("default", "drill"):
        with qtbot.waitSignal(h.notifier._action_arrived, timeout=5000):
            bus.standin("InvokeAction", "us", (0, key))
    assert h.answers == []
    h.click_popup(qtbot, 0)
    assert h.answers == ["drill_requested"]
    h.presenter.withdraw()
    h.presenter.present(NUDGE)  # the next nudge: the same again, and nothing to close for id 0
    qtbot.waitUntil(lambda: len(bus.calls()) == 2)
    h.click_popup(qtbot, 1)
    assert h.answers == ["drill_requested", "snooze_requested"]
    assert [c["member"] for c in bus.calls()] == ["Notify", "Notify"]
    assert warnings_from_unsit(caplog) == []


def test_xfce4_notifyd_shows_start_drill_once(bus, harness_factory, qtbot, caplog):
    bus.start_standin("--name", "xfce4-notifyd", "--caps", "actions,body,persistence")
    h = harness_factory(bus)
    h.presenter.present(NUDGE)
    qtbot.waitUntil(lambda: h.notifier.current_id == 1)
    (call,) = bus.calls()
    labels = call["actions"][1::2]
    assert labels == ["Start drill", "Snooze 10 min", "Skip"]  # every label drawn once, no "default"
    assert "default" not in call["actions"][0::2]
    assert not h.popup_visible()  # the server has the buttons
    with qtbot.waitSignal(h.presenter.drill_requested, timeout=5000):
        bus.standin("InvokeAction", "us", (1, "drill"))
    qtbot.waitUntil(lambda: bus.calls()[-1] == {"member": "CloseNotification", "id": 1})
    assert h.answers == ["drill_requested"]
    assert warnings_from_unsit(caplog) == []


def test_notify_never_waits_on_the_gui_thread_and_a_silent_server_falls_back(bus, harness_factory, qtbot):
    bus.start_standin("--name", "slowpoke", "--caps", "actions,body", "--hold")
    h = harness_factory(bus)
    h.presenter.present(NUDGE)
    # present() returned while the server still holds its answer.
    assert h.notifier.delivering and h.notifier.current_id == 0
    assert not h.popup_visible()
    # No answer within the call timeout: the popup takes the nudge, and status says so.
    qtbot.waitUntil(h.popup_visible, timeout=10_000)
    assert h.presenter.status()["notifier_fallback"] is True
    assert h.presenter.notifier_name == "popup"
    bus.standin("Release")  # the late answer changes nothing
    h.click_popup(qtbot, 2)
    assert h.answers == ["skip_requested"]


def test_dunst_killed_mid_run_then_back(bus, harness_factory, tray, desktop, qtbot):
    bus.start_dunst()
    h = harness_factory(bus, tray=tray)
    assert h.presenter.status()["notify_server"].startswith("dunst")
    h.presenter.present(NUDGE)
    qtbot.waitUntil(lambda: bus.dunst_count() == 1 and h.notifier.current_id > 0)

    # dunst dies with the nudge on screen: it comes back at once as a tray message.
    bus.stop_server()
    qtbot.waitUntil(lambda: h.presenter.notifier_name == "tray", timeout=5000)
    assert h.presenter.status()["notifier_fallback"] is True
    with qtbot.waitSignal(h.presenter.drill_requested, timeout=5000):
        click_balloon(desktop, qtbot)

    # The next nudge goes straight to the tray while no server is there.
    h.presenter.present(NUDGE)
    with qtbot.waitSignal(h.presenter.drill_requested, timeout=5000):
        click_balloon(desktop, qtbot)

    # dunst is back: nudges go to it again.
    bus.start_dunst()
    qtbot.waitUntil(lambda: h.presenter.notifier_name == "freedesktop", timeout=5000)
    assert h.presenter.status()["notifier_fallback"] is False
    h.presenter.present(NUDGE)
    qtbot.waitUntil(lambda: bus.dunst_count() == 1 and h.notifier.current_id > 0)
    with qtbot.waitSignal(h.presenter.drill_requested, timeout=5000):
        bus.dunst_action(0)
    assert h.answers == ["drill_requested"] * 3


def test_a_nudge_to_a_server_that_is_gone_goes_to_the_popup_at_once(bus, harness_factory, qtbot):
    bus.start_dunst()
    h = harness_factory(bus)
    bus.stop_server()
    h.presenter.present(NUDGE)  # Notify: ServiceUnknown, nobody can be activated here
    qtbot.waitUntil(h.popup_visible, timeout=5000)
    assert h.presenter.status()["nudge_channels"] == ["popup"]
    h.click_popup(qtbot, 1)
    assert h.answers == ["snooze_requested"]


def test_the_session_bus_gone_and_back(bus, harness_factory, qtbot):
    bus.start_dunst()
    h = harness_factory(bus)
    bus.stop()  # the session bus goes away (dunst with it)
    bus.stop_server()
    h.presenter.present(NUDGE)
    qtbot.waitUntil(h.popup_visible, timeout=5000)
    assert h.presenter.status()["notifier"] == "popup"
    h.click_popup(qtbot, 2)

    bus.start()  # a bus at the same address again, and a server on it
    bus.start_dunst()
    qtbot.waitUntil(lambda: h.presenter.notifier_name == "freedesktop", timeout=5000)
    h.presenter.present(NUDGE)
    qtbot.waitUntil(lambda: bus.dunst_count() == 1 and h.notifier.current_id > 0)
    with qtbot.waitSignal(h.presenter.drill_requested, timeout=5000):
        bus.dunst_action(0)
    assert h.answers == ["skip_requested", "drill_requested"]
    assert not h.popup_visible()


def visible_windows(desktop, wm_class: str) -> list[str]:
    out = desktop.run("xdotool", "search", "--onlyvisible", "--class", wm_class, check=False)
    return out.stdout.split()


def window_type(desktop, window: str) -> str:
    return desktop.run("xprop", "-id", window, "_NET_WM_WINDOW_TYPE").stdout.split("=")[-1].strip()


def bubbles(desktop, wm_class: str) -> list[str]:
    """The program's visible notification windows."""
    return [w for w in visible_windows(desktop, wm_class)
            if window_type(desktop, w) == "_NET_WM_WINDOW_TYPE_NOTIFICATION"]


@pytest.mark.skipif(NOTIFY_OSD is None, reason="notify-osd is not installed (scripts/setup --test installs it)")
def test_real_notify_osd_shows_a_bubble_not_a_dialog_and_the_popup_answers(bus, harness_factory, desktop, qtbot,
                                                                            caplog):
    bus.start_server(NOTIFY_OSD)
    h = harness_factory(bus)
    assert h.presenter.status()["notify_server"] == "notify-osd 1.0"
    assert not h.notifier.clickable  # notify-osd has no "actions"
    h.presenter.present(NUDGE)
    qtbot.waitUntil(lambda: bubbles(desktop, "notify-osd") != [], timeout=5000)
    # A bubble; with actions, or never expiring, notify-osd would open a dialog nobody closes.
    kinds = {window_type(desktop, w) for w in visible_windows(desktop, "notify-osd")}
    assert "_NET_WM_WINDOW_TYPE_DIALOG" not in kinds
    assert h.popup_visible()
    h.click_popup(qtbot, 0)
    assert h.answers == ["drill_requested"]
    h.presenter.withdraw()
    assert warnings_from_unsit(caplog) == []


@pytest.mark.skipif(NOTIFICATION_DAEMON is None,
                    reason="notification-daemon is not installed (scripts/setup --test installs it)")
def test_real_notification_daemon_closes_its_bubble_on_click_and_the_drill_starts_once(
        bus, harness_factory, desktop, qtbot, caplog):
    bus.start_server(NOTIFICATION_DAEMON)
    h = harness_factory(bus)
    dismissed: list[bool] = []
    h.notifier.signals.dismissed.connect(lambda: dismissed.append(True))
    assert h.notifier.clickable
    h.presenter.present(NUDGE)
    qtbot.waitUntil(lambda: h.notifier.current_id > 0 and bubbles(desktop, "notification-daemon") != [],
                    timeout=5000)
    assert not h.popup_visible()
    (window,) = bubbles(desktop, "notification-daemon")
    geometry = dict(line.split("=") for line in desktop.run("xdotool", "getwindowgeometry", "--shell",
                                                             window).stdout.split())
    x, y = int(geometry["X"]) + 100, int(geometry["Y"]) + int(geometry["HEIGHT"]) // 2
    with qtbot.waitSignal(h.presenter.drill_requested, timeout=5000):
        desktop.run("xdotool", "mousemove", str(x), str(y), "click", "1")
    # It sends ActionInvoked("default") and closes the bubble itself (reason 2): one answer,
    # no dismissal, and our own CloseNotification for the gone bubble is no warning.
    qtbot.waitUntil(lambda: bubbles(desktop, "notification-daemon") == [], timeout=5000)
    assert h.answers == ["drill_requested"] and dismissed == []
    assert warnings_from_unsit(caplog) == []


def test_started_before_any_server_it_moves_to_the_first_one(bus, qapp, qtbot, monkeypatch):
    # Unsit autostarted before the desktop's notification server: the popup until one comes.
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.address)
    notifier = pick_notifier(None)
    presenter = NudgePresenter(notifier, "system")
    answers: list[str] = []
    presenter.drill_requested.connect(lambda: answers.append("drill"))
    try:
        assert notifier.name == "freedesktop" and presenter.status()["notifier"] == "popup"
        presenter.present(NUDGE)
        assert presenter._popup.isVisible()
        presenter.withdraw()
        bus.start_dunst()
        qtbot.waitUntil(lambda: presenter.notifier_name == "freedesktop", timeout=5000)
        assert presenter.status()["notify_server"].startswith("dunst")
        presenter.present(NUDGE)
        qtbot.waitUntil(lambda: bus.dunst_count() == 1 and notifier.current_id > 0)
        assert not presenter._popup.isVisible()
        with qtbot.waitSignal(presenter.drill_requested, timeout=5000):
            bus.dunst_action(0)
        assert answers == ["drill"]
    finally:
        presenter.close()


def test_a_server_that_answers_twice_like_mako_is_used_normally(bus, qapp, qtbot, monkeypatch, caplog):
    # mako 1.10 answers GetCapabilities with the list and then an UnknownMethod error for the
    # same call. jeepney's router used to die on the second answer, which crashed start-up.
    bus.start_standin("--name", "mako", "--caps", "actions,body", "--double-reply")
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.address)
    notifier = pick_notifier(None)  # reads the profile at start-up, on its own connection
    presenter = NudgePresenter(notifier, "system")
    answers: list[str] = []
    presenter.drill_requested.connect(lambda: answers.append("drill"))
    try:
        qtbot.waitUntil(lambda: presenter.status()["notify_server"].startswith("mako"), timeout=5000)
        assert "actions" in presenter.status()["notify_capabilities"]
        presenter.present(NUDGE)  # the link's own connection read the profile too, and still works
        qtbot.waitUntil(lambda: notifier.current_id == 1)
        with qtbot.waitSignal(presenter.drill_requested, timeout=5000):
            bus.standin("InvokeAction", "us", (1, "drill"))
        assert answers == ["drill"]
        assert warnings_from_unsit(caplog) == []
    finally:
        presenter.close()
