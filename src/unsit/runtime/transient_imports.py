"""Modules a tray app needs for a moment at start-up and then never again: import, use, forget.

A module's code and tables stay in memory for as long as ``sys.modules`` holds it. For a
process that idles for hours, a parser used once at start-up (TOML for the settings, the
autostart file's quoting) is memory held for nothing. ``transient_modules`` forgets the
modules that a block imported under the given names, so that, with nothing else keeping
them, they are freed; the next use imports them again (a few milliseconds).

Only modules the block itself loaded are forgotten: one that was already loaded before
(by the test runner, say, or another part of the app) stays where it is.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


def forget_modules(*roots: str, keep: frozenset[str] = frozenset()) -> None:
    """Drop ``roots`` and their submodules from ``sys.modules``, except those in ``keep``."""
    prefixes = tuple(f"{root}." for root in roots)
    for name in [name for name in sys.modules if (name in roots or name.startswith(prefixes)) and name not in keep]:
        del sys.modules[name]


@contextmanager
def transient_modules(*roots: str) -> Iterator[None]:
    """Forget, on leaving, the modules under ``roots`` that were imported inside the block."""
    loaded_before = frozenset(sys.modules)
    try:
        yield
    finally:
        forget_modules(*roots, keep=loaded_before)
