"""Windows: one Unsit per user session, and a command pipe only that user's Unsit can own (issue 25).

Named pipes share one machine-wide namespace, and a predictable name ("unsit-<user name>") can
be created first by another local user: Unsit would then exit as "already running", or its CLI
would talk to the impostor. So:

* the pipe is named by the user's SID and the session id (``pipe_name``), which another user
  cannot make match theirs by choosing a user name;
* the single instance is a mutex in the session's own ``Local\\`` namespace (``SessionMutex``):
  created atomically, so two quick launches cannot both win (a ping first, then listen, can);
  Windows has no ``flock``. The Inno Setup script names it as its ``AppMutex`` too, so setup
  and uninstall wait for a running Unsit;
* the CLI checks that the process serving the pipe runs as the same user (``server_is_ours``)
  before it sends anything.

The ctypes calls run only on Windows; the logic around them takes the system calls as
arguments and is tested on Linux with stand-ins.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

MUTEX_NAME = "Local\\UnsitRunning"  # also unsit.iss's AppMutex (without the namespace prefix)
ERROR_ALREADY_EXISTS = 183
PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
TOKEN_QUERY = 0x0008
TOKEN_USER_CLASS = 1  # TokenUser


def pipe_name(sid: str, session: int) -> str:
    """The command pipe's name for one user (SID) in one logon session."""
    return f"unsit-{sid}-{session}"


class SessionMutex:
    """The session-wide "Unsit is running" mutex, held for the process's life.

    Args:
        kernel32: ``ctypes.windll.kernel32`` on Windows; tests pass a stand-in with
            ``CreateMutexW``, ``GetLastError`` and ``CloseHandle``.
    """

    def __init__(self, kernel32: Any, name: str = MUTEX_NAME) -> None:
        self._kernel32 = kernel32
        self._name = name
        self._handle = 0

    def acquire(self) -> bool:
        """True when this process is the first to hold it in this session.

        Raises:
            OSError: the mutex could not be created at all.
        """
        handle = self._kernel32.CreateMutexW(None, False, self._name)
        error = self._kernel32.GetLastError()
        if not handle:
            raise OSError(f"CreateMutexW({self._name}) failed (error {error})")
        if error == ERROR_ALREADY_EXISTS:
            self._kernel32.CloseHandle(handle)  # another Unsit holds it: let go of our handle at once
            return False
        self._handle = handle
        return True

    def release(self) -> None:
        """Let go (at exit; Windows also closes it when the process ends)."""
        if self._handle:
            self._kernel32.CloseHandle(self._handle)
            self._handle = 0


def server_is_ours(server_pid: int | None, my_sid: str, sid_of_process: Callable[[int], str | None]) -> bool:
    """True when the process serving the pipe runs as this user (same SID)."""
    if server_pid is None or server_pid <= 0:
        return False
    return sid_of_process(server_pid) == my_sid


# --- the real system calls (Windows only) ----------------------------------------------------


def _windll() -> Any:
    if sys.platform != "win32":
        raise OSError("Windows only")
    return ctypes.windll


def _sid_of_token(token: int, dlls: Any) -> str | None:
    size = ctypes.c_uint32()
    dlls.advapi32.GetTokenInformation(ctypes.c_void_p(token), TOKEN_USER_CLASS, None, 0, ctypes.byref(size))
    if not 0 < size.value <= 4096:
        return None
    buffer = ctypes.create_string_buffer(size.value)
    if not dlls.advapi32.GetTokenInformation(ctypes.c_void_p(token), TOKEN_USER_CLASS, buffer, size,
                                             ctypes.byref(size)):
        return None
    sid_pointer = ctypes.c_void_p.from_buffer(buffer).value  # TOKEN_USER.User.Sid
    text = ctypes.c_wchar_p()
    if not dlls.advapi32.ConvertSidToStringSidW(ctypes.c_void_p(sid_pointer), ctypes.byref(text)):
        return None
    try:
        return text.value
    finally:
        dlls.kernel32.LocalFree(text)


def sid_of_process(pid: int) -> str | None:
    """The user SID a process runs as, or None when it cannot be read."""
    dlls = _windll()
    process = dlls.kernel32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, ctypes.c_uint32(pid))
    if not process:
        return None
    try:
        token = ctypes.c_void_p()
        if not dlls.advapi32.OpenProcessToken(ctypes.c_void_p(process), TOKEN_QUERY, ctypes.byref(token)):
            return None
        try:
            return _sid_of_token(token.value or 0, dlls)
        finally:
            dlls.kernel32.CloseHandle(token)
    finally:
        dlls.kernel32.CloseHandle(process)


def current_pipe_name() -> str:
    """This user's and session's pipe name.

    Raises:
        OSError: not on Windows, or the SID or session could not be read.
    """
    dlls = _windll()
    pid = dlls.kernel32.GetCurrentProcessId()
    sid = sid_of_process(pid)
    session = ctypes.c_uint32()
    if sid is None or not dlls.kernel32.ProcessIdToSessionId(ctypes.c_uint32(pid), ctypes.byref(session)):
        raise OSError("cannot read this process's user SID or session id")
    return pipe_name(sid, session.value)


def pipe_server_is_ours(pipe_handle: int) -> bool:
    """True when the process at the other end of a connected pipe runs as this user."""
    dlls = _windll()
    pid = ctypes.c_uint32()
    if not dlls.kernel32.GetNamedPipeServerProcessId(ctypes.c_void_p(pipe_handle), ctypes.byref(pid)):
        return False
    mine = sid_of_process(dlls.kernel32.GetCurrentProcessId())
    return mine is not None and server_is_ours(pid.value, mine, sid_of_process)


class _Kernel32Mutexes:
    """The three kernel32 calls ``SessionMutex`` makes, with the thread's real last error."""

    def __init__(self) -> None:
        if sys.platform != "win32":
            raise OSError("Windows only")
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        kernel32.CreateMutexW.restype = ctypes.c_void_p
        kernel32.CreateMutexW.argtypes = [ctypes.c_void_p, ctypes.c_bool, ctypes.c_wchar_p]
        kernel32.CloseHandle.argtypes = [ctypes.c_void_p]
        # The Win32 names, as SessionMutex calls them.
        self.CreateMutexW = kernel32.CreateMutexW
        self.CloseHandle = kernel32.CloseHandle

    @staticmethod
    def GetLastError() -> int:  # noqa: N802
        if sys.platform != "win32":
            return 0
        return int(ctypes.get_last_error())


def session_mutex() -> SessionMutex:
    """The real mutex (Windows only).

    Raises:
        OSError: not on Windows.
    """
    return SessionMutex(_Kernel32Mutexes())
