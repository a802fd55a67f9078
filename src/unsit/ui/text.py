"""The words the tray, tooltip and nudges show, built from an engine Status."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QLocale, QTime

from unsit import APP_NAME
from unsit.core.durations import format_duration
from unsit.core.engine import Status
from unsit.core.events import Phase, QuietReason
from unsit.text.i18n import N_, _, ngettext

REASON_LABELS: dict[str, str] = {
    "notifications paused": N_("notifications paused"),
    "full screen": N_("full screen"),
    "busy": N_("busy"),
    "call": N_("in a call"),
    "in a call": N_("in a call"),
}
"""Why a nudge waits (QuietReason values), as the status line says it."""


DRILL_OFFERS: dict[str, str] = {
    "short": N_("Stand up for a short hip drill (about 1 min)?"),
    "standard": N_("Stand up for a hip drill (about 2 min)?"),
    "long": N_("Stand up for a longer hip drill (about 3 min)?"),
}
"""The question a nudge asks, by ``drill_length`` (the lengths the Settings window names)."""


def nudge_text(streak_seconds: float, after_call_seconds: float | None = None,
               length: str = "standard") -> tuple[str, str]:
    """Title and body of a nudge: how long you sat (or the call you sat through), and a drill of ``length``."""
    offer = _(DRILL_OFFERS.get(length, DRILL_OFFERS["standard"]))
    if after_call_seconds is not None:
        minutes = max(1, round(after_call_seconds / 60))
        sat = ngettext("You sat through a {minutes}-minute call.", "You sat through a {minutes}-minute call.",
                       minutes).format(minutes=minutes)
    else:
        sat = _("You have been sitting for {duration}.").format(duration=format_duration(streak_seconds))
    return _("Time to unsit"), f"{sat} {offer}"


def status_line(status: Status) -> str:
    """One line for the top of the tray menu."""
    phase = status.phase
    if phase is Phase.PAUSED:
        until = status.paused_until
        if until:
            # Translators: {moment} is a short weekday and time in the user's locale, e.g. "Mon 09:00".
            return _("Paused until {moment}").format(moment=weekday_time(until))
        return _("Paused")
    if phase is Phase.OUTSIDE_WORK_HOURS:
        return _("Outside work hours")
    if phase is Phase.AWAY:
        return _("Away: streak reset")
    if phase is Phase.IN_DRILL:
        return _("Drill in progress")
    if phase is Phase.STANDING:
        return _("Standing for {duration}: the sitting streak waits at {streak}").format(
            duration=format_duration(status.standing_seconds or 0), streak=format_duration(status.streak_seconds))
    streak = format_duration(status.streak_seconds)
    if phase is Phase.NUDGE_DUE:
        return _("Sitting for {duration}: time for a drill").format(duration=streak)
    held = set(getattr(status, "held_because", ()))  # the core holds a due nudge while it is quiet
    if QuietReason.CALL in held and status.call_seconds is not None:
        held.discard(QuietReason.CALL)  # call_line says it, with the call's length
        if not held:
            return _("Sitting for {duration}").format(duration=streak)
    if held:
        reasons = ", ".join(sorted(_(REASON_LABELS.get(r.value, r.value)) for r in held))
        return _("Sitting for {duration}: a nudge waits ({reasons})").format(duration=streak, reasons=reasons)
    if status.next_nudge_in_seconds is not None:
        return _("Sitting for {duration}, next nudge in {next}").format(
            duration=streak, next=format_duration(status.next_nudge_in_seconds))
    return _("Sitting for {duration}").format(duration=streak)


def weekday_time(moment: datetime) -> str:
    """A short weekday and time ("Mon 09:00") in the language in use (QLocale's names and format).

    An aware ``moment`` is shown in local time, whatever zone it was made in.
    """
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    ui_locale = QLocale()
    day = ui_locale.dayName(moment.isoweekday(), QLocale.FormatType.ShortFormat)
    clock = ui_locale.toString(QTime(moment.hour, moment.minute), ui_locale.timeFormat(QLocale.FormatType.ShortFormat))
    return f"{day} {clock}"


def call_hold_line(call_seconds: float) -> str:
    """"Holding the nudge: you're in a call (12 min)"."""
    minutes = int(call_seconds // 60)
    return ngettext("Holding the nudge: you're in a call ({minutes} min)",
                    "Holding the nudge: you're in a call ({minutes} min)", minutes).format(minutes=minutes)


def call_line(status: Status) -> str | None:
    """The line about a running call for the tooltip and the main window (None: no call)."""
    if status.call_seconds is None:
        return None
    if QuietReason.CALL in status.held_because:
        return call_hold_line(status.call_seconds)
    minutes = int(status.call_seconds // 60)
    return ngettext("In a call ({minutes} min): nudges wait until it ends",
                    "In a call ({minutes} min): nudges wait until it ends", minutes).format(minutes=minutes)


def tooltip_text(status: Status) -> str:
    """The tray tooltip: streak, time to the next nudge, paused-until, and a detector warning."""
    lines = [APP_NAME, status_line(status)]
    call = call_line(status)
    if call is not None:
        lines.append(call)
    if status.idle_source == "none":
        lines.append(_("Idle detection unavailable: away time is not noticed"))
    return "\n".join(lines)


def long_microphone_text(call_seconds: float, applications: tuple[str, ...]) -> tuple[str, str]:
    """Title and body telling once that a microphone open this long no longer counts as a call."""
    names = ", ".join(dict.fromkeys(name.strip()[:60] for name in applications if name.strip()))[:200]
    duration = format_duration(call_seconds, whole_minutes=True)
    first = (_("Recording for {duration}: {applications}.").format(duration=duration, applications=names) if names
             else _("Recording for {duration}.").format(duration=duration))
    second = _("{app} no longer takes this for a call: time away counts again, and nudges come as usual.")
    return _("The microphone has been on for a long time"), first + " " + second.format(app=APP_NAME)
