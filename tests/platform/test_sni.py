"""SniWatch: what the StatusNotifierWatcher says about our item, read off the GUI thread and followed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess

import pytest
from jeepney import DBusAddress, new_method_call
from jeepney.io.blocking import open_dbus_connection

from tests.sni_host import StandInSniHost
from unsit.platform.sni import SniState, SniWatch, item_service, state_from_properties

PID = 4242


def props(host: bool, items: list[str]) -> dict:
    return {"IsStatusNotifierHostRegistered": ("b", host), "RegisteredStatusNotifierItems": ("as", items),
            "ProtocolVersion": ("i", 0)}


def owners(name: str) -> int | None:
    return {":1.7": PID, ":1.8": 99}.get(name)


@pytest.mark.parametrize(("entry", "service"), [
    (":1.7", ":1.7"), (":1.7/StatusNotifierItem", ":1.7"),
    ("org.kde.StatusNotifierItem-4242-1/StatusNotifierItem", "org.kde.StatusNotifierItem-4242-1"),
])
def test_item_service(entry, service):
    assert item_service(entry) == service


@pytest.mark.parametrize(("host", "items", "shown"), [
    (True, [":1.7"], True),  # Qt 6 registers its unique name
    (True, [":1.8/StatusNotifierItem", ":1.7/StatusNotifierItem"], True),
    (True, ["org.kde.StatusNotifierItem-4242-1"], True),  # Qt 5 style service name
    (True, ["org.kde.StatusNotifierItem-42421-1", ":1.8"], False),  # another process's items
    (False, [":1.7"], False),  # registered, but no host draws it
    (True, [], False),
])
def test_state_from_the_watcher_properties(host, items, shown):
    assert state_from_properties(props(host, items), owners, PID).shows_icon is shown


def test_odd_property_values_do_not_crash():
    state = state_from_properties({"RegisteredStatusNotifierItems": ("s", "nonsense")}, owners, PID)
    assert state == SniState(watcher_present=True, host_registered=False, item_registered=False)


@pytest.fixture
def private_bus():
    """A session bus of our own: a watcher on the suite's bus would turn every later tray into SNI."""
    if shutil.which("dbus-daemon") is None:
        pytest.skip("dbus-daemon missing")
    out = subprocess.run(["dbus-daemon", "--session", "--fork", "--nopidfile", "--print-address=1",
                          "--print-pid=1"], capture_output=True, text=True, check=True).stdout.split()
    yield out[0]
    os.kill(int(out[1]), signal.SIGTERM)


def register_item(address: str):
    """Register an item from this process (same pid as the watch), as Qt does: by unique name."""
    conn = open_dbus_connection(address)
    watcher = DBusAddress("/StatusNotifierWatcher", bus_name="org.kde.StatusNotifierWatcher",
                          interface="org.kde.StatusNotifierWatcher")
    conn.send_and_get_reply(new_method_call(watcher, "RegisterStatusNotifierItem", "s", (conn.unique_name,)),
                            timeout=5)
    return conn


def test_the_watch_follows_the_watcher(qtbot, private_bus):
    watch = SniWatch(bus=private_bus)
    states: list[SniState] = []
    watch.changed.connect(states.append)
    watch.start()
    try:
        qtbot.waitUntil(lambda: bool(states), timeout=5000)
        assert watch.state == SniState()  # nobody owns the watcher name yet
        host = StandInSniHost(private_bus)
        try:
            qtbot.waitUntil(lambda: watch.state.watcher_present and watch.state.host_registered, timeout=5000)
            assert not watch.state.shows_icon  # no item of ours yet
            item = register_item(private_bus)
            qtbot.waitUntil(lambda: watch.state.shows_icon, timeout=5000)
            host.set_host_registered(False)  # the panel quits
            qtbot.waitUntil(lambda: not watch.state.host_registered, timeout=5000)
            assert not watch.state.shows_icon
            host.set_host_registered(True)
            qtbot.waitUntil(lambda: watch.state.shows_icon, timeout=5000)
            item.close()
        finally:
            host.close()
        qtbot.waitUntil(lambda: not watch.state.watcher_present, timeout=5000)  # the watcher left the bus
    finally:
        watch.close()


def test_without_a_session_bus_the_watch_stays_silent(qtbot):
    watch = SniWatch(bus="unix:path=/nonexistent/bus")
    watch.start()
    watch.close()
    assert watch.state == SniState()


def test_watcher_signals_from_anyone_but_the_watcher_cause_no_reread(qtbot, private_bus):
    from jeepney import HeaderFields

    from tests.platform.spoofing_client import Spoofer

    host = StandInSniHost(private_bus)
    watch = SniWatch(bus=private_bus)
    reads: list[int] = []
    read = watch._read
    handled: list[str] = []  # the sender of each signal the listener thread handled
    handle = watch._signals_received

    def counting_read(conn):
        reads.append(1)
        return read(conn)

    def recording(conn, messages) -> None:
        handle(conn, messages)
        handled.extend(str(m.header.fields.get(HeaderFields.sender)) for m in messages)

    watch._read = counting_read  # type: ignore[method-assign]
    watch._signals_received = recording  # type: ignore[method-assign]
    watch.start()
    try:
        qtbot.waitUntil(lambda: watch.state.host_registered, timeout=5000)
        before = len(reads)
        listener_name = str(watch._listener._connection.unique_name)
        with Spoofer(private_bus) as spoofer:
            for _ in range(20):  # straight to the watch: match rules do not stop these
                spoofer.emit("/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher",
                             "StatusNotifierHostRegistered", "", (), destination=listener_name)
            spoofer_name = str(spoofer.connection.unique_name)
            qtbot.waitUntil(lambda: handled.count(spoofer_name) == 20, timeout=5000)
        assert len(reads) == before  # nothing re-read for them
        host.set_host_registered(False)  # the real watcher's signal still counts
        qtbot.waitUntil(lambda: not watch.state.host_registered, timeout=5000)
    finally:
        watch.close()
        host.close()
