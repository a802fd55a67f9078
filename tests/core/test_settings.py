"""The settings schema: bounds, messages that name key, value and what is allowed."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unsit.core.settings import FIELDS, Settings, SettingsError, parse_time_range, validate


def test_defaults_match_the_contract():
    s = Settings()
    assert (s.interval_minutes, s.away_reset_minutes, s.snooze_minutes) == (60, 5, 10)
    assert validate({}) == (s, [])
    assert {f.key: f.default for f in FIELDS} == {k: tuple(v) if isinstance(v, list) else v
                                                  for k, v in s.to_dict().items()}


_KIND_TYPES = {"int": "int", "bool": "bool", "choice": "str", "weekdays": "tuple[str, ...]",
               "time_ranges": "tuple[str, ...]", "language": "str"}  # language: "" or a shipped code


def test_the_schema_is_the_one_source_of_the_dataclass():
    attributes = dataclasses.fields(Settings)
    assert [a.name for a in attributes] == [f.key for f in FIELDS]  # same keys, same order
    for attribute, field in zip(attributes, FIELDS, strict=True):
        assert attribute.default == field.default, field.key
        assert attribute.type == _KIND_TYPES[field.kind], field.key
        assert field.check(field.default) == field.default, f"{field.key}'s default is not allowed"


@pytest.mark.parametrize("key,low,high", [("interval_minutes", 1, 240), ("away_reset_minutes", 1, 60),
                                          ("snooze_minutes", 1, 60)])
def test_minute_bounds(key, low, high):
    for ok in (low, high):
        assert getattr(validate({key: ok})[0], key) == ok
    for bad in (low - 1, high + 1, "10", 10.5, True):
        settings, problems = validate({key: bad})
        assert getattr(settings, key) == getattr(Settings(), key)
        (problem,) = problems
        text = problem.message()
        assert key in text and repr(bad) in text and f"from {low} to {high}" in text


def test_bad_values_keep_the_fallback_not_the_default():
    previous = Settings(interval_minutes=45)
    settings, problems = validate({"interval_minutes": 0, "snooze_minutes": 7}, fallback=previous)
    assert settings.interval_minutes == 45 and settings.snooze_minutes == 7
    assert [p.key for p in problems] == ["interval_minutes"]


def test_weekdays_are_normalised_and_must_not_be_empty():
    assert validate({"work_days": ["Friday", "mon", "MON"]})[0].work_days == ("mon", "fri")
    for bad in ([], ["funday"], "mon", [1]):
        assert [p.key for p in validate({"work_days": bad})[1]] == ["work_days"]


def test_time_ranges():
    assert parse_time_range("09:00-17:30") == (540, 1050)
    assert parse_time_range("22:00-24:00") == (1320, 1440)
    for bad in ("17:00-09:00", "9-5", "09:00-09:00", "24:00-24:30", "09:60-10:00"):
        with pytest.raises(ValueError):
            parse_time_range(bad)
    assert validate({"work_hours": ["09:00 - 12:00", "13:00-17:00"]})[0].work_hours == ("09:00-12:00",
                                                                                       "13:00-17:00")
    assert validate({"work_hours": []})[1][0].key == "work_hours"


def test_choices_and_unknown_keys():
    settings, problems = validate({"drill_family": "legs", "colour": "red"})
    assert settings.drill_family == "alternate"
    messages = [p.message() for p in problems]
    assert any('"alternate"' in m and "legs" in m for m in messages)
    assert any("unknown setting 'colour'" in m for m in messages)


def test_replace_refuses_bad_values():
    with pytest.raises(SettingsError) as err:
        Settings().replace(snooze_minutes=0)
    assert "snooze_minutes" in str(err.value)
    assert Settings().replace(snooze_minutes=3).snooze_minutes == 3


@given(st.dictionaries(st.sampled_from([f.key for f in FIELDS] + ["junk"]),
                       st.one_of(st.integers(-1000, 1000), st.booleans(), st.text(max_size=12),
                                 st.lists(st.text(max_size=12), max_size=4), st.none(), st.floats())))
def test_validate_never_raises_and_always_gives_valid_settings(raw):
    settings, problems = validate(raw)
    again, none = validate(settings.to_dict())
    assert again == settings and none == []
    assert all(p.key in raw for p in problems)
