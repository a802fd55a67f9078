"""What the bench scripts read about a process, and when a tray icon docks.

Shared by ``bench/startup``, ``bench/wakeups`` and ``bench/drill_window`` (a module, not a
script). Everything is read from /proc (Linux) and, for docking, from the X server.

- ``Sample`` / ``sample(pid)``: context switches of all threads (the wakeups), CPU ticks,
  threads and their names, USS (Private_Clean + Private_Dirty) and PSS.
- ``DockWatch``: an X11 client (Xlib through ctypes) that sees a window reparented away from
  the root window. With no window manager on the private Xvfb, only the XEmbed tray
  (trayer) reparents windows: that moment is the icon appearing in the tray.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import select
import time
from dataclasses import dataclass
from pathlib import Path

CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Sample:
    """One look at a process."""

    at: float  # time.monotonic()
    switches: dict[int, int]  # each thread's voluntary + involuntary context switches, by thread id
    ticks: int  # user + system CPU, clock ticks (children not included)
    threads: tuple[str, ...]
    uss_kb: int
    pss_kb: int


def _task_switches(status: Path) -> int:
    total = 0
    for line in status.read_text().splitlines():
        if line.startswith(("voluntary_ctxt_switches:", "nonvoluntary_ctxt_switches:")):
            total += int(line.split()[1])
    return total


def sample(pid: int) -> Sample:
    """Read ``pid``'s figures now (threads that end meanwhile are skipped)."""
    switches = {}
    names = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            switches[int(task.name)] = _task_switches(task / "status")
            names.append((task / "comm").read_text().strip())
        except (FileNotFoundError, ProcessLookupError):
            continue
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    memory = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].endswith(":"):
            memory[parts[0][:-1]] = int(parts[1]) if parts[1].isdigit() else 0
    uss = memory.get("Private_Clean", 0) + memory.get("Private_Dirty", 0)
    return Sample(time.monotonic(), switches, ticks, tuple(sorted(names)), uss, memory.get("Pss", 0))


@dataclass(frozen=True)
class Rates:
    """What happened between two samples."""

    wakeups_per_minute: float
    ticks_per_minute: float
    cpu_percent: float

    @classmethod
    def between(cls, first: Sample, last: Sample) -> Rates:
        minutes = max(1e-9, (last.at - first.at) / 60)
        ticks = last.ticks - first.ticks
        # Threads still there at the end: their switches since the start (or since they began);
        # a thread that ended meanwhile is not counted (its last count is not known).
        switches = sum(count - first.switches.get(tid, 0) for tid, count in last.switches.items())
        return cls(switches / minutes, ticks / minutes,
                   100 * ticks / CLK_TCK / (minutes * 60))


def median(values: list[float]) -> float:
    """The middle value (the mean of the two middle ones for an even count)."""
    ordered = sorted(values)
    half = len(ordered) // 2
    return ordered[half] if len(ordered) % 2 else (ordered[half - 1] + ordered[half]) / 2


# --- docking, seen from the X server --------------------------------------------------
_CREATE_NOTIFY = 16
_REPARENT_NOTIFY = 21
_STRUCTURE_NOTIFY = 1 << 17
_SUBSTRUCTURE_NOTIFY = 1 << 19
_ERROR_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)


class DockWatch:
    """Waits for the first top-level window reparented into another window (the tray).

    Open it before starting the process, so its windows' creation is seen.
    """

    def __init__(self, display: str):
        name = ctypes.util.find_library("X11")
        if name is None:
            raise RuntimeError("libX11 is not installed")
        x = self._x = ctypes.CDLL(name)
        x.XOpenDisplay.restype = ctypes.c_void_p
        x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x.XDefaultRootWindow.restype = ctypes.c_ulong
        x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        x.XSelectInput.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_long]
        x.XPending.argtypes = [ctypes.c_void_p]
        x.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        x.XConnectionNumber.argtypes = [ctypes.c_void_p]
        x.XFlush.argtypes = [ctypes.c_void_p]
        x.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        x.XCloseDisplay.argtypes = [ctypes.c_void_p]
        x.XFree.argtypes = [ctypes.c_void_p]
        x.XQueryTree.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong),
                                 ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_void_p),
                                 ctypes.POINTER(ctypes.c_uint)]
        self._ignore = _ERROR_HANDLER(lambda _display, _error: 0)  # a window gone meanwhile: BadWindow
        x.XSetErrorHandler(self._ignore)
        self._display = x.XOpenDisplay(display.encode())
        if not self._display:
            raise RuntimeError(f"cannot open display {display}")
        self._root = x.XDefaultRootWindow(self._display)
        x.XSelectInput(self._display, self._root, _SUBSTRUCTURE_NOTIFY)
        x.XSync(self._display, 0)
        self._drain()

    def _drain(self) -> None:
        event = ctypes.create_string_buffer(192)
        while self._x.XPending(self._display):
            self._x.XNextEvent(self._display, event)

    def _parent(self, window: int) -> int:
        root, parent = ctypes.c_ulong(), ctypes.c_ulong()
        children, count = ctypes.c_void_p(), ctypes.c_uint()
        if not self._x.XQueryTree(self._display, window, ctypes.byref(root), ctypes.byref(parent),
                                  ctypes.byref(children), ctypes.byref(count)):
            return 0
        if children.value:
            self._x.XFree(children)
        return parent.value

    def wait(self, timeout_s: float) -> float | None:
        """``time.monotonic()`` when a window docked, or None after ``timeout_s``."""
        x, display = self._x, self._display
        deadline = time.monotonic() + timeout_s
        event = ctypes.create_string_buffer(192)
        fd = x.XConnectionNumber(display)
        while True:
            while x.XPending(display):
                x.XNextEvent(display, event)
                kind = ctypes.c_int.from_buffer(event, 0).value
                if kind == _CREATE_NOTIFY:
                    parent, window = (ctypes.c_ulong.from_buffer(event, offset).value for offset in (32, 40))
                    if parent == self._root:
                        x.XSelectInput(display, window, _STRUCTURE_NOTIFY)
                        x.XFlush(display)
                        if self._parent(window) not in (0, self._root):  # docked before we listened
                            return time.monotonic()
                elif kind == _REPARENT_NOTIFY and ctypes.c_ulong.from_buffer(event, 48).value != self._root:
                    return time.monotonic()
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            select.select([fd], [], [], left)

    def close(self) -> None:
        self._x.XCloseDisplay(self._display)


# --- the peers ----------------------------------------------------------------------
PEERS = {"Workrave": ["workrave"], "Safe Eyes": ["safeeyes"]}


def installed_peers() -> dict[str, list[str]]:
    """The peers whose program is on PATH (each missing one is said)."""
    import shutil

    found = {}
    for name, command in PEERS.items():
        if shutil.which(command[0]):
            found[name] = command
        else:
            print(f"{name}: not installed ({command[0]} not on PATH); left out")
    return found


class SystemBus:
    """A private bus standing in for the system bus: Safe Eyes will not start without one
    (it listens for suspend there). Also makes Safe Eyes' config folder, which it needs."""

    def __init__(self, home: Path, env: dict[str, str]):
        import subprocess

        (Path(env["XDG_CONFIG_HOME"]) / "safeeyes" / "style").mkdir(parents=True, exist_ok=True)
        address = f"unix:path={home / 'system_bus'}"
        started = subprocess.run(["dbus-daemon", "--session", f"--address={address}", "--fork", "--print-pid"],
                                 capture_output=True, text=True, check=True, timeout=15)
        self.pid = int(started.stdout.split()[0])
        self.address = address

    def env(self, env: dict[str, str]) -> dict[str, str]:
        """``env`` with this bus as the system bus (for the peers only: Unsit would use it too)."""
        return {**env, "DBUS_SYSTEM_BUS_ADDRESS": self.address}

    def stop(self) -> None:
        import signal

        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
