"""One bounded wait for conditions outside the test process (a child's file, a socket, a bus name).

Such conditions have no Qt signal to wait on, so they are polled at a short interval until a
deadline; a fixed sleep is never used instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class WaitTimedOut(RuntimeError):
    """The condition did not hold before the deadline."""


def wait_for(predicate: Callable[[], T | None], timeout: float, what: str, *, interval: float = 0.05) -> T:
    """Return the predicate's first truthy value, polling every ``interval`` s for ``timeout`` s.

    Raises:
        WaitTimedOut: ``what`` did not happen in time.
    """
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        if time.monotonic() > deadline:
            raise WaitTimedOut(f"timed out waiting for {what}")
        time.sleep(interval)
    return value
