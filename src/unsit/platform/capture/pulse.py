"""Linux: who records the microphone, from the PulseAudio server (or PipeWire's pulse server).

A small client of the native protocol over the server's Unix socket, on a daemon thread that
blocks on the socket: no libpulse (its library and main loop would weigh on the idle
footprint) and no polling. It authenticates (cookie and the socket's credentials),
subscribes to source-output changes and, after each burst of them, lists the source outputs
(record streams): a re-list comes at most every ``FOLD_SECONDS``, and every event that arrives
meanwhile is folded into it, so a server flooding change events costs a few lists a second.
A stream counts as a call when it is not corked, its source is not the monitor of a sink
(recording what plays is not a call) and it is not Unsit's own (its ``application.process.id``
is this process).

Only Unix sockets are used: a ``tcp:`` entry in ``$PULSE_SERVER`` is skipped (the app
never opens a network connection). When the server is missing or goes away the watch
reports "not capturing", logs one warning and reconnects with a growing delay.
"""

from __future__ import annotations

import logging
import os
import select
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from unsit.platform.capture.base import Capture, CaptureState
from unsit.platform.capture.tagstruct import (
    COMMAND_CHANNEL,
    DESCRIPTOR,
    ProtocolError,
    Value,
    encode_arbitrary,
    encode_packet,
    encode_proplist,
    encode_string,
    encode_u32,
    parse_descriptor,
    parse_tagstruct,
    property_text,
)

log = logging.getLogger(__name__)

# Command numbers (pulsecore/native-common.h).
COMMAND_ERROR = 0
COMMAND_REPLY = 2
COMMAND_AUTH = 8
COMMAND_SET_CLIENT_NAME = 9
COMMAND_GET_SOURCE_INFO = 23
COMMAND_GET_SOURCE_OUTPUT_INFO_LIST = 32
COMMAND_SUBSCRIBE = 35
COMMAND_SUBSCRIBE_EVENT = 66

SUBSCRIBE_EVENT_START = encode_u32(COMMAND_SUBSCRIBE_EVENT)
"""How a subscription event's payload begins (its command number as a tagged u32)."""
RECEIVE_BYTES = 65536

PROTOCOL_VERSION = 32
"""What we speak; the server answers with its own and the lower one is used."""
OLDEST_VERSION = 22
"""Source-output records of this version on have a fixed shape (PulseAudio 1.0, 2011)."""
SUBSCRIPTION_MASK_SOURCE_OUTPUT = 0x0008
NO_INDEX = 0xFFFFFFFF
COOKIE_BYTES = 256
CONNECT_TIMEOUT_SECONDS = 5.0
REPLY_TIMEOUT_SECONDS = 10.0
FOLD_SECONDS = 0.25
"""At most one re-list this often; change events in between are folded into the next one."""
HEALTHY_SESSION_SECONDS = 60.0
"""A session that lasted this long was a working one: after it, retries start quickly again."""
FIRST_RETRY_SECONDS = 1.0
LONGEST_RETRY_SECONDS = 60.0


def socket_paths(env: Mapping[str, str], uid: int) -> list[Path]:
    """The Unix sockets to try, in order: ``$PULSE_SERVER`` (its unix entries), then the runtime folder."""
    paths: list[Path] = []
    for word in env.get("PULSE_SERVER", "").split():
        # "{machine-id}unix:/path": a server for that machine only; a Unix socket is on this one
        entry = word.partition("}")[2] if word.startswith("{") else word
        if entry.startswith("unix:"):
            paths.append(Path(entry[len("unix:"):]))
        elif entry.startswith("/"):
            paths.append(Path(entry))
        # tcp:, tcp6:, a host name: a network connection, which Unsit never opens
    runtime = env.get("XDG_RUNTIME_DIR") or f"/run/user/{uid}"
    paths.append(Path(runtime) / "pulse" / "native")
    return paths


def read_cookie(env: Mapping[str, str], home: Path) -> bytes:
    """The auth cookie (256 bytes; zeros when there is none: anonymous servers and PipeWire accept that)."""
    candidates = [Path(env["PULSE_COOKIE"])] if env.get("PULSE_COOKIE") else []
    config = Path(env.get("XDG_CONFIG_HOME") or home / ".config")
    candidates += [config / "pulse" / "cookie", home / ".pulse-cookie"]
    for path in candidates:
        try:
            with path.open("rb") as file:
                data = file.read(COOKIE_BYTES)
        except OSError:
            continue
        if len(data) == COOKIE_BYTES:
            return data
    return bytes(COOKIE_BYTES)


def source_output_record_length(version: int) -> int:
    """How many tagstruct values one source output takes at protocol ``version`` (>= 22)."""
    return 18 if version >= OLDEST_VERSION else 0


def calls_in(outputs: list[Value], version: int, own_pid: int,
             is_monitor: Callable[[int], bool]) -> tuple[str, ...]:
    """The applications recording a real source, from a GET_SOURCE_OUTPUT_INFO_LIST reply's values.

    Args:
        outputs: the reply's values after the command and tag.
        version: the protocol version in use.
        own_pid: this process (its own streams never count).
        is_monitor: whether the source with that index is a sink's monitor.
    """
    size = source_output_record_length(version)
    if size == 0 or len(outputs) % size:
        raise ProtocolError("source output list of an unexpected shape")
    names: list[str] = []
    for start in range(0, len(outputs), size):
        record = outputs[start:start + size]
        name, source, properties, corked = record[1], record[4], record[11], record[12]
        if not isinstance(source, int) or not isinstance(properties, dict) or not isinstance(corked, bool):
            raise ProtocolError("source output record with unexpected types")
        if corked or property_text(properties, "application.process.id") == str(own_pid):
            continue
        if is_monitor(source):
            continue
        names.append(property_text(properties, "application.name") or (name if isinstance(name, str) else "?"))
    return tuple(names)


class _Connection:
    """One session with the server: handshake, requests with replies, events in between."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.version = 0
        self.changed = True  # a change was announced and not yet looked at
        self._next_tag = 0
        # Received and not yet taken: one recv takes what the server sent (a burst of events is
        # hundreds of small packets), and packets are cut from it here.
        self._received = b""
        self._taken = 0

    def packet(self) -> tuple[int, bytes]:
        """The next packet: (channel, payload)."""
        length, channel = parse_descriptor(self._exactly(DESCRIPTOR.size))
        return channel, self._exactly(length)

    @property
    def buffered(self) -> bool:
        """Bytes were received and not yet taken (``select`` would not say so)."""
        return self._taken < len(self._received)

    def _exactly(self, count: int) -> bytes:
        have = len(self._received) - self._taken
        if have < count:
            chunks = [self._received[self._taken:]]
            while have < count:
                chunk = self.sock.recv(max(count - have, RECEIVE_BYTES))
                if not chunk:
                    raise ConnectionError("the server closed the connection")
                chunks.append(chunk)
                have += len(chunk)
            self._received, self._taken = b"".join(chunks), 0
        data = self._received[self._taken:self._taken + count]
        self._taken += count
        return data

    def request(self, command: int, body: bytes, *, credentials: bool = False) -> list[Value]:
        """Send a command; the values of its reply (after command and tag). A server error raises."""
        tag = self._next_tag
        self._next_tag += 1
        data = encode_packet(encode_u32(command) + encode_u32(tag) + body)
        if credentials:
            self._send_with_credentials(data)
        else:
            self.sock.sendall(data)
        while True:
            channel, payload = self.packet()
            if channel != COMMAND_CHANNEL:
                continue  # stream data: we have no streams
            values = parse_tagstruct(payload)
            if len(values) < 2 or not isinstance(values[0], int):
                raise ProtocolError("a command without command number and tag")
            if values[0] == COMMAND_SUBSCRIBE_EVENT:
                self.changed = True
                continue
            if values[1] != tag:
                continue
            if values[0] == COMMAND_REPLY:
                return values[2:]
            if values[0] == COMMAND_ERROR:
                raise ServerRefused(values[2] if len(values) > 2 and isinstance(values[2], int) else -1)
            raise ProtocolError(f"unexpected command {values[0]} in answer")

    def _send_with_credentials(self, data: bytes) -> None:
        """The socket's credentials go with the first packet (a server may authenticate by them)."""
        scm = getattr(socket, "SCM_CREDENTIALS", None)
        if sys.platform == "win32" or scm is None:
            self.sock.sendall(data)
            return
        ucred = struct.pack("iII", os.getpid(), os.getuid(), os.getgid())
        sent = self.sock.sendmsg([data], [(socket.SOL_SOCKET, scm, ucred)])
        if sent < len(data):
            self.sock.sendall(data[sent:])

    def wait_for_event(self) -> None:
        """Block until the server announces a change."""
        while not self.changed:
            self._read_event()

    def fold_until(self, deadline: float) -> None:
        """Read (and fold) what the server sends until the monotonic ``deadline``."""
        while True:
            if self.buffered:
                self._read_event()  # a whole packet: the rest of one that began arrives at once
                continue
            left = deadline - time.monotonic()
            if left <= 0:
                return
            readable, _, _ = select.select([self.sock], [], [], left)
            if readable:
                self._read_event()

    def _read_event(self) -> None:
        """One packet between requests: only "something changed" counts (its first value says so,
        which is all a flood of them needs reading); anything else is skipped."""
        channel, payload = self.packet()
        if channel == COMMAND_CHANNEL and payload.startswith(SUBSCRIBE_EVENT_START):
            self.changed = True


class ServerRefused(RuntimeError):
    """The server answered a command with an error code."""

    def __init__(self, code: int) -> None:
        super().__init__(f"the server refused a request (error {code})")
        self.code = code


class PulseCaptureWatch:
    """Watches the PulseAudio protocol for record streams (see the module docstring).

    Args:
        monotonic: the clock a capture's start is read from.
        env: the environment to find the server and cookie in (default: ``os.environ``).
        own_pid: the process whose streams are ignored (default: this one).
    """

    name = "pulseaudio"

    def __init__(self, monotonic: Callable[[], float] = time.monotonic, *, env: Mapping[str, str] | None = None,
                 own_pid: int | None = None, longest_retry_seconds: float = LONGEST_RETRY_SECONDS) -> None:
        self.on_change: Callable[[], None] | None = None
        self._env = dict(os.environ if env is None else env)
        self._own_pid = os.getpid() if own_pid is None else own_pid
        self._state = CaptureState(monotonic)
        self._longest_retry = longest_retry_seconds
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None
        self._sock_lock = threading.Lock()
        self.connected = threading.Event()  # set while a session runs (tests wait on it)

    def capturing(self) -> Capture | None:
        """The capture running now, or None."""
        return self._state.get()

    def start(self) -> None:
        """Start the watch thread (returns at once)."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="unsit-capture-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread: close the socket it blocks on and wait a moment for it."""
        self._stopping.set()
        with self._sock_lock:
            if self._sock is not None:
                try:
                    self._sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        if self._thread is not None:
            self._thread.join(timeout=2.0)
            self._thread = None

    def _report(self, applications: tuple[str, ...] | None) -> None:
        if self._state.set(applications) and self.on_change is not None:
            try:
                self.on_change()
            except Exception:  # the listener's trouble must not end the watch
                log.exception("the capture change listener failed")

    def _run(self) -> None:
        delay = FIRST_RETRY_SECONDS
        warned = False
        ever_connected = False
        while not self._stopping.is_set():
            began = time.monotonic()
            try:
                self._session()
            except (OSError, ProtocolError, ServerRefused) as exc:
                if self._stopping.is_set():
                    break
                if not warned:
                    # No sound server at all (a minimal desktop) is normal: said once, quietly.
                    never_reached = not (ever_connected or self.connected.is_set())
                    no_server = never_reached and isinstance(exc, ConnectionError | FileNotFoundError)
                    (log.info if no_server else log.warning)(
                        "cannot follow microphone use through the PulseAudio protocol (%s); retrying quietly", exc)
                    warned = True
            except Exception:  # a bug must not kill the thread silently, nor the app
                log.exception("the capture watch failed; retrying")
            if self.connected.is_set():
                ever_connected = True
                # A session that ran a while starts the backoff (and the one warning) afresh; a server
                # that shakes hands and then talks garbage is retried ever more slowly and said once.
                if time.monotonic() - began >= HEALTHY_SESSION_SECONDS:
                    delay, warned = FIRST_RETRY_SECONDS, False
            self.connected.clear()
            self._report(None)
            if self._stopping.wait(delay):
                break
            delay = min(delay * 2, self._longest_retry)

    def _open(self) -> socket.socket:
        if sys.platform == "win32":
            raise ConnectionError("PulseAudio servers are reached through Unix sockets")
        errors: list[str] = []
        for path in socket_paths(self._env, os.getuid()):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(CONNECT_TIMEOUT_SECONDS)
            try:
                sock.connect(str(path))
            except OSError as exc:
                sock.close()
                errors.append(f"{path}: {exc.strerror or exc}")
                continue
            return sock
        raise ConnectionError("; ".join(errors) or "no server socket")

    def _session(self) -> None:
        sock = self._open()
        with self._sock_lock:
            if self._stopping.is_set():
                sock.close()
                return
            self._sock = sock
        try:
            sock.settimeout(REPLY_TIMEOUT_SECONDS)
            conn = _Connection(sock)
            cookie = read_cookie(self._env, Path(self._env.get("HOME") or Path.home()))
            reply = conn.request(COMMAND_AUTH, encode_u32(PROTOCOL_VERSION) + encode_arbitrary(cookie),
                                 credentials=True)
            server_version = reply[0] if reply and isinstance(reply[0], int) else 0
            conn.version = min(PROTOCOL_VERSION, server_version & 0xFFFF)
            if conn.version < OLDEST_VERSION:
                raise ProtocolError(f"server speaks protocol {conn.version}, older than {OLDEST_VERSION}")
            conn.request(COMMAND_SET_CLIENT_NAME, encode_proplist(
                {"application.name": "Unsit", "application.process.id": str(os.getpid())}))
            conn.request(COMMAND_SUBSCRIBE, encode_u32(SUBSCRIPTION_MASK_SOURCE_OUTPUT))
            self.connected.set()
            log.info("following microphone use through the PulseAudio protocol %d", conn.version)
            while not self._stopping.is_set():
                sock.settimeout(REPLY_TIMEOUT_SECONDS)
                conn.changed = False
                listed_at = time.monotonic()
                self._report(self._calls(conn) or None)
                sock.settimeout(None)  # idle: block until the server speaks
                conn.wait_for_event()
                sock.settimeout(REPLY_TIMEOUT_SECONDS)
                conn.fold_until(listed_at + FOLD_SECONDS)  # a burst of changes: one list after it
        finally:
            with self._sock_lock:
                self._sock = None
            sock.close()

    def _calls(self, conn: _Connection) -> tuple[str, ...]:
        outputs = conn.request(COMMAND_GET_SOURCE_OUTPUT_INFO_LIST, b"")
        monitors: dict[int, bool] = {}

        def is_monitor(index: int) -> bool:
            if index not in monitors:
                try:
                    info = conn.request(COMMAND_GET_SOURCE_INFO, encode_u32(index) + encode_string(None))
                except ServerRefused:  # the source went away meanwhile: not a microphone now
                    return True
                monitor_of = info[8] if len(info) > 8 else None
                if not isinstance(monitor_of, int) or isinstance(monitor_of, bool):
                    raise ProtocolError("source info without its monitor field")
                monitors[index] = monitor_of != NO_INDEX
            return monitors[index]

        return calls_in(outputs, conn.version, self._own_pid, is_monitor)
