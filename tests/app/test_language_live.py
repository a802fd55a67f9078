"""Changing the language while the app runs: windows, tray menu and formats follow at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QComboBox

from unsit.app.language import LanguageSwitcher
from unsit.core.drills import Drill
from unsit.store.drill_library import load_library
from unsit.store.settings_file import SettingsFile
from unsit.store.settings_store import SettingsStore
from unsit.text.i18n import current_language
from unsit.text.languages import LANGUAGES
from unsit.ui.drill_window import DrillWindow
from unsit.ui.settings_dialog import SettingsDialog
from unsit.ui.tray import Tray

ASSETS = Path(__file__).resolve().parents[2] / "assets"


@pytest.fixture
def switcher(qapp):
    s = LanguageSwitcher()
    s.apply("en")
    yield s
    s.apply("")  # the suite's own language (English in the C locale) for the tests that follow
    assert current_language() == "en"


@pytest.fixture(scope="module")
def drill() -> Drill:
    drills, _messages = load_library(ASSETS / "drills", None)
    return next(d for d in drills if d.id == "standing-hip-extension")


def test_the_drill_window_title_and_cue_change_with_the_language(qtbot, fake_clock, switcher, drill):
    window = DrillWindow(drill, fake_clock, cue_player=lambda _kind: None)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() == "Unsit — Standing hip extension"
    assert window.cue_label.text().startswith("Coming up: Hands on the desk, lean in a little")
    assert window.pause_button.text() == "Pause"

    with qtbot.waitSignal(switcher.language_changed, timeout=2000):
        switcher.apply("de")
    assert window.windowTitle() == "Unsit – Hüftstreckung im Stehen"
    assert window.name_label.text() == "Hüftstreckung im Stehen"
    assert window.cue_label.text().startswith("Gleich: Hände auf den Tisch, leicht nach vorn lehnen")
    assert "Ein kleines, langsames Anheben genügt." in window.safety_label.text()
    assert window.step_label.text() == "Mach dich bereit"
    assert window.side_label.text() == "Zuerst: Linkes Bein"

    fake_clock.advance(3.5)  # past the get-ready countdown: the first step's own cue
    window.tick()
    assert window.cue_label.text().startswith("Hände auf den Tisch")
    assert window.step_label.text().startswith("Schritt 1 von 4")
    assert window.describe()["title"] == "Unsit – Hüftstreckung im Stehen"

    switcher.apply("en")
    assert window.windowTitle() == "Unsit — Standing hip extension"
    assert window.cue_label.text().startswith("Hands on the desk")


def test_the_tray_menu_is_rebuilt_in_the_new_language(qapp, switcher):
    tray = Tray()
    english = [a.text() for a in tray._menu.actions()]
    assert "Start drill now" in english and "Quit Unsit" in english
    switcher.language_changed.connect(lambda _code: tray.retranslate())
    switcher.apply("de")
    german = [a.text() for a in tray._menu.actions()]
    assert "Übung jetzt starten" in german and "Unsit beenden" in german
    assert tray._pause_menu.title() == "Pause" and [a.text() for a in tray._pause_menu.actions()][2] == "Bis morgen"


def test_the_settings_window_offers_each_language_in_its_own_name(qtbot, tmp_path, switcher):
    store = SettingsStore(SettingsFile(tmp_path / "settings.toml"))
    store.load_initial()
    dialog = SettingsDialog(store)
    qtbot.addWidget(dialog)
    combo = dialog.findChild(QComboBox, "language")
    assert combo is not None
    items = [combo.itemText(i) for i in range(combo.count())]
    assert items == ["System language", *LANGUAGES.values()]  # every shipped language, in its own name
    assert items[:3] == ["System language", "English", "Deutsch"]
    assert {"Español", "Français", "Italiano", "Nederlands", "Polski", "Português (Brasil)",
            "العربية", "עברית", "日本語", "简体中文"} <= set(items)
    combo.setCurrentIndex(combo.findData("de"))
    assert dialog.current_settings() is not None and dialog.current_settings().language == "de"


def test_locale_formats_follow_the_language(switcher):
    switcher.apply("de")
    assert QLocale().dayName(1, QLocale.FormatType.LongFormat) == "Montag"
    assert QLocale().toString(1234.5, "f", 1) == "1.234,5"


def test_a_right_to_left_language_mirrors_the_layout(qtbot, tmp_path, monkeypatch, switcher):
    """With an Arabic catalogue (a tiny one made here), Qt lays the main window out from the right."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    from unsit.text import i18n
    from unsit.text.languages import LANGUAGES
    from unsit.ui.main_window_view import MainWindow

    catalog = Catalog(locale="ar", domain="unsit")
    catalog.add("&Start drill", "&ابدأ التمرين")
    mo = tmp_path / "ar" / "LC_MESSAGES" / "unsit.mo"
    mo.parent.mkdir(parents=True)
    with mo.open("wb") as stream:
        write_mo(stream, catalog)
    monkeypatch.setitem(LANGUAGES, "ar", "العربية")
    monkeypatch.setattr(i18n, "locale_dir", lambda: tmp_path)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.settings_button.x() < window.quit_button.x()  # left to right: Settings on the left

    switcher.apply("ar")
    assert QGuiApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.drill_button.text() == "&ابدأ التمرين"
    qtbot.waitUntil(lambda: window.settings_button.x() > window.quit_button.x())  # mirrored


def test_an_open_settings_window_is_rebuilt_in_the_new_language(qtbot, tmp_path, fake_clock, switcher):
    from unsit.ui.windows import Windows

    store = SettingsStore(SettingsFile(tmp_path / "settings.toml"))
    store.load_initial()
    windows = Windows(drills=[], clock=fake_clock, settings_store=store)
    windows.open_settings()
    old = windows._settings_dialog
    assert old is not None and old.windowTitle() == "Unsit — Settings"
    switcher.language_changed.connect(lambda _code: windows.retranslate())
    store.update(store.settings.replace(language="de"))  # what Apply does
    switcher.apply(store.settings.language)
    qtbot.waitUntil(lambda: windows._settings_dialog is not None and windows._settings_dialog is not old)
    new = windows._settings_dialog
    assert new.isVisible() and new.windowTitle() == "Unsit – Einstellungen"
    assert new.findChild(QComboBox, "language").currentData() == "de"
    windows.close_all()


def test_work_hour_times_read_left_to_right_in_a_right_to_left_language(qtbot, switcher):
    """Hebrew mirrors the row (remove button on the left), but 09:00 stays 09:00, not 00:09."""
    from PySide6.QtCore import Qt

    from unsit.ui.settings_dialog import _TimeRangeRow

    switcher.apply("he")
    row = _TimeRangeRow("09:00-17:00", 1)
    qtbot.addWidget(row)
    row.show()
    qtbot.waitExposed(row)
    assert row.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert row.remove_button.x() < row.start_edit.x()  # the row itself is mirrored
    for edit in (row.start_edit, row.end_edit):
        assert edit.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert (row.start_edit.text(), row.end_edit.text()) == ("09:00", "17:00")  # as shown
    assert row.text() == "09:00-17:00"


@pytest.mark.parametrize("language,monday,number", [("de", "Mo.", "1.234,5"), ("ar", "الاثنين", "١٬٢٣٤٫٥")])
def test_days_and_numbers_follow_unsits_language_in_the_c_locale(language, monday, number):
    """LANGUAGE=de with LANG=C.UTF-8: Qt calls the system German but formats as C; Unsit's language wins."""
    import os
    import subprocess
    import sys

    code = ("from PySide6.QtCore import QLocale; from PySide6.QtWidgets import QApplication; app = QApplication([]);"
            "from unsit.app.language import LanguageSwitcher; print(LanguageSwitcher().apply(''));"
            "print(QLocale().dayName(1, QLocale.FormatType.ShortFormat)); print(QLocale().toString(1234.5))")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
    env.update(LANGUAGE=language, LANG="C.UTF-8", QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert out.stdout.split("\n")[:3] == [language, monday, number], out.stderr


def test_english_in_the_c_locale_keeps_the_c_formats(monkeypatch):
    from unsit.app.language import locale_for, posix_formats_are_c

    assert posix_formats_are_c({"LANG": "C.UTF-8"}) and posix_formats_are_c({})
    assert not posix_formats_are_c({"LANG": "de_DE.UTF-8"})
    assert not posix_formats_are_c({"LC_ALL": "de_AT.UTF-8", "LANG": "C"})
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    assert locale_for("de").dayName(1, QLocale.FormatType.ShortFormat) == "Mo."
