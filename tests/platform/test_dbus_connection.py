"""platform/dbus_connection.py: Unsit's blocking D-Bus connection, against a real session bus."""

from __future__ import annotations

import socket
import threading
import time
from collections import deque

import pytest
from jeepney import HeaderFields, MatchRule, MessageType, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.wrappers import DBusAddress

from tests.platform.test_idle_detect import FakeDBusService, refuse
from unsit.platform.dbus_connection import BlockingConnection, authenticated_socket

NAME = "org.unsit.TestConnection"
PATH = "/org/unsit/TestConnection"
ADDRESS = DBusAddress(PATH, bus_name=NAME, interface=NAME)


@pytest.fixture
def session_address(desktop):
    return desktop.env["DBUS_SESSION_BUS_ADDRESS"]


@pytest.mark.desktop
def test_calls_get_their_replies_errors_and_timeouts_and_signals_wait_in_their_filter(session_address):
    gate = threading.Event()

    def hang(body: tuple) -> tuple[str, tuple]:
        gate.wait(10)
        return "s", ("late",)

    handlers = {(PATH, NAME, "Echo"): lambda body: ("s", body), (PATH, NAME, "Refuse"): refuse,
                (PATH, NAME, "Hang"): hang}
    connection = BlockingConnection.open(session_address, 2.0)
    try:
        assert connection.unique_name.startswith(":")
        pings: deque = deque()
        rule = MatchRule(type="signal", interface=NAME, member="Ping")
        connection.filter(rule, queue=pings)
        assert connection.send_and_get_reply(message_bus.AddMatch(rule), timeout=2).header.message_type \
            is MessageType.method_return
        with FakeDBusService(NAME, handlers) as service:
            service.emit(PATH, NAME, "Ping", "u", (1,))  # comes in while the next call waits
            reply = connection.send_and_get_reply(new_method_call(ADDRESS, "Echo", "s", ("hi",)), timeout=2)
            assert reply.body == ("hi",)
            refused = connection.send_and_get_reply(new_method_call(ADDRESS, "Refuse"), timeout=2)
            assert refused.header.message_type is MessageType.error
            started = time.monotonic()
            with pytest.raises(TimeoutError):
                connection.send_and_get_reply(new_method_call(ADDRESS, "Hang"), timeout=0.3)
            assert time.monotonic() - started < 2
            gate.set()
            again = connection.send_and_get_reply(new_method_call(ADDRESS, "Echo", "s", ("again",)), timeout=5)
            assert again.body == ("again",)  # the late reply to Hang was skipped
            service.emit(PATH, NAME, "Ping", "u", (2,))
            assert [m.body for m in pings] == [(1,)]
            second = connection.recv_until_filtered(pings)  # the first, already waiting
            third = connection.recv_until_filtered(pings)  # then blocks until the second arrives
            assert (second.body, third.body) == ((1,), (2,))
            assert third.header.fields[HeaderFields.member] == "Ping"
    finally:
        gate.set()
        connection.close()


@pytest.mark.desktop
def test_a_connection_shut_down_under_a_waiting_receive_raises_connection_reset(session_address):
    connection = BlockingConnection.open(session_address, 2.0)
    waiting: deque = deque()
    errors: list[BaseException] = []

    def receive() -> None:
        try:
            connection.recv_until_filtered(waiting)
        except BaseException as error:  # noqa: BLE001 - recorded for the assertion
            errors.append(error)

    thread = threading.Thread(target=receive)
    thread.start()  # blocked in recv, or about to be: either way the shut-down socket ends it
    connection.sock.shutdown(socket.SHUT_RDWR)
    thread.join(5)
    connection.close()
    assert len(errors) == 1 and isinstance(errors[0], ConnectionResetError)


def test_nothing_at_the_address_and_a_silent_bus_fail_within_the_timeout(tmp_path):
    with pytest.raises(OSError):
        authenticated_socket(f"unix:path={tmp_path / 'no-bus'}", 0.5)
    silent = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    silent.bind(str(tmp_path / "silent"))
    silent.listen(1)  # accepts (the kernel queues us) but never answers the authentication
    try:
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            authenticated_socket(f"unix:path={tmp_path / 'silent'}", 0.3)
        assert time.monotonic() - started < 2
    finally:
        silent.close()
