"""What the tooltip, the main window, the status JSON and the nudge say about a call."""

from __future__ import annotations

from typing import Any

import pytest

from unsit.app.compose import held_status
from unsit.core.engine import Status
from unsit.core.events import Phase, QuietReason
from unsit.ui.main_window_view import MainWindow
from unsit.ui.text import nudge_text, tooltip_text


def status(**changes: Any) -> Status:
    base: dict[str, Any] = {"phase": Phase.SITTING, "streak_seconds": 3900, "next_nudge_in_seconds": 0,
                            "paused_until": None, "away_seconds": 0, "present": True, "idle_source": "x11",
                            "interval_seconds": 3600}
    return Status(**{**base, **changes})


HELD = status(held_because=frozenset({QuietReason.CALL}), nudge_waiting=True, call_seconds=12 * 60 + 30)


def test_the_nudge_after_a_call_says_how_long_it_was():
    title, body = nudge_text(3900, after_call_seconds=52 * 60 + 10)
    assert title == "Time to unsit"
    assert body == "You sat through a 52-minute call. Stand up for a hip drill (about 2 min)?"
    assert "call" not in nudge_text(3900)[1]
    assert "1-minute call" in nudge_text(3900, after_call_seconds=5)[1]  # never a "0-minute call"


def test_the_tooltip_says_the_nudge_is_held_for_the_call():
    assert "Holding the nudge: you're in a call (12 min)" in tooltip_text(HELD).splitlines()
    in_call = tooltip_text(status(next_nudge_in_seconds=600, call_seconds=120))
    assert "In a call (2 min): nudges wait until it ends" in in_call.splitlines()
    assert "call" not in tooltip_text(status(next_nudge_in_seconds=600))


def test_the_main_window_shows_the_call(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.update_view(HELD, snooze_minutes=10)
    assert window.status_label.text().splitlines() == ["Sitting for 1 h 05 min",
                                                       "Holding the nudge: you're in a call (12 min)"]
    window.update_view(status(next_nudge_in_seconds=600), snooze_minutes=10)
    assert "call" not in window.status_label.text()


def test_status_json_says_held_because_call_and_the_calls_length():
    assert held_status(HELD) == {"holding_nudge": True, "held_because": ["call"], "in_call": True,
                                 "call_seconds": 750}
    assert held_status(status()) == {"holding_nudge": False, "held_because": [], "in_call": False,
                                     "call_seconds": None}


@pytest.mark.parametrize("length,words", [("short", "a short hip drill (about 1 min)"),
                                          ("standard", "a hip drill (about 2 min)"),
                                          ("long", "a longer hip drill (about 3 min)")])
def test_the_nudge_names_the_drill_length_in_use(length, words):
    _title, body = nudge_text(3900, length=length)
    assert body == f"You have been sitting for 1 h 05 min. Stand up for {words}?"
    assert words in nudge_text(3900, after_call_seconds=600, length=length)[1]
    assert "two-minute" not in body and "two minutes" not in body
