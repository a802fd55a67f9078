"""Read TOML text: ``tomllib`` on Python 3.11 and later, its backport ``tomli`` on 3.10."""

from __future__ import annotations

import sys
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib as parser
else:  # pragma: no cover - the tomli backport has the same API
    import tomli as parser


class TomlError(ValueError):
    """The text is not valid TOML; the message says where (line and column) and why."""


def parse_toml(text: str) -> dict[str, Any]:
    """The table in ``text``.

    Raises:
        TomlError: the text is not valid TOML.
        RecursionError: tables or arrays nested too deep for the parser.
    """
    try:
        return parser.loads(text)
    except parser.TOMLDecodeError as exc:
        raise TomlError(str(exc)) from None
