"""The settings schema: one declarative table, a frozen dataclass, and validation.

Every setting is described once in ``FIELDS`` (key, kind, unit, default, bounds or
choices, description). ``validate`` turns a raw mapping (parsed TOML, dialog input)
into a ``Settings`` plus a list of ``SettingProblem`` naming the key, the bad value
and what is allowed. Invalid keys fall back to ``fallback`` (the previous good
settings, or the defaults), so bad input never loses the good state.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from unsit.core.families import FAMILIES
from unsit.text.i18n import N_, _
from unsit.text.languages import LANGUAGES, check_language

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RANGE_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]|24):([0-5]\d)$")


@dataclass(frozen=True)
class Field:
    """One setting: its key, kind, unit, default, allowed values and description."""

    key: str
    kind: str  # "int", "bool", "choice", "weekdays", "time_ranges", "language"
    default: Any
    description: str
    unit: str = ""
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()

    def allowed(self) -> str:
        """Human text for what this key accepts (in the language in use)."""
        if self.kind == "int":
            if self.unit == "minutes":
                return _("a whole number from {minimum} to {maximum} (minutes)").format(
                    minimum=self.minimum, maximum=self.maximum)
            return _("a whole number from {minimum} to {maximum}").format(minimum=self.minimum, maximum=self.maximum)
        if self.kind == "bool":
            return _("true or false")
        if self.kind == "choice":
            return _("one of {choices}").format(choices=", ".join(f'"{c}"' for c in self.choices))
        if self.kind == "weekdays":
            return _("a non-empty list of weekdays from {days}").format(days=", ".join(f'"{d}"' for d in WEEKDAYS))
        if self.kind == "time_ranges":
            return _('a non-empty list of "HH:MM-HH:MM" ranges, start before end, e.g. {example}').format(
                example='["09:00-12:30", "13:30-17:30"]')
        if self.kind == "language":
            return _('"" or "system" (the system\'s language), or one of {codes}').format(
                codes=", ".join(f'"{c}"' for c in LANGUAGES))
        raise AssertionError(self.kind)

    def check(self, value: Any) -> Any:
        """Return the value normalised, or raise ValueError if it is not allowed."""
        if self.kind == "int":
            # bool is an int subclass in Python; "true" is never a number of minutes.
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError
            if self.minimum is not None and value < self.minimum:
                raise ValueError
            if self.maximum is not None and value > self.maximum:
                raise ValueError
            return value
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise ValueError
            return value
        if self.kind == "choice":
            if not isinstance(value, str) or value not in self.choices:
                raise ValueError
            return value
        if self.kind == "weekdays":
            if not isinstance(value, (list, tuple)) or not all(isinstance(d, str) for d in value):
                raise ValueError
            days = {d.strip().lower()[:3] for d in value}
            if not days or not days <= set(WEEKDAYS):
                raise ValueError
            return tuple(d for d in WEEKDAYS if d in days)
        if self.kind == "language":
            if not isinstance(value, str):
                raise ValueError
            return check_language(value)
        if self.kind == "time_ranges":
            if not isinstance(value, (list, tuple)) or not value:
                raise ValueError
            out = []
            for item in value:
                if not isinstance(item, str):
                    raise ValueError
                start, end = parse_time_range(item)
                out.append(f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}")
            return tuple(out)
        raise AssertionError(self.kind)


def parse_time_range(text: str) -> tuple[int, int]:
    """Parse "HH:MM-HH:MM" into (start, end) minutes after midnight; end may be 24:00.

    Raises:
        ValueError: if the text is malformed or the range is empty or reversed.
    """
    m = _RANGE_RE.match(text.strip().replace(" ", ""))
    if not m:
        raise ValueError(text)
    start = int(m[1]) * 60 + int(m[2])
    end = int(m[3]) * 60 + int(m[4])
    if end > 24 * 60 or end <= start:
        raise ValueError(text)
    return start, end


FIELDS: tuple[Field, ...] = (
    Field("interval_minutes", "int", 60, N_("Nudge after sitting this long."), "minutes", 1, 240),
    Field(
        "away_reset_minutes", "int", 5,
        N_("Being away (no input, locked or asleep) this long ends the sitting streak."),
        "minutes", 1, 60,
    ),
    Field("snooze_minutes", "int", 10, N_("Nudge again after this long when snoozed or ignored."), "minutes", 1, 60),
    Field("work_hours_enabled", "bool", False, N_("Only nudge on work days inside the work hours.")),
    Field("work_days", "weekdays", ("mon", "tue", "wed", "thu", "fri"), N_("Days that have work hours.")),
    Field("work_hours", "time_ranges", ("09:00-17:00",), N_("Time ranges on work days when nudges may come.")),
    Field(
        "drill_family", "choice", "alternate",
        N_("Which drills to offer: take turns between the families, or one family only."),
        choices=("alternate", *FAMILIES),
    ),
    Field(
        "drill_length", "choice", "standard",
        N_("Scale the drill holds: short (about 1 minute), standard (about 2), long (about 3)."),
        choices=("short", "standard", "long"),
    ),
    Field(
        "notification_style", "choice", "system",
        N_("How a nudge is shown: a system notification, the built-in popup, or both."),
        choices=("system", "popup", "both"),
    ),
    Field("sounds_enabled", "bool", True,
          N_("Play soft drill sounds: get ready, each step, a tick per rep, and the end.")),
    Field("speak_cues", "bool", False,
          N_("Speak each drill step's cue aloud with the system's text-to-speech, when it has one.")),
    Field("start_at_login", "bool", False, N_("Start Unsit when you log in.")),
    Field("morning_routine", "bool", True,
          N_("Offer the morning hip routine at the first sit-down of each day.")),
    Field("standing_max_minutes", "int", 60,
          N_("After standing this long, remind me to sit down or walk a little; 0 turns it off."),
          "minutes", 0, 240),
    Field("hold_during_calls", "bool", True,
          N_("Hold a nudge while an application records the microphone (a call); it comes when the call ends.")),
    Field("language", "language", "",
          N_("The language of Unsit's windows, menus and messages; empty follows the system.")),
)

FIELDS_BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}


def _default(key: str) -> Any:
    """The default of ``key`` from ``FIELDS``: the table is the one place defaults are written."""
    return FIELDS_BY_KEY[key].default


@dataclass(frozen=True)
class Settings:
    """All settings, validated. Build with ``validate`` or ``Settings()`` for defaults.

    One attribute per entry of ``FIELDS``, in the same order; each default comes from there.
    """

    interval_minutes: int = _default("interval_minutes")
    away_reset_minutes: int = _default("away_reset_minutes")
    snooze_minutes: int = _default("snooze_minutes")
    work_hours_enabled: bool = _default("work_hours_enabled")
    work_days: tuple[str, ...] = _default("work_days")
    work_hours: tuple[str, ...] = _default("work_hours")
    drill_family: str = _default("drill_family")
    drill_length: str = _default("drill_length")
    notification_style: str = _default("notification_style")
    sounds_enabled: bool = _default("sounds_enabled")
    speak_cues: bool = _default("speak_cues")
    start_at_login: bool = _default("start_at_login")
    morning_routine: bool = _default("morning_routine")
    standing_max_minutes: int = _default("standing_max_minutes")
    hold_during_calls: bool = _default("hold_during_calls")
    language: str = _default("language")

    def to_dict(self) -> dict[str, Any]:
        """Plain data for TOML/JSON (tuples become lists)."""
        return {
            k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(self).items()
        }

    def replace(self, **changes: Any) -> Settings:
        """Validated copy with ``changes``; raises SettingsError on a bad value."""
        new, problems = validate({**self.to_dict(), **changes}, fallback=self)
        if problems:
            raise SettingsError(problems)
        return new


@dataclass(frozen=True)
class SettingProblem:
    """A rejected value: which key, what it was, what is allowed."""

    key: str
    value: Any
    allowed: str

    def message(self) -> str:
        """One line for logs and the user."""
        if not self.allowed:
            return _("unknown setting {key} (value {value}) was ignored").format(
                key=short_repr(self.key), value=short_repr(self.value))
        return _("{key} = {value} is not allowed. Use {allowed}.").format(
            key=short_repr(self.key, plain=True), value=short_repr(self.value), allowed=self.allowed)


QUOTE_CHARS = 80


def short_repr(value: Any, limit: int = QUOTE_CHARS, plain: bool = False) -> str:
    """``repr(value)`` (or ``str`` when ``plain``) cut to ``limit`` characters, saying how long it was.

    A 50 MB value must not end up whole in a log line or a notification.
    """
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]!r}… ({len(value)} characters)"
    if isinstance(value, (list, tuple)):
        items = [short_repr(v, limit) for v in value[:10]]
        text = "[" + ", ".join(items) + (f", … ({len(value)} items)" if len(value) > 10 else "") + "]"
    elif isinstance(value, dict):
        text = f"a table of {len(value)} keys"
    else:
        text = str(value) if plain else repr(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"


class SettingsError(ValueError):
    """Raised by ``Settings.replace`` when a value is out of bounds."""

    def __init__(self, problems: list[SettingProblem]):
        super().__init__(" ".join(p.message() for p in problems))
        self.problems = problems


def validate(raw: Mapping[str, Any], fallback: Settings | None = None) -> tuple[Settings, list[SettingProblem]]:
    """Check every key of ``raw``; keep the valid ones, take the rest from ``fallback``.

    Args:
        raw: parsed settings (e.g. from TOML); unknown keys are reported and ignored.
        fallback: values used for missing or invalid keys (defaults when None).

    Returns:
        The settings and a list of problems (empty when everything was valid).
    """
    base = fallback or Settings()
    values: dict[str, Any] = {}
    problems: list[SettingProblem] = []
    if not isinstance(raw, Mapping):
        return base, [SettingProblem("<file>", raw, _("a table of key = value settings"))]
    for key, value in raw.items():
        field = FIELDS_BY_KEY.get(key)
        if field is None:
            problems.append(SettingProblem(str(key), value, ""))
            continue
        try:
            values[key] = field.check(value)
        except ValueError:
            problems.append(SettingProblem(key, value, field.allowed()))
    return dataclasses.replace(base, **values), problems
