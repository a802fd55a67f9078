"""Start Unsit at login: XDG autostart (Linux/BSD), Windows Run key, macOS LaunchAgent."""

from __future__ import annotations

import logging
import os
import shutil
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol

from unsit.runtime.atomic import write_atomically

log = logging.getLogger(__name__)

DESKTOP_FILE_NAME = "unsit.desktop"
RUN_KEY_PATH = r"Software\Microsoft\Windows\CurrentVersion\Run"
# Task Manager's Startup tab and Settings > Apps > Startup switch a Run value off here, without
# touching the Run value itself: a binary value whose first byte is odd means "off".
STARTUP_APPROVED_PATH = r"Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"
RUN_VALUE_NAME = "Unsit"
LAUNCH_AGENT_LABEL = "app.unsit.Unsit"


class StartAtLoginRefused(OSError):
    """The entry would not work at the next login; ``user_message`` says what to do instead."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


class Autostart(Protocol):
    """Turns "start at login" on and off."""

    def is_enabled(self) -> bool: ...

    def set_enabled(self, on: bool) -> None: ...


class NullAutostart:
    """For platforms without a known mechanism: always off, setting it does nothing."""

    def is_enabled(self) -> bool:
        return False

    def set_enabled(self, on: bool) -> None:
        return None


# --- XDG ------------------------------------------------------------------------------------

_EXEC_RESERVED = set(' \t\n"\'\\><~|&;$*?#()`')


def desktop_exec(command: list[str]) -> str:
    """The Exec= value for ``command`` per the Desktop Entry spec (quoting + escaping)."""
    parts = []
    for arg in command:
        part = arg.replace("%", "%%")
        if not part or any(ch in _EXEC_RESERVED for ch in part):
            inner = "".join("\\" + ch if ch in '"`$\\' else ch for ch in part)
            part = f'"{inner}"'
        parts.append(part)
    # The whole value is a desktop-file string: backslashes are escaped once more.
    return " ".join(parts).replace("\\", "\\\\")


class XdgAutostart:
    """``<config_dir>/autostart/unsit.desktop`` (config_dir is XDG_CONFIG_HOME).

    Args:
        config_dir: the XDG config home (``~/.config`` by default).
        command: the program and arguments to run at login.
    """

    def __init__(self, config_dir: Path, command: list[str]):
        self.path = Path(config_dir) / "autostart" / DESKTOP_FILE_NAME
        self.command = list(command)

    def render(self) -> str:
        """The desktop entry text."""
        return (
            "[Desktop Entry]\n"
            "Type=Application\n"
            "Version=1.4\n"
            "Name=Unsit\n"
            "Comment=Counts how long you have been sitting and nudges you to open your hips\n"
            f"Exec={desktop_exec(self.command)}\n"
            "Icon=unsit\n"
            "Terminal=false\n"
            "Categories=Utility;\n"
            "NoDisplay=true\n"
            "X-GNOME-Autostart-enabled=true\n"
        )

    def is_enabled(self) -> bool:
        """True when the entry exists and is not hidden or disabled."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except OSError:
            return False
        lines = {line.strip().replace(" ", "") for line in text.splitlines()}
        return "Hidden=true" not in lines and "X-GNOME-Autostart-enabled=false" not in lines

    def set_enabled(self, on: bool) -> None:
        """Write the entry, or remove it."""
        if on:
            write_atomically(self.path, self.render().encode("utf-8"), mode=0o644)
        else:
            try:
                self.path.unlink()
            except FileNotFoundError:
                pass


# --- Windows --------------------------------------------------------------------------------


class RunRegistry(Protocol):
    """String values under HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run."""

    def get_value(self, name: str) -> str | None: ...

    def set_value(self, name: str, value: str) -> None: ...

    def delete_value(self, name: str) -> None: ...


def _no_registry() -> OSError:
    return OSError("the Windows registry exists only on Windows")


class WinregRunKey:
    """The real Run key through ``winreg`` (imported only when used, on Windows).

    Each method checks ``sys.platform`` first: elsewhere there is no registry, and the check
    tells mypy which platform the rest of the method is for.
    """

    def _open(self, write: bool) -> AbstractContextManager[Any]:
        if sys.platform != "win32":
            raise _no_registry()
        import winreg

        access = winreg.KEY_SET_VALUE if write else winreg.KEY_QUERY_VALUE
        return winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, RUN_KEY_PATH, 0, access)

    def get_value(self, name: str) -> str | None:
        if sys.platform != "win32":
            raise _no_registry()
        import winreg

        with self._open(write=False) as key:
            try:
                value, _kind = winreg.QueryValueEx(key, name)
            except FileNotFoundError:
                return None
        return str(value)

    def set_value(self, name: str, value: str) -> None:
        if sys.platform != "win32":
            raise _no_registry()
        import winreg

        with self._open(write=True) as key:
            winreg.SetValueEx(key, name, 0, winreg.REG_SZ, value)

    def delete_value(self, name: str) -> None:
        if sys.platform != "win32":
            raise _no_registry()
        import winreg

        with self._open(write=True) as key:
            try:
                winreg.DeleteValue(key, name)
            except FileNotFoundError:
                pass


class StartupApproval(Protocol):
    """Binary values under HKCU\\...\\Explorer\\StartupApproved\\Run (Task Manager's switches)."""

    def get_flags(self, name: str) -> bytes | None: ...

    def clear(self, name: str) -> None: ...


class WinregStartupApproval:
    """The real StartupApproved\\Run key through ``winreg`` (Windows only)."""

    def get_flags(self, name: str) -> bytes | None:
        if sys.platform != "win32":
            raise _no_registry()
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, STARTUP_APPROVED_PATH, 0, winreg.KEY_QUERY_VALUE) as key:
                value, _kind = winreg.QueryValueEx(key, name)
        except FileNotFoundError:
            return None
        return bytes(value) if isinstance(value, bytes | bytearray) else None

    def clear(self, name: str) -> None:
        if sys.platform != "win32":
            raise _no_registry()
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, STARTUP_APPROVED_PATH, 0, winreg.KEY_SET_VALUE) as key:
                winreg.DeleteValue(key, name)
        except FileNotFoundError:
            pass


def approved(flags: bytes | None) -> bool:
    """Task Manager's switch for a Run value: no flags, or an even first byte, is on."""
    return not flags or not flags[0] & 1


class WindowsRunKey:
    """A value named "Unsit" in the current user's Run key, as switched in Task Manager.

    Args:
        registry: where the Run key lives (``WinregRunKey()`` for real).
        command: the program and arguments to run at login.
        approval: Task Manager's switches (``WinregStartupApproval()`` for real; None: not read).
    """

    def __init__(self, registry: RunRegistry, command: list[str] | None = None,
                 approval: StartupApproval | None = None):
        self.registry = registry
        self.command = list(command) if command else default_command()
        self.approval = approval

    def is_enabled(self) -> bool:
        """The Run value exists and Task Manager has not switched it off."""
        if self.registry.get_value(RUN_VALUE_NAME) is None:
            return False
        return self.approval is None or approved(self.approval.get_flags(RUN_VALUE_NAME))

    def set_enabled(self, on: bool) -> None:
        """Write (and switch on again in Task Manager's terms) or remove the Run value."""
        if on:
            import subprocess  # Windows only: its quoting rules

            self.registry.set_value(RUN_VALUE_NAME, subprocess.list2cmdline(self.command))
            if self.approval is not None:
                self.approval.clear(RUN_VALUE_NAME)  # turning it on in Unsit overrides Task Manager's "off"
        else:
            self.registry.delete_value(RUN_VALUE_NAME)


# --- macOS ----------------------------------------------------------------------------------


class MacLaunchAgent:
    """``<agents_dir>/app.unsit.Unsit.plist`` with RunAtLoad (agents_dir is ~/Library/LaunchAgents)."""

    def __init__(self, agents_dir: Path, command: list[str]):
        self.path = Path(agents_dir) / f"{LAUNCH_AGENT_LABEL}.plist"
        self.command = list(command)

    def render(self) -> bytes:
        """The property list bytes."""
        import plistlib  # macOS only; keeps expat out of the Linux process

        return plistlib.dumps({
            "Label": LAUNCH_AGENT_LABEL,
            "ProgramArguments": self.command,
            "RunAtLoad": True,
            "ProcessType": "Interactive",
        })

    def is_enabled(self) -> bool:
        import plistlib
        try:
            with open(self.path, "rb") as f:
                data = plistlib.load(f)
        except (OSError, plistlib.InvalidFileException, ValueError):
            return False
        return bool(data.get("RunAtLoad")) and not data.get("Disabled", False)

    def set_enabled(self, on: bool) -> None:
        """Write the agent, or remove it.

        Raises:
            StartAtLoginRefused: the app runs from a disk image or an App Translocation copy,
                a path that is gone at the next login.
        """
        if on:
            place = transient_location(self.command[0] if self.command else "")
            if place is not None:
                from unsit.text.i18n import _

                raise StartAtLoginRefused(_(
                    "Unsit runs from {path}, which is gone at the next login (a disk image or a "
                    "temporary copy macOS made of it). Move Unsit to the Applications folder, open it "
                    "from there and turn on start at login again.").format(path=place))
            write_atomically(self.path, self.render(), mode=0o644)
        else:
            try:
                self.path.unlink()
            except FileNotFoundError:
                pass


def transient_location(program: str) -> str | None:
    """The app's path when it will not be there at the next login, else None.

    A mounted disk image (``/Volumes/...``) is ejected; App Translocation (Gatekeeper's random
    read-only copy of a quarantined app that was not moved) lives under ``.../AppTranslocation/``.
    """
    if program.startswith("/Volumes/") or "/AppTranslocation/" in program:
        return program.split(".app/", 1)[0] + ".app" if ".app/" in program else program
    return None


# --- choosing -------------------------------------------------------------------------------


def default_command(
    executable: str | None = None,
    frozen: bool | None = None,
    which: Callable[[str], str | None] = shutil.which,
) -> list[str]:
    """How to start this Unsit: the frozen app, an ``unsit`` launcher, or ``python -P -m unsit``.

    A launcher next to the interpreter (a venv's bin/ or Scripts/) wins over one on PATH,
    so the autostart entry runs the same installation as the running app.
    """
    executable = executable or sys.executable
    frozen = getattr(sys, "frozen", False) if frozen is None else frozen
    if frozen:
        return [executable]
    folder = Path(executable).parent
    for name in ("unsit.exe", "unsit") if os.name == "nt" else ("unsit",):
        candidate = folder / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return [str(candidate)]
    found = which("unsit")
    if found:
        return [os.path.abspath(found)]
    # ``python -m`` puts the working folder first on sys.path: -P (3.11+) leaves it out; before 3.11
    # only -I does (it also leaves out the user's site-packages, where such an install rarely is).
    return [executable, "-P" if sys.version_info >= (3, 11) else "-I", "-m", "unsit"]


def autostart_for_platform(command: list[str] | None = None, platform: str | None = None) -> Autostart:
    """The start-at-login mechanism for this OS."""
    command = list(command) if command else default_command()
    platform = platform or sys.platform
    if platform == "win32":
        return WindowsRunKey(WinregRunKey(), command, WinregStartupApproval())
    if platform == "darwin":
        return MacLaunchAgent(Path.home() / "Library" / "LaunchAgents", command)
    if platform.startswith(("linux", "freebsd", "openbsd", "netbsd", "dragonfly", "sunos")):
        config = os.environ.get("XDG_CONFIG_HOME") or ""
        config_dir = Path(config) if os.path.isabs(config) else Path.home() / ".config"
        return XdgAutostart(config_dir, command)
    return NullAutostart()


def sync_autostart(wanted: bool, autostart: Autostart | None = None,
                   tell: Callable[[str], None] | None = None) -> bool:
    """Make start-at-login match ``wanted``; False (logged) when the entry cannot be changed.

    Only the failures of writing the entry are caught (a read-only or full config folder, a
    registry refusal, no home folder); anything else is a bug and is raised. A refusal that the
    user can fix (``StartAtLoginRefused``) is also passed to ``tell``.
    """
    try:
        target = autostart if autostart is not None else autostart_for_platform()
        if target.is_enabled() != wanted:
            target.set_enabled(wanted)
    except (OSError, RuntimeError) as exc:  # RuntimeError: Path.home() without a home folder
        log.error("could not change start at login: %s", exc)
        if isinstance(exc, StartAtLoginRefused) and tell is not None:
            tell(exc.user_message)
        return False
    return True


# --- following the setting --------------------------------------------------------------------


def adopted_setting(first_launch: bool, setting: bool, autostart: Autostart | None = None) -> bool:
    """The ``start_at_login`` value to start with: ``setting``, or True at the first launch when an
    entry already exists.

    The Windows installer's "Start Unsit when I sign in" (or an earlier install, or a package)
    writes the entry before Unsit has a settings file; the default setting (off) must not delete it.

    Args:
        first_launch: no settings file existed before this start.
        setting: the loaded setting.
        autostart: the mechanism to look at (default: this OS's).
    """
    if not first_launch or setting:
        return setting
    try:
        target = autostart if autostart is not None else autostart_for_platform()
        return target.is_enabled()
    except (OSError, RuntimeError) as exc:
        log.warning("could not read the start-at-login entry: %s", exc)
        return setting

