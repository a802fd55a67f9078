"""Drill texts in the language in use: the catalogue for shipped drills, [translations.<code>] for user drills."""

from __future__ import annotations

from pathlib import Path

import pytest

from unsit.core.drills import DrillError, parse_drill
from unsit.store.drill_library import load_drill_file, load_library
from unsit.text.drill_text import drill_name, drill_purpose, drill_safety, step_cue
from unsit.text.i18n import install

ASSETS = Path(__file__).resolve().parents[2] / "assets"


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    install("en")


def user_drill(**translations) -> dict:
    return {
        "schema_version": 2, "id": "wall-stretch", "family": "extension", "name": "Wall stretch",
        "purpose": "Opens the hip.", "safety": "Stop if it hurts.",
        "steps": [
            {"cue": "Step back.", "seconds": 20, "poses": ["stand"]},
            {"cue": "Hold it.", "seconds": 20, "poses": ["stand"]},
        ],
        **({"translations": translations} if translations else {}),
    }


def test_a_user_drill_speaks_its_own_translation_and_falls_back_to_its_own_text():
    drill = parse_drill(user_drill(de={"name": "Wanddehnung", "cues": ["Schritt zurück.", "Halten."]}), "wall.toml")
    install("de")
    assert drill_name(drill) == "Wanddehnung"
    assert drill_purpose(drill) == "Opens the hip."  # not translated by the file: its own language
    assert drill_safety(drill) == "Stop if it hurts."
    assert [step_cue(drill, s) for s in drill.steps] == ["Schritt zurück.", "Halten."]
    install("en")
    assert drill_name(drill) == "Wall stretch"
    assert step_cue(drill, drill.steps[0]) == "Step back."


def test_a_regional_language_uses_the_base_translation():
    drill = parse_drill(user_drill(de={"purpose": "Öffnet die Hüfte."}), "wall.toml")
    install("de_AT")
    assert drill_purpose(drill) == "Öffnet die Hüfte."


@pytest.mark.parametrize(("translations", "field"), [
    ({"klingon!": {"name": "x"}}, "translations.klingon!"),
    ({"de": {"title": "x"}}, "translations.de.title"),
    ({"de": {"name": ""}}, "translations.de.name"),
    ({"de": {"cues": ["only one"]}}, "translations.de.cues"),
    ({"de": "Wanddehnung"}, "translations.de"),
])
def test_bad_translation_tables_are_refused_naming_the_field(translations, field):
    with pytest.raises(DrillError) as caught:
        parse_drill(user_drill(**translations), "wall.toml")
    assert caught.value.field == field


def test_a_drill_file_with_translations_loads(tmp_path):
    path = tmp_path / "wall-stretch.toml"
    path.write_text('schema_version = 2\nid = "wall-stretch"\nfamily = "extension"\nname = "Wall stretch"\n'
                    'purpose = "Opens the hip."\nsafety = "Stop if it hurts."\n'
                    '[[steps]]\ncue = "Step back."\nseconds = 20\nposes = ["stand"]\n'
                    '[[steps]]\ncue = "Hold it."\nseconds = 20\nposes = ["stand"]\n'
                    '[translations.de]\nname = "Wanddehnung"\ncues = ["Schritt zurück.", "Halten."]\n', "utf-8")
    drill = load_drill_file(path)
    install("de")
    assert drill_name(drill) == "Wanddehnung"


def test_every_shipped_drill_is_german_through_the_catalogue():
    drills, messages = load_library(ASSETS / "drills", None)
    assert messages == []
    install("de")
    for drill in drills:
        texts = [drill_name(drill), drill_purpose(drill), drill_safety(drill),
                 *(step_cue(drill, s) for s in drill.steps)]
        english = [drill.name, drill.purpose, drill.safety, *(s.cue for s in drill.steps)]
        assert [t for t, e in zip(texts, english, strict=True) if t == e] == [], drill.id


def test_problems_in_drill_files_are_told_in_the_language_in_use(tmp_path):
    (tmp_path / "broken.toml").write_text('schema_version = 2\nid = "Broken!"\n', "utf-8")
    install("de")
    _drills, messages = load_library(ASSETS / "drills", tmp_path)
    expected = (f"{tmp_path / 'broken.toml'}: id: muss aus Kleinbuchstaben, Ziffern und - bestehen, "
                "ist aber 'Broken!' (Übung übersprungen)")
    assert messages == [expected]


def test_shipped_routines_are_german_through_the_catalogue():
    from unsit.store.routine_library import load_routines
    from unsit.text.drill_text import routine_name, routine_notes, routine_purpose

    drills, _messages = load_library(ASSETS / "drills", None)
    routines, messages = load_routines(ASSETS / "routines", None, drills)
    assert messages == [] and routines
    install("de")
    morning = next(r for r in routines if r.id == "morning")
    assert routine_name(morning) == "Hüftroutine am Morgen"
    for routine in routines:
        assert routine_name(routine) != routine.name and routine_purpose(routine) != routine.purpose
        assert not routine.notes or routine_notes(routine) != routine.notes
