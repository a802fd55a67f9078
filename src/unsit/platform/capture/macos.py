"""macOS: is an input device in use, from CoreAudio's ``kAudioDevicePropertyDeviceIsRunningSomewhere``.

Every audio device with input streams is asked whether some process runs it; one that is
counts as a call. CoreAudio does not say which process, so Unsit's own capture cannot be
told apart here: Unsit records nothing, so it cannot be the cause. Polled every few seconds
on the watch's thread through plain ctypes (a property listener would need a C callback
kept alive across CoreAudio's own threads; the poll is a few property reads).

Tested here on Linux with a stand-in for the property reads (``HalReader``); the real
reader loads the CoreAudio framework and runs only on macOS.
"""

from __future__ import annotations

import ctypes
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


def running_inputs(hal: HalReader) -> tuple[str, ...]:
    """The input devices some process runs now, named by device id."""
    size = hal.size(SYSTEM_OBJECT, DEVICES, SCOPE_GLOBAL)
    raw = hal.read(SYSTEM_OBJECT, DEVICES, SCOPE_GLOBAL, size) if size else b""
    devices = struct.unpack(f"={len(raw) // 4}I", raw[:len(raw) // 4 * 4])
    running: list[str] = []
    for device in devices:
        if hal.size(device, STREAMS, SCOPE_INPUT) == 0:
            continue  # no input streams: speakers, not a microphone
        flag = hal.read(device, RUNNING_SOMEWHERE, SCOPE_GLOBAL, 4)
        if len(flag) == 4 and struct.unpack("=I", flag)[0]:
            running.append(f"input device {device}")
    return tuple(running)


def macos_capture_watch(monotonic: Callable[[], float] = time.monotonic, *,
                        hal: Callable[[], HalReader] = CoreAudioReader,
                        poll_seconds: float = 3.0) -> PollingCaptureWatch:
    """The CoreAudio input-device watch.

    Args:
        hal: makes the property reader on the watch's thread (tests pass a stand-in).
    """
    reader: list[HalReader] = []

    def prepare() -> None:
        reader.append(hal())

    def probe() -> tuple[str, ...]:
        return running_inputs(reader[0])

    return PollingCaptureWatch("coreaudio-devices", probe, monotonic, poll_seconds=poll_seconds, setup=prepare)
