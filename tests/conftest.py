"""Suite-wide set-up: private XDG folders, and one real headless desktop for every Qt test.

When the desktop programs are installed (the README's test command installs them), the
whole session runs on Xvfb with a D-Bus session bus, dunst and trayer, and Qt uses the
xcb platform. Tests marked ``desktop`` are skipped with the missing program named when
they are not.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from tests.desktop import HeadlessDesktop, missing_tools

_state: dict = {}


def _is_xdist_controller(config: pytest.Config) -> bool:
    """True in the process that hands tests to pytest-xdist's workers (it runs none itself)."""
    return bool(getattr(config.option, "numprocesses", None)) and not hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    if _is_xdist_controller(config):
        return  # each worker sets up its own folders and its own desktop (one Xvfb per worker)
    root = Path(tempfile.mkdtemp(prefix="unsit-tests-"))
    _state["root"] = root
    # Never touch the real user's settings, history or logs.
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"), ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"), ("XDG_RUNTIME_DIR", "runtime"),
    ):
        (root / sub).mkdir(mode=0o700)
        os.environ[var] = str(root / sub)
    # The tests expect English: the machine's language must not leak in (language tests set their own).
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        os.environ.pop(var, None)
    os.environ["LANG"] = "C.UTF-8"
    missing = missing_tools()
    _state["missing"] = missing
    if missing:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return
    desktop = HeadlessDesktop(root / "desktop")
    os.environ.update(desktop.start())
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    _state["desktop"] = desktop


def pytest_unconfigure(config: pytest.Config) -> None:
    desktop = _state.get("desktop")
    if desktop:
        desktop.stop()
    root = _state.get("root")
    if root:
        shutil.rmtree(root, ignore_errors=True)


_ONLY_ON = {"windows": "win32", "macos": "darwin"}  # markers for tests of one OS's real system calls


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The long tests first, so that with several workers none of them starts last and alone.
    items.sort(key=lambda item: "slow" not in item.keywords)
    for item in items:
        for marker, platform in _ONLY_ON.items():
            if marker in item.keywords and sys.platform != platform:
                item.add_marker(pytest.mark.skip(reason=f"calls the real {marker} system: runs on {platform} only"))
    if not _state.get("missing"):
        return
    skip = pytest.mark.skip(reason="headless desktop missing: " + ", ".join(_state["missing"]))
    for item in items:
        if "desktop" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def desktop() -> HeadlessDesktop:
    """The session's running desktop (Xvfb, D-Bus, dunst, trayer)."""
    d = _state.get("desktop")
    if d is None:
        pytest.skip("headless desktop missing: " + ", ".join(_state.get("missing", [])))
    return d


@pytest.fixture
def pulse_server(tmp_path_factory):
    """A real PulseAudio server of its own (a null microphone and sink), stopped after the test."""
    from tests.pulse_server import PulseServer, missing_pulse_tools

    missing = missing_pulse_tools()
    if missing:
        pytest.skip("PulseAudio missing: " + ", ".join(missing))
    server = PulseServer(tmp_path_factory.mktemp("pulse"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def fake_clock():
    """A FakeClock starting Monday 2026-11-23 08:00 UTC."""
    from tests.fakes import FakeClock

    return FakeClock()
