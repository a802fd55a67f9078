"""os.replace on Windows while an antivirus or the indexer holds the file: retried with backoff (issue 25).
Played on Linux with a stand-in for the refusal; the sleeps are recorded, not slept."""

from __future__ import annotations

import os

import pytest

from unsit.runtime import atomic
from unsit.runtime.atomic import REPLACE_RETRY_SECONDS, replace_file, write_atomically


def _refusing(times: int, error: type[OSError] = PermissionError):
    real = os.replace
    calls = []

    def replace(source, target):
        calls.append(source)
        if len(calls) <= times:
            raise error(13, "The process cannot access the file because it is being used by another process")
        real(source, target)

    return replace, calls


def test_a_briefly_held_file_is_replaced_after_a_few_pauses(tmp_path, monkeypatch):
    (tmp_path / "new").write_text("new")
    (tmp_path / "old").write_text("old")
    replace, calls = _refusing(3)
    monkeypatch.setattr(atomic.os, "replace", replace)
    slept: list[float] = []
    replace_file(tmp_path / "new", tmp_path / "old", windows=True, sleep=slept.append)
    assert (tmp_path / "old").read_text() == "new" and len(calls) == 4
    assert slept == list(REPLACE_RETRY_SECONDS[:3])


def test_a_file_held_for_good_fails_after_the_last_pause_and_keeps_the_old_content(tmp_path, monkeypatch):
    replace, calls = _refusing(100)
    monkeypatch.setattr(atomic.os, "replace", replace)
    (tmp_path / "settings.toml").write_text("old")
    slept: list[float] = []
    monkeypatch.setattr(atomic, "replace_file",
                        lambda s, t: replace_file(s, t, windows=True, sleep=slept.append))
    with pytest.raises(PermissionError):
        write_atomically(tmp_path / "settings.toml", b"new")
    assert (tmp_path / "settings.toml").read_text() == "old"
    assert slept == list(REPLACE_RETRY_SECONDS) and len(calls) == len(REPLACE_RETRY_SECONDS) + 1
    assert [p.name for p in tmp_path.iterdir()] == ["settings.toml"]  # the temp file is gone


def test_elsewhere_and_for_other_errors_there_is_no_retry(tmp_path, monkeypatch):
    replace, _calls = _refusing(1)
    monkeypatch.setattr(atomic.os, "replace", replace)
    slept: list[float] = []
    with pytest.raises(PermissionError):
        replace_file(tmp_path / "a", tmp_path / "b", windows=False, sleep=slept.append)
    replace, _calls = _refusing(1, FileNotFoundError)
    monkeypatch.setattr(atomic.os, "replace", replace)
    with pytest.raises(FileNotFoundError):
        replace_file(tmp_path / "a", tmp_path / "b", windows=True, sleep=slept.append)
    assert slept == []
