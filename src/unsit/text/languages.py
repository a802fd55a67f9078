"""The languages Unsit ships, and picking one from a list of locale tags (pure: no I/O).

Each language is a gettext catalogue ``src/unsit/locale/<code>.po``; a test checks that this
table and those files agree. Names are written in the language itself, as the Settings window
shows them.
"""

from __future__ import annotations

from collections.abc import Iterable

SOURCE_LANGUAGE = "en"
LANGUAGES: dict[str, str] = {
    "en": "English",
    "de": "Deutsch",
    "es": "Español",
    "fr": "Français",
    "it": "Italiano",
    "nl": "Nederlands",
    "pl": "Polski",
    "pt_BR": "Português (Brasil)",
    "ar": "العربية",
    "he": "עברית",
    "ja": "日本語",
    "zh_CN": "简体中文",
}
"""Shipped language codes (gettext style: ``de``, ``pt_BR``, ``zh_CN``) and their own names."""
RIGHT_TO_LEFT: frozenset[str] = frozenset({"ar", "he", "fa", "ur"})
SYSTEM_CHOICES: tuple[str, ...] = ("", "system")
"""Values of the ``language`` setting that mean "follow the system locale"."""


def normalise_tag(tag: str) -> str:
    """``de_DE.UTF-8@euro``, ``pt-br``, ``zh-Hans-CN`` -> ``de_DE``, ``pt_BR``, ``zh_CN``."""
    tag = tag.split(".", maxsplit=1)[0].split("@", maxsplit=1)[0].replace("-", "_").strip()
    parts = [p for p in tag.split("_") if p]
    if not parts:
        return ""
    language = parts[0].lower()
    regions = [p.upper() for p in parts[1:] if len(p) in (2, 3) and p.isalnum()]
    if language == "zh" and not regions and any(p.lower() == "hans" for p in parts[1:]):
        regions = ["CN"]
    return f"{language}_{regions[0]}" if regions else language


def match_language(tags: Iterable[str], shipped: Iterable[str] = LANGUAGES) -> str:
    """The first shipped language that fits one of ``tags`` (best first), else English.

    ``de_AT`` finds ``de``; ``pt_PT`` does not find ``pt_BR`` (a different written language)
    unless plain ``pt`` is shipped; ``C`` and ``POSIX`` mean English.
    """
    codes = set(shipped)
    for raw in tags:
        tag = normalise_tag(raw)
        if not tag:
            continue
        if tag in ("c", "posix"):
            return SOURCE_LANGUAGE
        if tag in codes:
            return tag
        base = tag.split("_")[0]
        if base in codes:
            return base
        if base == "zh" and tag.endswith(("_SG", "_CN")) and "zh_CN" in codes:
            return "zh_CN"
    return SOURCE_LANGUAGE


def is_right_to_left(code: str) -> bool:
    """True for languages written right to left (the layout mirrors)."""
    return code.split("_", maxsplit=1)[0] in RIGHT_TO_LEFT


def check_language(value: str) -> str:
    """The ``language`` setting normalised: ``""`` for the system, else a shipped code.

    Raises:
        ValueError: for a language Unsit does not ship.
    """
    if value.strip().lower() in SYSTEM_CHOICES:
        return ""
    tag = normalise_tag(value)
    if tag in LANGUAGES:
        return tag
    if tag.split("_")[0] in LANGUAGES:  # de_AT -> de
        return tag.split("_")[0]
    raise ValueError(value)
