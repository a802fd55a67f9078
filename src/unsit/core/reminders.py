"""Reminder kinds as data: what a reminder says, which answers it offers, what each answer does.

A ``ReminderKind`` is pure data. The engine decides *when* a kind is due (each kind has its
own small state machine, e.g. ``NudgeMachine`` or ``MorningOffer``); the shells render any
kind the same way: a title, a body and one button per ``ReminderAction``. An answer comes
back as (kind key, action key) and the engine applies the action's ``Effect``.

Texts are English templates marked with ``N_``; they are translated where they are shown
(``ReminderKind.text``), with named placeholders.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from unsit.core.events import QuietReason
from unsit.text.i18n import N_, _


class Effect(Enum):
    """What answering a reminder does."""

    START_DRILL = "start_drill"
    START_ROUTINE = "start_routine"
    SNOOZE = "snooze"  # the hourly nudge: again after snooze_minutes of sitting
    SKIP = "skip"  # the hourly nudge: no nudge for another full interval
    LATER = "later"  # offer again after snooze_minutes of presence
    DISMISS_TODAY = "dismiss_today"  # no more offers of this kind until the next Unsit day
    SIT = "sit"  # the user sits down (ends a standing period)


class HoldPolicy(Enum):
    """What a kind does when it comes due while it is quiet (do-not-disturb, full screen, a call)."""

    HOLD = "hold"  # wait unseen, show when the quiet time ends
    DROP = "drop"  # never show this occurrence


@dataclass(frozen=True)
class ReminderAction:
    """One answer a reminder offers.

    Attributes:
        key: stable identifier sent back by the shells (also the freedesktop action key).
        label: button text template (``N_``-marked; may use ``{minutes}`` for snooze_minutes).
        effect: what the engine does when the user picks it.
        routine_id: the routine a START_ROUTINE effect starts.
    """

    key: str
    label: str
    effect: Effect
    routine_id: str | None = None

    def shown_label(self, snooze_minutes: int) -> str:
        """The translated button text."""
        return _(self.label).format(minutes=snooze_minutes)


@dataclass(frozen=True)
class ReminderKind:
    """A kind of reminder.

    Attributes:
        key: stable identifier (notification ids, history, answers are kept per key).
        title: summary line template.
        body: body template; placeholders ``{minutes}`` (the streak in whole minutes).
        held_body: body used when the reminder was held while quiet before being shown;
            placeholders ``{minutes}`` and ``{held_minutes}``; empty: use ``body``.
        actions: the answers, in button order; the first is the default (a click on the body).
        hold: what happens when it comes due while quiet.
    """

    key: str
    title: str
    body: str
    actions: tuple[ReminderAction, ...]
    held_body: str = ""
    hold: HoldPolicy = HoldPolicy.HOLD

    def action(self, key: str) -> ReminderAction | None:
        """The action with ``key``, or None for an unknown key (bad input is ignored)."""
        return next((a for a in self.actions if a.key == key), None)

    def text(self, streak_seconds: float, held_reasons: frozenset[QuietReason] = frozenset(),
             held_seconds: float = 0.0) -> tuple[str, str]:
        """The translated (title, body); a held-then-shown reminder may say how long it waited."""
        minutes = int(streak_seconds // 60)
        template = self.held_body if held_reasons and self.held_body else self.body
        body = _(template).format(minutes=minutes, held_minutes=int(held_seconds // 60))
        return _(self.title), body


HOURLY_NUDGE = ReminderKind(
    key="nudge",
    title=N_("Time to unsit"),
    body=N_("You have been sitting for {minutes} min."),
    actions=(
        ReminderAction("drill", N_("Start drill"), Effect.START_DRILL),
        ReminderAction("snooze", N_("Snooze {minutes} min"), Effect.SNOOZE),
        ReminderAction("skip", N_("Skip"), Effect.SKIP),
    ),
)
"""The hourly drill nudge (its timing lives in ``core/nudges.py``)."""

MORNING_ROUTINE = ReminderKind(
    key="morning_routine",
    title=N_("Morning hip routine (about 5 min)"),
    body=N_("A short routine to start the day loose."),
    actions=(
        ReminderAction("start", N_("Start"), Effect.START_ROUTINE, routine_id="morning"),
        ReminderAction("later", N_("Later"), Effect.LATER),
        ReminderAction("not_today", N_("Not today"), Effect.DISMISS_TODAY),
    ),
)
"""The offer at the first sit-down of a day (its timing lives in ``core/morning_offer.py``)."""

STANDING_TOO_LONG = ReminderKind(
    key="standing",
    title=N_("Time to sit down"),
    body=N_("You have been standing for {minutes} min: sit down, or walk a little."),
    held_body=N_("You have been standing for {minutes} min: sit down, or walk a little."),
    actions=(
        ReminderAction("sit", N_("Sit"), Effect.SIT),
        ReminderAction("later", N_("Later"), Effect.LATER),
    ),
)
"""After ``standing_max_minutes`` of standing (its timing lives in ``core/posture.py``)."""

KINDS: dict[str, ReminderKind] = {kind.key: kind for kind in (HOURLY_NUDGE, MORNING_ROUTINE, STANDING_TOO_LONG)}
"""Every reminder kind by key."""
