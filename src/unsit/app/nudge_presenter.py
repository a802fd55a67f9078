"""Shows a due nudge the way the user chose. It only renders: whether a nudge is shown,
held while the user must not be disturbed, or dropped is the core's decision (``NudgeHeld``).

The channels, in order: the system notifier (the freedesktop server on Linux), then the
tray's message when there is a tray, then the built-in popup. A nudge the notifier cannot
deliver (``delivery_failed``: no server, no bus, an error, a timeout, or the server left
while the nudge was on screen) is shown at once on the next channel, and later nudges go
there too until the notifier reports a server again (``server_appeared``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Signal

from unsit.platform.notify.base import Notifier, NotifierSignals, Nudge

if TYPE_CHECKING:
    from unsit.ui.popup import NudgePopup
    from unsit.ui.reminder_card import ReminderCard

log = logging.getLogger(__name__)


class ReminderNotifier(Protocol):
    """A system notifier that shows one reminder kind (``FreedesktopNotifier``)."""

    signals: NotifierSignals

    def show_reminder(self, title: str, body: str, actions: list[tuple[str, str]]) -> None: ...
    def withdraw(self) -> None: ...
    def close(self) -> None: ...


class NudgePresenter(QObject):
    """Routes a nudge to the system notifier, its fallback, the built-in popup, or both.

    Intents from every surface come out as one set of signals.

    Args:
        notifier: The preferred channel.
        style: "system", "popup" or "both" (the user's notification style).
        parent: Qt parent.
        fallback: The channel used while ``notifier`` cannot deliver (the tray), or None
            (then the popup is).
        reminder_notifier: Makes a system notifier for one more reminder kind (each kind
            gets its own, so kinds never replace each other's notification); None: other
            kinds show on their built-in card only.
    """

    drill_requested = Signal()
    snooze_requested = Signal()
    skip_requested = Signal()
    answered = Signal(str, str)  # (reminder kind, action key) from a reminder card

    def __init__(self, notifier: Notifier, style: str, parent: QObject | None = None,
                 fallback: Notifier | None = None,
                 reminder_notifier: Callable[[], ReminderNotifier] | None = None) -> None:
        super().__init__(parent)
        self._make_reminder_notifier = reminder_notifier
        self._kind_notifiers: dict[str, ReminderNotifier] = {}
        self._reminders: dict[str, tuple[str, str, list[tuple[str, str]]]] = {}  # on screen, by kind
        self._notifier = notifier
        self._fallback = fallback
        self._style = style
        self._popup: NudgePopup | None = None
        self._current: Nudge | None = None  # on screen, not answered or withdrawn
        self._cards: dict[str, ReminderCard] = {}  # other reminder kinds, one card each
        # A notifier still waiting for its server (none answered at start) starts on the fallback.
        self._notifier_failed = not getattr(notifier, "available", True)
        for channel in (notifier, fallback):
            if channel is None:
                continue
            sig = channel.signals
            sig.drill_requested.connect(self._answered)
            sig.snooze_requested.connect(self._answered)
            sig.skip_requested.connect(self._answered)
            sig.drill_requested.connect(self.drill_requested)
            sig.snooze_requested.connect(self.snooze_requested)
            sig.skip_requested.connect(self.skip_requested)
        notifier.signals.delivery_failed.connect(self._on_delivery_failed)
        notifier.signals.server_appeared.connect(self._on_server_appeared)

    @property
    def notifier_name(self) -> str:
        """The channel nudges go to now: the notifier, or its fallback while it fails."""
        return self._system_channel_name()

    def status(self) -> dict[str, Any]:
        """The channels for ``unsit status --json``.

        Keys: ``notifier`` (the channel nudges go to now), ``notifier_fallback`` (True while
        the preferred notifier cannot deliver), ``nudge_channels`` (every surface the next
        nudge appears on), ``notify_server`` and ``notify_capabilities`` (the freedesktop
        server as it described itself, or None).
        """
        profile = getattr(self._notifier, "profile", None)
        return {
            "notifier": self._system_channel_name(),
            "notifier_fallback": self._notifier_failed,
            "nudge_channels": self._channels(),
            "notify_server": profile.describe() if profile is not None else None,
            "notify_capabilities": sorted(profile.capabilities) if profile is not None else None,
        }

    def set_style(self, style: str) -> None:
        self._style = style

    def present(self, nudge: Nudge) -> None:
        """Show ``nudge`` now on the channels the style and the notifier's health choose."""
        self._show(nudge)

    def inform(self, title: str, body: str) -> None:
        """A plain message (a problem, a hint) on the channel in use; dropped when only the popup is."""
        channel = self._system_channel()
        if channel is not None:
            channel.inform(title, body)

    def withdraw(self) -> None:
        """Take back any nudge on screen."""
        self._current = None
        self._notifier.withdraw()
        if self._fallback is not None:
            self._fallback.withdraw()
        if self._popup is not None:
            self._popup.withdraw()

    def present_reminder(self, kind: str, title: str, body: str, actions: list[tuple[str, str]]) -> None:
        """Show a reminder of another kind than the hourly nudge, apart from the nudge.

        It goes to its kind's own system notification (when there is a notifier for kinds,
        the style says system or both and the notifier takes clicks) and/or its kind's card;
        neither ever replaces or closes the nudge or another kind. The answer comes back as
        ``answered(kind, action key)``.
        """
        self._reminders[kind] = (title, body, actions)
        channel = self._system_channel()
        use_system = (self._make_reminder_notifier is not None and channel is self._notifier
                      and self._style in ("system", "both") and channel.clickable)
        if use_system:
            self._kind_notifier(kind).show_reminder(title, body, actions)
        if not use_system or self._style == "both":
            self._show_card(kind)

    def withdraw_reminder(self, kind: str) -> None:
        """Take back the reminder of ``kind`` only."""
        self._reminders.pop(kind, None)
        if kind in self._kind_notifiers:
            self._kind_notifiers[kind].withdraw()
        card = self._cards.get(kind)
        if card is not None:
            card.withdraw()

    def _kind_notifier(self, kind: str) -> ReminderNotifier:
        notifier = self._kind_notifiers.get(kind)
        if notifier is None:
            make = self._make_reminder_notifier
            if make is None:
                raise RuntimeError("no reminder notifier factory")
            notifier = make()
            notifier.signals.answered.connect(lambda key, kind=kind: self._reminder_answered(kind, key))
            # Not shown after all: the same reminder on its card at once.
            notifier.signals.delivery_failed.connect(lambda kind=kind: self._show_card(kind))
            self._kind_notifiers[kind] = notifier
        return notifier

    def _reminder_answered(self, kind: str, key: str) -> None:
        self._reminders.pop(kind, None)
        self.answered.emit(kind, key)

    def _show_card(self, kind: str) -> None:
        shown = self._reminders.get(kind)
        if shown is None:
            return  # answered or withdrawn meanwhile
        card = self._cards.get(kind)
        if card is None:
            from unsit.ui.reminder_card import ReminderCard  # lazy: shown at most a few times a day

            card = ReminderCard(kind, slot=len(self._cards) + 1)
            card.answered.connect(lambda key, kind=kind: self._reminder_answered(kind, key))
            self._cards[kind] = card
        card.show_reminder(*shown)

    def close(self) -> None:
        self.withdraw()
        for card in self._cards.values():
            card.withdraw()
        for notifier in self._kind_notifiers.values():
            notifier.close()
        self._notifier.close()
        if self._fallback is not None:
            self._fallback.close()

    def _system_channel(self) -> Notifier | None:
        """The notifier in use now: the preferred one, its fallback, or None (popup only)."""
        return self._fallback if self._notifier_failed else self._notifier

    def _system_channel_name(self) -> str:
        channel = self._system_channel()
        return channel.name if channel is not None else "popup"

    def _channels(self) -> list[str]:
        channel = self._system_channel()
        use_system = self._style in ("system", "both") and channel is not None
        use_popup = self._style in ("popup", "both") or channel is None or not channel.clickable
        names = [channel.name] if channel is not None and (use_system or not use_popup) else []
        return [*names, "popup"] if use_popup else names

    def _answered(self) -> None:
        self._current = None

    def _on_delivery_failed(self) -> None:
        if not self._notifier_failed:
            self._notifier_failed = True
            log.warning("the %s notifier cannot deliver nudges: they go to the %s until it is back",
                        self._notifier.name, self._system_channel_name())
        if self._current is not None and self._style != "popup":
            self._show(self._current)  # the same nudge, at once, on the next channel

    def _on_server_appeared(self) -> None:
        if self._notifier_failed:
            self._notifier_failed = False
            log.info("nudges go to the %s notifier again", self._notifier.name)

    def _show(self, nudge: Nudge) -> None:
        self._current = nudge
        channels = self._channels()
        channel = self._system_channel()
        if channel is not None and channel.name in channels:
            channel.show_nudge(nudge)
        if "popup" in channels:
            self._ensure_popup().show_nudge(nudge)

    def _ensure_popup(self) -> NudgePopup:
        if self._popup is None:
            from unsit.ui.popup import NudgePopup  # lazy: most users never see it

            self._popup = NudgePopup()
            for name in ("drill_requested", "snooze_requested", "skip_requested"):
                getattr(self._popup, name).connect(self._answered)
                getattr(self._popup, name).connect(getattr(self, name))
        return self._popup
