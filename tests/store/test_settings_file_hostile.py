"""settings.toml replaced by things that are not a settings file: refused, never hangs, never overwritten."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import datetime, timedelta
from pathlib import Path

from unsit.core.settings import Settings
from unsit.store import settings_file as sf_module
from unsit.store.settings_file import KEEP_BAD_COPIES, MAX_SETTINGS_BYTES, SettingsFile

PREVIOUS = Settings(interval_minutes=42)


def load_within(sf: SettingsFile, seconds: float = 5.0):
    """``sf.load(PREVIOUS)`` in a thread; fails (instead of hanging the suite) when it blocks."""
    out: list = []
    thread = threading.Thread(target=lambda: out.append(sf.load(fallback=PREVIOUS)), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "loading the settings blocked"
    return out[0]


def assert_refused(result, path: Path, words: str) -> None:
    assert result.settings == PREVIOUS
    assert len(result.problems) == 1
    message = result.problems[0]
    assert str(path) in message and words in message and "previous settings" in message
    assert len(message) < 400


def test_a_fifo_is_refused_without_blocking(tmp_path):
    path = tmp_path / "settings.toml"
    os.mkfifo(path)
    result = load_within(SettingsFile(path))
    assert_refused(result, path, "FIFO")
    assert path.is_fifo()  # not replaced


def test_a_symlink_to_dev_zero_is_refused(tmp_path):
    path = tmp_path / "settings.toml"
    path.symlink_to("/dev/zero")
    result = load_within(SettingsFile(path))
    assert_refused(result, path, "a device")
    assert os.readlink(path) == "/dev/zero"


def test_a_folder_is_refused(tmp_path):
    path = tmp_path / "settings.toml"
    path.mkdir()
    assert_refused(load_within(SettingsFile(path)), path, "a folder")
    assert path.is_dir()


def test_an_unreadable_file_says_why_and_what_to_do(tmp_path, monkeypatch):
    path = tmp_path / "settings.toml"
    path.write_text("interval_minutes = 10\n")
    path.chmod(0)

    real_open = os.open

    def denied(p, *args, **kwargs):  # root reads mode 000 files: make it act like a user
        if Path(p) == path:
            raise PermissionError(13, "Permission denied", str(p))
        return real_open(p, *args, **kwargs)

    monkeypatch.setattr(sf_module.os, "open", denied)
    result = load_within(SettingsFile(path))
    assert_refused(result, path, "permission denied")
    assert "chmod 600" in result.problems[0]
    monkeypatch.undo()
    assert path.read_text() == "interval_minutes = 10\n"


def test_a_huge_file_is_refused_unread(tmp_path):
    path = tmp_path / "settings.toml"
    with open(path, "wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: 50 MB of zeros
    assert_refused(load_within(SettingsFile(path)), path, "too large")
    assert path.stat().st_size == 50 * 1024 * 1024


def test_a_dangling_symlink_is_refused(tmp_path):
    path = tmp_path / "settings.toml"
    path.symlink_to(tmp_path / "nowhere.toml")
    assert_refused(load_within(SettingsFile(path)), path, "does not exist")
    assert path.is_symlink() and not (tmp_path / "nowhere.toml").exists()


def test_a_symlink_to_a_regular_file_is_read_and_saved_through(tmp_path):
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / "unsit.toml"
    real.write_text("interval_minutes = 25\n")
    path = tmp_path / "settings.toml"
    path.symlink_to(real)
    sf = SettingsFile(path)
    result = sf.load()
    assert result.problems == [] and result.settings.interval_minutes == 25
    sf.save(Settings(interval_minutes=35))
    assert path.is_symlink() and os.readlink(path) == str(real)  # the link is kept
    assert "interval_minutes = 35" in real.read_text()


def test_bad_copies_are_capped(tmp_path):
    start = datetime(2026, 1, 1, 9, 0, 0)
    clock = {"now": start}
    path = tmp_path / "settings.toml"
    sf = SettingsFile(path, now=lambda: clock["now"])
    for n in range(20):
        clock["now"] = start + timedelta(seconds=n)
        path.write_text(f"interval_minutes = 'bad {n}'\n")
        result = sf.load(fallback=PREVIOUS)
        assert result.set_aside is not None
        os.utime(result.set_aside, (1_000_000 + n, 1_000_000 + n))
    copies = sorted(tmp_path.glob("settings.toml.bad-*"))
    assert len(copies) == KEEP_BAD_COPIES
    assert "bad 19" in copies[-1].read_text()  # the newest are the ones kept
    assert all(c.stat().st_size <= MAX_SETTINGS_BYTES for c in copies)


def test_a_huge_bad_value_is_quoted_briefly(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('drill_family = "' + "x" * 200_000 + '"\n' + "y" * 3 + ' = "' + "z" * 50_000 + '"\n')
    result = SettingsFile(path).load(fallback=PREVIOUS)
    assert result.problems
    assert all(len(p) < 300 for p in result.problems), [len(p) for p in result.problems]
    assert any("200000 characters" in p for p in result.problems)


APP_LOAD = """
import sys, pathlib
from unsit.store.settings_file import SettingsFile
result = SettingsFile(pathlib.Path(sys.argv[1])).load()
print(result.settings.interval_minutes, flush=True)
"""


def test_a_new_start_with_a_fifo_uses_defaults_and_does_not_hang(tmp_path):
    path = tmp_path / "settings.toml"
    os.mkfifo(path)
    out = subprocess.run([sys.executable, "-c", APP_LOAD, str(path)], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(Settings().interval_minutes)
