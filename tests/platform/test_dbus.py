"""platform/dbus.py: the jeepney layer the D-Bus adapters share, against a real session bus."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from jeepney import HeaderFields, MatchRule

from tests.platform.test_idle_detect import FakeDBusService, answer, refuse
from unsit.platform import dbus
from unsit.platform.dbus import BusCaller, BusUnavailable, SignalListener, open_connection

NAME = "org.unsit.TestDbus"
PATH = "/org/unsit/TestDbus"


@pytest.fixture
def session_address(desktop):
    return desktop.env["DBUS_SESSION_BUS_ADDRESS"]


def test_open_connection_to_nothing_says_unavailable(tmp_path):
    with pytest.raises(BusUnavailable, match="cannot reach D-Bus"):
        open_connection(f"unix:path={tmp_path / 'no-bus'}", timeout_seconds=0.5)


def test_a_silent_bus_fails_within_the_timeout(tmp_path):
    silent = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    silent.bind(str(tmp_path / "silent"))
    silent.listen(1)  # accepts (the kernel queues us) but never answers the authentication
    try:
        started = time.monotonic()
        with pytest.raises(BusUnavailable, match="authenticate"):
            open_connection(f"unix:path={tmp_path / 'silent'}", timeout_seconds=0.3)
        assert time.monotonic() - started < 2
    finally:
        silent.close()


@pytest.mark.desktop
def test_caller_answers_refusals_and_hangs(session_address):
    gate = threading.Event()

    def hang(body: tuple) -> tuple[str, tuple]:
        gate.wait(10)  # holds the service's only thread: no reply until released
        return "u", (0,)

    handlers = {(PATH, NAME, "Echo"): lambda body: ("s", body), (PATH, NAME, "Refuse"): refuse,
                (PATH, NAME, "Hang"): hang}
    caller = BusCaller(session_address, timeout_seconds=0.3)
    try:
        with FakeDBusService(NAME, handlers):
            assert caller.call(NAME, PATH, NAME, "Echo", "s", ("hi",)) == ("hi",)
            assert caller.call(NAME, PATH, NAME, "Refuse") is None
            assert caller.call(NAME, PATH, NAME, "Hang") is None  # the timeout, not a hang
            gate.set()
            assert caller.call(NAME, PATH, NAME, "Echo", "s", ("again",)) == ("again",)  # late reply skipped
        assert caller.call(NAME, PATH, NAME, "Echo", "s", ("gone",)) is None  # nobody owns the name now
    finally:
        gate.set()
        caller.close()


def test_caller_without_a_bus_gives_none(tmp_path):
    caller = BusCaller(f"unix:path={tmp_path / 'no-bus'}", timeout_seconds=0.3)
    with pytest.raises(BusUnavailable):
        caller.connect()
    assert caller.call(NAME, PATH, NAME, "Echo") is None


@pytest.mark.desktop
def test_listener_hands_over_signals_on_its_own_thread_and_stops(qtbot, session_address):
    connected = threading.Event()
    received: list[tuple[str, tuple]] = []
    threads: set[str] = set()

    def on_signals(connection, messages) -> None:
        threads.add(threading.current_thread().name)
        received.extend((m.header.fields[HeaderFields.member], m.body) for m in messages)

    rule = MatchRule(type="signal", interface=NAME, member="Ping")
    listener = SignalListener("unsit-test-listener", session_address, [rule], on_signals,
                              on_connected=lambda connection: connected.set())
    with FakeDBusService(NAME, {(PATH, NAME, "Echo"): answer("s", "x")}) as service:
        listener.start()
        try:
            qtbot.waitUntil(connected.is_set, timeout=5000)
            for n in range(3):
                service.emit(PATH, NAME, "Ping", "u", (n,))
            service.emit(PATH, NAME, "Other", "u", (9,))  # not matched
            qtbot.waitUntil(lambda: len(received) == 3, timeout=5000)
        finally:
            listener.stop()
    assert received == [("Ping", (0,)), ("Ping", (1,)), ("Ping", (2,))]
    assert threads == {"unsit-test-listener"}
    assert not listener.is_alive()


def test_listener_reports_a_missing_bus_and_ends(qtbot, tmp_path):
    reasons: list[BusUnavailable] = []
    listener = SignalListener("unsit-test-listener", f"unix:path={tmp_path / 'no-bus'}", [],
                              lambda connection, messages: None, on_unavailable=reasons.append)
    listener.start()
    qtbot.waitUntil(lambda: not listener.is_alive(), timeout=5000)
    assert len(reasons) == 1 and "cannot reach D-Bus" in str(reasons[0])


def test_sni_watch_connects_off_the_calling_thread(qtbot, monkeypatch, tmp_path):
    from unsit.platform.sni import SniWatch

    opened_on: list[threading.Thread] = []

    def record(address: str, timeout_seconds: float = 1.0):
        opened_on.append(threading.current_thread())
        raise BusUnavailable("no bus in this test")

    monkeypatch.setattr(dbus, "open_connection", record)
    watch = SniWatch(bus=f"unix:path={tmp_path / 'no-bus'}")
    watch.start()
    try:
        qtbot.waitUntil(lambda: bool(opened_on), timeout=5000)
    finally:
        watch.close()
    assert opened_on[0] is not threading.main_thread()  # a slow bus never freezes the GUI


def test_name_owner_rule_matches_only_that_name():
    from jeepney import DBusAddress, new_signal

    rule = dbus.name_owner_rule("org.example.Watched")
    bus = DBusAddress("/org/freedesktop/DBus", interface="org.freedesktop.DBus")

    def owner_changed(name: str):
        message = new_signal(bus, "NameOwnerChanged", "sss", (name, "", ":1.5"))
        message.header.fields[HeaderFields.sender] = "org.freedesktop.DBus"
        return message

    assert rule.matches(owner_changed("org.example.Watched"))
    assert not rule.matches(owner_changed("org.example.Other"))


@pytest.mark.desktop
def test_session_bus_reachable(session_address, tmp_path):
    from unsit.platform.notify.freedesktop import session_bus_reachable

    assert session_bus_reachable(session_address)
    assert not session_bus_reachable(f"unix:path={tmp_path / 'no-bus'}")
    assert not session_bus_reachable("not an address")
