"""The start-at-login entry changes only when the setting changes (issue 25)."""

from unsit.core.start_at_login import StartAtLoginFollower


def test_nothing_is_synced_until_the_setting_changes_and_then_once_per_change():
    calls: list[bool] = []
    follower = StartAtLoginFollower(False, calls.append)
    for wanted in (False, False):  # other settings saved: start_at_login still False
        follower.setting_is(wanted)
    assert calls == []
    follower.setting_is(True)
    follower.setting_is(True)
    follower.setting_is(False)
    assert calls == [True, False]


def test_an_adopted_entry_is_not_written_again_when_the_adoption_is_saved():
    calls: list[bool] = []
    follower = StartAtLoginFollower(True, calls.append)  # adopted at the first launch
    follower.setting_is(True)  # the settings file now says so
    assert calls == []
