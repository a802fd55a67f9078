"""Windows: who records the microphone, from Core Audio's capture sessions (plain ctypes COM).

For every active capture endpoint (``IMMDeviceEnumerator::EnumAudioEndpoints(eCapture)``)
its ``IAudioSessionManager2`` lists the audio sessions; a session whose
``IAudioSessionControl2`` state is Active and whose process is not Unsit is a call.
Polled every few seconds on the watch's thread (session notifications would need COM
callback objects implemented in ctypes: more code for a few seconds less delay).

Why no comtypes or pycaw: the walk is six interface methods, called by vtable index
through ctypes; those packages would add a dependency (and comtypes' generated modules)
for that. The ConsentStore registry is not used: it goes stale on recent builds.

Tested here on Linux with a stand-in for the COM call (``vcall``) that plays the
interfaces (tests/platform/test_capture_windows_macos.py); the real ``com_vcall`` runs only on
Windows.
"""

from __future__ import annotations

import ctypes
import os
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

from unsit.platform.capture.polling import PollingCaptureWatch

VCall = Callable[[int, int, tuple[Any, ...]], int]
"""Call method number ``index`` of COM object ``this`` with ``args``; returns the HRESULT."""

E_CAPTURE = 1
DEVICE_STATE_ACTIVE = 1
CLSCTX_ALL = 23
SESSION_STATE_ACTIVE = 1
COINIT_MULTITHREADED = 0
S_OK, S_FALSE = 0, 1
RPC_E_CHANGED_MODE = 0x80010106
PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
# Vtable slots (IUnknown takes 0-2).
QUERY_INTERFACE, RELEASE = 0, 2
ENUM_AUDIO_ENDPOINTS = 3  # IMMDeviceEnumerator
COLLECTION_COUNT, COLLECTION_ITEM = 3, 4  # IMMDeviceCollection
DEVICE_ACTIVATE = 3  # IMMDevice
GET_SESSION_ENUMERATOR = 5  # IAudioSessionManager2
SESSIONS_COUNT, SESSIONS_ITEM = 3, 4  # IAudioSessionEnumerator
SESSION_STATE = 3  # IAudioSessionControl
SESSION_PROCESS_ID = 14  # IAudioSessionControl2

CLSID_MM_DEVICE_ENUMERATOR = "BCDE0395-E52F-467C-8E3D-C4579291692E"
IID_IMM_DEVICE_ENUMERATOR = "A95664D2-9614-4F35-A746-DE8DB63617E6"
IID_IAUDIO_SESSION_MANAGER2 = "77AA99A0-1BD6-484F-8BC7-2C654C9A9B6F"
IID_IAUDIO_SESSION_CONTROL2 = "BFB7FF88-7239-4FC9-8FA2-07C950BE9C6D"


class Guid(ctypes.Structure):
    """A COM GUID, built from its text form."""

    _fields_ = [("data", ctypes.c_ubyte * 16)]

    @classmethod
    def of(cls, text: str) -> Guid:
        guid = cls()
        ctypes.memmove(guid.data, uuid.UUID(text).bytes_le, 16)
        return guid


def _check(hresult: int, what: str) -> None:
    if hresult < 0 or hresult >= 0x80000000:
        raise OSError(f"{what} failed (HRESULT 0x{hresult & 0xFFFFFFFF:08X})")


def capture_session_pids(vcall: VCall, enumerator: int) -> list[int]:
    """The process ids of the active sessions on every active capture endpoint.

    A device whose walk fails is skipped (a headset switching to its hands-free profile at the
    start of a call fails for a moment); only when the list itself or every device fails does
    the walk raise, and the watch then keeps its last answer for a few polls.

    Raises:
        OSError: the endpoint list could not be read, or no device could be walked.
    """
    pids: list[int] = []
    held: list[int] = []  # every interface we got, released at the end
    failures: list[str] = []
    try:
        collection = ctypes.c_void_p()
        _check(vcall(enumerator, ENUM_AUDIO_ENDPOINTS, (E_CAPTURE, DEVICE_STATE_ACTIVE, ctypes.byref(collection))),
               "EnumAudioEndpoints")
        held.append(collection.value or 0)
        count = ctypes.c_uint()
        _check(vcall(held[-1], COLLECTION_COUNT, (ctypes.byref(count),)), "IMMDeviceCollection::GetCount")
        for item in range(count.value):
            try:
                pids += _device_pids(vcall, held[0], item, held)
            except OSError as exc:
                failures.append(str(exc))
        if failures and len(failures) == count.value:
            raise OSError(f"every capture device failed: {failures[0]}")
    finally:
        for pointer in reversed(held):
            if pointer:
                vcall(pointer, RELEASE, ())
    return pids


def _device_pids(vcall: VCall, collection: int, item: int, held: list[int]) -> list[int]:
    device = ctypes.c_void_p()
    _check(vcall(collection, COLLECTION_ITEM, (item, ctypes.byref(device))), "IMMDeviceCollection::Item")
    held.append(device.value or 0)
    manager = ctypes.c_void_p()
    iid = Guid.of(IID_IAUDIO_SESSION_MANAGER2)
    _check(vcall(held[-1], DEVICE_ACTIVATE, (ctypes.byref(iid), CLSCTX_ALL, None, ctypes.byref(manager))),
           "IMMDevice::Activate")
    held.append(manager.value or 0)
    return _session_pids(vcall, held[-1], held)


def _session_pids(vcall: VCall, manager: int, held: list[int]) -> list[int]:
    sessions = ctypes.c_void_p()
    _check(vcall(manager, GET_SESSION_ENUMERATOR, (ctypes.byref(sessions),)), "GetSessionEnumerator")
    held.append(sessions.value or 0)
    enumerator = held[-1]
    count = ctypes.c_int()
    _check(vcall(enumerator, SESSIONS_COUNT, (ctypes.byref(count),)), "IAudioSessionEnumerator::GetCount")
    pids: list[int] = []
    for item in range(count.value):
        control = ctypes.c_void_p()
        _check(vcall(enumerator, SESSIONS_ITEM, (item, ctypes.byref(control))), "GetSession")
        held.append(control.value or 0)
        control2 = ctypes.c_void_p()
        iid = Guid.of(IID_IAUDIO_SESSION_CONTROL2)
        _check(vcall(held[-1], QUERY_INTERFACE, (ctypes.byref(iid), ctypes.byref(control2))), "QueryInterface")
        held.append(control2.value or 0)
        state, pid = ctypes.c_int(), ctypes.c_uint32()
        _check(vcall(held[-1], SESSION_STATE, (ctypes.byref(state),)), "GetState")
        _check(vcall(held[-1], SESSION_PROCESS_ID, (ctypes.byref(pid),)), "GetProcessId")
        if state.value == SESSION_STATE_ACTIVE:
            pids.append(pid.value)
    return pids


def process_name(pid: int) -> str | None:
    """The program name of process ``pid`` ("Teams" for ...\\Teams.exe), or None (Windows only).

    ``QueryFullProcessImageNameW`` with ``PROCESS_QUERY_LIMITED_INFORMATION``, which works for
    other users' and elevated processes too.
    """
    if sys.platform != "win32":
        return None
    kernel32 = ctypes.windll.kernel32
    handle = kernel32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, ctypes.c_uint32(pid))
    if not handle:
        return None
    try:
        buffer = ctypes.create_unicode_buffer(1024)
        size = ctypes.c_uint32(len(buffer))
        if not kernel32.QueryFullProcessImageNameW(handle, 0, buffer, ctypes.byref(size)):
            return None
        path = buffer.value[: size.value]
    finally:
        kernel32.CloseHandle(handle)
    name = path.replace("/", "\\").rsplit("\\", 1)[-1]
    return name[:-4] if name.lower().endswith(".exe") else name or None


def calls_from_pids(pids: list[int], own_pid: int,
                    name_of: Callable[[int], str | None] = process_name) -> tuple[str, ...]:
    """The capturing processes that are not Unsit, by program name ("process 1234" when it has none)."""
    names: list[str] = []
    for pid in pids:
        if pid == own_pid:
            continue
        name = name_of(pid) or f"process {pid}"
        if name not in names:
            names.append(name)
    return tuple(names)


def com_vcall(this: int, index: int, args: tuple[Any, ...]) -> int:
    """Call a COM method by vtable slot (Windows only)."""
    if sys.platform != "win32":
        raise OSError("COM needs Windows")
    vtable = ctypes.cast(this, ctypes.POINTER(ctypes.POINTER(ctypes.c_void_p))).contents
    method = ctypes.WINFUNCTYPE(ctypes.c_long)(vtable[index])
    result: int = method(ctypes.c_void_p(this), *args)
    return result


class _ComEnumerator:
    """Creates the device enumerator on the watch's thread (COM is per thread), and releases it
    and COM there again when the watch stops.

    Args:
        ole32: ``ctypes.windll.ole32`` (default, Windows only); tests pass a stand-in.
        vcall: how COM methods are called (``Release`` of the enumerator).
    """

    def __init__(self, ole32: Any = None, vcall: VCall = com_vcall) -> None:
        self.pointer = 0
        self._ole32 = ole32
        self._vcall = vcall
        self._uninitialize = False

    def setup(self) -> None:
        """Initialise COM on this thread (checked) and create the enumerator.

        Raises:
            OSError: not on Windows, COM refused, or no enumerator.
        """
        ole32 = self._ole32
        if ole32 is None:
            if sys.platform != "win32":
                raise OSError("Core Audio needs Windows")
            ole32 = ctypes.windll.ole32
        result = int(ole32.CoInitializeEx(None, COINIT_MULTITHREADED)) & 0xFFFFFFFF
        if result in (S_OK, S_FALSE):
            self._uninitialize = True  # each successful call (S_FALSE too) is paired with CoUninitialize
        elif result != RPC_E_CHANGED_MODE:  # this thread already has another apartment: usable, not ours to end
            raise OSError(f"CoInitializeEx failed (HRESULT 0x{result:08X})")
        try:
            enumerator = ctypes.c_void_p()
            clsid, iid = Guid.of(CLSID_MM_DEVICE_ENUMERATOR), Guid.of(IID_IMM_DEVICE_ENUMERATOR)
            _check(ole32.CoCreateInstance(ctypes.byref(clsid), None, CLSCTX_ALL, ctypes.byref(iid),
                                          ctypes.byref(enumerator)), "CoCreateInstance(MMDeviceEnumerator)")
        except OSError:
            self.teardown(ole32)
            raise
        self.pointer = enumerator.value or 0

    def teardown(self, ole32: Any = None) -> None:
        """Release the enumerator and end COM on this thread, if this object started it."""
        if self.pointer:
            self._vcall(self.pointer, RELEASE, ())
            self.pointer = 0
        if self._uninitialize:
            self._uninitialize = False
            ole32 = ole32 or self._ole32
            if ole32 is None and sys.platform == "win32":
                ole32 = ctypes.windll.ole32
            if ole32 is not None:
                ole32.CoUninitialize()


def windows_capture_watch(monotonic: Callable[[], float] = time.monotonic, *, vcall: VCall = com_vcall,
                          setup: Callable[[], int] | None = None,
                          own_pid: int | None = None, poll_seconds: float = 3.0,
                          name_of: Callable[[int], str | None] = process_name) -> PollingCaptureWatch:
    """The Core Audio capture-session watch.

    Args:
        vcall: how COM methods are called (tests pass a stand-in).
        setup: makes the device enumerator on the watch's thread, returning its pointer
            (default: COM's; tests pass their own).
    """
    pid = os.getpid() if own_pid is None else own_pid
    com = _ComEnumerator(vcall=vcall)

    def prepare() -> None:
        if setup is None:
            com.setup()
        else:
            com.pointer = setup()

    def probe() -> tuple[str, ...]:
        return calls_from_pids(capture_session_pids(vcall, com.pointer), pid, name_of)

    def finish() -> None:
        if setup is None:
            com.teardown()

    return PollingCaptureWatch("coreaudio-sessions", probe, monotonic, poll_seconds=poll_seconds, setup=prepare,
                               teardown=finish)
