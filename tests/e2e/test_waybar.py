"""The real app's tray icon under a real StatusNotifierItem host: waybar on a headless sway.

waybar (Debian 13) runs with only its ``tray`` module, so it owns
``org.kde.StatusNotifierWatcher`` and hosts the items; the app runs on Qt's wayland platform
with mako for notifications. The test then does what waybar does on a click: a left click
calls the item's ``Activate(x, y)``, a right click opens the item's ``com.canonical.dbusmenu``
(``AboutToShow``, ``GetLayout``) and a chosen entry gets ``Event(id, "clicked", ...)``.
The headless sway has no pointer device (wlroots' headless backend creates none), so its
seat offers no pointer to waybar and a synthetic ``swaymsg seat - cursor press`` reaches no
client: the calls are made on D-Bus, as waybar's own handlers make them.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from jeepney import DBusAddress, MessageType, Properties, new_method_call
from jeepney.io.blocking import DBusConnection, open_dbus_connection

from tests.e2e.running_wayland_app import RunningWaylandApp, wayland_root_or_skip
from tests.sni_host import _find_entry, _labels

pytestmark = [pytest.mark.slow]

WATCHER = "org.kde.StatusNotifierWatcher"
ITEM = "org.kde.StatusNotifierItem"
DBUSMENU = "com.canonical.dbusmenu"
GRAB_FAILURE = "Failed to create grabbing popup"


class PanelCalls:
    """The D-Bus calls a panel makes on an item, on a connection of our own."""

    def __init__(self, bus_address: str) -> None:
        self.conn: DBusConnection = open_dbus_connection(bus_address)

    def call(self, service: str, path: str, interface: str, member: str, signature: str = "",
             body: tuple = ()) -> tuple:
        """Call ``member`` and return the reply body (raises on an error reply)."""
        msg = new_method_call(DBusAddress(path, bus_name=service, interface=interface), member, signature, body)
        reply = self.conn.send_and_get_reply(msg, timeout=10)
        if reply.header.message_type != MessageType.method_return:
            raise AssertionError(f"{interface}.{member} failed: {reply.body}")
        return reply.body

    def watcher_items(self) -> list[str]:
        """waybar's watcher's RegisteredStatusNotifierItems."""
        address = DBusAddress("/StatusNotifierWatcher", bus_name=WATCHER, interface=WATCHER)
        reply = self.conn.send_and_get_reply(Properties(address).get("RegisteredStatusNotifierItems"), timeout=10)
        return list(reply.body[0][1])

    def watcher_has_host(self) -> bool:
        address = DBusAddress("/StatusNotifierWatcher", bus_name=WATCHER, interface=WATCHER)
        reply = self.conn.send_and_get_reply(Properties(address).get("IsStatusNotifierHostRegistered"), timeout=10)
        return bool(reply.body[0][1])

    def item_property(self, service: str, path: str, name: str) -> Any:
        return self.call(service, path, "org.freedesktop.DBus.Properties", "Get", "ss", (ITEM, name))[0][1]

    def close(self) -> None:
        self.conn.close()


def split_entry(entry: str) -> tuple[str, str]:
    """A watcher entry (``:1.6/StatusNotifierItem`` or a bare bus name) as (bus name, object path)."""
    service, _, path = entry.partition("/")
    return service, "/" + path if path else "/StatusNotifierItem"


def test_waybar_on_sway_shows_the_icon_and_its_left_click_and_menu_work(tmp_path: Path) -> None:
    wayland_root_or_skip()
    app = RunningWaylandApp(tmp_path / "w", "interval_minutes = 45\n", with_tray=True)
    panel = PanelCalls(app.env["DBUS_SESSION_BUS_ADDRESS"])
    try:
        status = app.wait_until(lambda: (s := app.status())["tray_kind"] == "sni" and s, 30, "waybar to list the item")
        assert status["tray_available"] is True and status["tray_embedded"] is True, status
        assert panel.watcher_has_host()  # waybar's own host, not a stand-in
        [entry] = panel.watcher_items()
        service, path = split_entry(entry)
        assert panel.item_property(service, path, "Status") in ("Active", "NeedsAttention")
        log_file = tmp_path / "w" / "XDG_STATE_HOME" / "unsit" / "log" / "unsit.log"
        assert "host registered, our item registered" in log_file.read_text()

        # A left click: waybar calls Activate(x, y) on the item; no nudge is due, so the main window opens.
        panel.call(service, path, ITEM, "Activate", "ii", (1260, 15))
        app.wait_until(lambda: "Unsit" in app.desktop.window_titles(), 20, "the main window after a left click")
        assert GRAB_FAILURE not in app.output() and GRAB_FAILURE not in log_file.read_text()
        # The bar with the icon, and the main window (kept with the test's files, to look at).
        shot = app.desktop.screenshot("waybar.png")
        assert shot.stat().st_size > 1000
        shutil.copy(shot, tmp_path / "waybar.png")

        # A right click: waybar's menu asks for the layout and sends the chosen entry a click.
        menu_path = panel.item_property(service, path, "Menu")
        panel.call(service, menu_path, DBUSMENU, "AboutToShow", "i", (0,))
        _revision, layout = panel.call(service, menu_path, DBUSMENU, "GetLayout", "iias", (0, -1, []))
        pause = _find_entry(layout, "Pause")
        assert pause is not None, _labels(layout)
        panel.call(service, menu_path, DBUSMENU, "AboutToShow", "i", (pause,))
        choice = _find_entry(layout, "For 30 minutes")
        assert choice is not None, _labels(layout)
        panel.call(service, menu_path, DBUSMENU, "Event", "isvu", (choice, "clicked", ("i", 0), 0))
        paused = app.wait_until(lambda: (s := app.status())["phase"] == "paused" and s, 10, "the pause")
        assert paused["paused_until"] is not None
        assert GRAB_FAILURE not in app.output()
    finally:
        panel.close()
        assert app.quit() == 0
