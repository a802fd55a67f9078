"""The Wayland idle source against a real compositor: headless sway 1.10 (ext-idle-notify-v1).

One sway + mako + session bus (tests/wayland_desktop.py) serves the module; each test opens
its own source. Skipped with the reason when the compositor root cannot be built here.
"""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.running_wayland_app import wayland_root_or_skip
from tests.platform.test_idle_detect import FDO, GNOME_IDLE, GNOME_IDLE_KEY, FakeDBusService, answer, refuse
from tests.polling import wait_for
from tests.wayland_desktop import WaylandDesktop
from unsit.platform.idle import IdleSourceUnavailable, detect_idle_source
from unsit.platform.idle.wayland import WaylandIdleSource


@pytest.fixture
def sway(tmp_path: Path) -> Iterator[WaylandDesktop]:
    wayland_root_or_skip()
    desktop = WaylandDesktop(tmp_path / "wayland")
    desktop.workdir.mkdir()
    try:
        desktop.start()
        yield desktop
    finally:
        desktop.stop()


def test_real_events_make_idle_grow_and_input_resets_it(sway) -> None:
    source = WaylandIdleSource.open(sway.env["WAYLAND_DISPLAY"], timeout_seconds=0.5)
    try:
        wait_for(lambda: (source.idle_seconds() or 0.0) >= 1.0, 5, "idle time to pass a second")
        sway.press_shift()
        wait_for(lambda: source.idle_seconds() == 0.0, 5, "the key press to reset idle time")
        # Idle again: the value counts from the key press, not from the idled event.
        value = wait_for(lambda: source.idle_seconds() or None, 5, "idle again")
        assert 0.5 <= value < 2.0
    finally:
        source.close()


def test_queries_never_block_even_when_the_compositor_hangs(sway) -> None:
    source = WaylandIdleSource.open(sway.env["WAYLAND_DISPLAY"], timeout_seconds=0.5)
    sway_pid = sway.procs["sway"].pid
    os.kill(sway_pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        for _ in range(100):
            source.idle_seconds()
        assert time.monotonic() - started < 0.5
        # Opening against a hung compositor gives up instead of hanging the app's start.
        started = time.monotonic()
        with pytest.raises(IdleSourceUnavailable, match=r"in time|no answer"):
            WaylandIdleSource.open(sway.env["WAYLAND_DISPLAY"])
        assert time.monotonic() - started < 6
    finally:
        os.kill(sway_pid, signal.SIGCONT)
        started = time.monotonic()
        source.close()
        assert time.monotonic() - started < 2.5


def test_compositor_gone_gives_none_and_one_warning(sway, caplog) -> None:
    caplog.set_level(logging.WARNING, logger="unsit.platform.idle.wayland")
    source = WaylandIdleSource.open(sway.env["WAYLAND_DISPLAY"])
    assert source.idle_seconds() is not None
    sway.stop_compositor()
    wait_for(lambda: source.idle_seconds() is None, 5, "the source to notice")
    assert source.idle_seconds() is None
    source.close()
    assert caplog.text.count("Wayland idle source lost") == 1
    with pytest.raises(IdleSourceUnavailable, match="no Wayland compositor"):
        WaylandIdleSource.open(sway.env["WAYLAND_DISPLAY"])


def test_detection_prefers_ext_idle_over_a_freedesktop_service_that_says_not_supported(sway, caplog) -> None:
    caplog.set_level(logging.INFO, logger="unsit.platform.idle")
    handlers = {(path, FDO, "GetSessionIdleTime"): refuse for path in ("/org/freedesktop/ScreenSaver", "/ScreenSaver")}
    env = {**sway.env, "XDG_CURRENT_DESKTOP": "KDE"}
    with FakeDBusService(FDO, handlers, address=sway.env["DBUS_SESSION_BUS_ADDRESS"]) as kde:
        source = detect_idle_source(env, platform="linux")
        try:
            assert source.name == "wayland-ext-idle"
            assert "idle source: wayland-ext-idle" in caplog.text
        finally:
            source.close()
    assert kde.calls == []  # never even asked: the protocol came first


def test_detection_on_gnome_keeps_mutter_first_and_falls_back_to_freedesktop_without_compositor(sway) -> None:
    bus = sway.env["DBUS_SESSION_BUS_ADDRESS"]
    with FakeDBusService(GNOME_IDLE, {GNOME_IDLE_KEY: answer("t", 42000)}, address=bus):
        source = detect_idle_source({**sway.env, "XDG_CURRENT_DESKTOP": "GNOME"}, platform="linux")
        assert source.name == "gnome"
        source.close()
    handlers = {("/org/freedesktop/ScreenSaver", FDO, "GetSessionIdleTime"): answer("u", 7)}
    with FakeDBusService(FDO, handlers, address=bus):
        env = {**sway.env, "WAYLAND_DISPLAY": str(sway.runtime / "wayland-99")}  # no compositor there
        source = detect_idle_source(env, platform="linux")
        assert source.name == "freedesktop"
        source.close()


def test_without_the_root_the_tests_skip_with_the_reason_but_fail_where_required(monkeypatch) -> None:
    import tests.e2e.running_wayland_app as harness

    def no_network() -> None:
        raise RuntimeError("debootstrap failed, see build.log")

    monkeypatch.delenv("UNSIT_REQUIRE_WAYLAND_ROOT", raising=False)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(harness, "wayland_root_unavailable", lambda: "missing: debootstrap")
    with pytest.raises(pytest.skip.Exception, match="missing: debootstrap"):
        harness.wayland_root_or_skip()
    monkeypatch.setattr(harness, "wayland_root_unavailable", lambda: None)
    monkeypatch.setattr(harness, "build_wayland_root", no_network)
    with pytest.raises(pytest.skip.Exception, match="cannot build the Wayland root: debootstrap failed"):
        harness.wayland_root_or_skip()
    monkeypatch.setenv("UNSIT_REQUIRE_WAYLAND_ROOT", "1")
    with pytest.raises(pytest.fail.Exception, match="must run on CI"):
        harness.wayland_root_or_skip()
