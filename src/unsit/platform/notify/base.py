"""What every nudge notifier offers: the nudge, the signals it emits, the protocol."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from unsit.text.i18n import _


@dataclass(frozen=True)
class Nudge:
    """One nudge as the user sees it.

    Attributes:
        title: Summary line, e.g. "Time to unsit".
        body: One or two sentences naming the streak, e.g. "You have been sitting for 1 h 02 min.".
        snooze_minutes: Shown on the snooze button ("Snooze 10 min").
    """

    title: str
    body: str
    snooze_minutes: int


class NotifierSignals(QObject):
    """The user's answer to a nudge, and the channel's health; always emitted on the GUI thread."""

    drill_requested = Signal()
    snooze_requested = Signal()
    skip_requested = Signal()
    dismissed = Signal()  # closed by the user without choosing
    # The current nudge could not be shown, or vanished with its server: use another channel.
    delivery_failed = Signal()
    # A server answers (again): nudges can go back to this channel.
    server_appeared = Signal()
    # The action key the user picked on a reminder shown with ``show_reminder`` (another kind
    # than the hourly nudge; one notifier per kind, so the kind is known to the listener).
    answered = Signal(str)


def action_labels(nudge: Nudge) -> tuple[str, str, str]:
    """Button texts for (drill, snooze, skip), shared by the notification and the popup."""
    return _("Start drill"), _("Snooze {minutes} min").format(minutes=nudge.snooze_minutes), _("Skip")


class Notifier(Protocol):
    """Shows one nudge at a time and reports the answer through ``signals``."""

    name: str
    signals: NotifierSignals

    @property
    def clickable(self) -> bool:
        """True when the user's click on the nudge reaches us (an attribute or a property)."""

    def show_nudge(self, nudge: Nudge) -> None:
        """Show ``nudge``, replacing this app's previous one (never stacks). Never raises."""

    def inform(self, title: str, body: str) -> None:
        """A plain message without actions (a problem, a hint). Never raises."""

    def withdraw(self) -> None:
        """Close the current nudge, if any. Never raises."""

    def close(self) -> None:
        """Withdraw and release every resource (connections, threads)."""
