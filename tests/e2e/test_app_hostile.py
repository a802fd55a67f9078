"""The real app against hostile neighbours: stalled socket clients, a settings.toml that is a FIFO,
a notification server that describes itself wrongly."""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.desktop import HeadlessDesktop
from tests.e2e.running_app import RunningApp

pytestmark = [pytest.mark.desktop, pytest.mark.slow]  # the real app on its own desktop

STANDIN = Path(__file__).resolve().parents[1] / "platform" / "notification_standin.py"


def test_stalled_clients_neither_silence_the_app_nor_let_a_second_one_take_over(tmp_path):
    app = RunningApp(tmp_path / "a", "")
    sock_path = Path(app.env["XDG_RUNTIME_DIR"]) / "unsit" / "unsit.sock"  # short: it must fit a socket path
    idle = []
    stop = threading.Event()
    try:
        for _ in range(10):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(str(sock_path))
            idle.append(s)
        loris = idle[0]

        def drip() -> None:  # a byte every 1.5 s, never a newline
            while not stop.wait(1.5):
                try:
                    loris.send(b"{")
                except OSError:
                    return

        dripper = threading.Thread(target=drip, daemon=True)
        dripper.start()
        for step in range(4):
            app.poke(step)
            out = app.cli("status", "--json")
            assert out.returncode == 0, out.stderr
        second = app.cli()  # `unsit` again while the clients hang on
        assert second.returncode == 0 and "already running" in second.stdout
        assert app.proc.poll() is None
        assert app.cli("status").returncode == 0  # still ours, still answering
    finally:
        stop.set()
        for s in idle:
            s.close()
        assert app.quit() == 0


def test_settings_replaced_by_a_fifo_neither_hangs_the_app_nor_stops_sigterm(tmp_path):
    app = RunningApp(tmp_path / "a", "interval_minutes = 30\n")
    settings_file = tmp_path / "a" / "XDG_CONFIG_HOME" / "unsit" / "settings.toml"
    try:
        settings_file.unlink()
        os.mkfifo(settings_file)
        app.wait_until(lambda: "FIFO" in app.output(), 15, "the app to refuse the FIFO")
        status = app.status()  # answers: the GUI thread is not stuck in a read
        assert status["interval_seconds"] == 30 * 60  # the previous good settings are kept
        assert settings_file.is_fifo()
        started = time.monotonic()
        app.proc.send_signal(signal.SIGTERM)
        assert app.proc.wait(10) == 0
        assert time.monotonic() - started < 5
    finally:
        app.quit()


def test_a_server_with_a_huge_description_and_numeric_capabilities_leaves_status_working(tmp_path):
    # Issue 21 items 2 and 4: GetCapabilities answered with a "u" stopped the start (exit 1); a
    # 2 MB name and version made every `unsit status` time out.
    def hostile_server(desktop: HeadlessDesktop) -> None:
        desktop.stop_dunst()
        desktop.procs["dunst"] = desktop.launch_notification_server(
            [sys.executable, str(STANDIN), "--name", "windbag", "--info", "huge", "--caps-type", "u"])

    app = RunningApp(tmp_path / "a", "", before_start=hostile_server)
    try:
        for _ in range(3):
            status = app.status()
            assert status["notify_server"].startswith("windbag") and len(status["notify_server"]) <= 201
            assert status["notify_capabilities"] == []
        assert "Traceback" not in app.output()
        assert len(app.output()) < 20_000  # the 2 MB strings are in no log line
    finally:
        assert app.quit() == 0
