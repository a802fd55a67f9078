"""Keep PySide6 from filling ``linecache`` with the source of every module imported after it.

Once ``PySide6.QtCore`` is loaded, its import hook asks of each newly imported module whether
its source mentions "PySide6" (to scope its ``__feature__`` switches), through
``inspect.getsource``. That answer is right, but ``inspect`` reads through ``linecache``, which
keeps every line of every such module: about 4 MB of Python heap in an idle Unsit, in small
objects scattered over the allocator's arenas, so emptying the cache later frees little
resident memory. :func:`scan_sources_uncached` asks the same question by reading the file
once, keeping nothing.

The hook (``shibokensupport.feature._mod_uses_pyside``) is PySide6's, not public API: when a
PySide6 release changes it, nothing is replaced and the only loss is the memory.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

FEATURE_MODULE = "shibokensupport.feature"
SCAN_NAME = "_mod_uses_pyside"
MARKER = b"PySide6"


def scan_sources_uncached() -> bool:
    """Replace PySide6's source scan by one that reads the file and keeps nothing; True if done.

    Call once PySide6 is imported. Without PySide6's hook (another release, another binding)
    it does nothing and returns False.
    """
    feature = sys.modules.get(FEATURE_MODULE)
    original: Callable[[ModuleType], bool] | None = getattr(feature, SCAN_NAME, None)
    if feature is None or original is None or not callable(original):
        return False
    if getattr(original, "unsit_uncached", False):
        return True

    def uses_pyside(module: ModuleType) -> bool:
        """Whether ``module``'s source file mentions PySide6 (PySide6's own scan when it has none)."""
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)  # built-in, compiled or zipped: PySide6's own answer
        try:
            with open(path, "rb") as source:
                return MARKER in source.read()
        except OSError:
            return original(module)

    uses_pyside.unsit_uncached = True  # type: ignore[attr-defined]
    setattr(feature, SCAN_NAME, uses_pyside)
    return True
