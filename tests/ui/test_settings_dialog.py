"""Settings window: schema-built widgets, inline validation, Apply through the store."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTime

from unsit.core.settings import FIELDS_BY_KEY, Settings
from unsit.store.settings_file import SettingsFile
from unsit.store.settings_store import SettingsStore
from unsit.ui.settings_dialog import SettingsDialog


@pytest.fixture
def store(tmp_path, qtbot):
    s = SettingsStore(SettingsFile(tmp_path / "settings.toml"))
    s.load_initial()
    return s


@pytest.fixture
def dialog(store, qtbot):
    d = SettingsDialog(store)
    qtbot.addWidget(d)
    return d


def test_widgets_follow_the_schema(dialog):
    assert dialog.windowTitle() == "Unsit — Settings"
    spin = dialog.spin_boxes["interval_minutes"]
    f = FIELDS_BY_KEY["interval_minutes"]
    assert (spin.minimum(), spin.maximum(), spin.value()) == (f.minimum, f.maximum, 60)
    assert spin.suffix() == " min"
    assert f.description in spin.toolTip()
    assert spin.accessibleName() == "Nudge after sitting (minutes)"
    assert [dialog.combos["notification_style"].itemData(i) for i in range(3)] == ["system", "popup", "both"]
    assert dialog.raw_values() == Settings().to_dict()
    assert dialog.save_button.isEnabled() and not dialog.apply_button.isEnabled()


def test_reversed_time_range_is_shown_inline_and_blocks_save(dialog, qtbot):
    dialog.show()
    dialog.check_boxes["work_hours_enabled"].setChecked(True)
    row = dialog._range_rows[0]
    row.end_edit.setTime(QTime(8, 0))  # 09:00-08:00
    assert not dialog.save_button.isEnabled() and not dialog.apply_button.isEnabled()
    assert dialog.hours_error.isVisible()
    assert "end must be after the start" in dialog.hours_error.text()
    assert row.problem_label.isVisible()
    row.end_edit.setTime(QTime(0, 0))  # midnight is a valid end
    assert dialog.save_button.isEnabled() and not dialog.hours_error.isVisible()
    assert dialog.raw_values()["work_hours"] == ["09:00-24:00"]


def test_no_weekday_while_enabled_blocks_save(dialog):
    dialog.show()
    for cb in dialog.day_boxes.values():
        cb.setChecked(False)
    assert dialog.save_button.isEnabled()  # fine while work hours are off
    dialog.check_boxes["work_hours_enabled"].setChecked(True)
    assert not dialog.save_button.isEnabled()
    assert dialog.days_error.isVisible() and "at least one work day" in dialog.days_error.text()
    dialog.day_boxes["wed"].setChecked(True)
    assert dialog.save_button.isEnabled() and not dialog.days_error.isVisible()


def test_removing_every_range_blocks_save_and_add_restores(dialog, qtbot):
    dialog.show()
    assert not dialog._range_rows[0].remove_button.isEnabled()  # greyed out while work hours are off
    dialog.check_boxes["work_hours_enabled"].setChecked(True)
    qtbot.mouseClick(dialog._range_rows[0].remove_button, Qt.MouseButton.LeftButton)
    assert dialog._range_rows == []
    assert not dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.add_range_button, Qt.MouseButton.LeftButton)
    assert len(dialog._range_rows) == 1 and dialog.save_button.isEnabled()


def test_apply_updates_store_file_and_signal(dialog, store, qtbot):
    dialog.show()
    dialog.spin_boxes["interval_minutes"].setValue(40)
    dialog.combos["drill_family"].setCurrentIndex(dialog.combos["drill_family"].findData("rotation"))
    dialog.check_boxes["work_hours_enabled"].setChecked(True)
    qtbot.mouseClick(dialog.add_range_button, Qt.MouseButton.LeftButton)
    dialog._range_rows[0].end_edit.setTime(QTime(12, 0))
    assert dialog.apply_button.isEnabled()
    with qtbot.waitSignal(store.settings_changed, timeout=1000) as blocker:
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    new = blocker.args[0]
    assert new.interval_minutes == 40 and new.drill_family == "rotation"
    assert new.work_hours == ("09:00-12:00", "13:00-17:00")
    on_disk = SettingsFile(store.path).load().settings
    assert on_disk == new == store.settings
    assert not dialog.apply_button.isEnabled()  # nothing left to apply


def test_save_applies_and_closes(dialog, store, qtbot):
    dialog.show()
    dialog.check_boxes["start_at_login"].setChecked(True)
    with qtbot.waitSignal(store.settings_changed, timeout=1000):
        dialog.save_button.click()
    assert store.settings.start_at_login and not dialog.isVisible()


def test_keyboard_only_edit(dialog, store, qtbot):
    dialog.show()
    dialog.activateWindow()
    spin = dialog.spin_boxes["snooze_minutes"]
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "15")
    with qtbot.waitSignal(store.settings_changed, timeout=1000):
        qtbot.keyClick(spin, Qt.Key.Key_Return)  # the default button is Save
    assert store.settings.snooze_minutes == 15


def test_external_change_is_shown_when_nothing_pending(dialog, store):
    store.update(Settings(interval_minutes=90))
    assert dialog.spin_boxes["interval_minutes"].value() == 90


def test_restore_defaults(dialog, store):
    store.update(Settings(interval_minutes=90, sounds_enabled=False))
    dialog.defaults_button.click()
    assert dialog.raw_values() == Settings().to_dict()
    assert dialog.apply_button.isEnabled()


def test_speak_cues_is_a_checkbox_off_by_default_and_saved(dialog, store, qtbot, tmp_path):
    box = dialog.check_boxes["speak_cues"]
    assert not box.isChecked() and not store.settings.speak_cues
    assert "text-to-speech" in box.toolTip()
    box.setChecked(True)
    with qtbot.waitSignal(store.settings_changed, timeout=2000):
        dialog.apply_button.click()
    assert store.settings.speak_cues
    assert "speak_cues = true" in (tmp_path / "settings.toml").read_text()


def test_tooltips_say_the_allowed_values_in_words_not_file_syntax(dialog):
    from PySide6.QtWidgets import QWidget

    tips = {w.toolTip() for w in dialog.findChildren(QWidget) if "\n" in w.toolTip()}  # description, allowed
    assert len(tips) >= 7
    for tip in tips:
        assert '"' not in tip and "Allowed:" not in tip and "HH:MM" not in tip, tip
        assert tip.rstrip().endswith("."), tip
    style = dialog.combos["notification_style"].toolTip()
    assert style.endswith("\nChoose one: System notification, Built-in popup, Both.")
    assert dialog.spin_boxes["snooze_minutes"].toolTip().endswith("\nFrom 1 to 60 minutes.")


def test_a_bad_value_message_is_two_whole_sentences():
    from unsit.core.settings import validate

    (problem,) = validate({"interval_minutes": 0})[1]
    first, second = problem.message().split(". ", 1)
    assert first == "interval_minutes = 0 is not allowed"
    assert second == "Use a whole number from 1 to 240 (minutes)."


def test_the_standing_reminder_length_is_set_here_and_zero_reads_off(dialog, store, qtbot):
    spin = dialog.spin_boxes["standing_max_minutes"]
    assert (spin.minimum(), spin.maximum(), spin.value()) == (0, 240, 60)
    spin.setValue(0)
    assert spin.text() == "Off"
    with qtbot.waitSignal(store.settings_changed, timeout=1000):
        dialog.save_button.click()
    assert store.settings.standing_max_minutes == 0
