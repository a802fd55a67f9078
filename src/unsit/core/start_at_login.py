"""When Unsit changes the start-at-login entry: only when the setting changes (issue 25).

Not at start-up: an entry the user, the installer or the system changed while Unsit was not
running stays as it is, and saving an unrelated setting does not rewrite it. The first launch
adopts an existing entry instead (``unsit.platform.autostart.adopted_setting``).
"""

from __future__ import annotations

from collections.abc import Callable


class StartAtLoginFollower:
    """Calls ``sync`` with the new value each time the setting changes, and never otherwise.

    Args:
        current: the setting in force at start-up (after adoption).
        sync: makes the entry match a new value.
    """

    def __init__(self, current: bool, sync: Callable[[bool], object]) -> None:
        self.current = current
        self._sync = sync

    def setting_is(self, wanted: bool) -> None:
        """The settings now in force say ``wanted``: sync when that differs from before."""
        if wanted != self.current:
            self.current = wanted
            self._sync(wanted)
