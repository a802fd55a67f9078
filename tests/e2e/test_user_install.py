"""scripts/install: a per-user install that works where `pip install --user` is refused.

It makes a venv under the user data folder, links ``unsit`` into ~/.local/bin, writes a menu
entry and an icon, says when ~/.local/bin is not on PATH, and ``--uninstall`` removes it all
but the user's settings and history. pip reuses the wheels scripts/setup downloaded.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

import unsit

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "app.unsit.Unsit"


def _user_env(home: Path, path: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_") and k != "UNSIT_BIN_DIR"}
    env.update(HOME=str(home), PATH=path, XDG_RUNTIME_DIR=str(home / "runtime"))
    (home / "runtime").mkdir(parents=True, mode=0o700)
    return env


def _script(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(ROOT / "scripts/install"), *args], env=env, capture_output=True, text=True,
                          timeout=600)


def test_install_links_unsit_writes_the_menu_entry_and_uninstall_removes_it(tmp_path):
    home = tmp_path / "home"
    bin_dir = home / ".local/bin"
    system_path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if ".venv" not in p)
    env = _user_env(home, system_path)

    installed = _script(env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    venv = home / ".local/share/unsit/venv"
    link = bin_dir / "unsit"
    assert link.is_symlink() and link.resolve() == (venv / "bin/unsit").resolve()
    assert f"{bin_dir} is not on your PATH" in installed.stdout
    entry = home / f".local/share/applications/{APP_ID}.desktop"
    assert f"Exec={venv}/bin/unsit\n" in entry.read_text()
    assert (home / ".local/share/icons/hicolor/scalable/apps/unsit.svg").is_file()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr

    # The launcher runs the app from the venv; with ~/.local/bin on PATH, messages say plain `unsit`.
    on_path = {**env, "PATH": f"{bin_dir}{os.pathsep}{system_path}"}
    version = subprocess.run(["unsit", "--version"], env=on_path, capture_output=True, text=True, timeout=60)
    assert version.stdout.strip() == f"Unsit {unsit.__version__}", version.stderr
    status = subprocess.run(["unsit", "status"], env=on_path, capture_output=True, text=True, timeout=60)
    assert status.returncode == 3 and status.stderr.strip().endswith("Start it with: unsit"), status.stderr
    # Off PATH, the app names the command by its path instead.
    status = subprocess.run([str(link), "status"], env=env, capture_output=True, text=True, timeout=60)
    assert status.stderr.strip().endswith("Start it with: ~/.local/share/unsit/venv/bin/unsit"), status.stderr

    # Installing again updates in place.
    again = _script(on_path)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Start it from the menu or with: unsit" in again.stdout

    settings = home / ".config/unsit/settings.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text("interval_minutes = 45\n")
    autostart = home / ".config/autostart/unsit.desktop"
    autostart.parent.mkdir(parents=True)
    autostart.write_text(f"[Desktop Entry]\nType=Application\nName=Unsit\nExec={venv}/bin/unsit\n")
    removed = _script(env, "--uninstall")
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert not link.exists() and not link.is_symlink()
    assert not venv.exists() and not entry.exists() and not autostart.exists()
    assert not (home / ".local/share/icons/hicolor/scalable/apps/unsit.svg").exists()
    assert settings.read_text() == "interval_minutes = 45\n"
    assert _script(env, "--uninstall").returncode != 0  # nothing left to remove: says so


def test_a_foreign_file_named_unsit_is_not_overwritten(tmp_path):
    home = tmp_path / "home"
    own = home / ".local/bin/unsit"
    own.parent.mkdir(parents=True)
    own.write_text("#!/bin/sh\necho mine\n")
    result = _script(_user_env(home, os.environ["PATH"]))
    assert result.returncode != 0 and "is not a link" in result.stderr
    assert own.read_text() == "#!/bin/sh\necho mine\n"
