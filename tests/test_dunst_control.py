"""The test harness drives dunst over D-Bus alone: no dunstctl, busctl or dbus-send needed.

Minimal Debian and Ubuntu systems have no systemd tools, so ``dunstctl history`` (which runs
``busctl``) fails there. These tests hide every such program from PATH and still drive dunst.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from jeepney import DBusAddress, new_method_call
from jeepney.io.blocking import open_dbus_connection

from tests.desktop import TOOLS, HeadlessDesktop
from tests.dunst_control import Queue

pytestmark = pytest.mark.desktop

NOTIFICATIONS = DBusAddress("/org/freedesktop/Notifications", bus_name="org.freedesktop.Notifications",
                            interface="org.freedesktop.Notifications")
HIDDEN = ("busctl", "dunstctl", "dbus-send")


def _tools_only_path(folder: Path) -> str:
    """A PATH that holds the desktop's own programs and nothing else."""
    folder.mkdir()
    for tool in TOOLS:
        found = shutil.which(tool)
        assert found, f"{tool} is not installed"
        (folder / tool).symlink_to(found)
    return str(folder)


def _notify(bus_address: str, summary: str, body: str) -> int:
    with open_dbus_connection(bus_address) as conn:
        msg = new_method_call(NOTIFICATIONS, "Notify", "susssasa{sv}i",
                              ("Harness", 0, "", summary, body, [], {}, 0))
        return conn.send_and_get_reply(msg, timeout=5).body[0]


def test_dunst_is_driven_with_the_systemd_and_dbus_tools_hidden(desktop, tmp_path, monkeypatch, qtbot):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no program can be found
    assert [t for t in HIDDEN if shutil.which(t)] == []
    dunst = desktop.dunst
    dunst.close_all()
    qtbot.waitUntil(lambda: dunst.count() == 0)

    _notify(desktop.env["DBUS_SESSION_BUS_ADDRESS"], "hello", "from the harness test")
    qtbot.waitUntil(lambda: dunst.count() == 1)
    assert dunst.count(Queue.WAITING) == 0
    dunst.close_all()
    qtbot.waitUntil(lambda: dunst.count() == 0)
    newest = dunst.history()[0]
    assert (newest["appname"], newest["summary"], newest["body"]) == ("Harness", "hello", "from the harness test")

    try:
        dunst.set_paused(True)
        assert dunst.is_paused() is True
    finally:
        dunst.set_paused(False)
    assert dunst.is_paused() is False


def test_a_desktop_starts_and_answers_with_only_its_own_programs_on_path(tmp_path, monkeypatch, qtbot):
    monkeypatch.setenv("PATH", _tools_only_path(tmp_path / "bin"))
    assert [t for t in HIDDEN if shutil.which(t)] == []
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    second = HeadlessDesktop(tmp_path / "desktop")
    try:
        env = second.start(with_tray=False)
        assert env["DISPLAY"] != os.environ.get("DISPLAY")
        _notify(env["DBUS_SESSION_BUS_ADDRESS"], "second", "desktop")
        qtbot.waitUntil(lambda: second.dunst.count() == 1)
    finally:
        second.stop()
