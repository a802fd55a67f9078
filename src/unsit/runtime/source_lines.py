"""Keep Python's source-line cache empty while the tray app runs.

PySide6 replaces ``__import__`` and, for every module imported (and every module already
loaded when PySide6 starts), calls ``inspect.getsource(module)`` to look for
``from __feature__ import``. Each call leaves the module's whole source in ``linecache``:
about 4 MB of strings for Unsit's ~260 modules, kept for the life of the process and
scattered among long-lived objects, so clearing the cache afterwards gives little back.
While :func:`uncached_source_lines` is active, lines are read as before (tracebacks and
warnings still show source) but not kept.
"""

from __future__ import annotations

import linecache
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


def uncached(getlines: Callable[..., list[str]]) -> Callable[..., list[str]]:
    """Wrap a ``linecache.getlines`` so that a file it had to read is not kept in the cache."""

    def getlines_uncached(filename: str, module_globals: dict[str, Any] | None = None) -> list[str]:
        was_cached = filename in linecache.cache
        lines = getlines(filename, module_globals)
        if not was_cached:
            linecache.cache.pop(filename, None)
        return lines

    return getlines_uncached


@contextmanager
def uncached_source_lines() -> Iterator[None]:
    """Within this block, ``linecache`` reads source files without keeping them."""
    original = linecache.getlines
    linecache.getlines = uncached(original)
    try:
        yield
    finally:
        linecache.getlines = original
