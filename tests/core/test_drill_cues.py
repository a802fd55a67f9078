"""CueTracker: which sound and which spoken line at each moment of a drill, on a fake clock."""

from __future__ import annotations

from tests.core.test_drill_session import sided_drill
from tests.fakes import FakeClock
from unsit.core.drill_cues import DONE_TEXT, LAST_REP_TEXT, Cue, CueTracker, Sound
from unsit.core.drill_session import DrillSession


def run(seconds_per_tick: float, total_seconds: float) -> list[tuple[float, Cue]]:
    """Tick the sided drill (get ready 3, L hold 20, L 4x5 reps, switch 5, R hold 20, R 4x5) and log the cues."""
    clock = FakeClock()
    session = DrillSession(sided_drill(), clock)
    tracker = CueTracker()
    heard = [(0.0, cue) for cue in tracker.cues_for(session.start(), session)]
    elapsed = 0.0
    while elapsed < total_seconds - 1e-9:
        clock.advance(seconds_per_tick)
        elapsed += seconds_per_tick
        heard += [(round(elapsed, 1), cue) for cue in tracker.cues_for(session.tick(), session)]
    return heard


def test_the_whole_drill_in_order_and_in_time():
    heard = run(0.25, 90)  # a binary fraction: the clock sums it without rounding error
    assert heard == [
        (0.0, Cue(Sound.READY, "Get ready. Left leg first.")),
        (3.0, Cue(Sound.STEP, "L hold. s")),  # the first step ends with the safety note
        (23.0, Cue(Sound.STEP, "L reps.")),  # rep 1 is the step's own chime
        (28.0, Cue(Sound.TICK, "")),
        (33.0, Cue(Sound.TICK, "")),
        (38.0, Cue(Sound.TICK, LAST_REP_TEXT)),
        (43.0, Cue(Sound.READY, "Switch sides. Right leg next.")),
        (48.0, Cue(Sound.STEP, "R hold.")),
        (68.0, Cue(Sound.STEP, "R reps.")),
        (73.0, Cue(Sound.TICK, "")),
        (78.0, Cue(Sound.TICK, "")),
        (83.0, Cue(Sound.TICK, LAST_REP_TEXT)),
        (88.0, Cue(Sound.END, DONE_TEXT)),
    ]


def test_a_stall_cues_only_the_phase_reached_and_no_burst_of_ticks():
    heard = run(31, 62)  # one tick lands at 31 s (rep 2 of the left reps), one at 62 s (right hold)
    assert heard == [
        (0.0, Cue(Sound.READY, "Get ready. Left leg first.")),
        (31.0, Cue(Sound.STEP, "L reps.")),
        (62.0, Cue(Sound.STEP, "R hold.")),
    ]


def test_pause_and_resume_do_not_repeat_a_tick():
    clock = FakeClock()
    session = DrillSession(sided_drill(), clock)
    tracker = CueTracker()
    tracker.cues_for(session.start(), session)
    clock.advance(29)  # rep 2 of the left reps
    assert tracker.cues_for(session.tick(), session) == [Cue(Sound.STEP, "L reps.")]
    assert tracker.cues_for(session.pause(), session) == []
    clock.advance(300)
    assert tracker.cues_for(session.tick(), session) == []
    session.resume()
    clock.advance(0.5)
    assert tracker.cues_for(session.tick(), session) == []
    clock.advance(4)  # rep 3 starts at 33 s of drill time
    assert tracker.cues_for(session.tick(), session) == [Cue(Sound.TICK, "")]


def test_running_to_the_end_gives_the_finish_cue_and_skipping_through_does_not():
    clock = FakeClock()
    session = DrillSession(sided_drill(), clock)
    tracker = CueTracker()
    tracker.cues_for(session.start(), session)
    cues = []
    while not session.done:
        clock.advance(1)
        cues = tracker.cues_for(session.tick(), session) or cues
    assert cues == [Cue(Sound.END, DONE_TEXT)]
    assert tracker.cues_for(session.end_early(), session) == []

    skipped = DrillSession(sided_drill(), clock)  # skipping through does not count as done: no "well done"
    tracker = CueTracker()
    tracker.cues_for(skipped.start(), skipped)
    last = []
    while not skipped.done:
        last = tracker.cues_for(skipped.skip_step(), skipped)
    assert Cue(Sound.END, DONE_TEXT) not in last
