"""The morning routine offer (the second reminder kind) and the reminder-kind model, on the fake clock."""

from __future__ import annotations

import pytest

from tests.core.test_engine import Desk
from unsit.core.engine import Observation
from unsit.core.events import (
    NudgeDue,
    NudgeWithdrawn,
    QuietReason,
    ReminderAnswered,
    ReminderDue,
    ReminderHeld,
    ReminderWithdrawn,
    WallMoment,
    WithdrawReason,
)
from unsit.core.reminders import HOURLY_NUDGE, KINDS, MORNING_ROUTINE, Effect
from unsit.core.settings import Settings

KIND = MORNING_ROUTINE.key


class OfferDesk(Desk):
    """A Desk with a quiet set that counts the offers shown."""

    def __init__(self, clock, settings: Settings | None = None):
        super().__init__(clock, settings or Settings(interval_minutes=60, snooze_minutes=10))
        self.quiet: frozenset[QuietReason] = frozenset()

    def observation(self) -> Observation:
        base = super().observation()
        return Observation(idle_seconds=base.idle_seconds, locked=base.locked, quiet=lambda: self.quiet)

    def offers(self) -> list[ReminderDue]:
        return [e for e in self.events if isinstance(e, ReminderDue) and e.kind == KIND]

    def away_for(self, seconds: float) -> None:
        """No input for ``seconds`` (awake): the streak ends."""
        self.rest_for(seconds, step=60)


@pytest.fixture
def desk(fake_clock):
    return OfferDesk(fake_clock)


def test_the_kinds_are_data_with_stable_action_keys_and_effects():
    assert [a.key for a in MORNING_ROUTINE.actions] == ["start", "later", "not_today"]
    assert MORNING_ROUTINE.action("start").effect is Effect.START_ROUTINE
    assert MORNING_ROUTINE.action("start").routine_id == "morning"
    assert MORNING_ROUTINE.action("bogus") is None
    assert [a.key for a in HOURLY_NUDGE.actions] == ["drill", "snooze", "skip"]
    assert HOURLY_NUDGE.action("snooze").shown_label(10) == "Snooze 10 min"
    assert set(KINDS) == {"nudge", "morning_routine", "standing"}
    assert MORNING_ROUTINE.text(0) == ("Morning hip routine (about 5 min)", "A short routine to start the day loose.")


def test_a_held_reminder_body_can_say_how_long_it_was_held():
    kind = type(MORNING_ROUTINE)(key="k", title="T", body="plain {minutes}", actions=(),
                                 held_body="held {held_minutes} of {minutes}")
    assert kind.text(600) == ("T", "plain 10")
    assert kind.text(3120, frozenset({QuietReason.FULL_SCREEN}), 1800) == ("T", "held 30 of 52")


def test_the_first_sit_down_of_the_day_brings_one_offer(desk):
    desk.type_for(60)
    assert len(desk.offers()) == 1
    desk.type_for(3 * 3600)
    assert len(desk.offers()) == 1
    assert desk.engine.status().morning_offer == "shown"


def test_later_offers_again_after_snooze_minutes_of_sitting_only(desk):
    desk.type_for(60)
    events = desk.call("answer", KIND, "later")
    assert ReminderWithdrawn(kind=KIND, reason=WithdrawReason.ANSWERED) in events
    assert any(isinstance(e, ReminderAnswered) and e.effect == "later" for e in events)
    desk.away_for(30 * 60)  # away time does not count toward "later"
    assert len(desk.offers()) == 1
    desk.type_for(9 * 60)
    assert len(desk.offers()) == 1
    desk.type_for(2 * 60)
    assert len(desk.offers()) == 2


def test_not_today_ends_offers_until_the_next_unsit_day(desk):
    desk.type_for(60)
    desk.call("answer", KIND, "not_today")
    desk.type_for(4 * 3600)
    assert len(desk.offers()) == 1
    desk.clock.advance(20 * 3600)  # Tuesday 04:00 has passed
    desk.call("wall_moment", WallMoment.DAY_START)
    desk.type_for(60)
    assert len(desk.offers()) == 2


def test_start_asks_the_shell_for_the_morning_routine_once(desk):
    desk.type_for(60)
    events = desk.call("answer", KIND, "start")
    assert ReminderAnswered(kind=KIND, action="start", effect="start_routine", routine_id="morning") in events
    assert desk.call("answer", KIND, "start") == []  # a second click on a closed offer does nothing
    assert desk.call("answer", "nope", "start") == [] and desk.call("answer", KIND, "nope") == []


def test_quiet_holds_the_offer_then_shows_it_with_the_hold(desk):
    desk.quiet = frozenset({QuietReason.NOTIFICATIONS_PAUSED})
    desk.type_for(5 * 60)
    held = [e for e in desk.events if isinstance(e, ReminderHeld)]
    assert len(held) == 1 and desk.offers() == []
    desk.quiet = frozenset()
    desk.type_for(60)
    (offer,) = desk.offers()
    assert offer.held_reasons == {QuietReason.NOTIFICATIONS_PAUSED} and offer.held_seconds >= 4 * 60


def test_no_offer_while_paused_and_a_pause_takes_a_held_offer_back(desk):
    desk.call("pause", None)
    desk.type_for(3600)
    assert desk.offers() == []
    desk.call("resume")
    desk.type_for(60)
    assert len(desk.offers()) == 1


def test_a_pause_closes_the_offer_on_screen_and_it_does_not_come_back_that_day(desk):
    desk.type_for(60)
    events = desk.call("pause_for", 600)
    assert ReminderWithdrawn(kind=KIND, reason=WithdrawReason.PAUSED) in events
    desk.type_for(3600)
    assert len(desk.offers()) == 1


def test_setting_off_means_no_offer(fake_clock):
    desk = OfferDesk(fake_clock, Settings(morning_routine=False))
    desk.type_for(3600)
    assert desk.offers() == []


def test_turning_the_setting_off_closes_a_showing_offer(desk):
    desk.type_for(60)
    events = desk.call("apply_settings", Settings(morning_routine=False))
    assert any(isinstance(e, ReminderWithdrawn) and e.kind == KIND for e in events)


def test_outside_work_hours_no_offer_until_they_open(fake_clock):
    fake_clock.jump_wall(-3 * 3600)  # Monday 05:00
    desk = OfferDesk(fake_clock, Settings(work_hours_enabled=True, work_hours=("09:00-17:00",)))
    desk.type_for(3600)
    assert desk.offers() == []
    desk.type_for(3 * 3600 - 60)  # 08:59
    assert desk.offers() == []
    desk.type_for(60)
    desk.call("wall_moment", WallMoment.WORK_HOURS_EDGE)
    desk.type_for(120)
    assert len(desk.offers()) == 1


def test_suspend_overnight_brings_a_new_offer_but_a_short_suspend_does_not(desk):
    desk.type_for(60)
    desk.call("answer", KIND, "not_today")
    desk.clock.suspend(3600)
    desk.call("wall_moment", WallMoment.CLOCK_CHANGED)
    desk.type_for(60)
    assert len(desk.offers()) == 1
    desk.clock.suspend(22 * 3600)  # until Tuesday 07:02; no DAY_START job ran while asleep
    desk.call("wall_moment", WallMoment.CLOCK_CHANGED)
    desk.type_for(60)
    assert len(desk.offers()) == 2


def test_a_clock_set_back_across_04_00_never_brings_a_second_offer(fake_clock):
    fake_clock.jump_wall(-3 * 3600 - 1800)  # Monday 04:30
    desk = OfferDesk(fake_clock)
    desk.type_for(60)
    desk.call("answer", KIND, "later")
    desk.call("answer", KIND, "not_today")  # stale: the offer is not showing
    desk.clock.jump_wall(-3600)  # Monday 03:31: Sunday's Unsit day
    desk.call("wall_moment", WallMoment.CLOCK_CHANGED)
    desk.clock.jump_wall(3600)
    desk.call("wall_moment", WallMoment.CLOCK_CHANGED)
    desk.call("wall_moment", WallMoment.DAY_START)  # a duplicate rollover job for the same day
    desk.type_for(5 * 60)
    assert len(desk.offers()) == 1  # "later" has not run out (10 min)
    desk.type_for(6 * 60)
    assert len(desk.offers()) == 2
    desk.call("answer", KIND, "not_today")
    desk.clock.jump_wall(-2 * 3600)
    desk.call("wall_moment", WallMoment.CLOCK_CHANGED)
    desk.type_for(3600)
    assert len(desk.offers()) == 2


def test_the_offer_and_the_hourly_nudge_never_close_each_other(desk):
    desk.type_for(60)  # the offer shows
    desk.type_for(3600)  # the nudge comes while the offer is still open
    assert len(desk.offers()) == 1 and any(isinstance(e, NudgeDue) for e in desk.events)
    events = desk.call("answer", KIND, "later")
    assert not any(isinstance(e, NudgeWithdrawn) for e in events)
    events = desk.call("answer", "nudge", "snooze")
    assert not any(isinstance(e, ReminderWithdrawn) for e in events)
    assert any(isinstance(e, NudgeWithdrawn) for e in events)


def test_a_drill_started_from_the_nudge_is_an_answer_for_the_shell(desk):
    desk.type_for(3600)
    (answered,) = desk.call("answer", "nudge", "drill")
    assert answered == ReminderAnswered(kind="nudge", action="drill", effect="start_drill")


def test_offered_once_across_the_04_00_rollover_while_sitting(fake_clock):
    fake_clock.jump_wall(-5 * 3600)  # Monday 03:00, Sunday's Unsit day
    desk = OfferDesk(fake_clock)
    desk.type_for(60)
    assert len(desk.offers()) == 1  # Sunday's offer
    desk.type_for(3600 - 60)  # now 04:00; the rollover job runs
    events = desk.call("wall_moment", WallMoment.DAY_START)
    assert ReminderWithdrawn(kind=KIND, reason=WithdrawReason.DAY_ENDED) in events
    desk.type_for(60)
    assert len(desk.offers()) == 2
    desk.call("wall_moment", WallMoment.DAY_START)
    desk.type_for(3600)
    assert len(desk.offers()) == 2


def test_a_kind_that_drops_while_quiet_is_not_shown_that_day():
    from datetime import date

    from unsit.core.morning_offer import MorningOffer, OfferState
    from unsit.core.reminders import HoldPolicy

    quiet = frozenset({QuietReason.FULL_SCREEN})
    dropping = MorningOffer(date(2026, 11, 23), 600, hold=HoldPolicy.DROP)
    assert dropping.evaluate(60, True, quiet) == []
    assert dropping.state is OfferState.DONE and dropping.evaluate(120, True) == []
    holding = MorningOffer(date(2026, 11, 23), 600)
    assert holding.evaluate(60, True, quiet) == [ReminderHeld(kind=KIND, reasons=quiet)]
    assert [type(e) for e in holding.evaluate(120, True)] == [ReminderDue]


def test_answers_restored_from_an_earlier_run_today_keep_the_offer_away(fake_clock):
    finished = OfferDesk(fake_clock)
    finished.engine.restore_answers(KIND, ["later", "not_today"])
    finished.type_for(3 * 3600)
    assert finished.offers() == []
    assert finished.engine.status().morning_offer == "done"
    fake_clock.advance(20 * 3600)  # the next Unsit day offers again
    finished.call("wall_moment", WallMoment.DAY_START)
    finished.type_for(60)
    assert len(finished.offers()) == 1


def test_a_restored_later_comes_again_after_snooze_minutes_of_sitting(fake_clock):
    desk = OfferDesk(fake_clock)
    desk.engine.restore_answers(KIND, ["later"])
    assert desk.engine.status().morning_offer == "later"
    desk.type_for(9 * 60)
    assert desk.offers() == []
    desk.type_for(2 * 60)
    assert len(desk.offers()) == 1


def test_restoring_unknown_kinds_or_actions_changes_nothing(desk):
    desk.engine.restore_answers("nope", ["not_today"])
    desk.engine.restore_answers(KIND, ["bogus"])
    assert desk.engine.status().morning_offer == "waiting"
    desk.type_for(60)
    assert len(desk.offers()) == 1


def test_status_says_off_when_the_setting_is_off_and_json_carries_it(fake_clock):
    desk = OfferDesk(fake_clock, Settings(morning_routine=False))
    desk.type_for(60)
    assert desk.engine.status().morning_offer == "off"
    assert desk.engine.status().to_json_dict()["morning_offer"] == "off"
