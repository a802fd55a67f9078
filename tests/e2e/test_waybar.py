"""The real app's tray icon under a real StatusNotifierItem host: waybar on a headless sway.

waybar (Debian 13) runs with only its ``tray`` module, so it owns
``org.kde.StatusNotifierWatcher`` and hosts the items; the app runs on Qt's wayland platform
with mako for notifications. The icon is found in a screenshot of the bar and clicked with a
real pointer (a wlr virtual pointer, tests/wayland_pointer.py: the headless backend has no
mouse, so ``swaymsg seat - cursor press`` alone reaches no client). waybar turns the left
click into the item's ``Activate(x, y)`` and the right click into its GTK menu built from
the item's ``com.canonical.dbusmenu``; the menu entry is then chosen with the dbusmenu
``Event(id, "clicked", ...)`` call that waybar's menu sends (the GTK menu's rows are not
located on screen).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from jeepney import DBusAddress, MessageType, Properties, new_method_call
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from PySide6.QtGui import QImage

from tests.e2e.running_wayland_app import RunningWaylandApp, wayland_root_or_skip
from tests.sni_host import _find_entry, _labels
from tests.wayland_desktop import WAYBAR_HEIGHT
from tests.wayland_pointer import BUTTON_RIGHT, VirtualPointer

pytestmark = [pytest.mark.slow]

WATCHER = "org.kde.StatusNotifierWatcher"
ITEM = "org.kde.StatusNotifierItem"
DBUSMENU = "com.canonical.dbusmenu"
GRAB_FAILURE = "Failed to create grabbing popup"
OUTPUT_SIZE = (1280, 800)  # tests/wayland_desktop.py's SWAY_CONFIG


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
        """waybar's watcher's IsStatusNotifierHostRegistered."""
        address = DBusAddress("/StatusNotifierWatcher", bus_name=WATCHER, interface=WATCHER)
        reply = self.conn.send_and_get_reply(Properties(address).get("IsStatusNotifierHostRegistered"), timeout=10)
        return bool(reply.body[0][1])

    def item_property(self, service: str, path: str, name: str) -> Any:
        """One org.kde.StatusNotifierItem property of the item."""
        return self.call(service, path, "org.freedesktop.DBus.Properties", "Get", "ss", (ITEM, name))[0][1]

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def split_entry(entry: str) -> tuple[str, str]:
    """A watcher entry (``:1.6/StatusNotifierItem`` or a bare bus name) as (bus name, object path)."""
    service, _, path = entry.partition("/")
    return service, "/" + path if path else "/StatusNotifierItem"


def icon_box(shot: Path) -> tuple[int, int, int, int] | None:
    """(left, top, right, bottom) of what is drawn on the bar apart from its background, or None."""
    image = QImage(str(shot))
    background = image.pixel(2, 2)
    xs: list[int] = []
    ys: list[int] = []
    for y in range(WAYBAR_HEIGHT):
        for x in range(image.width()):
            if image.pixel(x, y) != background:
                xs.append(x)
                ys.append(y)
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def changed_pixels(before: Path, after: Path, box: tuple[int, int, int, int]) -> int:
    """How many pixels inside ``box`` differ between two screenshots."""
    one, two = QImage(str(before)), QImage(str(after))
    left, top, right, bottom = box
    return sum(one.pixel(x, y) != two.pixel(x, y)
               for y in range(top, bottom, 2) for x in range(left, right, 2))


def opened(app: RunningWaylandApp, timeout_seconds: float) -> bool:
    """Whether sway lists the main window (title ``Unsit``) within ``timeout_seconds``."""
    try:
        app.wait_until(lambda: "Unsit" in app.desktop.window_titles(), timeout_seconds, "the main window")
    except AssertionError:
        return False
    return True


def test_waybar_on_sway_shows_the_icon_and_its_left_click_and_menu_work(tmp_path: Path) -> None:
    wayland_root_or_skip()
    app = RunningWaylandApp(tmp_path / "w", "interval_minutes = 45\n", with_tray=True)
    panel = PanelCalls(app.env["DBUS_SESSION_BUS_ADDRESS"])
    pointer: VirtualPointer | None = None
    try:
        status = app.wait_until(lambda: (s := app.status())["tray_kind"] == "sni" and s, 30, "waybar to list the item")
        assert status["tray_available"] is True and status["tray_embedded"] is True, status
        assert panel.watcher_has_host()  # waybar's own host, not a stand-in
        [entry] = panel.watcher_items()
        service, path = split_entry(entry)
        assert panel.item_property(service, path, "Status") in ("Active", "NeedsAttention")
        log_file = tmp_path / "w" / "XDG_STATE_HOME" / "unsit" / "log" / "unsit.log"
        assert "host registered, our item registered" in log_file.read_text()

        # Plugged in before anything is clicked: waybar learns of the seat's new pointer capability
        # on its own connection, a moment after ours returns.
        pointer = VirtualPointer(app.env["WAYLAND_DISPLAY"], tmp_path)
        # waybar draws the icon at the bar's right end.
        bar = app.wait_until(lambda: icon_box(app.desktop.screenshot("bar.png")), 20, "the icon on the bar")
        left, top, right, bottom = bar
        assert right > OUTPUT_SIZE[0] - 60 and right - left < 40 and bottom < WAYBAR_HEIGHT, bar
        centre = ((left + right) // 2, (top + bottom) // 2)

        # A real left click on it: waybar calls Activate; no nudge is due, so the main window opens.
        # Clicked again if nothing opened: the first click can reach waybar before its wl_pointer.
        for attempt in range(3):
            pointer.click(*centre, OUTPUT_SIZE)
            if opened(app, 5 if attempt < 2 else 20):
                break
        assert "Unsit" in app.desktop.window_titles(), app.output()[-3000:]
        assert GRAB_FAILURE not in app.output() and GRAB_FAILURE not in log_file.read_text()
        # The bar with the icon, and the main window (kept with the test's files, to look at).
        shot = app.desktop.screenshot("waybar.png")
        shutil.copy(shot, tmp_path / "waybar.png")

        # A real right click: waybar opens the item's menu below the icon.
        pointer.click(*centre, OUTPUT_SIZE, button=BUTTON_RIGHT)
        below = (max(0, centre[0] - 300), WAYBAR_HEIGHT, OUTPUT_SIZE[0], WAYBAR_HEIGHT + 300)
        app.wait_until(lambda: changed_pixels(shot, app.desktop.screenshot("menu.png"), below) > 500, 20,
                       "waybar's menu to open")
        shutil.copy(app.desktop.runtime / "menu.png", tmp_path / "waybar-menu.png")

        # Choosing Pause ▸ For 30 minutes: the calls waybar's menu makes.
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
        if pointer is not None:
            pointer.close()
        panel.close()
        assert app.quit() == 0
