"""Idle time (seconds since the last keyboard or mouse input) from the OS.

:func:`detect_idle_source` tries the sources that fit the platform and session, keeps the
first that really answers, and falls back to :class:`NullIdleSource`.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from unsit.platform.idle.base import IdleSource, IdleSourceUnavailable, NullIdleSource

__all__ = ["IdleSource", "IdleSourceUnavailable", "NullIdleSource", "candidate_sources", "detect_idle_source"]

logger = logging.getLogger(__name__)

Opener = Callable[[], IdleSource]


def _session_bus_address(env: Mapping[str, str]) -> str | None:
    address = env.get("DBUS_SESSION_BUS_ADDRESS")
    if address:
        return address
    # systemd user sessions put the bus here even when the variable is not exported.
    runtime_dir = env.get("XDG_RUNTIME_DIR")
    if runtime_dir and (Path(runtime_dir) / "bus").is_socket():
        return f"unix:path={Path(runtime_dir) / 'bus'}"
    return None


# Each source's module is imported by its opener: the idle tray loads only those it tried.

def _open_windows() -> IdleSource:
    from unsit.platform.idle.windows import WindowsIdleSource

    return WindowsIdleSource.open()


def _open_macos() -> IdleSource:
    from unsit.platform.idle.macos import MacIdleSource

    return MacIdleSource.open()


def _open_gnome(address: str) -> IdleSource:
    from unsit.platform.idle.gnome import GnomeIdleSource

    return GnomeIdleSource.open(address)


def _open_freedesktop(address: str, milliseconds: bool) -> IdleSource:
    from unsit.platform.idle.freedesktop import FreedesktopIdleSource

    return FreedesktopIdleSource.open(address, milliseconds=milliseconds)


def _open_wayland(socket_path: str) -> IdleSource:
    from unsit.platform.idle.wayland import WaylandIdleSource

    return WaylandIdleSource.open(socket_path)


def _open_x11(display: str | None) -> IdleSource:
    from unsit.platform.idle.x11 import X11IdleSource

    return X11IdleSource.open(display)


def candidate_sources(env: Mapping[str, str], platform: str = sys.platform) -> list[tuple[str, Opener]]:
    """The idle sources worth trying here, best first, as (name, opener) pairs."""
    if platform == "win32":
        return [("windows", _open_windows)]
    if platform == "darwin":
        return [("macos", _open_macos)]
    desktops = [part.strip().lower() for part in env.get("XDG_CURRENT_DESKTOP", "").split(":")]
    on_gnome = any("gnome" in part for part in desktops)
    on_kde = "kde" in desktops
    on_wayland = env.get("XDG_SESSION_TYPE", "").lower() == "wayland" or bool(env.get("WAYLAND_DISPLAY"))
    address = _session_bus_address(env)
    bus_sources: list[tuple[str, Opener]] = []
    if address:
        gnome: tuple[str, Opener] = ("gnome", lambda: _open_gnome(address))
        freedesktop: tuple[str, Opener] = ("freedesktop", lambda: _open_freedesktop(address, on_kde))
        bus_sources = [gnome, freedesktop] if on_gnome else [freedesktop, gnome]
    if on_wayland:
        # XWayland's idle time only sees input to X clients: it would call a typing user idle.
        # Mutter has no ext-idle-notify, so GNOME's own monitor comes first there; elsewhere
        # the Wayland protocol beats org.freedesktop.ScreenSaver (which KDE Plasma 6 answers
        # with NotSupported on Wayland).
        from unsit.platform.idle.wayland import wayland_socket_path

        socket_path = wayland_socket_path(env)
        if socket_path is None:
            return bus_sources
        ext_idle: tuple[str, Opener] = ("wayland-ext-idle", lambda: _open_wayland(socket_path))
        if on_gnome:
            return [*bus_sources[:1], ext_idle, *bus_sources[1:]]
        return [ext_idle, *bus_sources]
    display = env.get("DISPLAY")
    return [("x11", lambda: _open_x11(display)), *bus_sources]


def detect_idle_source(env: Mapping[str, str] | None = None, platform: str = sys.platform) -> IdleSource:
    """Open the best idle source that answers a probe query here.

    Args:
        env: the environment describing the session (default: ``os.environ``).
        platform: ``sys.platform`` value (tests pass another).

    Returns:
        The first working source, or a :class:`NullIdleSource` when none answers.
    """
    env = os.environ if env is None else env
    for name, opener in candidate_sources(env, platform):
        try:
            source = opener()
        except IdleSourceUnavailable as error:
            logger.debug("idle source %s unavailable: %s", name, error)
            continue
        probe_seconds = source.idle_seconds()
        if probe_seconds is None:
            logger.debug("idle source %s opened but did not answer", name)
            source.close()
            continue
        logger.info("idle source: %s (idle %.1f s now)", source.name, probe_seconds)
        return source
    logger.warning("no idle source works here: away time will come only from lock and sleep")
    return NullIdleSource()
