"""The Windows and macOS capture watches, on stand-ins for COM and CoreAudio (this machine runs Linux).

The stand-ins play the system's side: a COM object table answering vtable calls, and a
CoreAudio property table. They prove the walk, the filtering and the polling watch; the
real ctypes calls into ole32 and CoreAudio run only on those systems.
"""

from __future__ import annotations

import ctypes
import struct
from typing import Any

import pytest

from tests.polling import wait_for
from unsit.platform.capture import pick_capture_watch
from unsit.platform.capture import windows as win
from unsit.platform.capture.macos import (
    DEVICES,
    PROCESS_OBJECTS,
    PROCESS_PID,
    PROCESS_RUNNING_INPUT,
    RUNNING_SOMEWHERE,
    STREAMS,
    SYSTEM_OBJECT,
    macos_capture_watch,
    recording_processes,
    running_inputs,
)
from unsit.platform.capture.polling import PollingCaptureWatch


class FakeCom:
    """COM objects as Python dicts behind integer pointers; ``vcall`` answers by interface and slot."""

    def __init__(self) -> None:
        self.objects: dict[int, dict[str, Any]] = {}
        self.released: list[int] = []
        self.enumerator = self.add("enumerator", devices=[])

    def add(self, kind: str, **fields: Any) -> int:
        pointer = 0x1000 + len(self.objects) * 16
        self.objects[pointer] = {"kind": kind, **fields}
        return pointer

    def microphone(self, *sessions: tuple[int, int]) -> None:
        """A capture device with sessions of (state, pid)."""
        controls = [self.add("control", state=state, pid=pid) for state, pid in sessions]
        manager = self.add("manager", sessions=controls)
        self.objects[self.enumerator]["devices"].append(self.add("device", manager=manager))

    @staticmethod
    def _out(arg: Any, value: int) -> None:
        arg._obj.value = value

    def vcall(self, this: int, index: int, args: tuple[Any, ...]) -> int:
        obj = self.objects[this]
        kind = obj["kind"]
        if index == win.RELEASE:
            self.released.append(this)
            return 0
        if kind == "enumerator" and index == win.ENUM_AUDIO_ENDPOINTS:
            assert args[:2] == (win.E_CAPTURE, win.DEVICE_STATE_ACTIVE)
            self._out(args[2], self.add("collection", devices=list(obj["devices"])))
        elif kind == "collection" and index == win.COLLECTION_COUNT:
            self._out(args[0], len(obj["devices"]))
        elif kind == "collection" and index == win.COLLECTION_ITEM:
            self._out(args[1], obj["devices"][args[0]])
        elif kind == "device" and index == win.DEVICE_ACTIVATE:
            assert bytes(args[0]._obj.data) == bytes(win.Guid.of(win.IID_IAUDIO_SESSION_MANAGER2).data)
            self._out(args[3], obj["manager"])
        elif kind == "manager" and index == win.GET_SESSION_ENUMERATOR:
            self._out(args[0], self.add("sessions", controls=obj["sessions"]))
        elif kind == "sessions" and index == win.SESSIONS_COUNT:
            self._out(args[0], len(obj["controls"]))
        elif kind == "sessions" and index == win.SESSIONS_ITEM:
            self._out(args[1], obj["controls"][args[0]])
        elif kind == "control" and index == win.QUERY_INTERFACE:
            self._out(args[1], this)
        elif kind == "control" and index == win.SESSION_STATE:
            self._out(args[0], obj["state"])
        elif kind == "control" and index == win.SESSION_PROCESS_ID:
            self._out(args[0], obj["pid"])
        else:
            return -2147467263  # E_NOTIMPL
        return 0


def test_active_capture_sessions_of_other_processes_are_calls():
    com = FakeCom()
    com.microphone((1, 500), (0, 501), (1, 77))  # active, inactive, Unsit's own
    com.microphone((1, 900))
    pids = win.capture_session_pids(com.vcall, com.enumerator)
    assert pids == [500, 77, 900]
    assert win.calls_from_pids(pids, own_pid=77) == ("process 500", "process 900")
    # Everything handed out was released (the enumerator itself is kept by the watch).
    assert set(com.released) == {p for p, o in com.objects.items() if o["kind"] != "enumerator"}


def test_a_failing_com_call_is_an_os_error_and_releases_what_it_got():
    com = FakeCom()
    com.microphone((1, 500))
    device = com.objects[com.enumerator]["devices"][0]
    com.objects[device]["kind"] = "broken"
    with pytest.raises(OSError, match="IMMDevice::Activate"):
        win.capture_session_pids(com.vcall, com.enumerator)
    assert device in com.released


def test_the_windows_watch_polls_and_reports_changes():
    com = FakeCom()
    changes: list[bool] = []
    watch = win.windows_capture_watch(vcall=com.vcall, setup=lambda: com.enumerator, own_pid=77, poll_seconds=0.02)
    watch.on_change = lambda: changes.append(watch.capturing() is not None)
    watch.start()
    try:
        com.microphone((1, 500))
        capture = wait_for(watch.capturing, 5, "the session to be seen")
        assert capture.applications == ("process 500",)
        com.objects[com.objects[com.objects[com.enumerator]["devices"][0]]["manager"]]["sessions"] = []
        wait_for(lambda: watch.capturing() is None, 5, "the session to end")
        assert changes == [True, False]
    finally:
        watch.stop()


def test_com_calls_need_windows():
    with pytest.raises(OSError):
        win.com_vcall(0, 0, ())


class FakeHal:
    """CoreAudio properties as a table: devices, their input streams, and who runs them."""

    def __init__(self) -> None:
        self.inputs: dict[int, int] = {}  # device -> input stream count
        self.running: dict[int, bool] = {}

    def size(self, obj: int, selector: int, scope: int) -> int:
        if obj == SYSTEM_OBJECT and selector == DEVICES:
            return 4 * len(self.inputs)
        if selector == STREAMS:
            return 4 * self.inputs[obj]
        raise OSError("no such property")

    def read(self, obj: int, selector: int, scope: int, size: int) -> bytes:
        if obj == SYSTEM_OBJECT and selector == DEVICES:
            return struct.pack(f"={len(self.inputs)}I", *self.inputs)
        if selector == RUNNING_SOMEWHERE:
            return struct.pack("=I", int(self.running.get(obj, False)))
        raise OSError("no such property")


def test_only_running_input_devices_are_calls():
    hal = FakeHal()
    hal.inputs = {41: 1, 42: 0, 43: 2}  # a microphone, speakers, a headset
    hal.running = {41: False, 42: True, 43: True}
    assert running_inputs(hal) == ("input device 43",)
    hal.running[43] = False
    assert running_inputs(hal) == ()


def test_the_macos_watch_polls_and_a_hal_that_keeps_failing_means_no_call_in_the_end():
    hal = FakeHal()
    hal.inputs = {41: 1}
    watch = macos_capture_watch(hal=lambda: hal, poll_seconds=0.02)
    watch.start()
    try:
        hal.running[41] = True
        wait_for(watch.capturing, 5, "the running microphone")
        hal.inputs = {41: 1, 99: 1}  # a device whose properties fail: the watch goes on, calls none
        hal.read = lambda *_a: (_ for _ in ()).throw(OSError("gone"))  # type: ignore[method-assign]
        # The last answer is kept for a few polls (KEEP_ANSWER_PROBES), then dropped.
        wait_for(lambda: watch.capturing() is None, 5, "no call while CoreAudio keeps failing")
    finally:
        watch.stop()


def test_each_platform_gets_its_watch():
    assert pick_capture_watch(platform="win32").name == "coreaudio-sessions"
    assert pick_capture_watch(platform="darwin").name == "coreaudio-devices"
    assert isinstance(pick_capture_watch(platform="win32"), PollingCaptureWatch)


def test_a_setup_that_fails_leaves_a_silent_watch():
    def no_coreaudio() -> FakeHal:
        raise OSError("CoreAudio cannot be loaded")

    watch = macos_capture_watch(hal=no_coreaudio, poll_seconds=0.02)
    watch.start()
    watch.stop()
    assert watch.capturing() is None and not watch.probed.is_set()


def test_guid_layout_is_the_com_one():
    guid = win.Guid.of(win.IID_IMM_DEVICE_ENUMERATOR)
    assert bytes(guid.data)[:4] == struct.pack("<I", 0xA95664D2)
    assert ctypes.sizeof(guid) == 16


# --- issue 25: a failing device, a failed probe, names, macOS 14.2 process objects ------------------


def test_a_failing_device_is_skipped_and_the_other_devices_still_answer():
    com = FakeCom()
    com.microphone((1, 500))
    com.microphone((1, 600))  # the headset switching to hands-free: its walk fails this time
    com.microphone((1, 700))
    broken = com.objects[com.enumerator]["devices"][1]
    com.objects[broken]["kind"] = "broken"
    assert win.capture_session_pids(com.vcall, com.enumerator) == [500, 700]
    manager = com.objects[broken]["manager"]
    never_handed_out = {com.enumerator, manager, *com.objects[manager]["sessions"]}
    assert broken in com.released  # got, then failed: still released
    assert set(com.released) == {p for p in com.objects if p not in never_handed_out}


def test_capturing_processes_are_named_by_their_program_once_each():
    names = {500: "Teams", 501: "Teams", 900: "obs64"}
    assert win.calls_from_pids([500, 77, 501, 900, 1234], own_pid=77, name_of=names.get) == (
        "Teams", "obs64", "process 1234")


def test_a_failed_probe_keeps_the_last_answer_for_a_few_polls_then_says_nobody():
    from unsit.platform.capture.polling import KEEP_ANSWER_PROBES

    script: list[object] = [("Teams",), *([OSError("device gone")] * (KEEP_ANSWER_PROBES + 1)), ("Teams",)]
    seen: list[object] = []

    def probe() -> tuple[str, ...]:
        seen.append(watch.capturing().applications if watch.capturing() else None)
        step = script.pop(0)
        if not script:
            watch._stopping.set()
        if isinstance(step, OSError):
            raise step
        return step  # type: ignore[return-value]

    watch = PollingCaptureWatch("test", probe, lambda: 100.0, poll_seconds=0)
    watch._run()  # on this thread: one probe after the other, no waiting
    assert seen == [None, *([("Teams",)] * (KEEP_ANSWER_PROBES + 1)), None]
    assert watch.capturing() is not None  # the last probe answered again


class FakeHalWithProcesses(FakeHal):
    """macOS 14.2+: CoreAudio's process objects (pid, running input) besides the devices."""

    def __init__(self) -> None:
        super().__init__()
        self.processes: dict[int, tuple[int, bool]] = {}  # object -> (pid, running input)
        self.broken: set[int] = set()

    def size(self, obj: int, selector: int, scope: int) -> int:
        if obj == SYSTEM_OBJECT and selector == PROCESS_OBJECTS:
            return 4 * len(self.processes)
        return super().size(obj, selector, scope)

    def read(self, obj: int, selector: int, scope: int, size: int) -> bytes:
        if obj == SYSTEM_OBJECT and selector == PROCESS_OBJECTS:
            return struct.pack(f"={len(self.processes)}I", *self.processes)
        if obj in self.broken:
            raise OSError("kAudioHardwareBadObjectError")
        if selector == PROCESS_PID:
            return struct.pack("=i", self.processes[obj][0])
        if selector == PROCESS_RUNNING_INPUT:
            return struct.pack("=I", int(self.processes[obj][1]))
        return super().read(obj, selector, scope, size)


def test_on_macos_14_the_recording_processes_are_named_and_output_or_unsit_itself_do_not_count():
    hal = FakeHalWithProcesses()
    hal.inputs, hal.running = {41: 1}, {41: True}  # device-wide: running (music on the headset)
    hal.processes = {201: (500, True), 202: (600, False), 203: (77, True), 204: (800, True), 205: (900, True)}
    hal.broken = {204}  # a process that went away between the list and the read
    names = {500: "zoom.us", 600: "Music", 900: "zoom.us"}
    assert recording_processes(hal, 77, names.get) == ("zoom.us",)
    hal.processes = {202: (600, False)}  # only music playing: no call, though the device runs
    assert recording_processes(hal, 77, names.get) == ()
    hal.broken = {202}
    with pytest.raises(OSError, match="every CoreAudio process"):
        recording_processes(hal, 77, names.get)


def test_before_macos_14_2_the_device_walk_answers_and_skips_a_failing_device():
    hal = FakeHal()  # no process objects: "no such property"
    assert recording_processes(hal, 77, lambda _pid: None) is None
    hal.inputs, hal.running = {41: 1, 42: 1}, {42: True}
    real_read = hal.read

    def read(obj: int, selector: int, scope: int, size: int) -> bytes:
        if obj == 41 and selector == RUNNING_SOMEWHERE:
            raise OSError("device unplugged")
        return real_read(obj, selector, scope, size)

    hal.read = read  # type: ignore[method-assign]
    assert running_inputs(hal) == ("input device 42",)
    watch = macos_capture_watch(hal=lambda: hal, poll_seconds=0.02, own_pid=77, name_of=lambda _pid: None)
    watch.start()
    try:
        assert wait_for(watch.capturing, 5, "the fallback walk's answer").applications == ("input device 42",)
    finally:
        watch.stop()


class Ole32StandIn:
    """CoInitializeEx answers as told; CoCreateInstance hands out the stand-in's enumerator."""

    def __init__(self, com: FakeCom, init_result: int) -> None:
        self.com = com
        self.init_result = init_result
        self.uninitialized = 0

    def CoInitializeEx(self, _reserved, _mode) -> int:  # noqa: N802
        return self.init_result

    def CoCreateInstance(self, _clsid, _outer, _context, _iid, out) -> int:  # noqa: N802
        out._obj.value = self.com.enumerator
        return 0

    def CoUninitialize(self) -> None:  # noqa: N802
        self.uninitialized += 1


@pytest.mark.parametrize(("init_result", "uninitialized"), [(0, 1), (1, 1), (0x80010106, 0)])
def test_com_is_initialised_checked_and_released_on_the_watch_thread(init_result, uninitialized):
    com = FakeCom()
    ole32 = Ole32StandIn(com, init_result)
    enumerator = win._ComEnumerator(ole32=ole32, vcall=com.vcall)
    enumerator.setup()
    assert enumerator.pointer == com.enumerator
    enumerator.teardown()
    assert com.enumerator in com.released  # the enumerator itself is released at the end
    assert ole32.uninitialized == uninitialized  # S_OK and S_FALSE are paired; another apartment is not ours


def test_com_that_refuses_to_initialise_is_an_error_naming_the_hresult():
    ole32 = Ole32StandIn(FakeCom(), 0x8007000E)  # E_OUTOFMEMORY
    with pytest.raises(OSError, match="0x8007000E"):
        win._ComEnumerator(ole32=ole32).setup()
    assert ole32.uninitialized == 0


def test_the_watch_tears_down_on_its_own_thread_when_stopped():
    ended: list[str] = []
    watch = PollingCaptureWatch("test", lambda: None, poll_seconds=0.01, teardown=lambda: ended.append("done"))
    watch.start()
    wait_for(watch.probed.is_set, 5, "a first probe")
    watch.stop()
    assert ended == ["done"]
