"""The PulseAudio capture watch against a real PulseAudio server and real ``parecord`` clients."""

from __future__ import annotations

import logging
import os
import socket
import threading
from pathlib import Path

import pytest

from tests.polling import wait_for
from tests.pulse_server import SINK, PulseServer
from unsit.platform.capture import NullCaptureWatch, pick_capture_watch
from unsit.platform.capture.pulse import PulseCaptureWatch, read_cookie, socket_paths


class Changes:
    """Counts ``on_change`` calls (they come from the watch's thread)."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def __call__(self) -> None:
        with self._lock:
            self.count += 1


@pytest.fixture
def watch(pulse_server: PulseServer):
    clock = iter(float(n) for n in range(1000, 100000))
    w = PulseCaptureWatch(lambda: next(clock), env={**pulse_server.env, "HOME": str(pulse_server.workdir)})
    w.on_change = Changes()
    w.start()
    assert w.connected.wait(10), "the watch did not connect"
    yield w
    w.stop()


def test_parecord_is_a_call_until_it_stops(watch, pulse_server):
    assert watch.capturing() is None
    recorder = pulse_server.record()
    capture = wait_for(watch.capturing, 10, "the capture to be seen")
    assert capture.applications == ("parecord",)
    assert watch.on_change.count == 1
    pulse_server.stop_recording(recorder)
    wait_for(lambda: watch.capturing() is None, 10, "the capture to end")
    assert watch.on_change.count == 2


def test_a_second_recorder_keeps_the_call_and_its_start(watch, pulse_server):
    first = pulse_server.record()
    since = wait_for(watch.capturing, 10, "the first capture").since_monotonic
    second = pulse_server.record()
    wait_for(lambda: len(watch.capturing().applications) == 2, 10, "both recorders")
    assert watch.capturing().since_monotonic == since
    pulse_server.stop_recording(first)
    wait_for(lambda: len(watch.capturing().applications) == 1, 10, "one recorder left")
    assert watch.capturing().since_monotonic == since and watch.on_change.count == 1
    pulse_server.stop_recording(second)
    wait_for(lambda: watch.capturing() is None, 10, "the capture to end")


def test_recording_a_monitor_source_is_not_a_call(watch, pulse_server):
    recorder = pulse_server.record(f"{SINK}.monitor")
    # The watch has looked at the new stream once a stream from the microphone shows up after it.
    mic = pulse_server.record()
    wait_for(watch.capturing, 10, "the microphone capture")
    assert watch.capturing().applications == ("parecord",)  # one: the monitor's stream does not count
    pulse_server.stop_recording(mic)
    wait_for(lambda: watch.capturing() is None, 10, "only the monitor recording left")
    assert recorder.poll() is None and pulse_server.record_streams() == 1


def test_a_stream_of_our_own_process_is_ignored(watch, pulse_server):
    own = pulse_server.record("unsit_test_mic", f"application.process.id={os.getpid()}")
    other = pulse_server.record()
    wait_for(watch.capturing, 10, "the other recorder")
    assert watch.capturing().applications == ("parecord",)
    pulse_server.stop_recording(other)
    wait_for(lambda: watch.capturing() is None, 10, "only our own stream left")
    assert own.poll() is None


def test_a_server_that_goes_away_ends_the_call_and_a_new_one_is_found(pulse_server, tmp_path, caplog):
    w = PulseCaptureWatch(env={**pulse_server.env, "HOME": str(tmp_path)}, longest_retry_seconds=0.5)
    w.on_change = Changes()
    w.start()
    try:
        assert w.connected.wait(10)
        pulse_server.record()
        wait_for(w.capturing, 10, "the capture")
        pulse_server.stop()  # the server dies mid-call
        wait_for(lambda: w.capturing() is None, 10, "the call to end with the server")
        wait_for(lambda: not w.connected.is_set(), 10, "the watch to notice")
        pulse_server.recorders.clear()
        pulse_server.start()  # a new server on the same socket
        assert w.connected.wait(10), "the watch did not reconnect"
        pulse_server.record()
        wait_for(w.capturing, 10, "a capture on the new server")
    finally:
        w.stop()
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and "microphone" in r.getMessage()]
    assert len(warnings) == 1  # one warning for the outage, however many retries it took


def test_no_server_means_no_call_no_warning_and_stop_returns_quickly(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="unsit.platform.capture.pulse")
    w = PulseCaptureWatch(env={"XDG_RUNTIME_DIR": str(tmp_path), "HOME": str(tmp_path)}, longest_retry_seconds=0.1)
    w.start()
    assert not w.connected.wait(0.5)
    assert w.capturing() is None
    w.stop()
    assert w._thread is None
    said = [r for r in caplog.records if "cannot follow microphone use" in r.getMessage()]
    assert [r.levelno for r in said] == [logging.INFO]  # once, and no warning: many desktops have no server


def test_garbage_from_a_server_is_survived(tmp_path):
    """A socket that answers the handshake with junk: the watch reconnects, the app goes on."""
    path = tmp_path / "native"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(4)
    served = threading.Event()

    def serve() -> None:
        for _ in range(2):
            conn, _address = listener.accept()
            conn.recv(4096)
            conn.sendall(b"\x00\x00\x00\x05\xff\xff\xff\xff" + bytes(12) + b"Lzzzz")  # a cut-off u32
            conn.close()
        served.set()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    w = PulseCaptureWatch(env={"PULSE_SERVER": f"unix:{path}", "HOME": str(tmp_path)}, longest_retry_seconds=0.2)
    w.start()
    try:
        assert served.wait(10), "the watch did not try again after the junk"
        assert w.capturing() is None and not w.connected.is_set()
    finally:
        w.stop()
        listener.close()


def test_socket_paths_take_only_unix_entries_and_then_the_runtime_folder():
    env = {"PULSE_SERVER": "tcp:example.org:4713 {abc}unix:/run/a /run/b example.org", "XDG_RUNTIME_DIR": "/rt"}
    assert socket_paths(env, 1000) == [Path("/run/a"), Path("/run/b"), Path("/rt/pulse/native")]
    assert socket_paths({}, 1000) == [Path("/run/user/1000/pulse/native")]


def test_the_cookie_comes_from_pulse_cookie_or_the_config_folder(tmp_path):
    assert read_cookie({}, tmp_path) == bytes(256)
    (tmp_path / ".config" / "pulse").mkdir(parents=True)
    (tmp_path / ".config" / "pulse" / "cookie").write_bytes(b"c" * 256)
    assert read_cookie({}, tmp_path) == b"c" * 256
    (tmp_path / "mine").write_bytes(b"m" * 256)
    assert read_cookie({"PULSE_COOKIE": str(tmp_path / "mine")}, tmp_path) == b"m" * 256
    (tmp_path / "short").write_bytes(b"s" * 10)
    assert read_cookie({"PULSE_COOKIE": str(tmp_path / "short")}, tmp_path) == b"c" * 256


def test_the_platform_picks_its_watch():
    assert isinstance(pick_capture_watch(platform="linux"), PulseCaptureWatch)
    assert isinstance(pick_capture_watch(platform="sunos5"), NullCaptureWatch)
