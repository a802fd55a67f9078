"""One command request and its reply, and how bad requests are logged (briefly, a few a minute)."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger("unsit.app.ipc_server")

Handler = Callable[[dict[str, Any]], dict[str, Any]]
QUOTE_CHARS = 200
WARNINGS_PER_MINUTE = 5


def quote(data: bytes | str, limit: int = QUOTE_CHARS) -> str:
    """``repr`` of at most ``limit`` characters of ``data``, saying how much was cut."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}… ({len(text)} characters)"


class WarningBudget:
    """Lets a few warnings a minute through and counts the rest (so a flood adds little log).

    Args:
        per_minute: warnings logged per 60 s window.
        clock: monotonic seconds.
    """

    def __init__(self, per_minute: int = WARNINGS_PER_MINUTE, clock: Callable[[], float] = time.monotonic):
        self._per_minute = per_minute
        self._clock = clock
        self._window_start = -1e18
        self._used = 0
        self._dropped = 0

    def warn(self, message: str, *args: object) -> None:
        now = self._clock()
        if now - self._window_start >= 60.0:
            if self._dropped:
                log.warning("%d more bad command requests in the last minute were not logged", self._dropped)
            self._window_start, self._used, self._dropped = now, 0, 0
        if self._used < self._per_minute:
            self._used += 1
            log.warning(message, *args)
        else:
            self._dropped += 1


def answer(handler: Handler, data: bytes) -> bytes:
    """Decode one request line, run the handler, encode its reply (errors become replies)."""
    request, error = decode_request(data)
    if request is None:
        return encode_reply({"ok": False, "error": error})
    return encode_reply(run_handler(handler, request))


def decode_request(data: bytes) -> tuple[dict[str, Any] | None, str]:
    """The request object in ``data``, or None and why not."""
    try:
        request = json.loads(data.decode())
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        return None, f"not a JSON request: {str(exc)[:QUOTE_CHARS]}"
    if not isinstance(request, dict):
        return None, "the request is not a JSON object"
    return request, ""


def run_handler(handler: Handler, request: dict[str, Any]) -> dict[str, Any]:
    """``handler(request)``; an exception becomes an error reply (a request never takes the app down)."""
    try:
        reply = handler(request)
    except Exception as exc:
        log.exception("the command %s failed", quote(str(request.get("command"))))
        return {"ok": False, "error": str(exc)[:QUOTE_CHARS]}
    return reply


def encode_reply(reply: dict[str, Any]) -> bytes:
    """One reply line."""

    try:
        return (json.dumps(reply) + "\n").encode()
    except (TypeError, ValueError) as exc:
        return (json.dumps({"ok": False, "error": f"reply could not be encoded: {exc}"}) + "\n").encode()
