"""write_atomically: the one way Unsit replaces a whole file."""

from __future__ import annotations

import os
import stat

import pytest

from unsit.runtime import atomic
from unsit.runtime.atomic import write_atomically


def test_writes_new_file_and_missing_folders(tmp_path):
    path = tmp_path / "a" / "b" / "file.txt"
    write_atomically(path, b"hello")
    assert path.read_bytes() == b"hello"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # owner-only unless asked otherwise
    assert os.listdir(path.parent) == ["file.txt"]


def test_mode_is_applied(tmp_path):
    path = tmp_path / "file.desktop"
    write_atomically(path, b"x", mode=0o644)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_failed_replace_keeps_old_content_and_leaves_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "file.txt"
    path.write_bytes(b"old")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomically(path, b"new")
    monkeypatch.undo()
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["file.txt"]


def test_data_and_folder_are_synced(tmp_path, monkeypatch):
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd)))
    write_atomically(tmp_path / "file.txt", b"data")
    assert len(synced) == 2  # the file's data, then the folder's new entry
