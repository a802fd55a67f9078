"""Messages name the ``unsit`` command as the user can type it (scripts/run puts none on PATH)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from unsit.platform.command_name import command_name


def _program(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def _which(found: Path | None):
    return lambda name: str(found) if found is not None and name == "unsit" else None


def test_plain_unsit_when_path_reaches_this_installation(tmp_path):
    launcher = _program(tmp_path / "venv/bin/unsit")
    linked = tmp_path / "bin/unsit"
    linked.parent.mkdir()
    linked.symlink_to(launcher)  # what scripts/install puts in ~/.local/bin
    name = command_name(str(tmp_path / "venv/bin/python"), frozen=False, which=_which(linked), home="/nowhere")
    assert name == "unsit"


def test_the_launchers_path_when_unsit_is_not_on_path(tmp_path):
    home = tmp_path / "home"
    _program(home / "src/unsit/.venv/bin/unsit")
    name = command_name(str(home / "src/unsit/.venv/bin/python"), frozen=False, which=_which(None), home=str(home))
    assert name == "~/src/unsit/.venv/bin/unsit"


def test_the_launchers_path_when_path_reaches_another_installation(tmp_path):
    ours = _program(tmp_path / "checkout/.venv/bin/unsit")
    other = _program(tmp_path / "other/bin/unsit")
    name = command_name(str(tmp_path / "checkout/.venv/bin/python"), frozen=False, which=_which(other), home="/x")
    assert name == str(ours)


def test_a_frozen_app_reached_through_its_link(tmp_path):
    binary = _program(tmp_path / "lib/unsit/unsit")
    link = tmp_path / "bin/unsit"
    link.parent.mkdir()
    link.symlink_to(binary)
    assert command_name(str(binary), frozen=True, which=_which(link), home="/x") == "unsit"


def test_python_dash_m_when_there_is_no_launcher(tmp_path):
    python = tmp_path / "my python/bin/python3"
    flag = "-P" if sys.version_info >= (3, 11) else "-I"  # never the working folder on sys.path
    assert command_name(str(python), frozen=False, which=_which(None), home="/x") == f"'{python}' {flag} -m unsit"


def _run_unsit(*args: str, path: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": path}
    return subprocess.run([sys.executable, "-m", "unsit", *args], capture_output=True, text=True,
                          timeout=60, env=env)


def test_not_running_message_names_a_command_that_works(tmp_path):
    """From a checkout with .venv/bin not on PATH, the named command must exist."""
    launcher = Path(sys.executable).parent / "unsit"
    if not launcher.is_file():
        launcher = None
    out = _run_unsit("status", path="/usr/bin:/bin")
    assert out.returncode == 3
    named = out.stderr.strip().rsplit("Start it with: ", 1)[1]
    if launcher is not None:
        assert os.path.realpath(os.path.expanduser(named)) == os.path.realpath(launcher)
    on_path = _run_unsit("status", path=f"{Path(sys.executable).parent}:/usr/bin:/bin")
    if launcher is not None:
        assert on_path.stderr.strip().endswith("Start it with: unsit")


def test_no_display_error_is_printed_once():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = subprocess.run([sys.executable, "-m", "unsit"], capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode == 2
    assert out.stderr.count("no graphical session") == 1, out.stderr
