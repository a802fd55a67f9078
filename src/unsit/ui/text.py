"""The words the tray, tooltip and nudges show, built from an engine Status."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QLocale, QTime

from unsit import APP_NAME
from unsit.core.durations import format_duration
from unsit.core.engine import Status
from unsit.core.events import Phase
from unsit.i18n import N_, _

REASON_LABELS: dict[str, str] = {
    "notifications paused": N_("notifications paused"),
    "full screen": N_("full screen"),
    "busy": N_("busy"),
    "call": N_("in a call"),
    "in a call": N_("in a call"),
}
"""Why a nudge waits (QuietReason values), as the status line says it."""


def nudge_text(streak_seconds: float) -> tuple[str, str]:
    """Title and body of a nudge."""
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
    if getattr(status, "held_because", None):  # the core holds a due nudge while it is quiet
        reasons = ", ".join(sorted(_(REASON_LABELS.get(r.value, r.value)) for r in status.held_because))
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


def tooltip_text(status: Status) -> str:
    """The tray tooltip: streak, time to the next nudge, paused-until, and a detector warning."""
    lines = [APP_NAME, status_line(status)]
    if status.idle_source == "none":
        lines.append(_("Idle detection unavailable: away time is not noticed"))
    return "\n".join(lines)
