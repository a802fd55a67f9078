"""DrillPicker: alternating families, variety within a family, preferences and overrides."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unsit.core.drill_picker import DrillPicker, drill_day
from unsit.core.drills import Drill, parse_drill


def make(drill_id: str, family: str) -> Drill:
    return parse_drill(
        {
            "schema_version": 2, "id": drill_id, "family": family, "name": drill_id,
            "purpose": "p", "safety": "s",
            "steps": [{"cue": "c.", "seconds": 60, "poses": ["stand"]}],
        },
        f"{drill_id}.toml",
    )


LIBRARY = [
    make("ext-1", "extension"), make("ext-2", "extension"),
    make("rot-1", "rotation"), make("rot-2", "rotation"), make("rot-3", "rotation"),
    make("hinge-1", "hinge"),
]


def ids(picker: DrillPicker, n: int, **kwargs) -> list[str]:
    return [picker.next(**kwargs).id for _ in range(n)]


def test_alternate_takes_turns_and_cycles_within_each_family():
    assert ids(DrillPicker(LIBRARY), 8) == [
        "ext-1", "rot-1", "ext-2", "hinge-1", "ext-1", "rot-2", "ext-2", "hinge-1",
    ]


def test_the_hinge_comes_in_the_everyday_turns_and_when_asked_for():
    picker = DrillPicker(LIBRARY)
    families = [picker.next().family for _ in range(12)]
    assert families.count("hinge") == 3 and families[1::2].count("hinge") == 3  # between the extensions
    assert picker.next(preference="hinge").id == "hinge-1"
    assert picker.next(family="hinge").id == "hinge-1"  # the only hinge drill may repeat


def test_preference_sticks_to_one_family_without_immediate_repeats():
    picker = DrillPicker(LIBRARY)
    assert ids(picker, 4, preference="rotation") == ["rot-1", "rot-2", "rot-3", "rot-1"]


def test_family_argument_overrides_the_preference_and_alternation_continues():
    picker = DrillPicker(LIBRARY)
    assert picker.next(preference="extension", family="rotation").family == "rotation"
    assert picker.next().family == "extension"  # alternate continues after the rotation


def test_last_drill_from_history_seeds_the_turns():
    picker = DrillPicker(LIBRARY, last_drill_id="ext-1")
    assert picker.next().id == "rot-1"
    assert picker.next().id == "ext-2"
    assert DrillPicker(LIBRARY, last_drill_id="gone").next().id == "ext-1"


def test_a_missing_family_falls_back():
    only_rotation = [d for d in LIBRARY if d.family == "rotation"]
    picker = DrillPicker(only_rotation)
    assert ids(picker, 3) == ["rot-1", "rot-2", "rot-3"]
    assert picker.next(family="extension").family == "rotation"
    assert DrillPicker([make("h", "hinge")]).next().id == "h"


def test_empty_library_is_refused():
    with pytest.raises(ValueError):
        DrillPicker([])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["alternate", "extension", "rotation", "hinge"]),
                          st.sampled_from([None, "extension", "rotation"])), min_size=2, max_size=30))
def test_never_the_same_drill_twice_when_the_family_has_another(calls):
    picker = DrillPicker(LIBRARY)
    previous = None
    for preference, family in calls:
        drill = picker.next(preference=preference, family=family)
        if previous is not None and drill.family != "hinge":
            assert drill.id != previous
        previous = drill.id


def test_deterministic_given_the_same_history():
    assert ids(DrillPicker(LIBRARY), 10) == ids(DrillPicker(LIBRARY), 10)


STABLE = [*LIBRARY, make("stab-1", "stability"), make("stab-2", "stability")]


def test_extension_every_other_turn_with_rotation_hinge_and_stability_between():
    picker = DrillPicker(STABLE)
    assert [picker.next().family for _ in range(8)] == [
        "extension", "rotation", "extension", "hinge", "extension", "stability", "extension", "rotation",
    ]


def test_no_drill_comes_back_within_a_day_while_its_family_has_others():
    picker = DrillPicker(STABLE, day=date(2026, 11, 23))
    rotations = [picker.next(family="rotation", day=date(2026, 11, 23)).id for _ in range(3)]
    assert sorted(rotations) == ["rot-1", "rot-2", "rot-3"]
    assert picker.next(family="rotation", day=date(2026, 11, 24)).id == "rot-1"  # a new day starts afresh


def test_history_of_today_seeds_the_picker():
    picker = DrillPicker(STABLE, done_today=["rot-1", "ext-1", "rot-2"], day=date(2026, 11, 23))
    assert picker.next(day=date(2026, 11, 23)).id == "ext-2"  # after a rotation: extension, the one not done
    assert picker.next(day=date(2026, 11, 23)).id == "hinge-1"  # rotation, hinge and stability take turns
    assert picker.next(family="rotation", day=date(2026, 11, 23)).id == "rot-3"
    assert picker.done_today >= {"rot-1", "rot-2", "rot-3", "ext-1", "ext-2"}


def test_the_drill_day_turns_at_four_in_the_morning():
    tz = timezone.utc
    assert drill_day(datetime(2026, 11, 24, 3, 59, tzinfo=tz)) == date(2026, 11, 23)
    assert drill_day(datetime(2026, 11, 24, 4, 0, tzinfo=tz)) == date(2026, 11, 24)
