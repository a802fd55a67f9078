"""Read TOML text without keeping the parser loaded (see ``transient_imports``).

The settings file is read at start-up and again only when the user edits it; the drill
and routine files when the library is loaded. Between those moments an idle tray has no
use for the parser (about 0.1 MB with its compiled patterns).
"""

from __future__ import annotations

import sys
from typing import Any

from unsit.runtime.transient_imports import transient_modules

PARSER_MODULES = ("tomllib", "tomli")


class TomlError(ValueError):
    """The text is not valid TOML; the message says where (line and column) and why."""


def parse_toml(text: str) -> dict[str, Any]:
    """The table in ``text``.

    Several files in a row: wrap the loop in ``transient_modules(*PARSER_MODULES)`` so the
    parser is imported once for all of them.

    Raises:
        TomlError: the text is not valid TOML.
        RecursionError: tables or arrays nested too deep for the parser.
    """
    with transient_modules(*PARSER_MODULES):
        if sys.version_info >= (3, 11):
            import tomllib as parser
        else:  # pragma: no cover - the tomli backport has the same API
            import tomli as parser
        try:
            return parser.loads(text)
        except parser.TOMLDecodeError as exc:
            raise TomlError(str(exc)) from None
