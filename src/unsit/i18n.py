"""Every word a person reads goes through here (gettext catalogues).

Wrap user-visible text where it is used, never where it is defined as a constant
(mark those with ``N_`` and translate at the point of display)::

    from unsit.i18n import _, ngettext
    title = _("Time to unsit")
    body = ngettext("{n} minute", "{n} minutes", n).format(n=n)

Placeholders are named (``{minutes}``), never positional, so translators can reorder them.
Until a language is installed every call returns the English text unchanged.
"""

from __future__ import annotations

import gettext

_translations: gettext.NullTranslations = gettext.NullTranslations()


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
