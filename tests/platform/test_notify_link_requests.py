"""The server link's inbox (``_Requests``): first in, first out; a wait that ends on a put or a timeout."""

from __future__ import annotations

import threading

from unsit.platform.notify.server_link import _Requests


def test_requests_come_out_in_the_order_they_went_in() -> None:
    inbox = _Requests()
    for number in range(3):
        inbox.put(("request", number))
    assert [inbox.get(0) for _ in range(3)] == [("request", 0), ("request", 1), ("request", 2)]


def test_an_empty_inbox_gives_none_when_the_wait_is_over() -> None:
    assert _Requests().get(0) is None


def test_a_put_from_another_thread_wakes_a_waiting_get() -> None:
    inbox = _Requests()
    got: list[tuple[object, ...] | None] = []
    waiting = threading.Thread(target=lambda: got.append(inbox.get(None)))
    waiting.start()
    inbox.put(("stop",))
    waiting.join(10)
    assert got == [("stop",)] and not waiting.is_alive()
