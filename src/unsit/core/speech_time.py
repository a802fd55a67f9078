"""How long a spoken line takes, so a step is never cut off while its cue is still being said.

The voices Unsit uses (``platform/speech.py``) speak English at about 150 to 180 words a
minute: espeak-ng's documented default rate is 175 words a minute (its ``-s`` option), and
speech-dispatcher's default rate is about the same. The estimate here uses a slower 150, so
a slower desktop voice still finishes, plus a short lead for the chime that comes first.
Pure: no Qt, no I/O.
"""

from __future__ import annotations

import math

WORDS_PER_MINUTE = 150.0
"""The speaking rate assumed (slower than espeak-ng's default of 175, for headroom)."""
LEAD_SECONDS = 0.5
"""The chime before a step's line, and the voice's start-up."""
TRANSLATION_HEADROOM = 1.35
"""A step leaves this much more time than its English line needs: the translations run up to
about a third longer (French and Italian cues have up to 1.38 times the characters)."""


def word_count(text: str) -> int:
    """Words in ``text`` (runs of characters between spaces)."""
    return len(text.split())


def speech_seconds(text: str) -> float:
    """Seconds it takes to say ``text`` at ``WORDS_PER_MINUTE`` (0 for no text)."""
    words = word_count(text)
    return 0.0 if words == 0 else LEAD_SECONDS + words * 60.0 / WORDS_PER_MINUTE


def hold_seconds_for(spoken_seconds: float) -> int:
    """The shortest whole-second hold in which a line of ``spoken_seconds`` (in English) is said in full,
    in any language (``TRANSLATION_HEADROOM``)."""
    return max(1, math.ceil(spoken_seconds * TRANSLATION_HEADROOM))


def reps_for(spoken_seconds: float, seconds_per_rep: float) -> int:
    """The fewest reps in which a line of ``spoken_seconds`` (in English; any language with
    ``TRANSLATION_HEADROOM``) is said before "Last one." interrupts it.

    The step's line starts with the first rep; "Last one." is spoken when the last rep
    starts (with two reps or more), so the line has ``(reps - 1)`` reps' time, or one rep's
    time when there is only one.
    """
    needed = spoken_seconds * TRANSLATION_HEADROOM
    if needed <= seconds_per_rep:
        return 1
    return math.ceil(needed / seconds_per_rep) + 1
