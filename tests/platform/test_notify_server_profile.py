"""The rules a notification server's profile decides: the actions sent, the answers taken."""

from __future__ import annotations

import pytest

from unsit.platform.notify.server_profile import (
    Answer,
    ServerProfile,
    ShownNudge,
    answer_for,
    nudge_actions,
    nudge_expire_timeout,
)

LABELS = ("Start drill", "Snooze 10 min", "Skip")
BUTTONS = ["drill", "Start drill", "snooze", "Snooze 10 min", "skip", "Skip"]
DUNST = ServerProfile("dunst", "knopwob", "1.9.0", frozenset({"actions", "body", "body-markup"}))
NOTIFY_OSD = ServerProfile("notify-osd", "Canonical Ltd", "1.0",
                           frozenset({"body", "body-markup", "x-canonical-append"}))
XFCE = ServerProfile("xfce4-notifyd", "Xfce", "0.8.2", frozenset({"actions", "body", "persistence"}))


def test_a_server_with_actions_gets_default_and_the_three_buttons():
    assert nudge_actions(DUNST, *LABELS) == ["default", "Start drill", *BUTTONS]


def test_an_unknown_server_is_taken_for_the_common_case():
    assert nudge_actions(None, *LABELS) == ["default", "Start drill", *BUTTONS]


@pytest.mark.parametrize("name", ["xfce4-notifyd", "Xfce4-Notifyd", " xfce4-notifyd "])
def test_a_server_that_draws_default_as_a_button_gets_each_label_once(name):
    profile = ServerProfile(name, capabilities=XFCE.capabilities)
    actions = nudge_actions(profile, *LABELS)
    assert actions == BUTTONS
    assert actions[1::2].count("Start drill") == 1


def test_a_server_without_actions_gets_none():
    assert nudge_actions(NOTIFY_OSD, *LABELS) == []
    assert not NOTIFY_OSD.has_actions and DUNST.has_actions
    assert nudge_actions(ServerProfile("xfce4-notifyd"), *LABELS) == []  # the capability decides first


def test_describe_names_server_and_version():
    assert DUNST.describe() == "dunst 1.9.0"
    assert ServerProfile("mystery").describe() == "mystery"


@pytest.mark.parametrize(("key", "answer"), [("default", Answer.DRILL), ("drill", Answer.DRILL),
                                              ("snooze", Answer.SNOOZE), ("skip", Answer.SKIP)])
def test_our_nudge_answers_with_its_key(key, answer):
    assert answer_for(ShownNudge(7, with_actions=True), 7, key) is answer


def test_other_ids_unknown_keys_and_no_nudge_answer_nothing():
    shown = ShownNudge(7, with_actions=True)
    assert answer_for(shown, 8, "drill") is None  # another app's notification
    assert answer_for(shown, 7, "open") is None
    assert answer_for(None, 7, "drill") is None  # already answered or withdrawn
    assert answer_for(shown, 0, "drill") is None


def test_id_zero_without_actions_sent_is_never_an_answer():
    # notify-osd: we sent a plain bubble, so its dialogs' ActionInvoked(0, ...) are not ours.
    shown = ShownNudge(0, with_actions=False)
    for key in ("default", "drill", "snooze", "skip"):
        assert answer_for(shown, 0, key) is None


def test_id_zero_with_actions_sent_takes_our_own_keys_only():
    shown = ShownNudge(0, with_actions=True)
    assert answer_for(shown, 0, "drill") is Answer.DRILL
    assert answer_for(shown, 0, "snooze") is Answer.SNOOZE
    assert answer_for(shown, 0, "skip") is Answer.SKIP
    assert answer_for(shown, 0, "default") is None  # every app's id-0 notification has one
    assert answer_for(shown, 3, "drill") is None


def test_only_a_nudge_with_buttons_never_expires():
    # notify-osd makes a never-expiring notification a dialog; without actions the popup
    # holds the nudge, so the bubble may expire.
    assert nudge_expire_timeout(DUNST) == 0
    assert nudge_expire_timeout(None) == 0
    assert nudge_expire_timeout(NOTIFY_OSD) == -1


def test_reminder_actions_follow_the_server_and_answers_need_our_id_and_keys():
    from unsit.platform.notify.server_profile import ShownNudge, reminder_actions, reminder_answer

    actions = [("start", "Start"), ("later", "Later")]
    assert reminder_actions(None, actions) == ["default", "Start", "start", "Start", "later", "Later"]
    assert reminder_actions(ServerProfile("notify-osd", "", "", frozenset({"body"})), actions) == []
    assert reminder_actions(None, []) == []
    keys = ("start", "later")
    shown = ShownNudge(7, True)
    assert reminder_answer(shown, 7, "later", keys) == "later"
    assert reminder_answer(shown, 7, "default", keys) == "start"
    assert reminder_answer(shown, 8, "later", keys) is None
    assert reminder_answer(shown, 7, "snooze", keys) is None
    assert reminder_answer(ShownNudge(0, True), 0, "default", keys) is None
    assert reminder_answer(ShownNudge(7, False), 7, "later", keys) is None
