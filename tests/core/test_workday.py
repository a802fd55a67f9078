"""A simulated 9-hour workday, ticked every 5 seconds, with exact resets and nudges.

The day runs on real elapsed time (boottime), shown as clock times from 08:00. While
working, the user types except for a reading pause every ten minutes (:05:00 to :07:30
of each ten minutes, 2.5 minutes without input, which still counts as sitting).

    08:00  work
    08:50  meeting away from the desk (30 min)      -> streak ends 08:55:00 (away)
    09:20  back at work                             -> new streak from 09:20:05
    10:20:05 nudge; 10:21 snooze; 10:31 nudge; ignored -> 10:41 repeat
    10:42  drill for 2 min, finished 10:44          -> streak ends (drill)
    11:44  nudge; 11:45 skip (next would be 12:45)
    12:00  lunch, screen locked 45 min              -> streak ends 12:05:00 (locked)
    12:45  unlock, work
    13:30  laptop suspended 20 min                  -> streak ends on resume (asleep)
    14:00  the wall clock jumps back an hour (DST), later forward 90 s (NTP)
    14:50:05 nudge; 14:55 drill, finished 14:57:30  -> streak ends (drill)
    15:57:35 nudge (due 15:57:30 during a reading pause, delivered on the next input)
    16:07:35 repeat; 16:08 snooze; 16:18 nudge, then ignored every 10 min until 17:00
"""

from __future__ import annotations

import pytest

from tests.core.test_engine import Desk
from unsit.core.events import EndReason, NudgeDue, Phase, StreakEnded

STEP_SECONDS = 5.0


def seconds_since_eight(hhmmss: str) -> float:
    parts = [int(p) for p in hhmmss.split(":")] + [0]
    hours, minutes, secs = parts[0], parts[1], parts[2]
    return (hours - 8) * 3600 + minutes * 60 + secs


def clock_time(seconds: float) -> str:
    total = round(seconds) + 8 * 3600
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"


def typing_in_window_ending(seconds: float) -> bool:
    """Input in the tick window (seconds - 5, seconds]: not inside a reading pause."""
    offset = (seconds - STEP_SECONDS) % 600
    return offset < 300 or offset >= 450


class Workday(Desk):
    """A Desk that keeps a timeline of events by real clock time."""

    def __init__(self, clock, idle_through_sleep: bool):
        super().__init__(clock, idle_through_sleep=idle_through_sleep)
        self.boot0 = clock.boottime()
        self.timeline: list[tuple[str, object]] = []

    def elapsed(self) -> float:
        return self.clock.boottime() - self.boot0

    def now(self) -> str:
        return clock_time(self.elapsed())

    def _keep(self, events: list) -> None:
        super()._keep(events)
        self.timeline += [(self.now(), e) for e in events]

    def work_until(self, hhmmss: str) -> None:
        target = seconds_since_eight(hhmmss)
        while self.elapsed() < target - 1e-6:
            self.clock.advance(STEP_SECONDS)
            if not self.locked and typing_in_window_ending(self.elapsed()):
                self.last_input = self._now()
            self.tick()

    def away_until(self, hhmmss: str) -> None:
        target = seconds_since_eight(hhmmss)
        while self.elapsed() < target - 1e-6:
            self.clock.advance(STEP_SECONDS)
            self.tick()

    def events_of(self, kind) -> list[tuple[str, object]]:
        return [(t, e) for t, e in self.timeline if isinstance(e, kind)]


@pytest.mark.parametrize("idle_through_sleep", [True, False], ids=["idle-counts-in-sleep", "idle-stops-in-sleep"])
def test_a_workday(fake_clock, idle_through_sleep):
    day = Workday(fake_clock, idle_through_sleep)

    day.work_until("08:50")
    assert day.streak == 3000
    day.away_until("09:20")  # meeting
    assert day.phase is Phase.AWAY
    day.work_until("09:27:30")  # in a reading pause: still counts
    assert day.streak == pytest.approx(445)
    assert not day.engine.status().present

    day.work_until("10:21")
    assert day.phase is Phase.NUDGE_DUE
    day.call("snooze")
    assert day.phase is Phase.SNOOZED
    day.work_until("10:42")
    day.call("start_drill", "d")
    day.away_until("10:44")  # doing the drill
    assert day.phase is Phase.IN_DRILL
    day.call("finish_drill", "extension-1", 120.0)
    assert day.streak == 0
    assert day.phase is Phase.SITTING

    day.work_until("11:45")
    day.call("skip")
    assert day.phase is Phase.SKIPPED
    day.work_until("12:00")
    assert day.streak == 4560
    day.locked = True  # lunch
    day.away_until("12:45")
    assert day.phase is Phase.AWAY
    day.locked = False
    day.last_input = day._now()  # typing the password
    day.work_until("13:30")
    assert day.streak == 2700

    streak_before = day.streak
    day.clock.suspend(1200)  # 13:30 -> 13:50, lid closed
    assert day.now() == "13:50:00"
    day.work_until("14:00")
    assert day.streak == 595  # from the first input after the resume at 13:50:05
    day.clock.jump_wall(-3600)  # DST ends
    assert day.tick() == []
    assert day.streak == 595
    day.work_until("14:30")
    day.clock.jump_wall(90)  # NTP correction
    assert day.tick() == []
    day.work_until("14:55")
    day.call("start_drill", "d")
    day.away_until("14:57:30")
    day.call("finish_drill", "rotation-1", 150.0)

    day.work_until("16:08")
    day.call("snooze")
    day.work_until("17:00")

    assert [(t, e.streak_seconds, e.reason) for t, e in day.events_of(StreakEnded)] == [
        ("08:55:00", 3000, EndReason.AWAY),
        ("10:44:00", 4915, EndReason.DRILL),
        ("12:05:00", 4560, EndReason.LOCKED),
        ("13:50:05", streak_before, EndReason.ASLEEP),
        ("14:57:30", 3895, EndReason.DRILL),
    ]
    assert [(t, e.streak_seconds, e.repeat) for t, e in day.events_of(NudgeDue)] == [
        ("10:20:05", 3600, 0),
        ("10:31:00", 4255, 0),  # snoozed at 10:21:00 (streak 3655)
        ("10:41:00", 4855, 1),  # ignored, repeated
        ("11:44:00", 3600, 0),  # skipped at 11:45; 12:45 never came: lunch ended the streak
        ("14:50:05", 3600, 0),
        ("15:57:35", 3605, 0),  # due in a reading pause, waited for the user
        ("16:07:35", 4205, 1),
        ("16:18:00", 4830, 0),  # snoozed at 16:08:00 (streak 4230)
        ("16:28:00", 5430, 1),
        ("16:38:00", 6030, 2),
        ("16:48:00", 6630, 3),
        ("16:58:00", 7230, 4),
    ]
    nudge_streaks = [e.streak_seconds for _, e in day.events_of(NudgeDue)]
    assert len(nudge_streaks) == 12
    assert day.phase is Phase.NUDGE_DUE
    assert day.streak == 7350
