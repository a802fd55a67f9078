"""What the controller needs of its collaborators, each as a Protocol.

Typed as Protocols so each side names only what it uses: tests pass small fakes, and the real
parts satisfy them without inheriting anything. What the widgets ask of the app (``Intents``,
``WindowRequests``) is declared beside them, in ``ui/intents.py``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import SignalInstance

if TYPE_CHECKING:
    from unsit.core.settings import Settings
    from unsit.platform.notify.base import Nudge
    from unsit.ui.tray_art import TrayLook


# The controller's collaborators (``app/controller.py``), each as the controller uses it.

class IdleSource(Protocol):
    def idle_seconds(self) -> float | None: ...


class Session(Protocol):
    @property
    def locked(self) -> bool: ...

    locked_changed: SignalInstance
    resumed: SignalInstance


class Presenter(Protocol):
    drill_requested: SignalInstance
    snooze_requested: SignalInstance
    skip_requested: SignalInstance

    def present(self, nudge: Nudge) -> None: ...
    def inform(self, title: str, body: str) -> None: ...
    def withdraw(self) -> None: ...
    def present_reminder(self, kind: str, title: str, body: str, actions: list[tuple[str, str]]) -> None: ...
    def withdraw_reminder(self, kind: str) -> None: ...
    def set_style(self, style: str) -> None: ...


class TrayView(Protocol):
    def update_view(self, look: TrayLook, fraction: float, tooltip: str, status_line: str, *,
                    paused: bool, can_snooze: bool, snooze_minutes: int, standing: bool = ...) -> None: ...


class WallJobs(Protocol):
    pause_ended: SignalInstance
    work_hours_boundary: SignalInstance
    day_rolled_over: SignalInstance

    def schedule_pause_end(self, at: datetime | None) -> None: ...
    def schedule_work_hours_boundary(self, at: datetime | None) -> None: ...
    def wakeup(self) -> None: ...


class History(Protocol):
    @property
    def pending_events(self) -> int: ...

    def record(self, kind: str, at: datetime, *, drill_id: str | None = ..., duration_seconds: float | None = ...,
               streak_seconds: float | None = ..., reason: str | None = ...) -> object: ...
    def retry_pending(self) -> object: ...


class WindowOpener(Protocol):
    drill_finished: SignalInstance
    drill_ended_early: SignalInstance

    def open_drill(self, family: str | None, settings: Settings) -> Any: ...
    def open_routine(self, routine_id: str, settings: Settings) -> str | None: ...
    def running_drill_title(self) -> str | None: ...
    def refresh_history(self) -> None: ...


class ClockChanges(Protocol):
    changed: SignalInstance


class CallSource(Protocol):
    changed: SignalInstance

    def call_since(self) -> float | None: ...
    def applications(self) -> tuple[str, ...]: ...
