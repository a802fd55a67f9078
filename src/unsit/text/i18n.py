"""Every word a person reads goes through here (gettext catalogues).

Wrap user-visible text where it is used, never where it is defined as a constant
(mark those with ``N_`` and translate at the point of display)::

    from unsit.text.i18n import _, ngettext
    title = _("Time to unsit")
    body = ngettext("{n} minute", "{n} minutes", n).format(n=n)

Placeholders are named (``{minutes}``), never positional, so translators can reorder them.
Until a language is installed every call returns the English text unchanged.
``install`` loads a compiled catalogue (``locale/<code>/LC_MESSAGES/unsit.mo`` inside the
package, built from ``src/unsit/locale/<code>.po`` by ``scripts/i18n compile`` or the wheel
build) with the standard library's ``gettext``: no Qt, so the command line stays light.
"""

from __future__ import annotations

import gettext
import os
import struct
import sys
from collections.abc import Sequence
from pathlib import Path

from unsit.text.languages import SOURCE_LANGUAGE, check_language, match_language

DOMAIN = "unsit"
_translations: gettext.NullTranslations = gettext.NullTranslations()
_state: dict[str, str] = {"language": SOURCE_LANGUAGE}
"""The language in use (one process, one language; windows ask ``current_language``)."""


def locale_dir() -> Path:
    """The folder holding ``<code>/LC_MESSAGES/unsit.mo`` (a checkout, a wheel, or a frozen bundle)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        bundled = Path(frozen_root) / "unsit" / "locale"
        if bundled.is_dir():
            return bundled
    return Path(__file__).resolve().parent.parent / "locale"  # src/unsit/text -> src/unsit/locale


def posix_language_tags(environ: dict[str, str] | None = None) -> list[str]:
    """The user's languages from LANGUAGE, LC_ALL, LC_MESSAGES and LANG, best first (gettext's order).

    LANGUAGE (a colon-separated list) counts only when the locale is not "C", as in GNU gettext.
    """
    env = os.environ if environ is None else environ
    locale_name = env.get("LC_ALL") or env.get("LC_MESSAGES") or env.get("LANG") or ""
    tags: list[str] = []
    if env.get("LANGUAGE") and locale_name not in ("C", "POSIX"):
        tags += [t for t in env["LANGUAGE"].split(":") if t]
    if locale_name:
        tags.append(locale_name)
    return tags


def system_language_tags() -> list[str]:
    """The system's UI languages without Qt: the environment on POSIX, the Win32 API on Windows.

    The app asks Qt instead (``QLocale.system().uiLanguages()``), which knows macOS's list too.
    """
    tags = posix_language_tags()
    if sys.platform == "win32":
        import ctypes
        import locale

        if not tags:
            try:
                lcid = ctypes.windll.kernel32.GetUserDefaultUILanguage()
                tags.append(locale.windows_locale.get(int(lcid), ""))
            except (AttributeError, OSError):
                pass
    return tags


def resolve_language(setting: str, system_tags: Sequence[str] | None = None) -> str:
    """The shipped language to use for a ``language`` setting ("" or "system": the system's)."""
    try:
        chosen = check_language(setting)
    except ValueError:
        chosen = ""
    if chosen:
        return chosen
    return match_language(system_language_tags() if system_tags is None else system_tags)


def install(setting: str = "", system_tags: Sequence[str] | None = None, folder: Path | None = None) -> str:
    """Use the language of ``setting`` from now on; returns its code (English without a catalogue).

    A missing or unreadable catalogue falls back to English rather than failing.
    """
    global _translations  # noqa: PLW0603 - the one process-wide language, as gettext's own install()
    code = resolve_language(setting, system_tags)
    translations: gettext.NullTranslations = gettext.NullTranslations()
    if code != SOURCE_LANGUAGE:
        try:
            translations = gettext.translation(DOMAIN, folder or locale_dir(), [code])
        except (OSError, ValueError, IndexError, struct.error):  # missing, truncated or not a catalogue
            code = SOURCE_LANGUAGE
    _translations = translations
    _state["language"] = code
    return code


def current_language() -> str:
    """The code of the language in use (``en`` until ``install``)."""
    return _state["language"]


def _(message: str) -> str:
    """The translation of ``message`` in the language in use."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of ``singular``/``plural`` that fits the count ``n`` in the language in use."""
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """The translation of ``message`` in ``context`` (one English word, two meanings)."""
    return _translations.pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    """``ngettext`` with a context."""
    return _translations.npgettext(context, singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention extractors look for
    """Mark ``message`` for extraction without translating it now."""
    return message
