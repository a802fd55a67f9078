"""Switch the app's language live: gettext catalogue, Qt's own strings, locale formats, layout direction.

``LanguageSwitcher.apply`` installs the catalogue of the ``language`` setting (or the
system's UI language), makes QLocale's default the same language (numbers, weekday and
time formats), loads Qt's ``qtbase_<code>.qm`` from PySide6 when it is there (dialog
buttons), mirrors the layout for right-to-left languages, and sends Qt's LanguageChange
event to every window, whose ``changeEvent`` retranslates it. ``language_changed``
tells the rest (the tray menu, windows that are rebuilt instead).
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QObject, Qt, QTranslator, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from unsit.text.i18n import current_language, install
from unsit.text.languages import is_right_to_left

log = logging.getLogger(__name__)


def qt_system_language_tags() -> list[str]:
    """The system's UI languages: the environment on Linux, the OS's list (through Qt) elsewhere."""
    if sys.platform.startswith("linux"):
        from unsit.text.i18n import posix_language_tags

        return posix_language_tags()
    return [tag.replace("-", "_") for tag in QLocale.system().uiLanguages()]


def posix_formats_are_c(environ: dict[str, str] | None = None) -> bool:
    """True on Linux and the BSDs when the formats' locale (LC_ALL, LC_TIME, LANG) is C or POSIX.

    Qt then names the system locale after LANGUAGE (``LANGUAGE=de LANG=C.UTF-8`` gives "de_DE")
    while its day names and numbers stay the C locale's ("Mon", "1,234.5").
    """
    if sys.platform in ("win32", "darwin"):
        return False
    import os

    env = os.environ if environ is None else environ
    name = env.get("LC_ALL") or env.get("LC_TIME") or env.get("LANG") or ""
    return name.split(".")[0].split("@")[0] in ("", "C", "POSIX")


def locale_for(code: str) -> QLocale:
    """Number, date and time formats for ``code``: the system's own when it speaks that language
    (de_AT keeps Austrian formats; English in the C locale keeps 24-hour times), else the language's.

    A system in the C locale has no formats of its own: Unsit's language brings its formats then.
    """
    system = QLocale.system()
    if posix_formats_are_c():
        return system if code == "en" else QLocale(code)
    same_language = system.name().split("_")[0] == code.split("_", maxsplit=1)[0]
    if same_language or (code == "en" and system.language() == QLocale.Language.C):
        return system
    return QLocale(code)


class LanguageSwitcher(QObject):
    """Applies the ``language`` setting to the running app; ``language_changed(code)`` after a change."""

    language_changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._qt_translator: QTranslator | None = None
        self._applied: str | None = None

    @property
    def language(self) -> str:
        """The code in use (``en``, ``de``, ...)."""
        return current_language()

    def apply(self, setting: str) -> str:
        """Use the language of ``setting`` ("" or "system": the system's); returns its code."""
        code = install(setting, qt_system_language_tags())
        if code == self._applied:
            return code
        first = self._applied is None
        self._applied = code
        QLocale.setDefault(locale_for(code))
        self._load_qt_strings(code)
        rtl = is_right_to_left(code)
        QGuiApplication.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
        log.info("language: %s", code)
        if not first:
            app = QCoreApplication.instance()
            if isinstance(app, QApplication):
                for window in app.topLevelWidgets():
                    QCoreApplication.sendEvent(window, QEvent(QEvent.Type.LanguageChange))
            self.language_changed.emit(code)
        return code

    def _load_qt_strings(self, code: str) -> None:
        if self._qt_translator is not None:
            QCoreApplication.removeTranslator(self._qt_translator)
            self._qt_translator = None
        if code == "en":
            return
        translator = QTranslator(self)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(QLocale(code), "qtbase", "_", folder):
            QCoreApplication.installTranslator(translator)
            self._qt_translator = translator
        else:
            log.info("Qt's own strings stay English: no qtbase translation for %s in %s", code, folder)
