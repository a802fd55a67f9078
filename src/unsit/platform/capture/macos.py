"""macOS: who records the microphone, from CoreAudio.

On macOS 14.2 and later, CoreAudio lists its client processes as audio objects
(``kAudioHardwarePropertyProcessObjectList``); a process whose ``IsRunningInput`` is set records,
and is named by its program (``proc_name``). Unsit itself is left out, and output (music on a
headset, Unsit's own sounds) does not count. On older systems, where that property is unknown,
every device with input streams is asked ``kAudioDevicePropertyDeviceIsRunningSomewhere``: that
is device-wide (input and output of a headset alike) and names no process, so it is the
fallback only. A device or process whose properties fail is skipped. Polled every few seconds
on the watch's thread through plain ctypes (a property listener would need a C callback
kept alive across CoreAudio's own threads; the poll is a few property reads).

Tested here on Linux with a stand-in for the property reads (``HalReader``); the real
reader loads the CoreAudio framework and runs only on macOS.
"""

from __future__ import annotations

import ctypes
import os
import struct
import time
from collections.abc import Callable
from typing import Protocol

from unsit.platform.capture.polling import PollingCaptureWatch

COREAUDIO = "/System/Library/Frameworks/CoreAudio.framework/CoreAudio"
SYSTEM_OBJECT = 1  # kAudioObjectSystemObject
MAIN_ELEMENT = 0


def four_cc(code: str) -> int:
    """A CoreAudio four-character code as its number."""
    value: int = struct.unpack(">I", code.encode("ascii"))[0]
    return value


DEVICES = four_cc("dev#")  # kAudioHardwarePropertyDevices
STREAMS = four_cc("stm#")  # kAudioDevicePropertyStreams
RUNNING_SOMEWHERE = four_cc("gone")  # kAudioDevicePropertyDeviceIsRunningSomewhere
SCOPE_GLOBAL = four_cc("glob")
SCOPE_INPUT = four_cc("inpt")
# macOS 14.2+ (AudioHardware.h); the CI workflow's macOS job reads them on a real system.
PROCESS_OBJECTS = four_cc("prs#")  # kAudioHardwarePropertyProcessObjectList
PROCESS_PID = four_cc("ppid")  # kAudioProcessPropertyPID
PROCESS_RUNNING_INPUT = four_cc("piri")  # kAudioProcessPropertyIsRunningInput
LIBPROC = "/usr/lib/libproc.dylib"


class HalReader(Protocol):
    """Reads CoreAudio object properties (the real one is ``CoreAudioReader``)."""

    def size(self, obj: int, selector: int, scope: int) -> int:
        """The property's size in bytes (0: it has none)."""

    def read(self, obj: int, selector: int, scope: int, size: int) -> bytes:
        """The property's bytes."""


class _Address(ctypes.Structure):
    _fields_ = [("selector", ctypes.c_uint32), ("scope", ctypes.c_uint32), ("element", ctypes.c_uint32)]


class CoreAudioReader:
    """``AudioObjectGetPropertyDataSize`` / ``AudioObjectGetPropertyData`` through ctypes (macOS only)."""

    def __init__(self) -> None:
        try:
            self._lib = ctypes.CDLL(COREAUDIO)
        except OSError as exc:
            raise OSError(f"CoreAudio cannot be loaded: {exc}") from exc

    def size(self, obj: int, selector: int, scope: int) -> int:
        address = _Address(selector, scope, MAIN_ELEMENT)
        size = ctypes.c_uint32()
        status = self._lib.AudioObjectGetPropertyDataSize(ctypes.c_uint32(obj), ctypes.byref(address),
                                                          ctypes.c_uint32(0), None, ctypes.byref(size))
        if status:
            raise OSError(f"AudioObjectGetPropertyDataSize: OSStatus {status}")
        return size.value

    def read(self, obj: int, selector: int, scope: int, size: int) -> bytes:
        address = _Address(selector, scope, MAIN_ELEMENT)
        buffer = ctypes.create_string_buffer(size)
        got = ctypes.c_uint32(size)
        status = self._lib.AudioObjectGetPropertyData(ctypes.c_uint32(obj), ctypes.byref(address),
                                                      ctypes.c_uint32(0), None, ctypes.byref(got), buffer)
        if status:
            raise OSError(f"AudioObjectGetPropertyData: OSStatus {status}")
        return buffer.raw[:got.value]


def _object_list(hal: HalReader, selector: int) -> tuple[int, ...]:
    size = hal.size(SYSTEM_OBJECT, selector, SCOPE_GLOBAL)
    raw = hal.read(SYSTEM_OBJECT, selector, SCOPE_GLOBAL, size) if size else b""
    return struct.unpack(f"={len(raw) // 4}I", raw[:len(raw) // 4 * 4])


def _read_u32(hal: HalReader, obj: int, selector: int) -> int | None:
    raw = hal.read(obj, selector, SCOPE_GLOBAL, 4)
    return int(struct.unpack("=I", raw)[0]) if len(raw) == 4 else None


def running_inputs(hal: HalReader) -> tuple[str, ...]:
    """The input devices some process runs now, named by device id (the fallback before macOS 14.2).

    Raises:
        OSError: the device list could not be read, or every input device failed.
    """
    running: list[str] = []
    inputs = failed = 0
    for device in _object_list(hal, DEVICES):
        try:
            if hal.size(device, STREAMS, SCOPE_INPUT) == 0:
                continue  # no input streams: speakers, not a microphone
            inputs += 1
            if _read_u32(hal, device, RUNNING_SOMEWHERE):
                running.append(f"input device {device}")
        except OSError:
            failed += 1  # skipped: one device going away must not hide the others
    if failed and failed == inputs + failed:
        raise OSError("every audio device failed to answer")
    return tuple(running)


def recording_processes(hal: HalReader, own_pid: int,
                        name_of: Callable[[int], str | None]) -> tuple[str, ...] | None:
    """The programs recording now, from CoreAudio's process objects; None before macOS 14.2.

    Raises:
        OSError: the list was there but every process failed to answer.
    """
    try:
        processes = _object_list(hal, PROCESS_OBJECTS)
    except OSError:
        return None  # kAudioHardwareUnknownPropertyError: an older macOS
    names: list[str] = []
    failed = 0
    for process in processes:
        try:
            if not _read_u32(hal, process, PROCESS_RUNNING_INPUT):
                continue
            pid = _read_u32(hal, process, PROCESS_PID)
        except OSError:
            failed += 1
            continue
        if pid is None or pid == own_pid:
            continue
        name = name_of(pid) or f"process {pid}"
        if name not in names:
            names.append(name)
    if processes and failed == len(processes):
        raise OSError("every CoreAudio process object failed to answer")
    return tuple(names)


def process_name(pid: int) -> str | None:
    """The program name of ``pid`` through libproc's ``proc_name`` (macOS only), or None."""
    try:
        libproc = ctypes.CDLL(LIBPROC)
    except OSError:
        return None
    buffer = ctypes.create_string_buffer(256)
    length = libproc.proc_name(ctypes.c_int(pid), buffer, ctypes.c_uint32(len(buffer)))
    if length <= 0:
        return None
    return buffer.raw[:length].decode("utf-8", "replace") or None


def macos_capture_watch(monotonic: Callable[[], float] = time.monotonic, *,
                        hal: Callable[[], HalReader] = CoreAudioReader,
                        poll_seconds: float = 3.0, own_pid: int | None = None,
                        name_of: Callable[[int], str | None] = process_name) -> PollingCaptureWatch:
    """The CoreAudio input-device watch.

    Args:
        hal: makes the property reader on the watch's thread (tests pass a stand-in).
    """
    reader: list[HalReader] = []

    def prepare() -> None:
        reader.append(hal())

    pid = os.getpid() if own_pid is None else own_pid

    def probe() -> tuple[str, ...]:
        by_process = recording_processes(reader[0], pid, name_of)
        return running_inputs(reader[0]) if by_process is None else by_process

    return PollingCaptureWatch("coreaudio-devices", probe, monotonic, poll_seconds=poll_seconds, setup=prepare)
