"""TOML text: parsed to a table; a syntax error says where."""

from __future__ import annotations

import pytest

from unsit.runtime.toml_text import TomlError, parse_toml


def test_toml_is_parsed_and_its_errors_say_where() -> None:
    assert parse_toml('a = 1\n[b]\nc = "x"\n') == {"a": 1, "b": {"c": "x"}}
    with pytest.raises(TomlError, match="line 2"):
        parse_toml("a = 1\nb = = 2\n")
    assert issubclass(TomlError, ValueError)
