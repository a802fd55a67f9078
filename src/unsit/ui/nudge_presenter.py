"""Shows a due nudge the way the user chose, holding it while do-not-disturb is on."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from unsit.platform.notify.base import Notifier, Nudge

if TYPE_CHECKING:
    from unsit.platform.dnd import DndWatcher
    from unsit.ui.popup import NudgePopup

log = logging.getLogger(__name__)


class NudgePresenter(QObject):
    """Routes a nudge to the system notifier, the built-in popup, or both.

    Intents from either surface come out as one set of signals. While the desktop's
    notifications are inhibited or a full-screen window has focus, the nudge is held
    and delivered when that ends (unless it was withdrawn meanwhile).
    """

    drill_requested = Signal()
    snooze_requested = Signal()
    skip_requested = Signal()

    def __init__(self, notifier: Notifier, dnd: DndWatcher | None, style: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._notifier = notifier
        self._dnd = dnd
        self._style = style
        self._popup: NudgePopup | None = None
        self._held: Nudge | None = None
        sig = notifier.signals
        sig.drill_requested.connect(self.drill_requested)
        sig.snooze_requested.connect(self.snooze_requested)
        sig.skip_requested.connect(self.skip_requested)
        if dnd is not None:
            dnd.quiet_ended.connect(self._on_quiet_ended)

    @property
    def notifier_name(self) -> str:
        return self._notifier.name

    @property
    def holding(self) -> bool:
        """True while a nudge waits for do-not-disturb to end."""
        return self._held is not None

    def set_style(self, style: str) -> None:
        self._style = style

    def present(self, nudge: Nudge) -> None:
        """Show ``nudge`` now, or hold it while the user must not be disturbed."""
        if self._dnd is not None and self._dnd.is_quiet():
            log.info("do not disturb is on: holding the nudge")
            self._held = nudge
            self._dnd.watch_until_quiet_ends()
            return
        self._show(nudge)

    def withdraw(self) -> None:
        """Take back any nudge on screen or held."""
        self._held = None
        self._notifier.withdraw()
        if self._popup is not None:
            self._popup.withdraw()

    def close(self) -> None:
        self.withdraw()
        self._notifier.close()

    def _on_quiet_ended(self) -> None:
        nudge, self._held = self._held, None
        if nudge is not None:
            self._show(nudge)

    def _show(self, nudge: Nudge) -> None:
        use_system = self._style in ("system", "both")
        use_popup = self._style in ("popup", "both") or not self._notifier.clickable
        if use_system or not use_popup:
            self._notifier.show_nudge(nudge)
        if use_popup:
            self._ensure_popup().show_nudge(nudge)

    def _ensure_popup(self) -> NudgePopup:
        if self._popup is None:
            from unsit.ui.popup import NudgePopup  # lazy: most users never see it

            self._popup = NudgePopup()
            self._popup.drill_requested.connect(self.drill_requested)
            self._popup.snooze_requested.connect(self.snooze_requested)
            self._popup.skip_requested.connect(self.skip_requested)
        return self._popup
