"""A real PulseAudio server for tests (no systemd): a null sink, a null source (the "microphone").

It runs in the foreground as a child, with its own runtime folder, home and socket, and
takes anonymous clients. ``record`` starts a real capture client (``parecord``) against it.

``HostilePulseServer`` is a stand-in speaking the same protocol, for what a real server will
not do on demand: a record stream that never ends, a flood of change events, garbage.
"""

from __future__ import annotations

import os
import shutil
import socket
import struct
import subprocess
import threading
import time
from pathlib import Path

from tests.polling import wait_for

TOOLS = ("pulseaudio", "parecord", "pactl")
MIC = "unsit_test_mic"
SINK = "unsit_test_sink"


def missing_pulse_tools() -> list[str]:
    """The PulseAudio programs that are not installed."""
    return [tool for tool in TOOLS if shutil.which(tool) is None]


class PulseServer:
    """One ``pulseaudio`` child and the environment that reaches it."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.socket = workdir / "runtime" / "native"
        self.proc: subprocess.Popen[bytes] | None = None
        self.recorders: list[subprocess.Popen[bytes]] = []

    @property
    def env(self) -> dict[str, str]:
        """Variables a client needs (``PULSE_SERVER`` points at the private socket)."""
        return {"PULSE_SERVER": f"unix:{self.socket}"}

    def start(self) -> None:
        """Start the server; return once it answers."""
        runtime, home = self.workdir / "runtime", self.workdir / "home"
        for folder in (runtime, home):
            folder.mkdir(parents=True, mode=0o700, exist_ok=True)
        config = self.workdir / "default.pa"
        config.write_text(
            f"load-module module-null-sink sink_name={SINK}\n"
            f"load-module module-null-source source_name={MIC}\n"
            f"load-module module-native-protocol-unix auth-anonymous=1 socket={self.socket}\n")
        env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "HOME": str(home)}
        env.pop("PULSE_SERVER", None)
        self.proc = subprocess.Popen(
            ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
             "--disable-shm=yes", "-F", str(config)],
            env=env, stdout=subprocess.DEVNULL, stderr=(self.workdir / "pulseaudio.log").open("wb"))
        wait_for(self.answers, 20, "the PulseAudio server to answer")

    def answers(self) -> bool:
        """True when ``pactl info`` gets through."""
        if self.proc is None or self.proc.poll() is not None:
            raise RuntimeError("pulseaudio exited: " + (self.workdir / "pulseaudio.log").read_text()[-2000:])
        return self.pactl("info").returncode == 0

    def pactl(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run ``pactl`` against this server."""
        return subprocess.run(["pactl", *args], env={**os.environ, **self.env}, capture_output=True,
                              text=True, timeout=10, check=False)

    def record_streams(self) -> int:
        """How many source outputs (record streams) the server has."""
        out = self.pactl("list", "short", "source-outputs").stdout
        return len([line for line in out.splitlines() if line.strip()])

    def record(self, device: str = MIC, *properties: str) -> subprocess.Popen[bytes]:
        """Start ``parecord`` from ``device`` to a file; returns once its stream exists."""
        before = self.record_streams()
        target = self.workdir / f"capture-{len(self.recorders)}.wav"
        args = ["parecord", f"--device={device}", *(f"--property={p}" for p in properties), str(target)]
        proc = subprocess.Popen(args, env={**os.environ, **self.env}, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        self.recorders.append(proc)
        wait_for(lambda: self.record_streams() > before, 10, "parecord's record stream")
        return proc

    def stop_recording(self, proc: subprocess.Popen[bytes]) -> None:
        """End one ``parecord`` (as the user hanging up)."""
        proc.terminate()
        proc.wait(5)

    def stop(self) -> None:
        """Stop every recorder and the server."""
        for proc in [*self.recorders, *([self.proc] if self.proc else [])]:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


# -- a stand-in speaking the PulseAudio protocol, with bad modes -------------------------------------------------

COMMAND_CHANNEL = 0xFFFFFFFF
NO_INDEX = 0xFFFFFFFF
MIC_INDEX, MONITOR_INDEX = 1, 2


def _u32(value: int) -> bytes:
    return b"L" + struct.pack(">I", value & 0xFFFFFFFF)


def _text(value: str) -> bytes:
    return b"t" + value.encode() + b"\0"


def _proplist(properties: dict[str, str]) -> bytes:
    out = b"P"
    for key, value in properties.items():
        data = value.encode() + b"\0"
        out += _text(key) + _u32(len(data)) + b"x" + struct.pack(">I", len(data)) + data
    return out + b"N"


def _packet(payload: bytes) -> bytes:
    return struct.pack(">IIIII", len(payload), COMMAND_CHANNEL, 0, 0, 0) + payload


def _record(index: int, application: str, source: int, corked: bool) -> bytes:
    """One source output as a protocol-32 GET_SOURCE_OUTPUT_INFO_LIST entry (18 values)."""
    return b"".join([
        _u32(index), _text(f"{application} capture"), _u32(NO_INDEX), _u32(index), _u32(source),
        b"a" + bytes([3, 1]) + struct.pack(">I", 48000), b"m" + bytes([1, 0]),
        b"U" + bytes(8), b"U" + bytes(8), _text("auto"), _text("protocol-native.c"),
        _proplist({"application.name": application, "application.process.id": "4242"}),
        b"1" if corked else b"0", b"v" + bytes([1]) + struct.pack(">I", 0x10000), b"0", b"1", b"1",
        b"fB" + bytes([1]) + b"PN",
    ])


def _source_info(index: int) -> bytes:
    """The first nine values of GET_SOURCE_INFO: the ninth says whose monitor it is."""
    monitor_of = 0 if index == MONITOR_INDEX else NO_INDEX
    return b"".join([_u32(index), _text(f"source{index}"), _text("a source"), b"a" + bytes([3, 1])
                     + struct.pack(">I", 48000), b"m" + bytes([1, 0]), _u32(0), b"v" + bytes([1])
                     + struct.pack(">I", 0x10000), b"0", _u32(monitor_of)])


class HostilePulseServer:
    """A small server of the PulseAudio native protocol on a Unix socket, with bad modes.

    It answers the requests a capture watch makes (auth, client name, subscribe, the source
    output list, source info) from ``streams``. Bad modes: a stream that never ends (leave it
    in ``streams``), ``flood`` (change events as fast as the socket takes them), and
    ``garbage`` (the list is answered with bytes that are no tagstruct). It counts what it was asked.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.streams: list[tuple[str, int, bool]] = []  # (application, source index, corked)
        self.garbage = False
        self.list_requests = 0
        self.connections = 0
        self._conns: list[socket.socket] = []
        self._send_lock = threading.Lock()
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(str(path))
        self._listener.listen(8)
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    @property
    def env(self) -> dict[str, str]:
        return {"PULSE_SERVER": f"unix:{self.path}"}

    def add_stream(self, application: str, source: int = MIC_INDEX, corked: bool = False) -> None:
        """A record stream appears (and the server says so)."""
        self.streams.append((application, source, corked))
        self.announce()

    def announce(self, count: int = 1) -> None:
        """Send ``count`` "a source output changed" events to every client."""
        event = _packet(_u32(66) + _u32(NO_INDEX) + _u32(0x0003 | 0x0010) + _u32(7))  # source output, change
        for conn in list(self._conns):
            with self._send_lock:
                try:
                    conn.sendall(event * count)
                except OSError:
                    pass

    def flood(self, seconds: float, per_burst: int = 20) -> int:
        """Send change events as fast as the clients take them for ``seconds``; returns how many."""
        sent = 0
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.announce(per_burst)
            sent += per_burst
        return sent

    def close(self) -> None:
        """Stop accepting (a shutdown wakes the blocked accept), close every connection, wait for the threads."""
        for sock in [self._listener, *self._conns]:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for thread in self._threads:
            thread.join(5)
        self._listener.close()
        for conn in list(self._conns):
            conn.close()
        self.path.unlink(missing_ok=True)

    def _accept(self) -> None:
        while True:
            try:
                conn, _address = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            self._conns.append(conn)
            self._threads.append(threading.Thread(target=self._serve, args=(conn,), daemon=True))
            self._threads[-1].start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            while True:
                header = self._exactly(conn, 20)
                length = struct.unpack(">I", header[:4])[0]
                payload = self._exactly(conn, length)
                command, tag = struct.unpack(">I", payload[1:5])[0], struct.unpack(">I", payload[6:10])[0]
                body = self._answer(command, payload[10:])
                with self._send_lock:
                    conn.sendall(body if self.garbage and command == 32 else _packet(_u32(2) + _u32(tag) + body))
        except (OSError, ConnectionError, struct.error):
            pass
        finally:
            conn.close()
            if conn in self._conns:
                self._conns.remove(conn)

    def _answer(self, command: int, body: bytes) -> bytes:
        if command == 8:  # AUTH: our protocol version
            return _u32(32)
        if command == 9:  # SET_CLIENT_NAME: the client's index
            return _u32(5)
        if command == 32:  # GET_SOURCE_OUTPUT_INFO_LIST
            self.list_requests += 1
            if self.garbage:
                return _packet(b"\x07garbage that is no tagstruct \xff\xfe")
            return b"".join(_record(i, app, source, corked)
                            for i, (app, source, corked) in enumerate(self.streams))
        if command == 23:  # GET_SOURCE_INFO by index
            return _source_info(struct.unpack(">I", body[1:5])[0])
        return b""  # SUBSCRIBE and anything else: an empty reply

    @staticmethod
    def _exactly(conn: socket.socket, count: int) -> bytes:
        data = b""
        while len(data) < count:
            chunk = conn.recv(count - len(data))
            if not chunk:
                raise ConnectionError("closed")
            data += chunk
        return data
