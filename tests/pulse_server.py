"""A real PulseAudio server for tests (no systemd): a null sink, a null source (the "microphone").

It runs in the foreground as a child, with its own runtime folder, home and socket, and
takes anonymous clients. ``record`` starts a real capture client (``parecord``) against it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
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
