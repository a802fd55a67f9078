"""User routine files in the language in use: their own [translations.<code>] tables, and problems told translated."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from unsit.core.routines import RoutineError, parse_routine
from unsit.store.drill_library import load_library
from unsit.store.routine_library import load_routine_file, load_routines
from unsit.text.drill_text import routine_name, routine_notes, routine_purpose
from unsit.text.i18n import install

ASSETS = Path(__file__).resolve().parents[2] / "assets"


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    install("en")


@pytest.fixture(scope="module")
def drills() -> dict[str, Any]:
    loaded, _messages = load_library(ASSETS / "drills", None)
    return {d.id: d for d in loaded}


def user_routine(**translations: Any) -> dict[str, Any]:
    return {
        "schema_version": 1, "id": "after-lunch", "name": "After-lunch hips", "purpose": "Undoes the slump.",
        "notes": "Slow and easy.", "steps": [{"drill": "hip-hinge"}],
        **({"translations": translations} if translations else {}),
    }


def test_a_user_routine_speaks_its_own_translation_and_falls_back_to_its_own_text(drills):
    routine = parse_routine(user_routine(de={"name": "Hüften nach dem Mittagessen", "notes": "Langsam."}),
                            "after-lunch.toml", drills)
    install("de")
    assert routine_name(routine) == "Hüften nach dem Mittagessen"
    assert routine_notes(routine) == "Langsam."
    assert routine_purpose(routine) == "Undoes the slump."  # the table leaves it out: the file's own text
    install("de_AT")
    assert routine_name(routine) == "Hüften nach dem Mittagessen"  # a region finds its base language
    install("en")
    assert routine_name(routine) == "After-lunch hips"
    assert routine_notes(routine) == "Slow and easy."


def test_a_routine_file_with_a_de_table_loads_and_shows_german(tmp_path, drills):
    path = tmp_path / "after-lunch.toml"
    path.write_text('schema_version = 1\nid = "after-lunch"\nname = "After-lunch hips"\n'
                    'purpose = "Undoes the slump."\n[[steps]]\ndrill = "hip-hinge"\n'
                    '[translations.de]\nname = "Hüften nach dem Mittagessen"\npurpose = "Gegen das Zusammensacken."\n',
                    "utf-8")
    routine = load_routine_file(path, drills)
    install("de")
    assert (routine_name(routine), routine_purpose(routine)) == ("Hüften nach dem Mittagessen",
                                                                 "Gegen das Zusammensacken.")
    install("fr")
    assert routine_name(routine) == "After-lunch hips"  # no fr table: its own text


@pytest.mark.parametrize(("translations", "field"), [
    ({"klingon!": {"name": "x"}}, "translations.klingon!"),
    ({"de": {"title": "x"}}, "translations.de.title"),
    ({"de": {"name": ""}}, "translations.de.name"),
    ({"de": {"notes": "x" * 401}}, "translations.de.notes"),
    ({"de": "Hüften"}, "translations.de"),
])
def test_bad_translation_tables_are_refused_naming_the_field(translations, field, drills):
    with pytest.raises(RoutineError) as caught:
        parse_routine(user_routine(**translations), "after-lunch.toml", drills)
    assert caught.value.field == field


def test_a_translations_value_that_is_not_a_table_is_refused(drills):
    data = {**user_routine(), "translations": "de"}
    with pytest.raises(RoutineError) as caught:
        parse_routine(data, "after-lunch.toml", drills)
    assert caught.value.field == "translations"
    assert caught.value.problem == "must be a table of [translations.<language>] tables"


def test_problems_in_routine_files_are_told_in_the_language_in_use(tmp_path, drills):
    (tmp_path / "broken.toml").write_text('schema_version = 1\nid = "broken"\nname = "B"\npurpose = "P."\n'
                                          '[[steps]]\ndrill = "hip-hinj"\n', "utf-8")
    (tmp_path / "lang.toml").write_text('schema_version = 1\nid = "lang"\nname = "L"\npurpose = "P."\n'
                                        '[[steps]]\ndrill = "hip-hinge"\n[translations.de]\ntitle = "x"\n', "utf-8")
    install("de")
    _routines, messages = load_routines(ASSETS / "routines", tmp_path, drills)
    assert len(messages) == 2
    assert messages[0].startswith(f"{tmp_path / 'broken.toml'}: steps[1].drill: 'hip-hinj' ist keine bekannte Übung")
    assert messages[0].endswith("(Routine übersprungen)")
    assert messages[1].startswith(f"{tmp_path / 'lang.toml'}: translations.de.title: "
                                  "ist kein bekanntes Feld (ein Tippfehler?)")
