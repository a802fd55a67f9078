"""Keep Python's source-line cache empty while the tray app runs.

PySide6's import hook (``shibokensupport.feature``: ``feature_imported`` calls
``_mod_uses_pyside``, which runs ``inspect.getsource(module)`` and looks for "PySide6")
reads every module imported, and every module already loaded when PySide6 starts, to
look for ``from __feature__ import``. Each call leaves the module's whole source in
``linecache`` for the life of the process, scattered among long-lived objects, so clearing
the cache afterwards gives little back. Affected: PySide6 6.11.3, read in its installed
hook (the newest release the ``<6.12`` pin allows); the releases back to 6.6, the pin's
floor, were not each checked. Measured at idle: about 4.3 MB of private memory
(bench/README.md). While :func:`uncached_source_lines` is active, lines are read as before
(tracebacks and warnings still show source) but not kept.
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
