"""Start at login: a real XDG entry (validated), a fake Windows registry, a temp LaunchAgents dir."""

from __future__ import annotations

import logging
import plistlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from unsit.platform.autostart import (
    MacLaunchAgent,
    NullAutostart,
    WindowsRunKey,
    XdgAutostart,
    autostart_for_platform,
    default_command,
    desktop_exec,
    sync_autostart,
)


def test_xdg_on_off_and_valid(tmp_path):
    auto = XdgAutostart(tmp_path / "config", ["/opt/unsit dir/bin/unsit", "--minimized"])
    assert not auto.is_enabled()
    auto.set_enabled(True)
    path = tmp_path / "config" / "autostart" / "unsit.desktop"
    assert path.exists() and auto.is_enabled()
    text = path.read_text()
    for line in ("Type=Application", "Name=Unsit", "Icon=unsit", "X-GNOME-Autostart-enabled=true"):
        assert line in text.splitlines()
    assert 'Exec="/opt/unsit dir/bin/unsit" --minimized' in text
    if shutil.which("desktop-file-validate"):
        done = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
        assert done.returncode == 0 and done.stdout.strip() == "", done.stdout + done.stderr
    auto.set_enabled(True)  # idempotent
    auto.set_enabled(False)
    assert not path.exists() and not auto.is_enabled()
    auto.set_enabled(False)  # off twice is fine


def test_xdg_disabled_entry_counts_as_off(tmp_path):
    auto = XdgAutostart(tmp_path, ["unsit"])
    auto.set_enabled(True)
    auto.path.write_text(auto.path.read_text().replace("Autostart-enabled=true", "Autostart-enabled=false"))
    assert not auto.is_enabled()


@pytest.mark.parametrize("command", [
    ["/usr/bin/unsit"], ["/a b/python3", "-m", "unsit"], ['/x/"q"', "$HOME", "100%", "back\\slash"],
])
def test_desktop_exec_quoting_round_trips(command):
    assert split_exec(desktop_exec(command)) == command


def split_exec(value: str) -> list[str]:
    """Parse an Exec value the way the Desktop Entry spec says a launcher does."""
    value = value.replace("\\\\", "\\")  # the string-level escape
    args, cur, quoted, i, started = [], [], False, 0, False
    while i < len(value):
        ch = value[i]
        if quoted and ch == "\\" and i + 1 < len(value) and value[i + 1] in '"`$\\':
            cur.append(value[i + 1])
            i += 2
            continue
        if ch == '"':
            quoted, started = not quoted, True
        elif ch == " " and not quoted:
            if started:
                args.append("".join(cur))
            cur, started = [], False
        elif ch == "%" and value[i + 1 : i + 2] == "%":
            cur.append("%")
            started = True
            i += 1
        else:
            cur.append(ch)
            started = True
        i += 1
    if started:
        args.append("".join(cur))
    return args


def test_for_platform_uses_xdg_config_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    auto = autostart_for_platform(["unsit"], platform="linux")
    assert isinstance(auto, XdgAutostart)
    assert auto.path == tmp_path / "autostart" / "unsit.desktop"
    assert isinstance(autostart_for_platform(["unsit"], platform="darwin"), MacLaunchAgent)
    assert isinstance(autostart_for_platform(["unsit"], platform="plan9"), NullAutostart)


class FakeRunRegistry:
    def __init__(self):
        self.values: dict[str, str] = {}

    def get_value(self, name):
        return self.values.get(name)

    def set_value(self, name, value):
        self.values[name] = value

    def delete_value(self, name):
        self.values.pop(name, None)


def test_windows_run_key():
    reg = FakeRunRegistry()
    auto = WindowsRunKey(reg, [r"C:\Program Files\Unsit\unsit.exe"])
    assert not auto.is_enabled()
    auto.set_enabled(True)
    assert reg.values == {"Unsit": r'"C:\Program Files\Unsit\unsit.exe"'}
    assert auto.is_enabled()
    auto.set_enabled(False)
    assert reg.values == {} and not auto.is_enabled()
    auto.set_enabled(False)


def test_mac_launch_agent(tmp_path):
    agents = tmp_path / "Library" / "LaunchAgents"
    auto = MacLaunchAgent(agents, ["/Applications/Unsit.app/Contents/MacOS/Unsit"])
    assert not auto.is_enabled()
    auto.set_enabled(True)
    path = agents / "app.unsit.Unsit.plist"
    with open(path, "rb") as f:
        data = plistlib.load(f)
    assert data["Label"] == "app.unsit.Unsit"
    assert data["ProgramArguments"] == ["/Applications/Unsit.app/Contents/MacOS/Unsit"]
    assert data["RunAtLoad"] is True
    assert auto.is_enabled()
    auto.set_enabled(False)
    assert not path.exists() and not auto.is_enabled()


def test_default_command(tmp_path):
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    python = bin_dir / "python"
    python.touch()
    never = lambda name: None  # noqa: E731
    assert default_command(str(python), frozen=True, which=never) == [str(python)]
    safe = "-P" if sys.version_info >= (3, 11) else "-I"  # never the working folder on sys.path
    assert default_command(str(python), frozen=False, which=never) == [str(python), safe, "-m", "unsit"]
    command = default_command(str(python), frozen=False, which=lambda n: "/usr/local/bin/unsit")
    assert command == ["/usr/local/bin/unsit"]
    launcher = bin_dir / "unsit"
    launcher.touch()
    launcher.chmod(0o755)
    assert default_command(str(python), frozen=False, which=lambda n: "/usr/local/bin/unsit") == [str(launcher)]


def test_default_command_in_this_venv_finds_the_launcher():
    launcher = Path(sys.executable).parent / "unsit"
    if not launcher.exists():
        pytest.skip("no unsit launcher in this environment")
    assert default_command() == [str(launcher)]


def test_sync_autostart_writes_and_removes_the_entry(tmp_path):
    entry = XdgAutostart(tmp_path / "config", ["unsit"])
    assert sync_autostart(True, entry) is True and entry.is_enabled()
    assert sync_autostart(False, entry) is True and not entry.path.exists()


def test_sync_autostart_reports_a_config_folder_it_cannot_write(tmp_path, caplog):
    (tmp_path / "config").write_text("a file where the folder should be")
    entry = XdgAutostart(tmp_path / "config", ["unsit"])
    with caplog.at_level(logging.ERROR, logger="unsit.platform.autostart"):
        assert sync_autostart(True, entry) is False
    assert "could not change start at login" in caplog.text


def test_sync_autostart_does_not_hide_bugs():
    class Broken:
        def is_enabled(self) -> bool:
            raise TypeError("a bug, not a refusal of the file system")

        def set_enabled(self, on: bool) -> None:
            raise AssertionError("not reached")

    with pytest.raises(TypeError):
        sync_autostart(True, Broken())


# --- adoption at the first launch (issue 25) ---------------------------------------------------


class _RegistryStandIn:
    def __init__(self, values: dict[str, str] | None = None, broken: bool = False) -> None:
        self.values = dict(values or {})
        self.broken = broken

    def get_value(self, name: str) -> str | None:
        if self.broken:
            raise OSError("access denied")
        return self.values.get(name)

    def set_value(self, name: str, value: str) -> None:
        self.values[name] = value

    def delete_value(self, name: str) -> None:
        self.values.pop(name, None)


def test_the_installers_run_value_is_adopted_at_the_first_launch_and_survives_it():
    from unsit.core.start_at_login import StartAtLoginFollower
    from unsit.platform.autostart import RUN_VALUE_NAME, WindowsRunKey, adopted_setting

    registry = _RegistryStandIn({RUN_VALUE_NAME: '"C:\\Users\\u\\AppData\\Local\\Programs\\Unsit\\unsit.exe"'})
    key = WindowsRunKey(registry, ["unsit.exe"])
    setting = adopted_setting(first_launch=True, setting=False, autostart=key)
    assert setting is True
    follower = StartAtLoginFollower(setting, lambda on: key.set_enabled(on))
    follower.setting_is(True)  # the adopted value, saved
    assert RUN_VALUE_NAME in registry.values  # still there after the first launch


def test_no_adoption_once_a_settings_file_exists_and_no_entry_means_off():
    from unsit.platform.autostart import RUN_VALUE_NAME, WindowsRunKey, adopted_setting

    with_entry = WindowsRunKey(_RegistryStandIn({RUN_VALUE_NAME: "unsit.exe"}), ["unsit.exe"])
    assert adopted_setting(first_launch=False, setting=False, autostart=with_entry) is False
    assert adopted_setting(first_launch=True, setting=False, autostart=WindowsRunKey(_RegistryStandIn())) is False
    assert adopted_setting(first_launch=True, setting=True, autostart=WindowsRunKey(_RegistryStandIn())) is True


def test_an_unreadable_entry_keeps_the_setting_and_says_why(caplog):
    from unsit.platform.autostart import WindowsRunKey, adopted_setting

    broken = WindowsRunKey(_RegistryStandIn(broken=True), ["unsit.exe"])
    with caplog.at_level(logging.WARNING):
        assert adopted_setting(first_launch=True, setting=False, autostart=broken) is False
    assert "access denied" in caplog.text


def test_a_launch_agent_and_an_xdg_entry_are_adopted_too(tmp_path):
    from unsit.platform.autostart import MacLaunchAgent, XdgAutostart, adopted_setting

    agent = MacLaunchAgent(tmp_path / "LaunchAgents", ["/Applications/Unsit.app/Contents/MacOS/unsit"])
    xdg = XdgAutostart(tmp_path / "config", ["unsit"])
    for entry in (agent, xdg):
        assert adopted_setting(first_launch=True, setting=False, autostart=entry) is False
        entry.set_enabled(True)
        assert adopted_setting(first_launch=True, setting=False, autostart=entry) is True


# --- Task Manager's switch and the disk image (issue 25) ----------------------------------------


class _ApprovalStandIn:
    def __init__(self, flags: dict[str, bytes]) -> None:
        self.flags = dict(flags)

    def get_flags(self, name: str) -> bytes | None:
        return self.flags.get(name)

    def clear(self, name: str) -> None:
        self.flags.pop(name, None)


@pytest.mark.parametrize(("flags", "on"), [
    (None, True), (b"", True), (bytes([2]) + bytes(11), True), (bytes([6]) + bytes(11), True),
    (bytes([3]) + bytes(11), False), (bytes([7, 1, 2]), False),
])
def test_task_managers_switch_is_read_from_the_first_byte(flags, on):
    from unsit.platform.autostart import approved

    assert approved(flags) is on


def test_a_run_value_switched_off_in_task_manager_is_off_and_turning_it_on_clears_the_switch():
    from unsit.platform.autostart import RUN_VALUE_NAME, WindowsRunKey, adopted_setting

    registry = _RegistryStandIn({RUN_VALUE_NAME: "unsit.exe"})
    approval = _ApprovalStandIn({RUN_VALUE_NAME: bytes([3]) + bytes(11)})
    key = WindowsRunKey(registry, ["unsit.exe"], approval)
    assert not key.is_enabled()
    assert adopted_setting(first_launch=True, setting=False, autostart=key) is False  # not adopted either
    assert sync_autostart(True, key) and key.is_enabled()
    assert RUN_VALUE_NAME not in approval.flags and RUN_VALUE_NAME in registry.values


@pytest.mark.parametrize(("program", "refused"), [
    ("/Volumes/Unsit 0.1.0/Unsit.app/Contents/MacOS/unsit", "/Volumes/Unsit 0.1.0/Unsit.app"),
    ("/private/var/folders/x/T/AppTranslocation/1A2B/d/Unsit.app/Contents/MacOS/unsit",
     "/private/var/folders/x/T/AppTranslocation/1A2B/d/Unsit.app"),
    ("/Applications/Unsit.app/Contents/MacOS/unsit", None),
    ("/Users/me/Applications/Unsit.app/Contents/MacOS/unsit", None),
])
def test_a_launch_agent_into_a_disk_image_or_a_translocated_copy_is_refused_and_the_user_told(
        tmp_path, program, refused):
    from unsit.platform.autostart import MacLaunchAgent, transient_location

    assert transient_location(program) == refused
    agent = MacLaunchAgent(tmp_path / "LaunchAgents", [program])
    told: list[str] = []
    assert sync_autostart(True, agent, tell=told.append) is (refused is None)
    assert agent.path.exists() is (refused is None)
    if refused:
        assert len(told) == 1 and refused in told[0] and "Applications" in told[0]
    else:
        assert told == []
