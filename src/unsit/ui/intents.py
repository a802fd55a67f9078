"""What the main window and the command handler ask of the running app, as Protocols.

Declared here, beside the widgets that use them, so ``ui/`` never imports the ``app/`` package
above it; the real ``Controller`` and ``Windows`` satisfy them without inheriting anything.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import SignalInstance

if TYPE_CHECKING:
    from unsit.core.engine import Engine


class Intents(Protocol):
    """The controller as the CLI and the main window see it: the engine to read, intents to send."""

    engine: Engine
    rendered: SignalInstance  # the engine Status, after each render

    def start_drill(self, family: str | None = None) -> str: ...
    def running_drill(self) -> str | None: ...
    def start_routine(self, routine_id: str) -> None: ...
    def pause(self, request: dict[str, Any]) -> datetime | None: ...
    def resume(self) -> None: ...
    def snooze(self) -> None: ...
    def skip(self) -> None: ...


class WindowRequests(Protocol):
    """The windows the CLI and the main window can open."""

    def routine_titles(self) -> list[tuple[str, str]]: ...

    def open_settings(self) -> None: ...
    def open_history(self) -> None: ...
