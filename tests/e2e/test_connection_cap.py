"""Issue 21 item 15: the real app at its 512-connection cap says "busy", and the CLI tries again first."""

from __future__ import annotations

import resource
import socket
import threading
from pathlib import Path

import pytest

from tests.e2e.running_app import RunningApp

pytestmark = [pytest.mark.desktop, pytest.mark.slow]  # the real app on its own desktop


def test_status_at_the_connection_cap_is_busy_not_did_not_answer(tmp_path):
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 700:
        pytest.skip(f"needs about 600 open files, the limit is {soft}")
    app = RunningApp(tmp_path / "a", "", with_tray=False)
    sock_path = Path(app.env["XDG_RUNTIME_DIR"]) / "unsit" / "unsit.sock"  # short: it must fit a socket path
    held: list[socket.socket] = []
    stop = threading.Event()

    def connect() -> socket.socket:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(str(sock_path))
        return s

    def refill() -> None:
        """Idle clients are cut off 3 s after they connect: connect again at once, so the cap stays full."""
        while not stop.wait(0.02):
            for i, s in enumerate(held):
                try:
                    gone = s.recv(1, socket.MSG_DONTWAIT | socket.MSG_PEEK) == b""
                except BlockingIOError:
                    gone = False
                except OSError:
                    gone = True
                if gone:
                    s.close()
                    held[i] = connect()

    keeper = threading.Thread(target=refill, daemon=True)
    try:
        held.extend(connect() for _ in range(512))
        keeper.start()
        out = app.cli("status")
        assert out.returncode == 5, out
        assert "busy" in out.stderr and "did not answer in time" not in out.stderr
        stop.set()
        keeper.join(10)
        for s in held:
            s.close()
        held.clear()
        assert app.cli("status").returncode == 0  # and it answers once they are gone
    finally:
        stop.set()
        for s in held:
            s.close()
        app.quit()
