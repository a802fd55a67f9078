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
        com.teardown()  # releases the enumerator and pairs CoInitializeEx with CoUninitialize
    assert all(isinstance(pid, int) and pid >= 0 for pid in pids)
    assert os.getpid() not in pids  # this test records nothing


def test_the_console_launcher_exists_beside_the_gui_one():
    scripts = os.path.dirname(sys.executable)
    names = set(os.listdir(scripts))
    assert {"unsit.exe", "unsit-cli.exe"} <= names, sorted(names)


def test_german_and_chinese_reach_the_real_powershell_intact(tmp_path):
    """The speech script's own stdin decoding, on the real PowerShell: each line written to a file
    instead of spoken (SpeakAsync replaced), then compared with what was sent."""
    import subprocess

    from unsit.platform.speech import find_speech_command
    from unsit.platform.speech_sapi import SAPI_SCRIPT

    speak = "[void]$speaker.SpeakAsync($line)"
    assert speak in SAPI_SCRIPT
    echo = tmp_path / "heard.txt"
    script = SAPI_SCRIPT.replace(speak, "Add-Content -Encoding UTF8 -LiteralPath $env:UNSIT_TEST_ECHO -Value $line")
    command = find_speech_command("win32")
    assert command is not None
    lines = ["Hüfte öffnen, Füße hüftbreit.", "站直，收紧臀部。", "Wyprostuj się, źle nie jest."]
    done = subprocess.run(
        [*command.argv[:-1], script], input="\n".join(lines).encode("utf-8") + b"\n",
        env={**os.environ, "UNSIT_SPEECH_LANGUAGE": "de", "UNSIT_TEST_ECHO": str(echo)},
        capture_output=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert echo.read_text(encoding="utf-8-sig").splitlines() == lines
