"""pick_notifier's choices when no notification server answers, the tray balloon and plyer."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from unsit.app.nudge_presenter import NudgePresenter
from unsit.platform.notify import pick_fallback, pick_notifier
from unsit.platform.notify.base import Nudge
from unsit.platform.notify.plyer_notify import PlyerNotifier
from unsit.platform.notify.qt_tray import QtTrayNotifier

NUDGE = Nudge("Time to unsit", "You have been sitting for 1 h 02 min.", 10)


@pytest.fixture
def tray(qapp, qtbot):
    icon = QSystemTrayIcon(QIcon.fromTheme("dialog-information", qapp.style().standardIcon(
        qapp.style().StandardPixmap.SP_MessageBoxInformation)))
    yield icon
    icon.hide()
    icon.deleteLater()


@pytest.fixture
def dunst_stopped(desktop):
    """No notification server for the test; the session's dunst comes back afterwards."""
    from tests.platform.test_notify_freedesktop import restart_session_dunst

    desktop.stop_dunst()
    yield desktop
    restart_session_dunst(desktop)


@pytest.fixture
def no_session_bus(monkeypatch, tmp_path):
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus-here'}")


@pytest.mark.desktop
def test_running_server_gives_the_freedesktop_notifier(desktop, tray):
    notifier = pick_notifier(tray)
    try:
        assert notifier.name == "freedesktop"
        assert notifier.clickable
    finally:
        notifier.close()


# activate_server=False: the bus would otherwise start dunst again from its .service file.
# Without a server (but with a bus) the freedesktop notifier waits for one; until then the
# presenter uses the tray balloon (or the popup without a tray).
@pytest.mark.desktop
def test_without_a_server_the_tray_balloon_is_used(dunst_stopped, tray, qapp):
    notifier = pick_notifier(tray, activate_server=False)
    try:
        assert notifier.name == "freedesktop" and not notifier.available
        fallback = pick_fallback(notifier, tray)
        assert isinstance(fallback, QtTrayNotifier)
        assert fallback.name == "tray" and fallback.clickable
        presenter = NudgePresenter(notifier, "system", fallback=fallback)
        assert presenter.notifier_name == "tray" and presenter.status()["notifier_fallback"] is True
    finally:
        notifier.close()


@pytest.mark.desktop
def test_without_a_server_or_tray_the_popup_is_used(dunst_stopped, qapp):
    notifier = pick_notifier(None, activate_server=False)
    try:
        assert pick_fallback(notifier, None) is None
        presenter = NudgePresenter(notifier, "system")
        assert presenter.status()["nudge_channels"] == ["popup"]
    finally:
        notifier.close()


def test_without_a_session_bus_falls_back(no_session_bus, tray):
    assert pick_notifier(tray).name == "tray"
    assert pick_notifier(None).name == "plyer"


def test_windows_and_macos_use_the_tray_without_asking_dbus(no_session_bus, tray, monkeypatch):
    from unsit.platform.notify import freedesktop

    monkeypatch.setattr(freedesktop, "server_profile", lambda **_: pytest.fail("D-Bus probed"))
    for platform in ("win32", "darwin"):
        assert pick_notifier(tray, platform=platform).name == "tray"
        assert pick_notifier(None, platform=platform).name == "plyer"


@pytest.mark.desktop
def test_clicking_the_tray_balloon_requests_the_drill(desktop, tray, qtbot):
    assert QSystemTrayIcon.isSystemTrayAvailable()  # trayer: Qt draws its own balloon
    tray.show()
    notifier = QtTrayNotifier(tray)
    notifier.show_nudge(NUDGE)

    def balloon():
        return next((w for w in QApplication.topLevelWidgets()
                     if w.metaObject().className() == "QBalloonTip" and w.isVisible()), None)

    qtbot.waitUntil(lambda: balloon() is not None)
    qtbot.waitExposed(balloon())
    centre = balloon().frameGeometry().center()
    with qtbot.waitSignal(notifier.signals.drill_requested, timeout=5000):
        desktop.run("xdotool", "mousemove", str(centre.x()), str(centre.y()), "click", "1")
    notifier.close()


def test_tray_click_after_withdraw_is_ignored(tray, qtbot):
    notifier = QtTrayNotifier(tray)
    seen = []
    notifier.signals.drill_requested.connect(lambda: seen.append("drill"))
    notifier.show_nudge(NUDGE)
    notifier.withdraw()
    tray.messageClicked.emit()  # a stale balloon clicked late
    assert seen == []
    notifier.show_nudge(NUDGE)
    tray.messageClicked.emit()
    tray.messageClicked.emit()  # one nudge, one answer
    assert seen == ["drill"]


@pytest.mark.filterwarnings("ignore:The Python dbus package")
def test_plyer_passes_the_nudge_on(monkeypatch, qapp):
    from plyer import notification

    calls = []
    monkeypatch.setattr(notification, "notify", lambda **kwargs: calls.append(kwargs))
    PlyerNotifier(icon_path="/x/unsit.svg").show_nudge(NUDGE)
    assert calls == [{"app_name": "Unsit", "title": NUDGE.title, "message": NUDGE.body, "timeout": 30,
                      "app_icon": "/x/unsit.svg"}]


@pytest.mark.filterwarnings("ignore:The Python dbus package")
@pytest.mark.parametrize("error", [NotImplementedError("no backend"), OSError("gone"), RuntimeError("dbus")])
def test_plyer_never_raises(monkeypatch, qapp, error):
    from plyer import notification

    def broken(**_):
        raise error

    monkeypatch.setattr(notification, "notify", broken)
    notifier = PlyerNotifier()
    notifier.show_nudge(NUDGE)  # logged, not raised
    notifier.withdraw()
    notifier.close()


def test_real_plyer_without_a_bus_does_not_raise(no_session_bus, qapp):
    PlyerNotifier().show_nudge(NUDGE)
