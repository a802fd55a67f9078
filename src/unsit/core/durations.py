"""Durations as people read them."""

from __future__ import annotations

from unsit.text.i18n import _

NO_DURATION = "—"


def format_duration(seconds: float | None, *, whole_minutes: bool = False) -> str:
    """A duration as "1 h 05 min", "12 min" or "45 s" (in the language in use); "—" for None.

    Args:
        seconds: the duration; None when there is none (shown as "—"); below 0 counts as 0.
        whole_minutes: round to the nearest minute and never show seconds ("0 min", "3 h 05 min"),
            for totals such as a day's sitting time. Without it, minutes are cut down (a
            countdown never shows more than is left) and anything under a minute is in seconds.
    """
    if seconds is None:
        return NO_DURATION
    seconds = max(0.0, float(seconds))
    if whole_minutes:
        minutes = round(seconds / 60)
    else:
        whole_seconds = round(seconds)
        if whole_seconds < 60:
            # Translators: a duration in seconds, e.g. "45 s".
            return _("{seconds} s").format(seconds=whole_seconds)
        minutes = whole_seconds // 60
    if minutes < 60:
        # Translators: a duration in minutes, e.g. "12 min".
        return _("{minutes} min").format(minutes=minutes)
    # Translators: hours and minutes, e.g. "1 h 05 min" ({minutes} always has two digits).
    return _("{hours} h {minutes} min").format(hours=minutes // 60, minutes=f"{minutes % 60:02d}")
