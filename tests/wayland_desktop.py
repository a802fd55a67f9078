"""A real headless Wayland desktop: sway (with ext-idle-notify-v1), mako and a D-Bus session.

With ``with_tray=True`` waybar runs too, with only its ``tray`` module: a real
StatusNotifierWatcher and host on the same session bus as the app.

sway refuses to run as root, and Debian 12's sway lacks ext-idle-notify-v1, so the compositor
and its clients (mako, wtype, makoctl, swaymsg, wayland-info, grim) run from a Debian 13 root
(``scripts/wayland-root``, cached outside the clone) as an unprivileged user. Everything they
share with the host lives in one folder bound into the root at the same path: the compositor's
runtime folder (its socket) and the session bus socket. Apps under test run on the host and
reach the compositor through the absolute socket path in ``WAYLAND_DISPLAY``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tests.desktop import NOTIFICATIONS, stop_process
from tests.polling import wait_for

REPO = Path(__file__).resolve().parent.parent
ROOT_SCRIPT = REPO / "scripts" / "wayland-root"

SWAY_CONFIG = """\
xwayland disable
output HEADLESS-1 resolution 1280x800
"""

# waybar with nothing but its tray: it owns org.kde.StatusNotifierWatcher and hosts the items.
WAYBAR_HEIGHT = 30
WAYBAR_CONFIG = """\
{
  "layer": "top",
  "position": "top",
  "height": 30,
  "modules-right": ["tray"],
  "tray": {"icon-size": 22, "spacing": 6}
}
"""

WAYBAR_STYLE = """\
* { font-family: "DejaVu Sans"; font-size: 13px; }
window#waybar { background: #30343c; }
#tray { padding: 0 8px; }
"""

WATCHER = "org.kde.StatusNotifierWatcher"

MAKO_CONFIG = """\
default-timeout=0
max-visible=10
"""

# A session bus that the unprivileged compositor user and the root-run app may both use.
BUS_CONFIG = """\
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def wayland_root_unavailable() -> str | None:
    """Why the Wayland root cannot be used here, or None when it can."""
    if os.geteuid() != 0:
        return "the Wayland root needs root (debootstrap, chroot, mount namespaces)"
    missing = [t for t in ("debootstrap", "unshare", "chroot") if shutil.which(t) is None]
    if missing:
        return "missing: " + ", ".join(missing)
    return None


def build_wayland_root(timeout_seconds: float = 900) -> Path:
    """The cached root's path (built now when missing or its recipe changed).

    Raises:
        RuntimeError: the build failed (e.g. no network); the message says why.
    """
    out = subprocess.run([str(ROOT_SCRIPT), "path"], capture_output=True, text=True, timeout=timeout_seconds)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip() or "scripts/wayland-root failed")
    return Path(out.stdout.strip().splitlines()[-1])


@dataclass
class WaylandDesktop:
    """sway + mako on a private session bus, all torn down by :meth:`stop`."""

    workdir: Path
    with_tray: bool = False
    env: dict[str, str] = field(default_factory=dict)
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self) -> dict[str, str]:
        """Start the bus, the compositor and the notification server; return the app's env."""
        uid = int(subprocess.run([str(ROOT_SCRIPT), "uid"], capture_output=True, text=True, check=True).stdout)
        # A short folder of its own, not under workdir: the sockets in it (sway's IPC socket,
        # sway-ipc.<uid>.<pid>.sock) must fit a socket path's 108 bytes, which pytest-xdist's
        # deeper tmp_path (…/popen-gw0/test_…/wayland/share/run/) overflows.
        self.share = Path(tempfile.mkdtemp(prefix="unsit-wl-"))
        self.runtime = self.share / "run"
        self.runtime.mkdir(parents=True)
        self.share.chmod(0o755)
        os.chown(self.runtime, uid, uid)
        self.runtime.chmod(0o700)
        files = [("sway.conf", SWAY_CONFIG), ("mako.conf", MAKO_CONFIG),
                 ("waybar.json", WAYBAR_CONFIG), ("waybar.css", WAYBAR_STYLE)]
        for name, text in files:
            (self.share / name).write_text(text)
            (self.share / name).chmod(0o644)
        self._logs = open(self.workdir / "desktop.log", "w")  # noqa: SIM115 - open until stop() closes it
        self.root_env = {"XDG_RUNTIME_DIR": str(self.runtime), "LANG": "C.UTF-8"}
        self._start_bus()
        self.root_env.update({
            "DBUS_SESSION_BUS_ADDRESS": self.env["DBUS_SESSION_BUS_ADDRESS"],
            "WLR_BACKENDS": "headless", "WLR_RENDERER": "pixman", "WLR_LIBINPUT_NO_DEVICES": "1",
            "XDG_CURRENT_DESKTOP": "sway",
        })
        self.procs["sway"] = self._spawn("sway", "-c", str(self.share / "sway.conf"))
        socket = wait_for(self._compositor_socket, 20, "sway's Wayland socket")
        self.root_env["WAYLAND_DISPLAY"] = socket.name
        self.root_env["SWAYSOCK"] = str(wait_for(lambda: next(self.runtime.glob("sway-ipc.*.sock"), None),
                                                  10, "sway's IPC socket"))
        self.procs["mako"] = self._spawn("mako", "-c", str(self.share / "mako.conf"))
        wait_for(lambda: self._name_owned(NOTIFICATIONS), 20, "mako to own the notifications bus name")
        if self.with_tray:
            self.procs["waybar"] = self._spawn("waybar", "-c", str(self.share / "waybar.json"),
                                               "-s", str(self.share / "waybar.css"))
            wait_for(lambda: self._name_owned(WATCHER), 20, "waybar to own the StatusNotifierWatcher")
        self.env.update({
            "WAYLAND_DISPLAY": str(socket),  # absolute: the app keeps its own XDG_RUNTIME_DIR
            "XDG_SESSION_TYPE": "wayland",
            "XDG_CURRENT_DESKTOP": "sway",
        })
        return dict(self.env)

    def _start_bus(self) -> None:
        # The bus runs in the root too: it must know the unprivileged user (the host may not).
        config = self.share / "bus.conf"
        config.write_text(BUS_CONFIG.format(socket=self.runtime / "bus"))
        config.chmod(0o644)
        self.procs["dbus"] = self._spawn("dbus-daemon", f"--config-file={config}", "--nofork", "--nopidfile")
        wait_for(lambda: (self.runtime / "bus").is_socket(), 20, "the session bus socket")
        self.env["DBUS_SESSION_BUS_ADDRESS"] = f"unix:path={self.runtime / 'bus'}"

    def _compositor_socket(self) -> Path | None:
        for path in sorted(self.runtime.glob("wayland-*")):
            if not path.name.endswith(".lock") and path.is_socket():
                return path
        return None

    def _name_owned(self, name: str) -> bool:
        from jeepney.bus_messages import message_bus
        from jeepney.io.blocking import Proxy, open_dbus_connection

        with open_dbus_connection(self.env["DBUS_SESSION_BUS_ADDRESS"]) as conn:
            return bool(Proxy(message_bus, conn, timeout=5).NameHasOwner(name)[0])

    def _root_script_env(self) -> dict[str, str]:
        # scripts/wayland-root finds the cached root through UNSIT_TEST_CACHE when it is set.
        env = {"PATH": os.environ["PATH"], **self.root_env}
        if "UNSIT_TEST_CACHE" in os.environ:
            env["UNSIT_TEST_CACHE"] = os.environ["UNSIT_TEST_CACHE"]
        return env

    def _spawn(self, *command: str) -> subprocess.Popen:
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited ({proc.returncode}); see {self.workdir / 'desktop.log'}")
        return subprocess.Popen([str(ROOT_SCRIPT), "exec", str(self.share), "--", *command],
                                env=self._root_script_env(),
                                stdout=self._logs, stderr=subprocess.STDOUT)

    def run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run a client (wtype, makoctl, swaymsg, wayland-info, grim) inside the root, against this desktop."""
        return subprocess.run([str(ROOT_SCRIPT), "exec", str(self.share), "--", *command],
                              env=self._root_script_env(),
                              capture_output=True, text=True, check=check, timeout=30)

    def globals(self) -> str:
        """wayland-info's list of the compositor's globals."""
        return self.run("wayland-info").stdout

    def press_shift(self) -> None:
        """Real keyboard input through a virtual keyboard (a bare Shift types nothing)."""
        self.run("wtype", "-k", "Shift_L")  # a modifier-only change (-M) is no activity to sway

    def notifications(self) -> list[str]:
        """The summaries mako shows now."""
        out = self.run("makoctl", "list", check=False).stdout
        return [line for line in out.splitlines() if line.startswith("Notification ")]

    def window_titles(self) -> list[str]:
        """Titles of the windows sway manages."""
        tree = json.loads(self.run("swaymsg", "-t", "get_tree", "-r").stdout)
        titles: list[str] = []

        def walk(node: dict) -> None:
            if node.get("type") in ("con", "floating_con") and node.get("name") and not node.get("nodes"):
                titles.append(node["name"])
            for child in node.get("nodes", []) + node.get("floating_nodes", []):
                walk(child)

        walk(tree)
        return titles

    def floating_windows(self) -> dict[str, tuple[int, int]]:
        """Title -> (width, height) of the windows sway floats (tiled ones are not listed)."""
        tree = json.loads(self.run("swaymsg", "-t", "get_tree", "-r").stdout)
        found: dict[str, tuple[int, int]] = {}

        def walk(node: dict) -> None:
            for child in node.get("floating_nodes", []):
                if child.get("name"):
                    found[child["name"]] = (child["window_rect"]["width"], child["window_rect"]["height"])
            for child in node.get("nodes", []):
                walk(child)

        walk(tree)
        return found

    def screenshot(self, name: str) -> Path:
        """The compositor's whole output as a PNG in its runtime folder (grim)."""
        path = self.runtime / name
        self.run("grim", str(path))
        return path

    def stop_compositor(self) -> None:
        """End sway (and so every Wayland client)."""
        proc = self.procs.pop("sway", None)
        if proc:
            stop_process(proc)

    def stop(self) -> None:
        for name in ("waybar", "mako", "sway", "dbus"):
            proc = self.procs.pop(name, None)
            if proc:
                stop_process(proc)
        if hasattr(self, "_logs"):
            self._logs.close()
        if hasattr(self, "share"):
            shutil.rmtree(self.share, ignore_errors=True)
