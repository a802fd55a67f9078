"""The PulseAudio capture watch against a hostile stand-in of the protocol (tests/pulse_server.py).

What a real server does not do on demand: a record stream that never ends, a flood of change
events, garbage where a list should be.
"""

from __future__ import annotations

import logging
import time

import pytest

from tests.polling import wait_for
from tests.pulse_server import HostilePulseServer
from unsit.platform.capture.pulse import FOLD_SECONDS, PulseCaptureWatch


@pytest.fixture
def server(tmp_path):
    srv = HostilePulseServer(tmp_path / "native")
    yield srv
    srv.close()


@pytest.fixture
def watch(server, tmp_path):
    w = PulseCaptureWatch(env={**server.env, "HOME": str(tmp_path)}, longest_retry_seconds=0.2)
    w.start()
    assert w.connected.wait(10), "the watch did not connect to the stand-in"
    wait_for(lambda: server.list_requests >= 1, 10, "the first list")
    yield w
    w.stop()


def test_a_stream_that_never_ends_is_a_capture_named_by_the_server(watch, server):
    server.add_stream("Always-on noise filter")
    capture = wait_for(watch.capturing, 10, "the endless stream to be seen")
    assert capture.applications == ("Always-on noise filter",)
    server.announce(50)  # the stream goes on: its start is kept, whatever else is announced
    wait_for(lambda: server.list_requests >= 3, 10, "another list")
    assert watch.capturing() == capture


def test_a_flood_of_change_events_is_folded_into_a_few_lists(watch, server):
    """Issue 21 item 8: a re-list per event cost 93 % CPU and 16 108 lists in 30 s."""
    before = server.list_requests
    started = time.monotonic()
    sent = server.flood(2.0, per_burst=2)
    server.add_stream("Late recorder")  # the last change of the burst is not lost in the fold
    wait_for(watch.capturing, 10, "the change after the flood")
    elapsed = time.monotonic() - started
    lists = server.list_requests - before
    assert sent > 1000
    assert lists <= elapsed / FOLD_SECONDS + 3, f"{lists} lists for {sent} events in {elapsed:.1f} s"


def test_garbage_instead_of_a_list_is_survived_with_one_warning(server, tmp_path, caplog):
    server.garbage = True
    w = PulseCaptureWatch(env={**server.env, "HOME": str(tmp_path)}, longest_retry_seconds=0.1)
    w.start()
    try:
        wait_for(lambda: server.connections >= 4, 10, "the watch to try again after garbage")
        assert w.capturing() is None
        server.garbage = False
        server.add_stream("Recorder")
        wait_for(w.capturing, 10, "a capture once the server talks sense")
    finally:
        w.stop()
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "unknown tag" in warnings[0].getMessage()  # said once, not at each retry
