"""The runtime folder for the command socket: never another user's, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from unsit.runtime.paths import private_runtime_dir

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX runtime folders")
ME = os.getuid()
OTHER = 65534 if ME != 65534 else 65533


def squat(path: Path, mode: int = 0o777) -> Path:
    """A folder another user made first (root makes it and gives it away; others fake the owner check)."""
    path.mkdir(mode=mode)
    path.chmod(mode)
    if ME == 0:
        os.chown(path, OTHER, OTHER)
    return path



def test_our_own_private_folder_is_used(tmp_path):
    preferred = tmp_path / "run" / "unsit"
    folder, problem = private_runtime_dir(preferred, tmp_path / "cache", temp_dir=tmp_path)
    assert folder == preferred and problem is None
    assert (os.lstat(folder).st_mode & 0o777) == 0o700


@pytest.mark.skipif(ME != 0, reason="needs root to give a folder to another user")
def test_another_users_folder_is_not_used(tmp_path):
    preferred = squat(tmp_path / "runtime-0")
    folder, problem = private_runtime_dir(preferred, tmp_path / "cache", temp_dir=tmp_path)
    assert folder == tmp_path / f"unsit-{ME}"
    assert "belongs to another user" in problem and str(folder) in problem
    assert os.lstat(folder).st_uid == ME and (os.lstat(folder).st_mode & 0o077) == 0


@pytest.mark.skipif(ME != 0, reason="needs root to give a folder to another user")
def test_when_the_temp_fallback_is_taken_too_the_cache_folder_is_used(tmp_path):
    preferred = squat(tmp_path / "runtime-0")
    squat(tmp_path / f"unsit-{ME}")
    folder, problem = private_runtime_dir(preferred, tmp_path / "cache", temp_dir=tmp_path)
    assert folder == tmp_path / "cache" / "runtime" and problem


def test_a_symlink_or_an_open_folder_is_not_used(tmp_path):
    target = tmp_path / "elsewhere"
    target.mkdir(mode=0o700)
    link = tmp_path / "runtime-link"
    link.symlink_to(target)
    folder, problem = private_runtime_dir(link, tmp_path / "cache", temp_dir=tmp_path)
    assert folder == tmp_path / f"unsit-{ME}" and "symlink" in problem
    open_folder = tmp_path / "open"
    open_folder.mkdir()
    open_folder.chmod(0o777)
    folder, problem = private_runtime_dir(open_folder, tmp_path / "cache", temp_dir=tmp_path)
    assert folder == tmp_path / f"unsit-{ME}" and "other users" in problem


@pytest.mark.skipif(ME != 0, reason="needs root to give a folder to another user")
def test_status_without_xdg_runtime_dir_and_a_squatted_tmp_folder_has_no_traceback(tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    squat(tmp / f"runtime-{ME}")
    env = {k: v for k, v in os.environ.items() if k != "XDG_RUNTIME_DIR"}
    env.update(TMPDIR=str(tmp), HOME=str(tmp_path / "home"), XDG_CACHE_HOME=str(tmp_path / "cache"),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    code = ("from unsit.runtime.paths import AppPaths; p = AppPaths.from_platform(); "
            "print(p.runtime_dir); print(p.runtime_problem)")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    runtime, _problem = out.stdout.splitlines()
    assert Path(runtime) != tmp / f"runtime-{ME}" and os.lstat(runtime).st_uid == ME
    status = subprocess.run([sys.executable, "-m", "unsit", "status"], env=env, capture_output=True, text=True,
                            timeout=60)
    assert status.returncode == 3, status.stderr
    assert "Traceback" not in status.stderr and "not running" in status.stderr
