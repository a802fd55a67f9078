"""Durations as people read them."""

from __future__ import annotations


def format_duration(seconds: float | None) -> str:
    """"1 h 05 min", "12 min", "45 s"; "—" for None."""
    if seconds is None:
        return "—"
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"
