"""The drill window playing a routine: its drills in turn, "Step 2 of 5 · Hip hinge", the time left.

A thin layer over ``DrillWindow``: the intents go to a ``RoutineSession`` (core), and
whenever it moves on to the next drill the window renders that drill's session (its
name, figure, steps and safety note). One run is one session to the engine, with the id
``routine:<id>``; ``drill_finished`` / ``drill_ended_early`` carry that id. Next drill
(Page Down) leaves the drill under way; Skip part (Right) skips a part of the drill under way
(the counter says "Part 2 of 3", the header "Drill 2 of 5"); End (Esc) stops the routine. A routine
counts as done once half its drills' time was spent in it, skipped parts and drills or not.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from unsit.core.clock import Clock
from unsit.core.drill_cues import Cue, CueTracker, Sound
from unsit.core.drill_session import State, StepChanged, format_mm_ss
from unsit.core.routine_session import DrillChanged, RoutineSession
from unsit.core.routines import Routine
from unsit.platform.speech import Speaker
from unsit.text.drill_text import drill_name, drill_safety, routine_name, routine_notes
from unsit.text.i18n import _
from unsit.ui.drill_end import CLOSE_AFTER_SECONDS
from unsit.ui.drill_window import DrillWindow, Runner

ROUTINE_WINDOW_SIZE = (480, 520)
"""Wider than a drill's: four buttons in a row (Pause, Skip part, Next drill, End) fit in German."""


class RoutineWindow(DrillWindow):
    """Guides the user through a routine, drill after drill.

    Args:
        routine: the routine to play (its drills already fitted to their lengths).
        clock: the injected clock.
        The other arguments are the drill window's (the drill-length setting does not apply:
        the routine says how long each drill takes).

    Signals:
        drill_finished(session_id, duration_seconds) and drill_ended_early(session_id,
        elapsed_seconds), with the session id ``routine:<id>``.
    """

    window_size = ROUTINE_WINDOW_SIZE

    def __init__(
        self,
        routine: Routine,
        clock: Clock,
        *,
        sounds_enabled: bool = True,
        cue_player: Callable[[str], object] | None = None,
        speak_cues: bool = False,
        speaker: Speaker | None = None,
        drills_today: Callable[[], int | None] | None = None,
        close_after_seconds: float = CLOSE_AFTER_SECONDS,
        parent: QWidget | None = None,
    ) -> None:
        self.routine = routine
        self.routine_session = RoutineSession(routine, clock)
        super().__init__(routine.steps[0].drill, clock, sounds_enabled=sounds_enabled, cue_player=cue_player,
                         speak_cues=speak_cues, speaker=speaker, drills_today=drills_today,
                         close_after_seconds=close_after_seconds, parent=parent)
        self.session = self.routine_session.current
        self.setObjectName("routine_window")
        self.setWindowTitle(_("Unsit — {routine}").format(routine=routine_name(routine)))
        self.setAccessibleName(_("Routine: {routine}").format(routine=routine_name(routine)))
        self.name_label.setText(routine_name(routine))
        self.name_label.setAccessibleName(_("Routine name"))
        self.detail_label.setAccessibleName(_("Which drill of the routine, and the time left"))
        self.next_button = self._button("next_button", _("Next drill"), _("Go on to the next drill (Page Down)"),
                                        self.skip_drill)
        self.next_button.setToolTip(_("Page Down"))
        self.button_row.insertWidget(2, self.next_button)
        shortcut = QShortcut(QKeySequence(Qt.Key.Key_PageDown), self)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(self.skip_drill)
        self._refresh()

    def _make_runner(self, clock: Clock) -> Runner:
        return self.routine_session

    @property
    def session_id(self) -> str:
        return self.routine.session_id

    @property
    def title(self) -> str:
        return routine_name(self.routine)

    def _counted_seconds(self, duration_seconds: float) -> float:
        return duration_seconds  # the routine's total counts each drill's get-ready ("next up") moment

    def _step_text(self, step: int, count: int) -> str:
        return _("Part {part} of {count}").format(part=step, count=count)

    def _skip_texts(self) -> tuple[str, str]:
        return _("Skip part"), _("Skip this part of the drill (Right arrow)")

    def _cues_for(self, events: Sequence[object]) -> list[Cue]:
        """The drill's cues; when a drill begins, its get-ready line first names it."""
        cues = super()._cues_for(events)
        r = self.routine_session
        if any(isinstance(e, DrillChanged) for e in events):
            line = _("Next: {drill}.").format(drill=drill_name(self.drill))
        elif r.index == 0 and StepChanged(State.GET_READY, 0) in events:
            line = _("{routine}. First: {drill}.").format(routine=routine_name(self.routine),
                                                          drill=drill_name(self.drill))
        else:
            return cues
        named = [replace(c, speech=f"{line} {c.speech}".strip()) if c.sound is Sound.READY else c for c in cues]
        return named if named != cues else [Cue(None, line), *cues]

    # --- intents --------------------------------------------------------------------
    @Slot()
    def skip_drill(self) -> None:
        """Leave the drill under way and start the next one (after the last, the routine ends)."""
        self._handle(self.routine_session.skip_drill())

    # --- following the routine ------------------------------------------------------
    def _follow_runner(self, events: Sequence[object]) -> None:
        if any(isinstance(e, DrillChanged) for e in events):
            self.session = self.routine_session.current
            self.drill = self.session.drill
            self._cue_tracker = CueTracker()
            self.safety_label.setText(drill_safety(self.drill))

    def _refresh_header(self) -> None:
        r = getattr(self, "routine_session", None)
        next_button = getattr(self, "next_button", None)
        if r is None or next_button is None:  # still being built
            return
        if r.done:
            header = _("{count} drills · {total} in total").format(
                count=r.count, total=format_mm_ss(self.routine.total_seconds()))
        else:
            header = _("Drill {number} of {count} · {drill} · {left} left").format(
                number=r.index + 1, count=r.count, drill=drill_name(self.drill), left=format_mm_ss(r.left_seconds))
        if not r.done and r.index == 0 and self.routine.notes:  # the notes stay through the first drill
            header = f"{header}\n{routine_notes(self.routine)}"
        self.detail_label.setText(header)
        self.detail_label.setAccessibleDescription(header)
        next_button.setVisible(not r.done)

    def describe(self) -> dict[str, Any]:
        """The drill window's data plus where the routine is, for `unsit status --json`."""
        data = super().describe()
        r = self.routine_session
        data["state"] = r.state.value
        data["routine"] = {"id": self.routine.id, "name": self.routine.name, "step": r.index + 1,
                           "step_count": r.count, "drill": self.drill.id,
                           "left_seconds": round(r.left_seconds, 1)}
        return data
