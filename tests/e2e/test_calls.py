"""The real app, a real PulseAudio server and a real capture client: no nudge during a call.

With ``interval_minutes = 1`` and the user kept active, ``parecord`` runs across the due
time: dunst shows nothing and ``unsit status --json`` says the nudge is held because of
the call. When ``parecord`` stops, the nudge arrives within seconds, with the call's text.
"""

from __future__ import annotations

import time

import pytest

from tests.e2e.running_app import RunningApp
from tests.e2e.test_app import keep_active_until

pytestmark = [pytest.mark.desktop, pytest.mark.slow]


def test_a_call_holds_the_nudge_and_it_comes_when_the_call_ends(tmp_path, pulse_server, monkeypatch):
    monkeypatch.setenv("PULSE_SERVER", pulse_server.env["PULSE_SERVER"])
    app = RunningApp(tmp_path / "a", "interval_minutes = 1\naway_reset_minutes = 5\n")
    try:
        assert app.status()["call_watch"] == "pulseaudio"
        recorder = pulse_server.record()
        keep_active_until([app], lambda: app.status()["in_call"], 20, "the app to see the call")
        keep_active_until([app], lambda: app.status()["holding_nudge"], 90, "the due nudge to be held")
        status = app.status()
        assert status["held_because"] == ["call"] and status["phase"] == "sitting"
        assert status["streak_seconds"] >= 60 and status["call_seconds"] > 0
        keep_active_until([app], lambda: app.status()["streak_seconds"] >= 68, 20, "a few seconds more")
        assert app.displayed_count() == 0 and app.history_json() == []

        pulse_server.stop_recording(recorder)
        ended = time.monotonic()
        keep_active_until([app], lambda: app.displayed_count() >= 1, 15, "the held nudge")
        assert time.monotonic() - ended < 10
        status = app.status()
        assert status["phase"] == "nudge_due" and not status["in_call"] and status["held_because"] == []
        app.desktop.dunst.close_all()
        [shown] = app.history_json()
        assert "minute call" in shown["body"] and "You sat through" in shown["body"], shown["body"]
    finally:
        assert app.quit() == 0
