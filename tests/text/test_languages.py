"""Choosing the language: locale tags, the ``language`` setting, installing a catalogue."""

from __future__ import annotations

import pytest

from unsit.core.durations import format_duration
from unsit.core.settings import Settings, SettingsError, validate
from unsit.text import i18n
from unsit.text.i18n import _, install, ngettext, pgettext, posix_language_tags
from unsit.text.languages import check_language, is_right_to_left, match_language, normalise_tag


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    install("en")


@pytest.mark.parametrize(("tag", "expected"), [
    ("de_DE.UTF-8", "de_DE"), ("de_DE.UTF-8@euro", "de_DE"), ("pt-br", "pt_BR"), ("zh-Hans-CN", "zh_CN"),
    ("zh-Hans", "zh_CN"), ("C", "c"), ("", ""), ("ar", "ar"),
])
def test_locale_tags_are_normalised(tag, expected):
    assert normalise_tag(tag) == expected


def test_the_first_shipped_language_of_the_list_wins():
    shipped = ("en", "de", "pt_BR", "zh_CN")
    assert match_language(["de_AT.UTF-8"], shipped) == "de"
    assert match_language(["fr_FR", "de_CH"], shipped) == "de"  # French is not shipped here: the next one
    assert match_language(["pt_PT"], shipped) == "en"  # European Portuguese is not Brazilian
    assert match_language(["pt_BR.UTF-8"], shipped) == "pt_BR"
    assert match_language(["zh_SG"], shipped) == "zh_CN"
    assert match_language(["C.UTF-8", "de_DE"], shipped) == "en"
    assert match_language([], shipped) == "en"


def test_posix_variables_follow_gettext_precedence():
    assert posix_language_tags({"LANG": "de_DE.UTF-8"}) == ["de_DE.UTF-8"]
    assert posix_language_tags({"LANG": "de_DE.UTF-8", "LC_MESSAGES": "fr_FR"}) == ["fr_FR"]
    assert posix_language_tags({"LANG": "de_DE", "LC_MESSAGES": "fr_FR", "LC_ALL": "nl_NL"}) == ["nl_NL"]
    assert posix_language_tags({"LANG": "en_GB", "LANGUAGE": "pl:de"}) == ["pl", "de", "en_GB"]
    assert posix_language_tags({"LANG": "C", "LANGUAGE": "de"}) == ["C"]  # LANGUAGE is ignored in the C locale
    assert posix_language_tags({}) == []


def test_the_language_setting_accepts_system_and_shipped_codes_only():
    assert check_language("") == "" and check_language("system") == "" and check_language(" System ") == ""
    assert check_language("de") == "de" and check_language("de-AT") == "de"
    with pytest.raises(ValueError):
        check_language("tlh")
    settings, problems = validate({"language": "tlh"})
    assert settings.language == ""  # the previous good value stays
    [problem] = problems
    assert problem.key == "language" and '"de"' in problem.message() and "tlh" in problem.message()
    assert Settings().replace(language="system").language == ""
    with pytest.raises(SettingsError):
        Settings().replace(language=3)


def test_installing_german_translates_code_plurals_durations_and_drill_texts():
    assert install("de") == "de"
    assert i18n.current_language() == "de"
    assert _("Time to unsit") == "Zeit aufzustehen"
    assert ngettext("Last {days} day", "Last {days} days", 1).format(days=1) == "Letzter 1 Tag"
    assert ngettext("Last {days} day", "Last {days} days", 7).format(days=7) == "Letzte 7 Tage"
    assert format_duration(3725) == "1 Std. 02 Min."
    assert pgettext("drills/hip-hinge.toml: name", "Hip hinge") == "Hüftbeuge"
    assert _("a message nobody translated") == "a message nobody translated"


def test_the_system_language_is_used_when_the_setting_is_empty():
    assert install("", system_tags=["de_DE.UTF-8"]) == "de"
    assert install("system", system_tags=["sv_SE.UTF-8", "C"]) == "en"  # nothing shipped fits: English
    assert _("Time to unsit") == "Time to unsit"
    assert install("de", system_tags=["C"]) == "de"  # the setting beats the system


def test_a_missing_catalogue_falls_back_to_english(tmp_path):
    assert install("de", folder=tmp_path) == "en"
    assert _("Time to unsit") == "Time to unsit"


def test_right_to_left_languages():
    assert is_right_to_left("ar") and is_right_to_left("he") and not is_right_to_left("de")


@pytest.mark.parametrize("content", [b"", b"\xde\x12\x04\x95" + b"\xff" * 40, b"not a catalogue at all"])
def test_a_broken_catalogue_falls_back_to_english(tmp_path, content):
    target = tmp_path / "de" / "LC_MESSAGES" / "unsit.mo"
    target.parent.mkdir(parents=True)
    target.write_bytes(content)
    assert install("de", folder=tmp_path) == "en"
    assert _("Time to unsit") == "Time to unsit"
