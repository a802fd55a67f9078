"""Windows single instance and command pipe (issue 25), with stand-ins for kernel32 and the pipe's owner
(this machine runs Linux; Qt's local socket is a Unix socket here, a named pipe on Windows)."""

from __future__ import annotations

import uuid

import pytest

from unsit.platform.windows_instance import ERROR_ALREADY_EXISTS, SessionMutex, pipe_name, server_is_ours


class Kernel32StandIn:
    """Named mutexes shared by every 'process' using this table; handles counted per name."""

    def __init__(self, fail: bool = False) -> None:
        self.open: dict[str, int] = {}  # name -> open handles
        self.handles: dict[int, str] = {}
        self.last_error = 0
        self.fail = fail

    def CreateMutexW(self, _attributes, _owned, name: str) -> int:  # noqa: N802
        if self.fail:
            self.last_error = 5  # ERROR_ACCESS_DENIED
            return 0
        self.last_error = ERROR_ALREADY_EXISTS if self.open.get(name) else 0
        self.open[name] = self.open.get(name, 0) + 1
        handle = 0x100 + len(self.handles) * 4
        self.handles[handle] = name
        return handle

    def GetLastError(self) -> int:  # noqa: N802
        return self.last_error

    def CloseHandle(self, handle: int) -> int:  # noqa: N802
        name = self.handles.pop(handle)
        self.open[name] -= 1
        return 1


def test_the_first_launch_holds_the_mutex_and_a_second_one_is_told_and_lets_go():
    kernel32 = Kernel32StandIn()
    first, second = SessionMutex(kernel32), SessionMutex(kernel32)
    assert first.acquire() is True
    assert second.acquire() is False
    assert kernel32.open["Local\\UnsitRunning"] == 1  # the loser closed its handle at once
    first.release()
    assert kernel32.open["Local\\UnsitRunning"] == 0
    third = SessionMutex(kernel32)
    assert third.acquire() is True  # after the first quits, the next launch wins
    third.release()


def test_a_mutex_that_cannot_be_made_is_an_error_with_the_code():
    with pytest.raises(OSError, match="error 5"):
        SessionMutex(Kernel32StandIn(fail=True)).acquire()


def test_two_quick_launches_of_the_server_give_one_listener(qtbot, tmp_path):
    from unsit.app.ipc_server import InstanceServer

    kernel32 = Kernel32StandIn()
    listened: list[str] = []

    def handler(_request):
        return {"ok": True}

    servers = [InstanceServer(tmp_path / f"s{i}.sock", handler) for i in range(2)]
    for server in servers:
        server._listen_qt = lambda s=server: listened.append(str(s)) or True  # type: ignore[method-assign]
    results = [server._listen_windows(SessionMutex(kernel32)) for server in servers]
    assert results == [True, False] and len(listened) == 1
    servers[0].close()
    assert kernel32.open["Local\\UnsitRunning"] == 0  # closing the server lets the next one start


def test_a_pipe_that_cannot_open_releases_the_mutex(tmp_path):
    from unsit.app.ipc_server import InstanceServer

    kernel32 = Kernel32StandIn()
    server = InstanceServer(tmp_path / "s.sock", lambda _r: {"ok": True})

    def refuse() -> bool:
        raise OSError("cannot listen")

    server._listen_qt = refuse  # type: ignore[method-assign]
    with pytest.raises(OSError):
        server._listen_windows(SessionMutex(kernel32))
    assert kernel32.open["Local\\UnsitRunning"] == 0


def test_the_pipe_is_named_by_sid_and_session_and_only_our_users_server_is_trusted():
    assert pipe_name("S-1-5-21-1-2-3-1001", 2) == "unsit-S-1-5-21-1-2-3-1001-2"
    owners = {4000: "S-1-5-21-1-2-3-1001", 5000: "S-1-5-21-1-2-3-1002"}
    assert server_is_ours(4000, "S-1-5-21-1-2-3-1001", owners.get)
    assert not server_is_ours(5000, "S-1-5-21-1-2-3-1001", owners.get)  # another user's impostor
    assert not server_is_ours(6000, "S-1-5-21-1-2-3-1001", owners.get)  # unreadable owner
    assert not server_is_ours(None, "S-1-5-21-1-2-3-1001", owners.get)


def test_the_client_sends_nothing_to_a_server_of_another_user(qtbot, tmp_path):
    """Qt's local socket (a Unix socket here): the owner check runs before a byte is written."""
    from PySide6.QtNetwork import QLocalServer

    from unsit.platform.ipc_client import NotRunning, _send_qt

    server = QLocalServer()
    name = f"unsit-test-{uuid.uuid4().hex[:12]}"  # a pipe on Windows, a socket in the temp folder elsewhere
    assert server.listen(name)
    received = bytearray()
    closed: list[bool] = []

    def accept() -> None:
        conn = server.nextPendingConnection()
        conn.readyRead.connect(lambda: received.extend(conn.readAll().data()))
        conn.disconnected.connect(lambda: closed.append(True))

    server.newConnection.connect(accept)
    with pytest.raises(NotRunning, match="another user"):
        _send_qt(name, b'{"command": "status"}\n', 2.0, server_is_ours=lambda _handle: False)
    qtbot.waitUntil(lambda: bool(closed))  # the client hung up; whatever it sent has arrived by now
    assert bytes(received) == b""
    with pytest.raises(NotRunning):
        _send_qt(f"unsit-test-nobody-{uuid.uuid4().hex[:12]}", b"{}\n", 1.0, server_is_ours=lambda _handle: True)
    server.close()
