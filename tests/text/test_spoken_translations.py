"""Every translated spoken cue fits its step too, as written and in every routine.

The English check (tests/core/test_drill_advice.py) counts words at 150 a minute. Other
languages are counted in characters a second, at rates a little below what espeak-ng says
at its default 175 words a minute: about 17 characters a second of English (5.9 characters
a word with its space), so 15 for the European languages; 12 for Arabic and Hebrew (written
without most vowels, so fewer characters say as much); 7 for Japanese (about 7 morae a
second) and 5 for Chinese (4 to 5 syllables a second, one character each).
"""

from __future__ import annotations

import pytest

from tests.core.builtin_library import builtin_drills, builtin_routines
from tests.core.test_drill_advice import _said_in_time
from unsit.core.drills import Drill, spoken_line
from unsit.core.speech_time import LEAD_SECONDS
from unsit.text.drill_text import drill_safety, step_cue
from unsit.text.i18n import install

CHARACTERS_PER_SECOND = {"de": 15.0, "es": 15.0, "fr": 15.0, "it": 15.0, "nl": 15.0, "pl": 15.0, "pt_BR": 15.0,
                         "ar": 12.0, "he": 12.0, "ja": 7.0, "zh_CN": 5.0}


def _too_long(drill: Drill, scale: float, rate: float) -> list[str]:
    out = []
    for number, step in enumerate(drill.steps, start=1):
        line = spoken_line(step_cue(drill, step), drill_safety(drill), first=number == 1)
        needed = LEAD_SECONDS + len(line) / rate
        if needed > _said_in_time(step, scale):
            out.append(f"{drill.id} step {number} at x{scale:g}: {needed:.1f} s of speech in "
                       f"{_said_in_time(step, scale):.1f} s: {line!r}")
    return out


@pytest.mark.parametrize("code", sorted(CHARACTERS_PER_SECOND))
def test_each_translated_spoken_cue_fits_its_step(code):
    assert install(code) == code  # the catalogue is there: not English measured at another rate
    try:
        rate = CHARACTERS_PER_SECOND[code]
        problems = [p for drill in builtin_drills().values() for p in _too_long(drill, 1.0, rate)]
        for routine in builtin_routines().values():
            for step in routine.steps:
                problems += _too_long(step.drill, step.scale, rate)
        assert problems == []
    finally:
        install("en")


def test_the_check_catches_a_long_translation():
    assert install("de") == "de"
    try:
        drill = builtin_drills()["hip-hinge"]
        assert _too_long(drill, 1.0, 15.0) == []
        assert _too_long(drill, 1.0, 3.0) != []  # a voice five times slower would be cut off
    finally:
        install("en")
