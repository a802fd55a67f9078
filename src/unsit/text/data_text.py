"""A data file's text (a drill's, a routine's) in the language in use: its own translation, else the catalogue's.

Used by ``drill_text`` for drills and routines.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePath
from typing import Any, Protocol

from unsit.text.i18n import current_language, pgettext


class Translatable(Protocol):
    """What the lookups read of a drill, a routine or a routine's index entry."""

    @property
    def source(self) -> str: ...

    @property
    def translations(self) -> Mapping[str, Any]: ...


def data_file_context(folder: str, file_name: str, field: str) -> str:
    """The msgctxt of a drill or routine text (scripts/i18n_catalogues.py builds the same)."""
    return f"{folder}/{file_name}: {field}"


def own_table(item: Translatable) -> Any:
    """The file's own ``[translations.<code>]`` table for the language in use (or its base language), if any."""
    language = current_language()
    return item.translations.get(language) or item.translations.get(language.split("_")[0])


def text_of(folder: str, item: Translatable, field: str, text: str) -> str:
    """``text`` (the file's ``field``) in the language in use.

    The file's own translation when it has one, else the catalogue's under the context
    ``<folder>/<file name>: <field>``, else ``text`` itself.
    """
    table = own_table(item)
    own: str = getattr(table, field) if table is not None else ""
    return own or pgettext(data_file_context(folder, PurePath(item.source).name, field), text)
