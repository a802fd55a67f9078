"""The settings window: widgets built from the schema, inline validation, live apply."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLocale, Qt, QTime
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from unsit.core.families import FAMILY_LABELS
from unsit.core.settings import FIELDS_BY_KEY, WEEKDAYS, Settings, SettingsError, parse_time_range, validate
from unsit.store.settings_store import SettingsStore
from unsit.text.i18n import N_, _, pgettext
from unsit.text.languages import LANGUAGES

CHOICE_LABELS: dict[str, dict[str, str]] = {
    "drill_family": {
        "alternate": N_("Take turns: extension, rotation, stability"),
    },
    "drill_length": {"short": N_("Short (about 1 min)"), "standard": N_("Standard (about 2 min)"),
                     "long": N_("Long (about 3 min)")},
    "notification_style": {"system": N_("System notification"), "popup": N_("Built-in popup"), "both": N_("Both")},
}
FIELD_LABELS = {
    "interval_minutes": N_("&Nudge after sitting"),
    "away_reset_minutes": N_("Streak &ends after away"),
    "snooze_minutes": N_("S&nooze for"),
    "standing_max_minutes": N_("Sit-down reminder after s&tanding"),
    "work_hours_enabled": N_("Only nudge during &work hours"),
    "drill_family": N_("Drill &family"),
    "drill_length": N_("Drill &length"),
    "notification_style": N_("Show nudges &as"),
    "sounds_enabled": N_("Play &sounds during drills"),
    "speak_cues": N_("Spea&k the drill cues aloud"),
    "start_at_login": N_("Start Unsit when I &log in"),
    "morning_routine": N_("Offer the &morning hip routine"),
    "hold_during_calls": N_("&Hold nudges while I am in a call"),
    "language": N_("Lan&guage"),
}
WEEKDAY_NUMBERS = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7}
"""Qt's day numbers: the day names come from QLocale in the language in use."""
MAX_TIME_RANGES = 6


def choice_label(key: str, value: str) -> str:
    """How the Settings window names one choice of ``key``, in the language in use."""
    if key == "drill_family" and value in FAMILY_LABELS:
        return _("{family} only").format(family=_(FAMILY_LABELS[value]))
    if key == "language":
        return language_label(value)
    label = CHOICE_LABELS.get(key, {}).get(value)
    return _(label) if label else value


def language_label(code: str) -> str:
    """A language in its own name; "" is the system's language."""
    if code == "":
        return _("System language")
    return LANGUAGES.get(code, code)


def allowed_in_words(key: str) -> str:
    """What ``key`` accepts, said as the window shows it (the file's syntax is for settings.toml)."""
    f = FIELDS_BY_KEY[key]
    if f.kind == "int":
        return _("From {minimum} to {maximum} minutes.").format(minimum=f.minimum, maximum=f.maximum)
    if f.kind == "choice":
        return _("Choose one: {choices}.").format(choices=", ".join(choice_label(key, c) for c in f.choices))
    if f.kind == "weekdays":
        return _("Tick at least one day.")
    if f.kind == "time_ranges":
        return _("At least one range, each ending after it starts; an end of 00:00 means midnight.")
    if f.kind == "language":
        return _("The system's language, or one from the list.")
    return ""  # a check box: on or off says itself


def _tooltip(key: str) -> str:
    allowed = allowed_in_words(key)
    description = _(FIELDS_BY_KEY[key].description)
    return f"{description}\n{allowed}" if allowed else description


def _paint_as_error(label: QLabel) -> None:
    """Error text colour that reads on light and dark palettes."""
    pal = label.palette()
    dark = pal.color(QPalette.ColorRole.Window).lightness() < 128
    pal.setColor(QPalette.ColorRole.WindowText, QColor("#ff7b72" if dark else "#b3261e"))
    label.setPalette(pal)


class _TimeRangeRow(QWidget):
    """One "from – to" pair with a remove button. An end of 00:00 means midnight."""

    def __init__(self, text: str, number: int, parent: QWidget | None = None):
        super().__init__(parent)
        start, end = parse_time_range(text)
        self.start_edit = QTimeEdit(QTime(start // 60, start % 60), self)
        self.end_edit = QTimeEdit(QTime((end // 60) % 24, end % 60), self)
        self.remove_button = QPushButton(_("Remove"), self)
        self.problem_label = QLabel(_("⚠ end before start"), self)
        self.problem_label.setAccessibleName(
            _("Work hours range {number}: the end is before the start").format(number=number))
        self.problem_label.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for edit, what in ((self.start_edit, _("Work hours range {number} start")),
                           (self.end_edit, _("Work hours range {number} end"))):
            # A clock time reads 09:00 in Hebrew and Arabic too, but QDateTimeEdit reverses its
            # sections when the application lays out right to left (09:00 showed as 00:09):
            # give it the sections reversed so they come out in clock order, left to right.
            edit.setDisplayFormat("mm:HH" if QGuiApplication.isRightToLeft() else "HH:mm")
            edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
            edit.setAccessibleName(what.format(number=number))
        self.end_edit.setToolTip(_("End time; 00:00 means midnight (end of the day)."))
        self.remove_button.setAccessibleName(_("Remove work hours range {number}").format(number=number))
        layout.addWidget(self.start_edit)
        layout.addWidget(QLabel(pgettext("time range", "to"), self))
        layout.addWidget(self.end_edit)
        layout.addWidget(self.remove_button)
        layout.addWidget(self.problem_label)
        layout.addStretch(1)

    def text(self) -> str:
        s, e = self.start_edit.time(), self.end_edit.time()
        end = "24:00" if (e.hour(), e.minute()) == (0, 0) else e.toString("HH:mm")
        return f"{s.toString('HH:mm')}-{end}"


class SettingsDialog(QDialog):
    """Edit the settings; Apply/Save go through ``store.update`` and take effect at once."""

    def __init__(self, store: SettingsStore, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.setWindowTitle(_("Unsit — Settings"))
        self.setObjectName("settings_dialog")
        self._loading = False
        self._range_rows: list[_TimeRangeRow] = []
        self.spin_boxes: dict[str, QSpinBox] = {}
        self.check_boxes: dict[str, QCheckBox] = {}
        self.combos: dict[str, QComboBox] = {}
        self.day_boxes: dict[str, QCheckBox] = {}

        outer = QVBoxLayout(self)
        # Grow when time ranges are added instead of squeezing the rows.
        outer.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        outer.addWidget(self._reminders_group())
        outer.addWidget(self._work_hours_group())
        outer.addWidget(self._simple_group(_("Drills"), ["drill_family", "drill_length", "morning_routine"]))
        outer.addWidget(self._simple_group(_("Notifications"), ["notification_style", "sounds_enabled", "speak_cues"]))
        outer.addWidget(self._simple_group(_("System"), ["start_at_login", "hold_during_calls", "language"]))
        self.error_label = QLabel(self)
        self.error_label.setObjectName("settings_errors")
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName(_("Problems with the settings"))
        self.error_label.hide()
        outer.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Apply
            | QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.RestoreDefaults,
            self,
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.defaults_button = self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.apply_button.clicked.connect(self.apply)
        self.defaults_button.clicked.connect(lambda: self.load_settings(Settings()))
        outer.addWidget(self.buttons)

        self.load_settings(store.settings)
        store.settings_changed.connect(self._on_store_changed)

    # --- building ---------------------------------------------------------------------------

    def _label(self, key: str, buddy: QWidget) -> QLabel:
        label = QLabel(_(FIELD_LABELS[key]), self)
        label.setBuddy(buddy)
        label.setToolTip(_tooltip(key))
        return label

    def _make_widget(self, key: str) -> QWidget:
        f = FIELDS_BY_KEY[key]
        plain_name = _(FIELD_LABELS[key]).replace("&", "")
        w: QWidget
        if f.kind == "int":
            spin = QSpinBox(self)
            if f.minimum is not None and f.maximum is not None:  # every whole-number field has both
                spin.setRange(f.minimum, f.maximum)
            spin.setSuffix(" " + _("min"))
            if f.minimum == 0:  # 0 turns the setting off: say so rather than "0 min"
                spin.setSpecialValueText(_("Off"))
            spin.setAccessibleName(_("{setting} (minutes)").format(setting=plain_name))
            spin.valueChanged.connect(self._changed)
            self.spin_boxes[key] = w = spin
        elif f.kind == "bool":
            check = QCheckBox(_(FIELD_LABELS[key]), self)
            check.setAccessibleName(plain_name)
            check.toggled.connect(self._changed)
            self.check_boxes[key] = w = check
        elif f.kind in ("choice", "language"):
            combo = QComboBox(self)
            for value in (f.choices if f.kind == "choice" else ("", *LANGUAGES)):
                combo.addItem(choice_label(key, value), value)
            combo.setAccessibleName(plain_name)
            combo.currentIndexChanged.connect(self._changed)
            self.combos[key] = w = combo
        else:
            raise AssertionError(f.kind)
        w.setObjectName(key)
        w.setToolTip(_tooltip(key))
        w.setAccessibleDescription(_(FIELDS_BY_KEY[key].description))
        return w

    def _add_row(self, form: QFormLayout, key: str) -> None:
        w = self._make_widget(key)
        if isinstance(w, QCheckBox):
            form.addRow(w)
        else:
            form.addRow(self._label(key, w), w)

    def _reminders_group(self) -> QGroupBox:
        return self._simple_group(_("Reminders"), ["interval_minutes", "away_reset_minutes", "snooze_minutes",
                                                   "standing_max_minutes"])

    def _simple_group(self, title: str, keys: list[str]) -> QGroupBox:
        box = QGroupBox(title, self)
        form = QFormLayout(box)
        for key in keys:
            self._add_row(form, key)
        return box

    def _work_hours_group(self) -> QGroupBox:
        box = QGroupBox(_("Work hours"), self)
        form = QFormLayout(box)
        self._add_row(form, "work_hours_enabled")
        days_row = QWidget(box)
        self._days_row = days_row
        days_layout = QHBoxLayout(days_row)
        days_layout.setContentsMargins(0, 0, 0, 0)
        for day in WEEKDAYS:
            ui_locale = QLocale()
            cb = QCheckBox(ui_locale.dayName(WEEKDAY_NUMBERS[day], QLocale.FormatType.ShortFormat), days_row)
            cb.setObjectName(f"work_day_{day}")
            cb.setAccessibleName(ui_locale.dayName(WEEKDAY_NUMBERS[day]))
            cb.setToolTip(ui_locale.dayName(WEEKDAY_NUMBERS[day]))
            cb.toggled.connect(self._changed)
            self.day_boxes[day] = cb
            days_layout.addWidget(cb)
        days_layout.addStretch(1)
        days_label = QLabel(_("Work &days"), box)
        days_label.setBuddy(self.day_boxes["mon"])
        days_label.setToolTip(_tooltip("work_days"))
        form.addRow(days_label, days_row)
        self.days_error = self._error_label(box, "work_days_error")
        form.addRow("", self.days_error)

        ranges = QWidget(box)
        self._ranges_widget = ranges
        self._ranges_layout = QVBoxLayout(ranges)
        self._ranges_layout.setContentsMargins(0, 0, 0, 0)
        self.add_range_button = QPushButton(_("&Add time range"), box)
        self.add_range_button.setAccessibleName(_("Add work hours range"))
        self.add_range_button.clicked.connect(self._add_default_range)
        self._ranges_layout.addWidget(self.add_range_button, 0, Qt.AlignmentFlag.AlignLeft)
        hours_label = QLabel(_("&Hours"), box)
        hours_label.setToolTip(_tooltip("work_hours"))
        hours_label.setBuddy(self.add_range_button)
        form.addRow(hours_label, ranges)
        self._hours_label = hours_label
        self.hours_error = self._error_label(box, "work_hours_error")
        form.addRow("", self.hours_error)
        return box

    def _error_label(self, parent: QWidget, name: str) -> QLabel:
        label = QLabel(parent)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setAccessibleName(_("Problem"))
        _paint_as_error(label)
        label.hide()
        return label

    # --- time ranges ------------------------------------------------------------------------

    def _set_ranges(self, texts: tuple[str, ...]) -> None:
        for row in self._range_rows:
            row.setParent(None)
            row.deleteLater()
        self._range_rows = []
        for text in texts:
            self._append_range(text)

    def _append_range(self, text: str) -> _TimeRangeRow:
        row = _TimeRangeRow(text, len(self._range_rows) + 1, self)
        _paint_as_error(row.problem_label)
        row.start_edit.timeChanged.connect(self._changed)
        row.end_edit.timeChanged.connect(self._changed)
        row.remove_button.clicked.connect(lambda: self._remove_range(row))
        self._ranges_layout.insertWidget(len(self._range_rows), row)
        self._range_rows.append(row)
        self._hours_label.setBuddy(self._range_rows[0].start_edit)
        return row

    def _add_default_range(self) -> None:
        row = self._append_range("13:00-17:00")
        row.start_edit.setFocus()
        self._changed()

    def _remove_range(self, row: _TimeRangeRow) -> None:
        self._range_rows.remove(row)
        row.setParent(None)
        row.deleteLater()
        if self._range_rows:
            self._hours_label.setBuddy(self._range_rows[0].start_edit)
        else:
            self._hours_label.setBuddy(self.add_range_button)
        self.add_range_button.setFocus()
        self._changed()

    # --- values -----------------------------------------------------------------------------

    def load_settings(self, settings: Settings) -> None:
        """Show ``settings`` in the widgets (not applied until Apply/Save)."""
        self._loading = True
        try:
            values = settings.to_dict()
            for key, spin in self.spin_boxes.items():
                spin.setValue(values[key])
            for key, check in self.check_boxes.items():
                check.setChecked(values[key])
            for key, combo in self.combos.items():
                combo.setCurrentIndex(combo.findData(values[key]))
            for day, cb in self.day_boxes.items():
                cb.setChecked(day in settings.work_days)
            self._set_ranges(settings.work_hours)
        finally:
            self._loading = False
        self._changed()

    def raw_values(self) -> dict[str, Any]:
        """The widgets' values as a raw settings mapping (may be invalid)."""
        raw: dict[str, Any] = {key: w.value() for key, w in self.spin_boxes.items()}
        raw.update({key: w.isChecked() for key, w in self.check_boxes.items()})
        raw.update({key: w.currentData() for key, w in self.combos.items()})
        raw["work_days"] = [day for day, cb in self.day_boxes.items() if cb.isChecked()]
        if not raw["work_days"] and not raw["work_hours_enabled"]:
            # No day ticked only matters while work hours are on; keep the saved days meanwhile.
            raw["work_days"] = list(self.store.settings.work_days)
        raw["work_hours"] = [row.text() for row in self._range_rows]
        return raw

    def problems(self) -> dict[str, str]:
        """Inline problems by key (empty when the values can be saved)."""
        raw = self.raw_values()
        found: dict[str, str] = {}
        _settings, schema_problems = validate(raw, fallback=self.store.settings)
        for p in schema_problems:
            found[p.key] = p.message()
        if raw["work_hours_enabled"] and not any(cb.isChecked() for cb in self.day_boxes.values()):
            found["work_days"] = _("Choose at least one work day, or turn work hours off.")
        bad_rows = []
        for number, row in enumerate(self._range_rows, start=1):
            try:
                parse_time_range(row.text())
            except ValueError:
                bad_rows.append(number)
        if bad_rows:
            which = ", ".join(str(n) for n in bad_rows)
            found["work_hours"] = _("Range {which}: the end must be after the start "
                                    "(00:00 as the end means midnight).").format(which=which)
        elif not self._range_rows:
            found["work_hours"] = _("Add at least one time range.")
        return found

    def current_settings(self) -> Settings | None:
        """The widgets' values as Settings, or None while something is invalid."""
        if self.problems():
            return None
        settings, _problems = validate(self.raw_values(), fallback=self.store.settings)
        return settings

    def _changed(self, *_args: Any) -> None:
        if self._loading:
            return
        problems = self.problems()
        self.days_error.setText(problems.get("work_days", ""))
        self.days_error.setVisible("work_days" in problems)
        self.hours_error.setText(problems.get("work_hours", ""))
        self.hours_error.setVisible("work_hours" in problems)
        for row in self._range_rows:
            try:
                parse_time_range(row.text())
                row.problem_label.hide()
            except ValueError:
                row.problem_label.show()
        others = [msg for key, msg in problems.items() if key not in ("work_days", "work_hours")]
        self.error_label.setText("\n".join(others))
        self.error_label.setVisible(bool(others))
        work_hours_on = self.check_boxes["work_hours_enabled"].isChecked()
        self._days_row.setEnabled(work_hours_on)
        self._ranges_widget.setEnabled(work_hours_on)
        self.add_range_button.setEnabled(len(self._range_rows) < MAX_TIME_RANGES)
        ok = not problems
        self.save_button.setEnabled(ok)
        self.apply_button.setEnabled(ok and self.current_settings() != self.store.settings)

    # --- actions ----------------------------------------------------------------------------

    def apply(self) -> bool:
        """Apply the shown values through the store; False when they are invalid."""
        settings = self.current_settings()
        if settings is None:
            return False
        try:
            self.store.update(settings)
        except SettingsError as exc:  # pragma: no cover - problems() catches these first
            QMessageBox.warning(self, _("Unsit — Settings"), str(exc))
            return False
        self._changed()
        return True

    def save(self) -> None:
        """Apply and close."""
        if self.apply():
            self.accept()

    def _on_store_changed(self, settings: Settings) -> None:
        """Show an external change unless the user has unapplied edits."""
        if not self.apply_button.isEnabled():
            self.load_settings(settings)
