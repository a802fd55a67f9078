"""tests/safe_tar.py: safe unpacking with and without tarfile's extraction filters."""

from __future__ import annotations

import io
import stat
import tarfile
from pathlib import Path

import pytest

from tests.safe_tar import UnsafeMemberError, extract_all, has_extraction_filters

MODES = [False, *([True] if has_extraction_filters() else [])]


def _file(name: str, data: bytes = b"x", mode: int = 0o644) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), mode
    return info, data


def _link(name: str, linkname: str, kind: bytes = tarfile.SYMTYPE) -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, linkname
    return info, None


def _special(name: str, kind: bytes) -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type = kind
    return info, None


def _archive(path: Path, *members: tuple[tarfile.TarInfo, bytes | None]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


@pytest.fixture
def place(tmp_path: Path) -> dict[str, Path]:
    """A target folder and, beside it, an outside folder with a file nothing may touch."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_text("keep me")
    return {"target": tmp_path / "target", "outside": outside, "tmp": tmp_path}


def _outside_untouched(outside: Path) -> bool:
    return sorted(p.name for p in outside.iterdir()) == ["secret"] and (outside / "secret").read_text() == "keep me"


@pytest.mark.parametrize("use_filter", MODES)
def test_a_normal_archive_unpacks_with_folders_files_and_inner_links(place, use_filter):
    path = _archive(place["tmp"] / "ok.tar.gz",
                    _file("app/bin/run", b"#!/bin/sh\n", 0o755), _file("app/share/readme", b"hi"),
                    _link("app/latest", "bin/run"), _link("app/hard", "app/share/readme", tarfile.LNKTYPE))
    with tarfile.open(path) as tar:
        extract_all(tar, place["target"], use_filter=use_filter)
    app = place["target"] / "app"
    assert (app / "bin/run").read_bytes() == b"#!/bin/sh\n"
    assert (app / "bin/run").stat().st_mode & stat.S_IXUSR
    assert (app / "latest").resolve() == (app / "bin/run").resolve()
    assert (app / "hard").read_bytes() == b"hi"


def _unsafe_cases(outside: Path) -> dict[str, list[tuple[tarfile.TarInfo, bytes | None]]]:
    return {
        "absolute path": [_file(str(outside / "evil"))],
        "dot-dot": [_file("../outside/evil")],
        "dot-dot inside a path": [_file("app/../../outside/evil")],
        "symlink out, then a file through it": [_link("door", "../outside"), _file("door/evil")],
        "absolute symlink": [_link("door", str(outside)), _file("door/evil")],
        "hard link to a file outside": [_link("hard", "../outside/secret", tarfile.LNKTYPE)],
        "character device": [_special("tty", tarfile.CHRTYPE)],
        "block device": [_special("disk", tarfile.BLKTYPE)],
        "fifo": [_special("pipe", tarfile.FIFOTYPE)],
    }


@pytest.mark.parametrize("case", list(_unsafe_cases(Path("/x"))))
@pytest.mark.parametrize("use_filter", MODES)
def test_unsafe_members_never_write_outside_the_target(place, case, use_filter):
    path = _archive(place["tmp"] / "bad.tar.gz", *_unsafe_cases(place["outside"])[case])
    with tarfile.open(path) as tar:
        if use_filter:
            # tarfile's own filter refuses most, and makes an absolute name relative.
            try:
                extract_all(tar, place["target"], use_filter=True)
            except tarfile.TarError:
                pass
        else:
            with pytest.raises(UnsafeMemberError):
                extract_all(tar, place["target"], use_filter=False)
    assert _outside_untouched(place["outside"])
    if not use_filter:
        written = list(place["target"].rglob("*")) if place["target"].exists() else []
        assert [p for p in written if not p.is_symlink() and p.is_file()] == []


def test_set_id_bits_and_group_write_are_dropped_without_filters(place):
    path = _archive(place["tmp"] / "modes.tar.gz", _file("tool", b"x", 0o6777))
    with tarfile.open(path) as tar:
        extract_all(tar, place["target"], use_filter=False)
    mode = stat.S_IMODE((place["target"] / "tool").stat().st_mode)
    assert mode & (stat.S_ISUID | stat.S_ISGID | stat.S_IWGRP | stat.S_IWOTH) == 0
    assert mode & stat.S_IXUSR


# Python 3.12+ warns about an extraction without a filter: here that is the point.
@pytest.mark.filterwarnings("ignore:Python 3.14 will, by default, filter:DeprecationWarning")
def test_without_tarfile_filters_it_checks_members_itself(place, monkeypatch):
    """Debian 12's Python 3.11.2 has no filters: extract_all must not ask for one there."""
    monkeypatch.delattr(tarfile, "data_filter", raising=False)  # tarfile itself still uses the others
    assert has_extraction_filters() is False

    def no_filter_argument(self, *args, **kwargs):
        assert "filter" not in kwargs, "this Python's extract() takes no filter"
        return original(self, *args, **kwargs)

    original = tarfile.TarFile.extract
    monkeypatch.setattr(tarfile.TarFile, "extract", no_filter_argument)
    monkeypatch.setattr(tarfile.TarFile, "extractall", lambda *a, **k: pytest.fail("extractall(filter=) used"))
    good = _archive(place["tmp"] / "ok.tar.gz", _file("a/b", b"1"))
    with tarfile.open(good) as tar:
        extract_all(tar, place["target"])
    assert (place["target"] / "a/b").read_bytes() == b"1"
    bad = _archive(place["tmp"] / "bad.tar.gz", _file("../outside/evil"))
    with tarfile.open(bad) as tar, pytest.raises(UnsafeMemberError):
        extract_all(tar, place["tmp"] / "other")
    assert _outside_untouched(place["outside"])
