"""The server link hands matched D-Bus signals on straight from jeepney's receiver thread."""

from __future__ import annotations

from jeepney import Message

from unsit.platform.notify.server_link import _Handoff


def test_a_handoff_passes_each_message_on_at_once() -> None:
    got: list[object] = []
    handoff = _Handoff(got.append)
    msg = object()
    handoff.put_nowait(msg)  # type: ignore[arg-type]  # any object stands in for a Message here
    assert got == [msg]


def test_a_failing_handler_never_reaches_the_receiver_thread() -> None:
    """An exception out of put_nowait would end jeepney's receiver: the link would go deaf."""
    def broken(_msg: Message) -> None:
        raise RuntimeError("boom")

    _Handoff(broken).put_nowait(object())  # type: ignore[arg-type]
