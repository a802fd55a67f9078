"""The command line: argument parsing, output formats, and behaviour with no instance running."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

import pytest

from unsit import __version__
from unsit.cli import build_parser, format_status, parse_pause


@pytest.mark.parametrize("text,expected", [
    ("30m", {"minutes": 30}), ("1h", {"minutes": 60}), ("1h30m", {"minutes": 90}), ("45", {"minutes": 45}),
    ("tomorrow", {"until": "tomorrow"}), ("indefinitely", {"until": "indefinitely"}), ("2H", {"minutes": 120}),
])
def test_pause_lengths_parse(text, expected):
    assert parse_pause(text) == expected


@pytest.mark.parametrize("text", ["", "0", "0m", "abc", "25h", "-5m", "1d", "m"])
def test_bad_pause_lengths_are_refused_with_a_clear_message(text):
    with pytest.raises(argparse.ArgumentTypeError) as err:
        parse_pause(text)
    assert "pause" in str(err.value) or "minute" in str(err.value)


def test_parser_knows_every_contract_command():
    parser = build_parser()
    assert parser.parse_args(["status", "--json"]).json is True
    assert parser.parse_args(["drill", "rotation"]).family == "rotation"
    assert parser.parse_args(["drill"]).family is None
    assert parser.parse_args(["pause"]).length == {"minutes": 30}
    for cmd in ("resume", "quit", "snooze", "skip", "settings", "history"):
        assert parser.parse_args([cmd]).command == cmd
    with pytest.raises(SystemExit):
        parser.parse_args(["drill", "sideways"])


def test_human_status_names_everything():
    text = format_status({"phase": "nudge_due", "streak_seconds": 3725, "next_nudge_in_seconds": None,
                          "paused_until": None, "idle_source": "none"})
    assert "1 h 02 min" in text and "nudge due" in text and "—" in text
    assert "cannot tell when you are away" in text
    assert "call" not in text


def test_human_status_says_a_call_holds_the_nudge():
    text = format_status({"phase": "sitting", "streak_seconds": 3725, "next_nudge_in_seconds": 0,
                          "paused_until": None, "idle_source": "x11", "in_call": True, "call_seconds": 754})
    assert "In a call:      12 min (a nudge waits until it ends)" in text.splitlines()


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "unsit", *args], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ))


def test_version():
    out = _cli("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"Unsit {__version__}"


@pytest.mark.parametrize("cmd", [["status"], ["status", "--json"], ["drill"], ["pause", "1h"], ["resume"], ["quit"]])
def test_commands_without_a_running_instance_say_so_and_fail(cmd):
    out = _cli(*cmd)
    assert out.returncode == 3
    assert "not running" in out.stderr
    assert out.stdout == ""


def test_client_commands_do_not_load_qt():
    code = ("import sys; from unsit.__main__ import main; rc = main(['status']); "
            "print(any(m.startswith('PySide6') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False"


def test_starting_without_a_graphical_session_says_so_instead_of_crashing():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = subprocess.run([sys.executable, "-m", "unsit"], capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode == 2
    assert "no graphical session" in out.stderr and "Traceback" not in out.stderr


def test_drill_routine_parses_and_the_help_lists_the_routines(capsys):
    parser = build_parser()
    args = parser.parse_args(["drill", "--routine", "warm-up"])
    assert args.routine == "warm-up" and args.family is None
    with pytest.raises(SystemExit):
        parser.parse_args(["drill", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--routine ID play a routine instead: morning, warm-up" in help_text


def test_a_family_and_a_routine_together_are_bad_input():
    out = _cli("drill", "rotation", "--routine", "morning")
    assert out.returncode == 2 and "not both" in out.stderr


def test_status_into_a_closed_pipe_prints_no_traceback_from_a_real_process(tmp_path, monkeypatch):
    """`unsit status | head -1`: the reader is gone before Unsit writes; it leaves quietly."""
    import json
    import socket
    import threading

    from unsit.runtime.paths import AppPaths

    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = dict(os.environ, XDG_RUNTIME_DIR=str(runtime), HOME=str(tmp_path))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.setenv("HOME", str(tmp_path))
    paths = AppPaths.from_platform()
    paths.runtime_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(paths.socket_path))
    server.listen(1)
    server.settimeout(60)
    status = {"phase": "sitting", "streak_seconds": 60, "next_nudge_in_seconds": 60, "paused_until": None}

    def answer_once() -> None:
        with server, server.accept()[0] as conn:
            conn.recv(65536)
            conn.sendall(json.dumps({"ok": True, "status": status}).encode() + b"\n")

    thread = threading.Thread(target=answer_once)
    thread.start()
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        out = subprocess.run([sys.executable, "-m", "unsit", "status"], stdout=write_end, stderr=subprocess.PIPE,
                             text=True, timeout=60, env=env)
    finally:
        os.close(write_end)
        thread.join(60)
    assert out.stderr == "" and out.returncode == 141


def test_status_into_a_closed_pipe_prints_no_traceback(monkeypatch, capsys):
    import io

    from unsit import __main__ as entry
    from unsit.platform import ipc_client

    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(ipc_client, "send_request", lambda path, request: {"ok": True, "status": {
        "phase": "sitting", "streak_seconds": 60, "next_nudge_in_seconds": 60, "paused_until": None}})
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert entry.main(["status"]) == 141


def test_status_shows_the_pause_end_as_local_readable_time():
    text = format_status({"phase": "paused", "streak_seconds": 60, "next_nudge_in_seconds": None,
                          "paused_until": "2026-12-07T22:33:37.047378+00:00", "paused_until_text": "Mo. 23:33"})
    assert "Paused until:   Mo. 23:33" in text.splitlines()
    from datetime import datetime, timezone

    moment = datetime(2026, 12, 7, 22, 33, 37, tzinfo=timezone.utc)
    text = format_status({"phase": "paused", "paused_until": moment.isoformat()})
    assert moment.astimezone().strftime("%Y-%m-%d %H:%M") in text
    assert "+00:00" not in text and "T22" not in text


class _OneAnswerServer:
    """A socket that answers every connection with the same reply line (a stand-in for the app)."""

    def __init__(self, path, reply: bytes) -> None:
        import socket
        import threading

        self.socket_path = path
        self.data_dir = path.parent
        self.connections = 0
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(str(path))
        self._listener.listen(16)
        self._reply = reply
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _address = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            with conn:
                conn.sendall(self._reply)

    def close(self) -> None:
        import socket

        try:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept: no thread outlives the test
        except OSError:
            pass
        self._thread.join(5)
        self._listener.close()


def _run_client_against(tmp_path, reply: bytes, *argv: str):
    server = _OneAnswerServer(tmp_path / "s.sock", reply)
    try:
        from unsit.cli import run_client

        return run_client(build_parser().parse_args(list(argv)), server), server  # type: ignore[arg-type]
    finally:
        server.close()


def test_an_instance_at_its_connection_cap_is_reported_busy_after_a_few_tries(tmp_path, capsys):
    from unsit.app.ipc_server import BUSY_REPLY

    code, server = _run_client_against(tmp_path, BUSY_REPLY, "status")
    err = capsys.readouterr().err
    assert code == 5 and "busy" in err and "did not answer in time" not in err
    assert server.connections >= 3  # it tried again before giving up


def test_a_drill_already_running_has_its_own_exit_status(tmp_path, capsys):
    reply = b'{"ok": false, "drill_running": true, "drill": "Hip hinge", "error": "A drill is already running"}\n'
    code, _server = _run_client_against(tmp_path, reply, "drill", "hinge")
    assert code == 6 and "already running" in capsys.readouterr().err
