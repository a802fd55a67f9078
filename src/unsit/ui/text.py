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


def nudge_text(streak_seconds: float, after_call_seconds: float | None = None) -> tuple[str, str]:
    """Title and body of a nudge (held through a call: the body says how long the call was)."""
    if after_call_seconds is not None:
        minutes = max(1, round(after_call_seconds / 60))
        return (_("Time to unsit"),
                ngettext("You sat through a {minutes}-minute call: two minutes for your hips?",
                         "You sat through a {minutes}-minute call: two minutes for your hips?",
                         minutes).format(minutes=minutes))
    return (_("Time to unsit"),
            _("You have been sitting for {duration}. Stand up for a two-minute hip drill?").format(
                duration=format_duration(streak_seconds)))


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
    """A short weekday and time ("Mon 09:00") in the language in use (QLocale's names and format)."""
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
