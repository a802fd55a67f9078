"""Handing memory back to the system after a busy moment: start-up, and each drill window.

A tray app idles for hours after a short busy spell. Two kinds of memory stay behind:
freed heap that glibc keeps (``malloc_trim`` returns it), and the code pages of Qt's
libraries that the spell touched (the drill window's painting, text layout and widgets:
about 5 MB of libQt6Gui, libQt6Widgets and their bindings, measured with
/proc/self/smaps beside a bare tray icon). Those pages are clean copies of the library
files; ``MADV_PAGEOUT`` (Linux 5.4 and later) asks the kernel to drop them now instead of
when memory runs short. A page needed again is read back from the page cache or the file.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import sys
from collections.abc import Iterable

log = logging.getLogger(__name__)

MADV_PAGEOUT = 21
QT_CODE = ("libQt6Gui.so", "libQt6Widgets.so", "libQt6DBus.so", "QtGui.abi3.so", "QtWidgets.abi3.so")
"""The libraries whose code a drill window touches and the idle tray mostly does not."""


def release_freed_memory() -> None:
    """Collect garbage and hand the freed heap back to the OS (glibc keeps it otherwise)."""
    gc.collect()
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):  # not glibc (musl): nothing to trim
            pass


def code_ranges(maps_text: str, names: Iterable[str]) -> list[tuple[int, int]]:
    """(start, length) of the read-only, private, file-backed mappings of libraries in ``names``.

    Args:
        maps_text: the text of /proc/self/maps.
        names: file names (or their starts) to match against each mapping's path.
    """
    wanted = tuple(names)
    ranges = []
    for line in maps_text.splitlines():
        fields = line.split(maxsplit=5)
        if len(fields) < 6 or "w" in fields[1] or not fields[1].endswith("p"):
            continue
        file_name = fields[5].rsplit("/", 1)[-1]
        if not file_name.startswith(wanted):
            continue
        start, _, end = fields[0].partition("-")
        try:
            first, last = int(start, 16), int(end, 16)
        except ValueError:
            continue
        if last > first:
            ranges.append((first, last - first))
    return ranges


def page_out_code(names: Iterable[str] = QT_CODE) -> int:
    """Ask the kernel to drop these libraries' resident code pages now; returns the bytes asked.

    Nothing happens off Linux, or on a kernel without ``MADV_PAGEOUT`` (each call then fails
    with EINVAL, quietly).
    """
    if not sys.platform.startswith("linux"):
        return 0
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            ranges = code_ranges(maps.read(), names)
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError as exc:
        log.debug("code pages not handed back: %s", exc)
        return 0
    libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    asked = 0
    for start, length in ranges:
        if libc.madvise(ctypes.c_void_p(start), ctypes.c_size_t(length), MADV_PAGEOUT) == 0:
            asked += length
    return asked


def release_after_window() -> None:
    """After a drill window closed: the freed heap and the code pages only it used go back."""
    release_freed_memory()
    page_out_code()
