"""What to hear during a drill: sounds and spoken lines, decided from the session.

``CueTracker`` is fed each batch of session events (and reads the session after it) and
answers with the cues of that moment: a get-ready sound before the first step and before
each side, a chime and the spoken cue when a step starts (the first step's
line ends with the drill's one-line safety note, so it is heard, not only shown), a soft tick on every rep after
the first (in time with the rep, "last one" spoken on the last), and a finish sound with
"done". When a stall crosses several phases at once only the phase reached is cued, so
a late tick never fires a burst of sounds. Pure: no Qt, no clock, no I/O.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from unsit.core.drill_session import DrillSession, Finished, SessionEvent, State, StepChanged
from unsit.core.drills import spoken_line
from unsit.text.drill_text import drill_safety, step_cue
from unsit.text.i18n import N_, _

FIRST_SIDE_TEXT = {"left": N_("Left leg first."), "right": N_("Right leg first."), "both": ""}
NEXT_SIDE_TEXT = {"left": N_("Left leg next."), "right": N_("Right leg next."), "both": ""}
LAST_REP_TEXT = N_("Last one.")
DONE_TEXT = N_("Done. Well done.")
"""Spoken lines in English; each is spoken through ``_`` in the language in use."""


class Sound(enum.Enum):
    """The drill's sounds (assets/sounds/<value>.wav)."""

    READY = "ready"
    STEP = "step"
    TICK = "tick"
    END = "end"


@dataclass(frozen=True)
class Cue:
    """Something to hear now: a sound, a line to speak, or both."""

    sound: Sound | None = None
    speech: str = ""


def _translated(text: str) -> str:
    return _(text) if text else ""


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


class CueTracker:
    """Turns session events into cues; remembers which rep was last counted."""

    def __init__(self) -> None:
        self._counted: tuple[int, int] | None = None  # (step index, rep) last cued

    def cues_for(self, events: list[SessionEvent], session: DrillSession) -> list[Cue]:
        """The cues for one batch of events, read against the session as it is now."""
        cues: list[Cue] = []
        last = events[-1] if events else None
        if isinstance(last, Finished):
            cues.append(Cue(Sound.END, _(DONE_TEXT)))
        elif isinstance(last, StepChanged):
            cues.append(self._phase_cue(last, session))
        rep = session.rep if session.state is State.STEP else None
        if rep is not None:
            key = (session.step_index, rep[0])
            if key != self._counted:
                self._counted = key
                if rep[0] > 1 and not cues:
                    cues.append(Cue(Sound.TICK, _(LAST_REP_TEXT) if rep[0] == rep[1] else ""))
        return cues

    def _phase_cue(self, event: StepChanged, session: DrillSession) -> Cue:
        step = session.drill.steps[event.step_index]
        if event.state is State.GET_READY:
            return Cue(Sound.READY, _join(_("Get ready."), _translated(FIRST_SIDE_TEXT.get(step.side, ""))))
        if event.state is State.SWITCH_SIDES:
            return Cue(Sound.READY, _join(_("Switch sides."), _translated(NEXT_SIDE_TEXT.get(step.side, ""))))
        first = event.step_index == 0
        safety = drill_safety(session.drill) if first else ""
        return Cue(Sound.STEP, spoken_line(step_cue(session.drill, step), safety, first=first))
