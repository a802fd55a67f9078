"""Unsit's Windows adapters against the real system calls. Skipped elsewhere (marker ``windows``);
the CI workflow's Windows job runs them. Never run from the machine these were written on."""

from __future__ import annotations

import os
import sys
import uuid

import pytest

from unsit.platform.autostart import WinregRunKey
from unsit.platform.capture import windows as win
from unsit.platform.idle.windows import WindowsIdleSource

pytestmark = pytest.mark.windows


def test_idle_seconds_are_a_float_from_get_last_input_info():
    source = WindowsIdleSource.open()
    try:
        idle = source.idle_seconds()
    finally:
        source.close()
    assert isinstance(idle, float) and 0.0 <= idle < 49.8 * 24 * 3600


def test_the_run_key_takes_reads_and_removes_a_value():
    registry, name = WinregRunKey(), f"UnsitTest-{uuid.uuid4().hex[:8]}"
    try:
        registry.set_value(name, '"C:\\Program Files\\x\\unsit.exe"')
        assert registry.get_value(name) == '"C:\\Program Files\\x\\unsit.exe"'
    finally:
        registry.delete_value(name)
    assert registry.get_value(name) is None


def test_core_audio_walk_runs_on_the_real_device_enumerator():
    """The vtable slots and GUIDs against the real Core Audio: a walk that returns pids, not an HRESULT."""
    com = win._ComEnumerator()
    com.setup()
    try:
        pids = win.capture_session_pids(win.com_vcall, com.pointer)
    finally:
        win.com_vcall(com.pointer, win.RELEASE, ())
    assert all(isinstance(pid, int) and pid >= 0 for pid in pids)
    assert os.getpid() not in pids  # this test records nothing


def test_the_console_launcher_exists_beside_the_gui_one():
    scripts = os.path.dirname(sys.executable)
    names = set(os.listdir(scripts))
    assert {"unsit.exe", "unsit-cli.exe"} <= names, sorted(names)
