"""The drill window: illustration, cue, countdown ring and controls for one drill run.

It only renders a ``DrillSession`` (core) and forwards the user's intents to it. One
named QTimer ("drill_tick") ticks the session while the window is shown and running, when
the countdown's next second is due or the next rep begins (``next_tick_ms``); the figure's
own frame timer paints it while it moves. The clock is injected so tests drive it with a
FakeClock. Imported lazily by the app.

Keys: Space pauses/resumes (wherever the focus is), Right skips the step, Esc ends the
drill (ended early), Tab + Return activates the focused button, and
at the end Return or Esc closes it. Closing the window before the end counts as ended
early. The window deletes itself when closed (``WA_DeleteOnClose``).

Sounds and spoken cues come from ``core.drill_cues`` (decided) and ``DrillCuePlayer``
(played); the end screen and closing itself afterwards from ``ui.drill_end``.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QCursor,
    QFont,
    QGuiApplication,
    QHideEvent,
    QKeySequence,
    QPalette,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from unsit.core.clock import Clock
from unsit.core.drill_cues import Cue, CueTracker
from unsit.core.drill_session import (
    GET_READY_SECONDS,
    DrillSession,
    EndedEarly,
    Finished,
    State,
    StepChanged,
    format_mm_ss,
)
from unsit.core.drills import Drill
from unsit.platform.speech import Speaker
from unsit.text.drill_text import drill_name, drill_purpose, drill_safety, step_cue
from unsit.text.i18n import N_, _
from unsit.ui.drill_cue_player import DrillCuePlayer
from unsit.ui.drill_end import CLOSE_AFTER_SECONDS, AutoCloser, end_text
from unsit.ui.figure_view import FigureView, Scene
from unsit.ui.floating import DIALOG_FLAGS, fix_size
from unsit.ui.progress_ring import ProgressRing, accent_text

log = logging.getLogger(__name__)

TICK_MS = 1000
"""The countdown's longest tick: it comes when the countdown's next second is due or the next rep
begins (``next_tick_ms``), and at most this far apart. The figure's own frame timer paints it while
it moves; the tick repaints the ring (once a second) and counts reps on time."""
WINDOW_SIZE = (420, 520)
SIDE_TEXT = {"left": N_("Left leg"), "right": N_("Right leg"), "both": N_("Both legs")}


class Runner(Protocol):
    """What the window drives: a ``DrillSession``, or a ``RoutineSession`` playing drills in turn."""

    def start(self) -> Sequence[object]: ...
    def tick(self) -> Sequence[object]: ...
    def pause(self) -> Sequence[object]: ...
    def resume(self) -> None: ...
    def skip_step(self) -> Sequence[object]: ...
    def end_early(self) -> Sequence[object]: ...
    @property
    def state(self) -> State: ...
    @property
    def running(self) -> bool: ...
    @property
    def done(self) -> bool: ...


def _default_player(kind: str) -> None:
    from unsit.platform.sound import play_cue

    play_cue(kind)


class DrillWindow(QWidget):
    """Guides the user through one drill.

    Args:
        drill: the drill to run.
        clock: the injected clock.
        length: settings.drill_length ("short", "standard", "long").
        sounds_enabled: play the get-ready, step, rep and end sounds.
        cue_player: plays a sound kind ("ready", "step", "tick", "end"); defaults to
            platform.sound.play_cue.
        speak_cues: speak the cues through ``speaker``.
        speaker: the system voice (platform.speech); None speaks nothing.
        drills_today: returns how many drills are done today (None: unknown), read
            for the end screen after ``drill_finished`` was emitted.
        close_after_seconds: the finished window closes itself this long after the end
            (longer while the pointer is over it).
        parent: optional parent widget.

    Signals:
        drill_finished(drill_id, duration_seconds): the last step ran out.
        drill_ended_early(drill_id, elapsed_seconds): End, Esc or closing the window.
    """

    drill_finished = Signal(str, float)
    drill_ended_early = Signal(str, float)
    window_size: tuple[int, int] = WINDOW_SIZE

    def __init__(
        self,
        drill: Drill,
        clock: Clock,
        *,
        length: str = "standard",
        sounds_enabled: bool = True,
        cue_player: Callable[[str], object] | None = None,
        speak_cues: bool = False,
        speaker: Speaker | None = None,
        drills_today: Callable[[], int | None] | None = None,
        close_after_seconds: float = CLOSE_AFTER_SECONDS,
        parent: QWidget | None = None,
    ) -> None:
        # A dialog of fixed size: tiling window managers (i3, sway) float it instead of filling the screen.
        super().__init__(parent, DIALOG_FLAGS)
        self.setObjectName("drill_window")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.drill = drill
        self.session = DrillSession(drill, clock, length)
        self.runner: Runner = self._make_runner(clock)
        self._cue_tracker = CueTracker()
        self.cue_player = DrillCuePlayer(cue_player or _default_player, speaker,
                                         sounds_enabled=sounds_enabled, speak_cues=speak_cues)
        self._drills_today = drills_today
        self._end_text = ""
        self._finished_seconds = 0.0
        self.auto_closer = AutoCloser(self, clock, close_after_seconds=close_after_seconds)
        self.auto_closer.countdown_changed.connect(self._show_countdown)
        self._reported = False
        fix_size(self, QSize(*self.window_size))
        self._timer = QTimer(self)
        self._timer.setObjectName("drill_tick")
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.tick)
        self._build()
        self.retranslate()

    def retranslate(self) -> None:
        """Put every text in the language in use (at start and when the language changes)."""
        name = self.title
        self.setWindowTitle(_("Unsit — {drill}").format(drill=name))
        self.setAccessibleName(_("Drill: {drill}").format(drill=name))
        self.name_label.setText(name)
        total = format_mm_ss(self.drill.total_seconds(self.session.scale))
        self.detail_label.setText(_("{purpose}\n{total} in total").format(purpose=drill_purpose(self.drill),
                                                                           total=total))
        self.safety_label.setText(drill_safety(self.drill))
        for label, accessible in ((self.name_label, _("Drill name")),
                                  (self.detail_label, _("What the drill is for and how long it takes")),
                                  (self.step_label, _("Step")), (self.side_label, _("Side")),
                                  (self.cue_label, _("What to do now")), (self.safety_label, _("Safety note"))):
            label.setAccessibleName(accessible)
        self.ring.setAccessibleName(_("Time left in this step"))
        self.figure_view.setAccessibleName(_("Drill illustration"))
        for button, accessible, key in (
                (self.pause_button, _("Pause or resume the drill (Space)"), _("Space")),
                (self.skip_button, self._skip_texts()[1], _("Right arrow")),
                (self.end_button, _("End the drill now (Escape)"), _("Esc")),
                (self.done_button, _("Close the finished drill (Return)"), "")):
            button.setAccessibleName(accessible)
            if key:
                button.setToolTip(key)
        self.skip_button.setText(self._skip_texts()[0])
        self.end_button.setText(_("End"))
        if self.runner.state is State.FINISHED and self.auto_closer.active:
            self._show_end(self._finished_seconds)
        else:
            self.done_button.setText(_("Done"))
        self._refresh()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Qt's LanguageChange (the language setting changed): retranslate."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _make_runner(self, clock: Clock) -> Runner:
        """What the intents go to (the drill session itself; a routine window plays a routine)."""
        return self.session

    @property
    def session_id(self) -> str:
        """The id the engine and history know this run by (the drill's id)."""
        return self.drill.id

    @property
    def title(self) -> str:
        """What the end screen says was done."""
        return drill_name(self.drill)

    # --- layout -----------------------------------------------------------------
    def _label(self, name: str, accessible: str, *, size_delta: float = 0, bold: bool = False) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setAccessibleName(accessible)
        label.setWordWrap(True)
        font = QFont(self.font())
        if size_delta:
            font.setPointSizeF(max(6.0, font.pointSizeF() + size_delta))
        font.setBold(bold)
        label.setFont(font)
        return label

    def _button(self, name: str, text: str, accessible: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(accessible)
        button.clicked.connect(slot)
        return button

    def _build(self) -> None:
        self.name_label = self._label("name_label", "Drill name", size_delta=4, bold=True)
        self.name_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail_label = self._label("detail_label", "What the drill is for and how long it takes", size_delta=-1)
        self.detail_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.figure_view = FigureView(240, self)
        self.ring = ProgressRing(112, self)
        self.step_label = self._label("step_label", "Step", size_delta=2, bold=True)  # the count, a step away
        self.side_label = self._label("side_label", "Side", size_delta=2, bold=True)  # the side, a step away
        self.cue_label = self._label("cue_label", "What to do now", size_delta=3)  # readable a step away
        self.cue_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.cue_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.safety_label = self._label("safety_label", "Safety note", size_delta=-1.5)
        muted = self.safety_label.palette()
        text_colour = muted.color(QPalette.ColorRole.WindowText)
        base = muted.color(QPalette.ColorRole.Window)
        mixed = zip((text_colour.red(), text_colour.green(), text_colour.blue()),
                    (base.red(), base.green(), base.blue()), strict=True)
        # 70% text on 30% background
        muted.setColor(QPalette.ColorRole.WindowText, QColor(*(round(0.7 * a + 0.3 * b) for a, b in mixed)))
        self.safety_label.setPalette(muted)
        self.pause_button = self._button("pause_button", "Pause", "Pause or resume the drill (Space)",
                                         self.toggle_pause)
        self.skip_button = self._button("skip_button", "Skip step", "Skip this step (Right arrow)", self.skip_step)
        self.end_button = self._button("end_button", "End", "End the drill now (Escape)", self.end_drill)
        self.done_button = self._button("done_button", "Done", "Close the finished drill (Return)", self.close)
        self.done_button.setVisible(False)

        info = QVBoxLayout()
        info.setSpacing(2)
        info.addWidget(self.step_label)
        info.addWidget(self.side_label)
        info.addWidget(self.cue_label, 1)
        middle = QHBoxLayout()
        middle.setSpacing(14)
        middle.addWidget(self.ring, 0, Qt.AlignmentFlag.AlignTop)
        middle.addLayout(info, 1)
        buttons = self.button_row = QHBoxLayout()
        for button in (self.pause_button, self.skip_button, self.end_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)
        root = QVBoxLayout(self)
        root.setContentsMargins(18, 14, 18, 14)
        root.setSpacing(8)
        root.addWidget(self.name_label)
        root.addWidget(self.detail_label)
        root.addWidget(self.figure_view, 1)
        root.addLayout(middle)
        root.addWidget(self.safety_label)
        root.addLayout(buttons)
        self.step_label.setWordWrap(False)
        self.side_label.setWordWrap(False)
        side_palette = self.side_label.palette()
        side_palette.setColor(QPalette.ColorRole.WindowText, accent_text(side_palette.color(QPalette.ColorRole.Window)))
        self.side_label.setPalette(side_palette)

        for key, slot in (
            (Qt.Key.Key_Space, self.toggle_pause),
            (Qt.Key.Key_Right, self.skip_step),
            (Qt.Key.Key_Escape, self.end_or_close),
            (Qt.Key.Key_Return, self._return_pressed),
            (Qt.Key.Key_Enter, self._return_pressed),
        ):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
        self.pause_button.setFocus()

    # --- placement ----------------------------------------------------------------
    def show_on_mouse_screen(self) -> None:
        """Show centred on the screen under the mouse pointer, on top, focused."""
        screen = QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()
        if screen is not None:
            area: QRect = screen.availableGeometry()
            width, height = min(self.window_size[0], area.width()), min(self.window_size[1], area.height())
            fix_size(self, QSize(width, height))
            self.move(area.center() - QPoint(width // 2, height // 2))
        self.show()
        self.raise_()
        self.activateWindow()

    # --- Qt events ----------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.runner.state is State.READY:
            self._handle(self.runner.start())
        if self.runner.running:
            self._timer.start()
            self._pace_tick()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        self._timer.stop()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self._timer.stop()
        self.auto_closer.cancel()
        self.cue_player.stop()
        if not self._reported:
            self._handle(self.runner.end_early())
            if not self._reported:  # never started: nothing was done
                self._report_ended_early(0.0)
        super().closeEvent(event)

    # --- intents --------------------------------------------------------------------
    @Slot()
    def tick(self) -> None:
        """Advance the session to the clock's time and redraw."""
        self._handle(self.runner.tick())

    @Slot()
    def toggle_pause(self) -> None:
        """Pause when running, resume when paused."""
        if self.runner.state is State.PAUSED:
            self.runner.resume()
            if self.isVisible():
                self._timer.start()  # paced by the _refresh below
        elif self.runner.running:
            self._timer.stop()
            self.cue_player.stop()
            self._handle(self.runner.pause())
        self._refresh()

    @Slot()
    def skip_step(self) -> None:
        """Jump to the next phase (the last skip finishes the drill)."""
        self._handle(self.runner.skip_step())

    @Slot()
    def end_drill(self) -> None:
        """Stop now, report it as ended early, and close."""
        self._handle(self.runner.end_early())
        self.close()

    @Slot()
    def end_or_close(self) -> None:
        """Esc: close when finished, otherwise end the drill early."""
        if self.runner.state is State.FINISHED:
            self.close()
        else:
            self.end_drill()

    @Slot()
    def _return_pressed(self) -> None:
        if self.runner.state is State.FINISHED:
            self.close()
        else:
            focused = self.focusWidget()
            if isinstance(focused, QPushButton) and focused.isVisible():
                focused.click()

    # --- events from the session ---------------------------------------------------
    def _handle(self, events: Sequence[object]) -> None:
        self._follow_runner(events)
        if self.isVisible():  # hook: step started, rep counted, drill finished
            self.cue_player.play(self._cues_for(events))
        for event in events:
            if isinstance(event, Finished):
                self._timer.stop()
                if not self._reported:
                    self._reported = True
                    self.drill_finished.emit(self.session_id, float(event.duration_seconds))
                self._show_end(event.duration_seconds)
            elif isinstance(event, EndedEarly):
                self._timer.stop()
                self.cue_player.stop()
                self._report_ended_early(event.elapsed_seconds)
        self._refresh()

    def _show_end(self, duration_seconds: float) -> None:
        """The end screen: what was done, then close a few seconds later."""
        today: int | None = None
        if self._drills_today is not None:
            try:
                today = self._drills_today()
            except Exception:
                log.debug("drills today unknown", exc_info=True)
        self._finished_seconds = duration_seconds
        self._end_text = end_text(self.title, self._counted_seconds(duration_seconds), today)
        self.auto_closer.start()

    @Slot(int)
    def _show_countdown(self, seconds_left: int) -> None:
        text = _("Done") if seconds_left < 0 else _("Done · closes in {seconds} s").format(seconds=seconds_left)
        self.done_button.setText(text)
        self.done_button.setAccessibleDescription(
            _("Stays open while the pointer is over the window") if seconds_left < 0 else text)

    def _report_ended_early(self, elapsed_seconds: float) -> None:
        if not self._reported:
            self._reported = True
            self.drill_ended_early.emit(self.session_id, float(elapsed_seconds))

    def describe(self) -> dict[str, Any]:
        """Plain data about the running drill for `unsit status --json`."""
        s = self.session
        return {
            "id": self.drill.id, "name": self.drill.name, "title": self.windowTitle(), "cue": self.cue_label.text(),
            "state": s.state.value,
            "step": s.step_index + 1, "step_count": s.step_count, "side": s.step.side,
            "remaining_seconds": round(s.remaining_seconds, 1),
            "total_seconds": round(self.drill.total_seconds(s.scale), 1),
            "steps_seconds": round(s.steps_seconds, 1),  # a drill counts as done after half of these
            "active_seconds": round(s.active_seconds, 1),
            "illustration": {"drawn": self.figure_view.paint_count > 0, "poses": list(s.step.pose_names),
                             "moving": self.figure_view.animating},
        }

    def _cues_for(self, events: Sequence[object]) -> list[Cue]:
        """What to hear for a batch of events (a routine also names the drill coming up)."""
        heard = [e for e in events if isinstance(e, (StepChanged, Finished, EndedEarly))]
        return self._cue_tracker.cues_for(heard, self.session)

    def _counted_seconds(self, duration_seconds: float) -> float:
        """The length as the header counts it: the get-ready countdown is not part of the drill."""
        return max(0.0, duration_seconds - GET_READY_SECONDS)

    def _skip_texts(self) -> tuple[str, str]:
        """The skip button's text and accessible name (a routine skips a part of the drill)."""
        return _("Skip step"), _("Skip this step (Right arrow)")

    def _step_text(self, step: int, count: int) -> str:
        """The step label during a step (a routine calls a drill's steps parts)."""
        return _("Step {number} of {count}").format(number=step, count=count)

    def _follow_runner(self, events: Sequence[object]) -> None:
        """Hook: the runner may have moved on to another drill (a routine window follows it)."""

    def _refresh_header(self) -> None:
        """Hook: redraw what changes above the figure (a routine's step and time left)."""

    # --- rendering ------------------------------------------------------------------
    def _refresh(self) -> None:
        s = self.session
        phase = s.phase_state
        step = s.step
        paused = self.runner.state is State.PAUSED
        finished = self.runner.state is State.FINISHED
        over = self.runner.done
        side = _(SIDE_TEXT[step.side]) if step.side in SIDE_TEXT else ""
        step_cue_text = step_cue(self.drill, step)
        if phase in (State.READY, State.GET_READY):
            step_text = _("Get ready")
            side_text = _("{side} first").format(side=side) if step.side != "both" else side
            cue = _("Coming up: {cue}").format(cue=step_cue_text)
        elif phase is State.SWITCH_SIDES:
            step_text, side_text = _("Switch sides"), _("{side} next").format(side=side)
            cue = (_("Switch sides and get set for the left leg.") if step.side == "left"
                   else _("Switch sides and get set for the right leg."))
        elif finished:
            step_text, side_text = _("Done"), ""
            cue = self._end_text or _("Well done! That's the drill finished.")
        elif self.runner.state is State.ENDED_EARLY:
            step_text, side_text = _("Ended"), ""
            cue = _("Good that you moved. A drill counts as done from half its time on, "
                    "and most of this one was skipped: try it in full next time.")
        else:
            step_text = self._step_text(s.step_index + 1, s.step_count)
            rep = s.rep
            if rep is not None:  # a line of its own: "Schritt 2 von 2 · Wiederholung 2 von 2" is too wide
                step_text += "\n" + _("rep {number} of {count}").format(number=rep[0], count=rep[1])
            side_text, cue = side, step_cue_text
        if paused:
            step_text = _("Paused  ·  {step}").format(step=step_text)
        self.step_label.setText(step_text)
        self.side_label.setText(side_text)
        self.side_label.setVisible(bool(side_text))  # an empty side line is a blank line
        self.side_label.setAccessibleDescription(side_text)
        self.cue_label.setText(cue)
        self.cue_label.setAccessibleDescription(cue)
        if finished:
            self.ring.set_done()
        else:
            self.ring.set_progress(s.step_fraction, format_mm_ss(s.remaining_seconds))
        self._show_figure()
        self.pause_button.setText(_("Resume") if paused else _("Pause"))
        for button in (self.pause_button, self.skip_button, self.end_button):
            button.setVisible(not over)
        if over and self.done_button.isHidden():
            self.done_button.setVisible(True)
            self.done_button.setFocus()
        self._refresh_header()
        self._pace_tick()

    def _pace_tick(self) -> None:
        """Time the next tick for the countdown's next second or the next rep (see ``next_tick_ms``)."""
        if self._timer.isActive():
            s = self.session
            per_rep = s.step.seconds_per_rep if s.rep is not None else None
            rep_left = None if not per_rep else per_rep - math.fmod(s.phase_elapsed_seconds, per_rep)
            interval = next_tick_ms(s.remaining_seconds, rep_left)
            if interval != self._timer.interval():
                self._timer.setInterval(interval)  # restarts it: counted from now

    def _show_figure(self) -> None:
        """Show the session's pose now; animate only while the figure moves."""
        s = self.session
        step = s.step
        frame = s.figure_now()
        scene = Scene.for_step(step, frame.pose)
        if frame.moving and s.running and self.isVisible():
            # The frame timer draws the moving figure; the countdown tick leaves it alone, else each
            # tick would add a paint between two frames.
            if not self.figure_view.animating:
                self.figure_view.show_scene(scene)
            self.figure_view.follow(s.figure_now, scene)
        else:
            self.figure_view.show_scene(scene)
            self.figure_view.stop()


def next_tick_ms(remaining_seconds: float, rep_left_seconds: float | None = None) -> int:
    """Milliseconds until the countdown of ``remaining_seconds`` shows its next whole second, or
    the next rep begins (``rep_left_seconds``), whichever is first: just after it, at most
    ``TICK_MS`` and at least 20 ms."""
    fraction = remaining_seconds - math.floor(remaining_seconds)
    due = fraction if fraction > 1e-9 else 1.0
    if rep_left_seconds is not None and rep_left_seconds > 1e-9:
        due = min(due, rep_left_seconds)
    return max(20, min(TICK_MS, math.ceil(due * 1000) + 5))
