import ctypes
import logging
import os
import socket
import threading
from collections.abc import Callable, Mapping
from types import SimpleNamespace
from typing import Any

import pytest

from unsit.platform.idle import NullIdleSource, candidate_sources, detect_idle_source
from unsit.platform.idle.base import IdleSource
from unsit.platform.idle.macos import ANY_INPUT_EVENT_TYPE, COMBINED_SESSION_STATE, MacIdleSource
from unsit.platform.idle.windows import WindowsIdleSource

# A method handler gets the call's body and returns (signature, body) for the reply,
# or raises FakeDBusError to answer with an error.
Handler = Callable[[tuple], tuple[str, tuple]]


class FakeDBusError(Exception):
    """Raised by a handler to reply with a D-Bus error."""


class FakeDBusService:
    """A tiny D-Bus service on a real bus, served from a thread.

    Owns ``bus_name``, answers the methods in ``handlers`` (keyed by (path, interface,
    member)), records every call in ``calls`` and can ``emit`` signals.
    """

    def __init__(self, bus_name: str, handlers: Mapping[tuple[str, str, str], Handler], address: str | None = None):
        self.bus_name = bus_name
        self.handlers = handlers
        self.address = address or os.environ["DBUS_SESSION_BUS_ADDRESS"]
        self.calls: list[tuple[str, str, str]] = []
        self._thread = threading.Thread(target=self._serve, name=f"fake-{bus_name}", daemon=True)
        self._connection: Any = None  # a jeepney blocking connection once entered (jeepney is untyped)

    def __enter__(self) -> "FakeDBusService":
        from jeepney import message_bus
        from jeepney.io.blocking import Proxy, open_dbus_connection

        self._connection = open_dbus_connection(self.address)
        # 4 = DO_NOT_QUEUE; a reply of 1 means we are the primary owner.
        (result,) = Proxy(message_bus, self._connection, timeout=5).RequestName(self.bus_name, 4)
        assert result == 1, f"could not own {self.bus_name}"
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._connection.sock.shutdown(socket.SHUT_RDWR)
        self._thread.join(5)
        self._connection.close()

    def emit(self, path: str, interface: str, member: str, signature: str, body: tuple) -> None:
        from jeepney import DBusAddress, new_signal

        self._connection.send(new_signal(DBusAddress(path, interface=interface), member, signature, body))

    def _serve(self) -> None:
        from jeepney import HeaderFields, MessageType, new_error, new_method_return

        while True:
            try:
                message = self._connection.receive()
            except OSError:
                return
            header = message.header
            if header.message_type is not MessageType.method_call:
                continue
            key = tuple(header.fields.get(f) for f in (HeaderFields.path, HeaderFields.interface, HeaderFields.member))
            self.calls.append(key)
            handler = self.handlers.get(key)
            if handler is None:
                reply = new_error(message, "org.freedesktop.DBus.Error.UnknownMethod", "s", ("no such method",))
            else:
                try:
                    signature, body = handler(message.body)
                    reply = new_method_return(message, signature, body)
                except FakeDBusError as error:
                    reply = new_error(message, "org.freedesktop.DBus.Error.NotSupported", "s", (str(error),))
            self._connection.send(reply)


def answer(signature: str, *values) -> Handler:
    return lambda body: (signature, values)


def refuse(body: tuple) -> tuple[str, tuple]:
    raise FakeDBusError("not supported here")


FDO = "org.freedesktop.ScreenSaver"
GNOME_IDLE = "org.gnome.Mutter.IdleMonitor"
GNOME_IDLE_KEY = ("/org/gnome/Mutter/IdleMonitor/Core", GNOME_IDLE, "GetIdletime")


def bus_env(**extra: str) -> dict[str, str]:
    """A session description with the test bus but no X display."""
    return {"DBUS_SESSION_BUS_ADDRESS": os.environ["DBUS_SESSION_BUS_ADDRESS"], **extra}


@pytest.fixture
def session_bus(desktop):
    return desktop.env["DBUS_SESSION_BUS_ADDRESS"]


def _detect(env) -> IdleSource:
    return detect_idle_source(env, platform="linux")


# --- detection on the real test session -------------------------------------------------


@pytest.mark.desktop
def test_picks_x11_on_the_xvfb_session(desktop, caplog):
    caplog.set_level(logging.INFO, logger="unsit.platform.idle")
    source = _detect(dict(os.environ))
    try:
        assert source.name == "x11"
        assert source.idle_seconds() is not None
        assert "idle source: x11" in caplog.text
    finally:
        source.close()


@pytest.mark.desktop
def test_picks_freedesktop_when_its_service_answers_and_there_is_no_display(session_bus):
    handlers = {("/org/freedesktop/ScreenSaver", FDO, "GetSessionIdleTime"): answer("u", 17)}
    with FakeDBusService(FDO, handlers) as service:
        source = _detect(bus_env(XDG_CURRENT_DESKTOP="XFCE"))
        try:
            assert source.name == "freedesktop"
            assert source.idle_seconds() == 17.0
        finally:
            source.close()
    assert ("/org/freedesktop/ScreenSaver", FDO, "GetSessionIdleTime") in service.calls


@pytest.mark.desktop
def test_kde_answers_in_milliseconds_on_the_short_path(session_bus):
    handlers = {("/ScreenSaver", FDO, "GetSessionIdleTime"): answer("u", 4500)}
    with FakeDBusService(FDO, handlers):
        source = _detect(bus_env(XDG_CURRENT_DESKTOP="KDE"))
        try:
            assert source.name == "freedesktop"
            assert source.idle_seconds() == 4.5
        finally:
            source.close()


@pytest.mark.desktop
def test_picks_gnome_on_gnome_wayland_even_with_an_xwayland_display(session_bus):
    with FakeDBusService(GNOME_IDLE, {GNOME_IDLE_KEY: answer("t", 42000)}):
        env = bus_env(XDG_CURRENT_DESKTOP="ubuntu:GNOME", XDG_SESSION_TYPE="wayland",
                      DISPLAY=os.environ["DISPLAY"])
        source = _detect(env)
        try:
            assert source.name == "gnome"
            assert source.idle_seconds() == 42.0
        finally:
            source.close()


@pytest.mark.desktop
def test_skips_a_freedesktop_service_that_refuses_and_falls_to_gnome(session_bus):
    fdo_handlers = {
        ("/org/freedesktop/ScreenSaver", FDO, "GetSessionIdleTime"): refuse,
        ("/ScreenSaver", FDO, "GetSessionIdleTime"): refuse,
    }
    with FakeDBusService(FDO, fdo_handlers) as fdo, FakeDBusService(GNOME_IDLE, {GNOME_IDLE_KEY: answer("t", 1000)}):
        source = _detect(bus_env(XDG_CURRENT_DESKTOP="KDE", XDG_SESSION_TYPE="wayland"))
        try:
            assert source.name == "gnome"
        finally:
            source.close()
    assert len(fdo.calls) == 2  # both paths were probed


@pytest.mark.desktop
def test_none_when_no_service_answers_on_the_bus(session_bus, caplog):
    source = _detect(bus_env(XDG_SESSION_TYPE="wayland"))
    assert isinstance(source, NullIdleSource)
    assert source.name == "none"
    assert source.idle_seconds() is None
    assert "no idle source works" in caplog.text


@pytest.mark.desktop
def test_dbus_source_follows_a_service_that_comes_and_goes(session_bus):
    handlers = {("/org/freedesktop/ScreenSaver", FDO, "GetSessionIdleTime"): answer("u", 3)}
    with FakeDBusService(FDO, handlers):
        source = _detect(bus_env())
    try:
        assert source.name == "freedesktop"
        assert source.idle_seconds() is None  # the service left: this reading fails...
        with FakeDBusService(FDO, handlers):
            assert source.idle_seconds() == 3.0  # ...and it answers again once back
    finally:
        source.close()


def test_none_when_nothing_is_there():
    source = _detect({})
    assert isinstance(source, NullIdleSource)
    source.close()


def test_unreachable_bus_and_display_give_none(tmp_path):
    env = {"DISPLAY": ":4321", "DBUS_SESSION_BUS_ADDRESS": f"unix:path={tmp_path / 'no-bus'}"}
    assert _detect(env).name == "none"


def test_candidate_order_per_session():
    def names(env, platform="linux"):
        return [name for name, _ in candidate_sources(env, platform)]

    bus = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nowhere"}
    assert names({**bus, "DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"}) == ["x11", "freedesktop", "gnome"]
    assert names({**bus, "DISPLAY": ":0", "XDG_CURRENT_DESKTOP": "GNOME"}) == ["x11", "gnome", "freedesktop"]
    assert names({**bus, "XDG_CURRENT_DESKTOP": "GNOME", "WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}) == [
        "gnome", "freedesktop"]
    assert names({**bus, "XDG_CURRENT_DESKTOP": "KDE", "XDG_SESSION_TYPE": "wayland"}) == ["freedesktop", "gnome"]
    assert names({}, "win32") == ["windows"]
    assert names({}, "darwin") == ["macos"]


# --- Windows and macOS: ctypes calls checked against stand-ins (no real OS here) ---------


def _fake_windows(last_input_ticks: int, now_ticks: int, succeeds: bool = True):
    def get_last_input_info(pointer):
        assert pointer.contents.cbSize == 8
        pointer.contents.dwTime = last_input_ticks
        return int(succeeds)

    user32 = SimpleNamespace(GetLastInputInfo=get_last_input_info)
    kernel32 = SimpleNamespace(GetTickCount64=lambda: now_ticks)
    return user32, kernel32


def test_windows_idle_from_last_input_ticks():
    source = WindowsIdleSource(*_fake_windows(last_input_ticks=10_000, now_ticks=12_500))
    assert source.idle_seconds() == 2.5


def test_windows_idle_across_the_32_bit_tick_wrap():
    # Last input 1 s before the low 32 bits wrapped; now 0.5 s after.
    source = WindowsIdleSource(*_fake_windows(last_input_ticks=2**32 - 1000, now_ticks=2**32 + 500))
    assert source.idle_seconds() == 1.5


def test_windows_failed_call_gives_none():
    source = WindowsIdleSource(*_fake_windows(0, 0, succeeds=False))
    assert source.idle_seconds() is None


def test_windows_source_is_unavailable_elsewhere():
    if hasattr(ctypes, "WinDLL"):
        pytest.skip("on Windows")
    from unsit.platform.idle.base import IdleSourceUnavailable

    with pytest.raises(IdleSourceUnavailable):
        WindowsIdleSource.open()
    assert detect_idle_source({}, platform="win32").name == "none"


def test_macos_asks_for_any_input_in_the_combined_session():
    seen = []

    def seconds_since(state, event_type):
        seen.append((state, event_type))
        return 7.25

    source = MacIdleSource(SimpleNamespace(CGEventSourceSecondsSinceLastEventType=seconds_since))
    assert source.idle_seconds() == 7.25
    assert seen == [(COMBINED_SESSION_STATE, ANY_INPUT_EVENT_TYPE)]
    assert (COMBINED_SESSION_STATE, ANY_INPUT_EVENT_TYPE) == (0, 0xFFFFFFFF)


def test_macos_nonsense_reading_gives_none():
    source = MacIdleSource(SimpleNamespace(CGEventSourceSecondsSinceLastEventType=lambda s, t: float("nan")))
    assert source.idle_seconds() is None


def test_macos_source_is_unavailable_elsewhere(tmp_path):
    from unsit.platform.idle.base import IdleSourceUnavailable

    with pytest.raises(IdleSourceUnavailable):
        MacIdleSource.open(paths=(str(tmp_path / "CoreGraphics"),))
