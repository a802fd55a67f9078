"""The Controller routes reminder kinds: the morning offer on its own card, answers by (kind, action)."""

from __future__ import annotations

import pytest

from tests.app import test_controller
from unsit.core.events import Phase

rig = test_controller.rig  # the Controller on a fake clock with fake parts


def test_the_morning_offer_is_presented_with_its_actions_and_later_closes_only_it(rig):
    rig.sit(60)
    assert rig.presenter.presented == []  # no hourly nudge
    ((kind, title, _body, actions),) = rig.presenter.reminders
    assert kind == "morning_routine" and title == "Morning hip routine (about 5 min)"
    assert actions == [("start", "Start"), ("later", "Later"), ("not_today", "Not today")]
    withdrawn_nudges = rig.presenter.withdrawn
    rig.presenter.answered.emit("morning_routine", "later")
    assert rig.presenter.reminders_withdrawn == ["morning_routine"]
    assert rig.presenter.withdrawn == withdrawn_nudges  # the nudge channel was not touched
    rig.sit(5 * 60 + 10)
    assert len(rig.presenter.reminders) == 2


def test_the_hourly_nudge_answered_through_the_generic_route_opens_a_drill(rig):
    rig.sit(10 * 60 + 5)
    assert len(rig.presenter.presented) == 1
    rig.presenter.answered.emit("nudge", "drill")
    assert rig.windows.opened == [None]
    assert rig.engine.status().phase is Phase.IN_DRILL
    assert "morning_routine" in rig.presenter.reminders_withdrawn  # a drill takes the offer back


def test_start_plays_the_morning_routine_once(rig):
    rig.sit(60)
    rig.controller.answer("morning_routine", "start")
    assert rig.windows.routines_opened == ["morning"]
    assert rig.engine.status().phase is Phase.IN_DRILL
    assert ("drill_started", {"drill_id": "routine:morning"}) in rig.history.rows
    assert rig.presenter.reminders_withdrawn == ["morning_routine"]
    rig.controller.answer("morning_routine", "start")  # a second click on the closed offer
    assert rig.windows.routines_opened == ["morning"]


@pytest.mark.parametrize("bad", [("nope", "start"), ("morning_routine", "nope"), ("", "")])
def test_bad_answers_do_nothing(rig, bad):
    rig.sit(60)
    rig.controller.answer(*bad)
    assert rig.engine.status().morning_offer == "shown"
