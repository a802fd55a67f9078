"""Start the real `unsit` app on its own headless desktop and talk to it like a user would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.desktop import HeadlessDesktop


def short_runtime_dir(root: Path) -> str:
    """A runtime folder (0700) with a short path, reached from ``root / "XDG_RUNTIME_DIR"`` too.

    The command socket lives in it, and a Unix socket's path must fit 108 bytes: pytest-xdist's
    deeper tmp_path (…/popen-gw0/test_…/) leaves too little room. It goes with its /tmp parent.
    """
    runtime = Path(tempfile.mkdtemp(prefix="unsit-rt-"))
    (root / "XDG_RUNTIME_DIR").symlink_to(runtime)
    return str(runtime)


class RunningApp:
    """One desktop (Xvfb, D-Bus, dunst, optional trayer) with one `unsit` process on it."""

    def __init__(self, root: Path, settings: str | None = "", with_tray: bool = True,
                 command: list[str] | None = None, before_start: Callable[[HeadlessDesktop], object] | None = None,
                 cwd: Path | None = None):
        self.root = root
        self.desktop = HeadlessDesktop(root / "desktop")
        self.env = dict(os.environ)
        for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            (root / var).mkdir(parents=True, mode=0o700)
            self.env[var] = str(root / var)
        self.env["XDG_RUNTIME_DIR"] = short_runtime_dir(root)
        self.env.update(self.desktop.start(with_tray=with_tray))
        # Desktop parts the test brings (an SNI host, a window manager) start before the app.
        self.extra = before_start(self.desktop) if before_start else None
        self.env["QT_QPA_PLATFORM"] = "xcb"
        self.command = command or [sys.executable, "-m", "unsit"]
        (root / "XDG_CONFIG_HOME" / "unsit").mkdir(mode=0o700)
        # The morning-routine offer (its own notification at the first sit-down) is off unless a
        # test asks for it: these tests count the hourly nudge's notifications.
        # settings=None: no settings file at all (a first launch).
        if settings is not None and "morning_routine" not in settings:
            settings = "morning_routine = false\n" + settings
        if settings is not None:
            (root / "XDG_CONFIG_HOME" / "unsit" / "settings.toml").write_text(settings)
        self.log = open(root / "app.out", "w")  # noqa: SIM115 - open for the whole run; stop() closes it
        self.proc = subprocess.Popen(self.command, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, cwd=cwd)
        try:
            self.wait_until(lambda: self.cli("status").returncode == 0, 60, "the app to answer `unsit status`")
        except BaseException:  # the test never gets the app to quit: leave no desktop or app behind
            self.proc.kill()
            self.proc.wait()
            self.quit()
            raise

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*self.command, *args], env=self.env, capture_output=True, text=True, timeout=30)

    @property
    def history_db(self) -> Path:
        return self.root / "XDG_DATA_HOME" / "unsit" / "history.sqlite3"

    def status(self) -> dict:
        out = self.cli("status", "--json")
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    def wait_until(self, predicate, timeout: float, what: str):
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if self.proc.poll() is not None:
                raise AssertionError(
                    f"unsit exited ({self.proc.returncode}) while waiting for {what}:\n{self.output()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}:\n{self.output()[-3000:]}")
            time.sleep(0.5)

    def poke(self, step: int) -> None:
        """A little mouse movement: the user is at the desk."""
        self.desktop.run("xdotool", "mousemove", str(100 + step % 50), str(100 + step % 30))

    def windows_named(self, pattern: str) -> list[str]:
        out = self.desktop.run("xdotool", "search", "--onlyvisible", "--name", pattern, check=False)
        return [w for w in out.stdout.split() if w]

    def window_name(self, window_id: str) -> str:
        return self.desktop.run("xdotool", "getwindowname", window_id).stdout.strip()

    def displayed_count(self) -> int:
        """How many notifications dunst shows right now."""
        return self.desktop.dunst.count()

    def history_json(self) -> list[dict]:
        return self.desktop.dunst.history()

    def network_sockets(self) -> list[str]:
        """The app's open IP sockets (TCP/UDP/raw, v4 and v6): the privacy promise says none."""
        inodes = set()
        fd_dir = Path(f"/proc/{self.proc.pid}/fd")
        for fd in fd_dir.iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
        found = []
        for table in ("tcp", "tcp6", "udp", "udp6", "raw", "raw6"):
            path = Path(f"/proc/{self.proc.pid}/net/{table}")
            if not path.exists():
                continue
            for line in path.read_text().splitlines()[1:]:
                fields = line.split()
                if len(fields) > 9 and fields[9] in inodes:
                    found.append(f"{table}: {line.strip()}")
        return found

    def output(self) -> str:
        if not self.log.closed:
            self.log.flush()
        return (self.root / "app.out").read_text(errors="replace")

    def quit(self) -> int:
        if self.proc.poll() is None:
            self.cli("quit")
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        self.desktop.stop()
        shutil.rmtree(self.env["XDG_RUNTIME_DIR"], ignore_errors=True)
        return self.proc.returncode
