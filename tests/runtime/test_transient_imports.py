"""Modules needed for a moment are forgotten afterwards; modules loaded before are left alone."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from unsit.runtime.toml_text import TomlError, parse_toml
from unsit.runtime.transient_imports import forget_modules, transient_modules


def test_only_what_the_block_imported_under_the_roots_is_forgotten(monkeypatch) -> None:
    import types

    monkeypatch.setitem(sys.modules, "unsit_fake_before", types.ModuleType("unsit_fake_before"))
    with transient_modules("unsit_fake_before", "unsit_fake_new", "unsit_other"):
        sys.modules["unsit_fake_new"] = types.ModuleType("unsit_fake_new")
        sys.modules["unsit_fake_new.part"] = types.ModuleType("unsit_fake_new.part")
        sys.modules["unsit_fake_newer"] = types.ModuleType("unsit_fake_newer")  # not a root's submodule
    try:
        assert "unsit_fake_before" in sys.modules
        assert "unsit_fake_new" not in sys.modules and "unsit_fake_new.part" not in sys.modules
        assert "unsit_fake_newer" in sys.modules
    finally:
        forget_modules("unsit_fake_newer")
    assert "unsit_fake_newer" not in sys.modules


def test_a_failing_block_still_forgets() -> None:
    import types

    with pytest.raises(RuntimeError), transient_modules("unsit_fake_failing"):
        sys.modules["unsit_fake_failing"] = types.ModuleType("unsit_fake_failing")
        raise RuntimeError
    assert "unsit_fake_failing" not in sys.modules


def test_toml_is_parsed_and_its_errors_say_where() -> None:
    assert parse_toml('a = 1\n[b]\nc = "x"\n') == {"a": 1, "b": {"c": "x"}}
    with pytest.raises(TomlError, match="line 2"):
        parse_toml("a = 1\nb = = 2\n")
    assert issubclass(TomlError, ValueError)


def test_the_parser_is_not_kept_after_parsing() -> None:
    """In a fresh interpreter (pytest itself keeps tomllib loaded): parse, then look."""
    code = ("import sys\n"
            "from unsit.runtime.toml_text import parse_toml\n"
            "assert parse_toml('x = 2') == {'x': 2}\n"
            "print(sorted(n for n in sys.modules if n.split('.')[0] in ('tomllib', 'tomli')))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ), check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
