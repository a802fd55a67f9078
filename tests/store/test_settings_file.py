"""settings.toml: atomic save, comments, recovery from bad files (fuzzed)."""

from __future__ import annotations

import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # the backport the app itself depends on there
    import tomli as tomllib
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from unsit.core.settings import FIELDS, Settings
from unsit.store.settings_file import SettingsFile, render_toml, toml_string

FIXED_NOW = datetime(2026, 11, 23, 9, 30, 5)


def make_file(tmp_path: Path) -> SettingsFile:
    return SettingsFile(tmp_path / "cfg" / "settings.toml", now=lambda: FIXED_NOW)


def bad_copies(sf: SettingsFile) -> list[Path]:
    return sorted(sf.path.parent.glob("settings.toml.bad-*"))


def test_missing_file_gives_defaults_and_is_written(tmp_path):
    sf = make_file(tmp_path)
    result = sf.load()
    assert result.settings == Settings()
    assert result.problems == [] and result.set_aside is None
    assert sf.path.exists()
    assert SettingsFile(sf.path).load().settings == Settings()


def test_round_trip_and_comments(tmp_path):
    sf = make_file(tmp_path)
    s = Settings(interval_minutes=45, work_hours_enabled=True, work_days=("mon", "sat"),
                 work_hours=("08:00-12:00", "13:00-24:00"), drill_family="rotation",
                 notification_style="both", sounds_enabled=False)
    sf.save(s)
    text = sf.path.read_text("utf-8")
    assert "# Nudge after sitting this long." in text
    assert "# Unit: minutes. Allowed: a whole number from 1 to 240 (minutes). Default: 60." in text
    assert "interval_minutes = 45" in text
    assert 'work_hours = ["08:00-12:00", "13:00-24:00"]' in text
    assert sf.load().settings == s
    # No temp files left behind.
    assert [p.name for p in sf.path.parent.iterdir()] == ["settings.toml"]


@pytest.mark.parametrize("text", ['a"b', "back\\slash", "new\nline\ttab", "\x00\x1f\x7f", "ünï €", "'"])
def test_toml_string_escaping_round_trips(text):
    assert tomllib.loads(f"k = {toml_string(text)}")["k"] == text


def test_render_is_valid_toml_with_every_key():
    parsed = tomllib.loads(render_toml(Settings()))
    assert set(parsed) == {f.key for f in FIELDS}


def test_bad_value_keeps_valid_keys_and_sets_file_aside(tmp_path):
    sf = make_file(tmp_path)
    sf.path.parent.mkdir(parents=True)
    original = b'interval_minutes = 500\nsnooze_minutes = 7\ndrill_family = "yoga"\n'
    sf.path.write_bytes(original)
    previous = Settings(interval_minutes=30, drill_family="hinge")
    result = sf.load(fallback=previous)
    assert result.settings.interval_minutes == 30  # previous good value
    assert result.settings.snooze_minutes == 7  # valid key kept
    assert result.settings.drill_family == "hinge"
    joined = "\n".join(result.problems)
    assert "interval_minutes = 500" in joined and "1 to 240" in joined
    assert "drill_family = 'yoga'" in joined and '"extension"' in joined
    assert result.set_aside == sf.path.with_name("settings.toml.bad-20261123T093005")
    assert result.set_aside.read_bytes() == original
    # The repaired file is on disk and loads cleanly.
    again = sf.load(fallback=Settings())
    assert again.problems == [] and again.settings == result.settings


def test_unparsable_file_uses_fallback_and_second_copy_gets_new_name(tmp_path):
    sf = make_file(tmp_path)
    sf.path.parent.mkdir(parents=True)
    previous = Settings(snooze_minutes=20)
    for content in (b"interval_minutes = = 3\n", b"\xff\xfe garbage"):
        sf.path.write_bytes(content)
        result = sf.load(fallback=previous)
        assert result.settings == previous
        assert "not valid TOML" in result.problems[0]
    copies = bad_copies(sf)
    assert [p.name for p in copies] == ["settings.toml.bad-20261123T093005", "settings.toml.bad-20261123T093005-1"]
    assert copies[0].read_bytes() == b"interval_minutes = = 3\n"
    assert copies[1].read_bytes() == b"\xff\xfe garbage"


def test_unknown_key_is_reported_and_ignored(tmp_path):
    sf = make_file(tmp_path)
    sf.path.parent.mkdir(parents=True)
    sf.path.write_text("interval_minute = 30\nsnooze_minutes = 3\n")
    result = sf.load()
    assert result.settings == Settings(snooze_minutes=3)
    assert any("interval_minute" in p and "ignored" in p for p in result.problems)


def test_partial_file_is_completed_without_problems(tmp_path):
    sf = make_file(tmp_path)
    sf.path.parent.mkdir(parents=True)
    sf.path.write_text("snooze_minutes = 3\n")
    result = sf.load()
    assert result.problems == [] and result.set_aside is None
    assert "interval_minutes = 60" in sf.path.read_text()


# --- fuzzing -------------------------------------------------------------------------------

_keys = st.sampled_from([f.key for f in FIELDS] + ["bogus", "work days"])
_toml_scalars = st.one_of(
    st.integers(-10**20, 10**20).map(str), st.booleans().map(lambda b: "true" if b else "false"),
    st.text(max_size=12).map(toml_string),
    st.sampled_from(['"09:00-17:00"', '"mon"', '"24:00-01:00"', "1979-05-27", "3.5", "{a = 1}"]),
)
_toml_values = st.one_of(_toml_scalars, st.lists(_toml_scalars, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"))
_tomlish = st.lists(st.tuples(_keys, _toml_values), max_size=8).map(
    lambda pairs: "\n".join(f"{k if ' ' not in k else toml_string(k)} = {v}" for k, v in pairs))


def _check_load(tmp_path: Path, content: bytes) -> None:
    folder = Path(tmp_path)
    for p in folder.iterdir():
        p.unlink()
    sf = SettingsFile(folder / "settings.toml")
    sf.path.write_bytes(content)
    previous = Settings(interval_minutes=42)
    result = sf.load(fallback=previous)
    assert isinstance(result.settings, Settings)
    # Always valid: the schema accepts what came out.
    assert result.settings.replace() == result.settings
    if result.problems:
        assert result.set_aside is not None and result.set_aside.read_bytes() == content
    # What is on disk now loads cleanly to the same settings.
    assert SettingsFile(sf.path).load(fallback=previous) == type(result)(result.settings)


_fuzz = hyp_settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_fuzz
@given(content=st.binary(max_size=200))
def test_fuzz_random_bytes(tmp_path, content):
    _check_load(tmp_path, content)


@_fuzz
@given(content=_tomlish)
def test_fuzz_tomlish_text(tmp_path, content):
    _check_load(tmp_path, content.encode("utf-8", "surrogatepass"))


_DAYS_AND_RANGES = ["mon", "Tue", "sun", "09:00-10:00", "10:00-09:00", "23:00-24:00"]


@_fuzz
@given(key=st.sampled_from([f.key for f in FIELDS]),
       value=st.one_of(st.integers(-1000, 1000), st.booleans(), st.text(max_size=15),
                       st.lists(st.text(max_size=12), max_size=3),
                       st.lists(st.sampled_from(_DAYS_AND_RANGES), max_size=3)))
def test_fuzz_value_per_key(tmp_path, key, value):
    from unsit.store.settings_file import _toml_value

    _check_load(tmp_path, f"{key} = {_toml_value(value)}\n".encode("utf-8", "surrogatepass"))
