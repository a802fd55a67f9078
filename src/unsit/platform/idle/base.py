"""What every idle source offers, and the fallback when none works."""

from __future__ import annotations

from typing import Protocol, runtime_checkable


class IdleSourceUnavailable(Exception):
    """An idle source cannot be opened here (library, display or service missing)."""


@runtime_checkable
class IdleSource(Protocol):
    """Reads how long the user has not touched keyboard or mouse.

    Sources are cheap to query (called every few seconds from the GUI thread) and are
    not thread-safe: use one from a single thread.
    """

    name: str

    def idle_seconds(self) -> float | None:
        """Seconds since the last user input, or None when it could not be read this time."""
        ...

    def close(self) -> None:
        """Release the display or bus connection. Safe to call more than once."""
        ...


class NullIdleSource:
    """The fallback: never knows. The streak then relies on lock and sleep events only."""

    name = "none"

    def idle_seconds(self) -> float | None:
        return None

    def close(self) -> None:
        pass
