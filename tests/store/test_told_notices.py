"""One-time hints: told once across starts, whatever the file holds."""

from __future__ import annotations

import logging

import pytest

from unsit.store.told_notices import MAX_FILE_BYTES, ToldNotices


def test_a_hint_is_told_once_across_starts(tmp_path):
    path = tmp_path / "data" / "told.txt"
    path.parent.mkdir()
    assert ToldNotices(path).first_time("no-tray") is True
    assert ToldNotices(path).first_time("no-tray") is False  # a new start reads the file
    assert ToldNotices(path).first_time("other-hint") is True
    assert path.read_text() == "no-tray\nother-hint\n"


@pytest.mark.parametrize("content", [b"\xff\xfe garbage\n", b"x" * (MAX_FILE_BYTES + 1), b"NO TRAY\n../x\n"])
def test_a_damaged_file_means_only_that_the_hint_is_told_again(tmp_path, content):
    path = tmp_path / "told.txt"
    path.write_bytes(content)
    assert ToldNotices(path).first_time("no-tray") is True
    assert ToldNotices(path).first_time("no-tray") is False


def test_an_unwritable_folder_never_stops_the_app(tmp_path, caplog):
    (tmp_path / "a-file").write_text("")
    path = tmp_path / "a-file" / "told.txt"  # its folder is a file: neither read nor written
    with caplog.at_level(logging.INFO):
        assert ToldNotices(path).first_time("no-tray") is True
    assert "may be said again" in caplog.text


def test_without_a_tray_the_notice_is_shown_on_the_first_start_only_and_logged_once(tmp_path, caplog):
    from unsit.app.compose import tell_no_tray_once

    shown: list[tuple[str, str]] = []
    path = tmp_path / "told.txt"
    for _start in range(3):
        tell_no_tray_once(ToldNotices(path), lambda title, body: shown.append((title, body)))
    assert len(shown) == 1 and shown[0][1].startswith("No system tray was found.")
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="unsit"):
        tell_no_tray_once(ToldNotices(path), lambda title, body: shown.append((title, body)))
    assert len(shown) == 1
    assert [r.getMessage().count("no system tray") for r in caplog.records] == [1]
