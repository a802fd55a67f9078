"""platform/dbus.py's CallingConnection (calls from one thread, signals from a receiver), against real buses.

A peer of the test's own owns a name on the test desktop's session bus (or on a private
dbus-daemon the test can stop) and answers the way servers do, including twice to one call.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jeepney import (
    DBusAddress,
    HeaderFields,
    MatchRule,
    Message,
    MessageType,
    new_error,
    new_method_call,
    new_method_return,
    new_signal,
)
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import Proxy, open_dbus_connection

from tests.platform.private_bus import PrivateBus
from tests.polling import wait_for
from unsit.platform.dbus import CallFailed, CallingConnection

pytestmark = pytest.mark.desktop

NAME = "org.unsit.TestRouter"
PATH = "/org/unsit/TestRouter"
INTERFACE = "org.unsit.TestRouter"
PEER = DBusAddress(PATH, bus_name=NAME, interface=INTERFACE)
LOGGER = "unsit.platform.dbus"


class Peer:
    """Owns ``NAME`` on a bus and answers from a thread: Echo, Fail (an error), Twice (a return,
    then an error for the same call, as mako 1.10 does), Hang (never answers)."""

    def __init__(self, address: str) -> None:
        self.connection: Any = open_dbus_connection(address)
        (result,) = Proxy(message_bus, self.connection, timeout=5).RequestName(NAME, 4)  # 4: do not queue
        assert result == 1, f"could not own {NAME}"
        self.calls: list[str] = []
        self._thread = threading.Thread(target=self._serve, name="test-router-peer", daemon=True)
        self._thread.start()

    def emit(self, member: str, text: str) -> None:
        self.connection.send(new_signal(DBusAddress(PATH, interface=INTERFACE), member, "s", (text,)))

    def close(self) -> None:
        try:
            self.connection.sock.shutdown(2)
        except OSError:
            pass
        self._thread.join(5)
        self.connection.close()

    def _serve(self) -> None:
        while True:
            try:
                msg = self.connection.receive()
            except OSError:
                return
            if msg.header.message_type is not MessageType.method_call:
                continue
            member = str(msg.header.fields.get(HeaderFields.member))
            self.calls.append(member)
            if member == "Echo":
                self.connection.send(new_method_return(msg, "s", msg.body))
            elif member == "Fail":
                self.connection.send(new_error(msg, "org.unsit.Error.Refused", "s", ("no",)))
            elif member == "Twice":
                self.connection.send(new_method_return(msg, "s", ("first",)))
                self.connection.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod", "s", ("again",)))


def echo(text: str) -> Message:
    return new_method_call(PEER, "Echo", "s", (text,))


@pytest.fixture
def session_address(desktop) -> str:
    return str(desktop.env["DBUS_SESSION_BUS_ADDRESS"])


@pytest.fixture
def peer(session_address) -> Iterator[Peer]:
    p = Peer(session_address)
    yield p
    p.close()


class Signals:
    """What the connection's receiver thread handed over, and a handler that can be made to fail."""

    def __init__(self) -> None:
        self.got: list[str] = []
        self.fail = False

    def __call__(self, msg: Message) -> None:
        if msg.header.fields.get(HeaderFields.interface) != INTERFACE:
            return  # the bus's own NameAcquired, after Hello
        self.got.append(f"{msg.header.fields.get(HeaderFields.member)} {msg.body[0]}")
        if self.fail:
            raise RuntimeError("a handler's bug")


@pytest.fixture
def signals() -> Signals:
    return Signals()


@pytest.fixture
def router(session_address, signals) -> Iterator[CallingConnection]:
    r = CallingConnection.open(session_address, signals, thread_name="test-router")
    yield r
    r.close()


def test_a_call_gets_its_reply(peer, router) -> None:
    assert router.connection.unique_name.startswith(":")
    assert router.call(echo("hip"), 5).body == ("hip",)
    assert router.call(echo("drill"), 5).body == ("drill",)  # the next serial finds its own reply


def test_an_error_reply_fails_the_call_but_not_the_connection(peer, router) -> None:
    with pytest.raises(CallFailed, match="Refused") as failed:
        router.call(new_method_call(PEER, "Fail"), 5)
    assert failed.value.error_name == "org.unsit.Error.Refused" and not failed.value.broken
    assert router.call(echo("still here"), 5).body == ("still here",)


def test_a_call_without_an_answer_times_out(peer, router) -> None:
    with pytest.raises(CallFailed, match=r"no answer in 0\.3 s") as failed:
        router.call(new_method_call(PEER, "Hang"), 0.3)
    assert not failed.value.broken and router.receiver_alive
    assert router.call(echo("after"), 5).body == ("after",)


def test_a_second_reply_to_one_call_is_dropped(peer, router, caplog) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    assert router.call(new_method_call(PEER, "Twice"), 5).body == ("first",)
    # The error that follows for the same call finds nobody waiting; the connection lives on.
    assert router.call(echo("next"), 5).body == ("next",)
    assert any("nobody waits" in r.getMessage() for r in caplog.records), "the second reply was not skipped"
    assert router.receiver_alive


def test_signals_go_to_the_handler_and_a_failing_handler_leaves_the_connection_working(
        peer, router, signals, caplog) -> None:
    router.call(message_bus.AddMatch(MatchRule(type="signal", interface=INTERFACE, path=PATH)), 5)
    peer.emit("Ping", "one")
    wait_for(lambda: signals.got == ["Ping one"], 5, "the first signal")
    signals.fail = True
    peer.emit("Pong", "two")
    peer.emit("Ping", "three")
    wait_for(lambda: len(signals.got) == 3, 5, "both signals despite the failing handler")
    assert signals.got == ["Ping one", "Pong two", "Ping three"]
    assert router.receiver_alive and router.call(echo("ok"), 5).body == ("ok",)
    assert any(r.exc_info and "handler failed" in r.getMessage() for r in caplog.records)


def test_close_fails_a_waiting_call_and_ends_the_thread(session_address, peer) -> None:
    lost: list[CallingConnection] = []
    router = CallingConnection.open(session_address, print, on_lost=lost.append, thread_name="test-router-close")
    failures: list[CallFailed] = []

    def wait_forever() -> None:
        try:
            router.call(new_method_call(PEER, "Hang"), 30)
        except CallFailed as exc:
            failures.append(exc)

    caller = threading.Thread(target=wait_forever)
    caller.start()
    wait_for(lambda: "Hang" in peer.calls, 5, "the call to reach the peer")
    router.close()
    caller.join(5)
    assert not caller.is_alive() and failures and failures[0].broken
    assert not router.receiver_alive and lost == []
    with pytest.raises(CallFailed) as after:
        router.call(echo("closed"), 5)
    assert after.value.broken
    router.close()  # twice is harmless


def test_open_without_a_bus_fails_as_broken(tmp_path) -> None:
    with pytest.raises(CallFailed, match="cannot reach D-Bus") as failed:
        CallingConnection.open(f"unix:path={tmp_path / 'no-bus'}", print)
    assert failed.value.broken
    with pytest.raises(CallFailed):
        CallingConnection.open("not an address", print)


@pytest.fixture
def private_bus(desktop, tmp_path: Path) -> Iterator[PrivateBus]:
    bus = PrivateBus(tmp_path / "bus")
    bus.start()
    yield bus
    bus.close()


def test_the_bus_going_away_fails_a_waiting_call_promptly(private_bus, caplog) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    threads_before = {t.name for t in threading.enumerate()}
    peer = Peer(private_bus.address)
    lost: list[CallingConnection] = []
    router = CallingConnection.open(private_bus.address, print, on_lost=lost.append, thread_name="test-router-lost")
    assert "test-router-lost" in {t.name for t in threading.enumerate()}
    failures: list[CallFailed] = []
    waited: list[float] = []

    def wait_long() -> None:
        started = time.monotonic()
        try:
            router.call(new_method_call(PEER, "Hang"), 60)
        except CallFailed as exc:
            failures.append(exc)
        waited.append(time.monotonic() - started)

    caller = threading.Thread(target=wait_long)
    caller.start()
    try:
        wait_for(lambda: "Hang" in peer.calls, 5, "the call to reach the peer")
        private_bus.stop()  # kills the dbus-daemon mid-call
        caller.join(10)
        assert not caller.is_alive() and failures and failures[0].broken
        assert waited[0] < 30  # the 60-s timeout did not have to run out
        wait_for(lambda: not router.receiver_alive, 5, "the receiver thread to end")
        assert lost == [router]
        assert any("connection ended" in r.getMessage() for r in caplog.records)
        assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
        with pytest.raises(CallFailed) as after:
            router.call(echo("gone"), 5)
        assert after.value.broken
    finally:
        router.close()
        peer.close()
    wait_for(lambda: {t.name for t in threading.enumerate()} <= threads_before, 5, "no thread left behind")
