"""runtime.memory: the freed heap and a busy spell's library code pages go back to the system."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from unsit.runtime.memory import code_ranges, page_out_code

MAPS = """\
7f0000000000-7f0000100000 r--p 00000000 08:01 11 /venv/PySide6/Qt/lib/libQt6Gui.so.6
7f0000100000-7f0000500000 r-xp 00100000 08:01 11 /venv/PySide6/Qt/lib/libQt6Gui.so.6
7f0000500000-7f0000510000 rw-p 00500000 08:01 11 /venv/PySide6/Qt/lib/libQt6Gui.so.6
7f0000600000-7f0000700000 r-xs 00000000 08:01 12 /venv/PySide6/Qt/lib/libQt6Widgets.so.6
7f0000800000-7f0000900000 r-xp 00000000 08:01 13 /usr/lib/libc.so.6
7f0000a00000-7f0000b00000 rw-p 00000000 00:00 0
not a mapping line
"""


def test_code_ranges_are_the_named_libraries_read_only_private_mappings():
    assert code_ranges(MAPS, ("libQt6Gui.so", "libQt6Widgets.so")) == [
        (0x7F0000000000, 0x100000), (0x7F0000100000, 0x400000)]  # not the writable data, not a shared map


def _resident_kb(name: str) -> int:
    total = 0
    current = ""
    for line in Path("/proc/self/smaps").read_text().splitlines():
        fields = line.split()
        if fields and "-" in fields[0] and not fields[0].endswith(":"):  # a mapping's first line
            current = fields[5].rsplit("/", 1)[-1] if len(fields) >= 6 else ""  # anonymous: no name
        elif fields and fields[0] == "Rss:" and current.startswith(name):
            total += int(fields[1])
    return total


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="MADV_PAGEOUT is Linux's")
def test_paging_out_drops_the_librarys_resident_pages(tmp_path):
    """A read-only private mapping of a file only this process maps (as a library's code pages are
    when no other program uses the library): its resident pages go. A real Qt library would do,
    but other processes mapping it at the same time (parallel test workers) keep its pages in."""
    import mmap

    name = "libunsit-pageout-test.so"
    path = tmp_path / name
    with path.open("wb") as file:
        file.write(b"\x01" * (4 << 20))  # 4 MiB, on disk: clean pages, as a library's are
        file.flush()
        os.fsync(file.fileno())
    with path.open("rb") as file:
        mapping = mmap.mmap(file.fileno(), 0, flags=mmap.MAP_PRIVATE, prot=mmap.PROT_READ)
    try:
        assert sum(mapping[i] for i in range(0, len(mapping), 4096)) > 0  # every page read in
        before = _resident_kb(name)
        assert before > 3 * 1024
        if page_out_code((name,)) == 0:
            pytest.skip("this kernel has no MADV_PAGEOUT (Linux 5.4 and later)")
        assert _resident_kb(name) < before / 2
    finally:
        mapping.close()
