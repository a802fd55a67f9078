"""The tray app reads source lines (PySide6's import hook, tracebacks) without keeping them."""

from __future__ import annotations

import inspect
import linecache
from pathlib import Path

from unsit.runtime.source_lines import uncached_source_lines


def test_source_is_read_but_not_kept(tmp_path: Path) -> None:
    source = tmp_path / "module_for_lines.py"
    source.write_text("first = 1\nsecond = 2\n")
    linecache.checkcache()
    with uncached_source_lines():
        assert linecache.getline(str(source), 2) == "second = 2\n"
        assert str(source) not in linecache.cache


def test_inspect_getsource_leaves_no_cache_entry() -> None:
    import unsit.runtime.source_lines as module

    linecache.cache.pop(module.__file__, None)
    with uncached_source_lines():
        assert "def uncached_source_lines" in inspect.getsource(module)
    assert module.__file__ not in linecache.cache


def test_lines_cached_before_stay_and_caching_returns_after(tmp_path: Path) -> None:
    kept, later = tmp_path / "kept.py", tmp_path / "later.py"
    kept.write_text("kept = True\n")
    later.write_text("later = True\n")
    linecache.getlines(str(kept))
    with uncached_source_lines():
        assert linecache.getlines(str(kept)) == ["kept = True\n"]
    assert str(kept) in linecache.cache
    linecache.getlines(str(later))
    assert str(later) in linecache.cache
    linecache.clearcache()
