"""Hands a message from a worker thread to the GUI thread, where widgets and notifiers may be used."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal


class MessageRelay(QObject):
    """Call it from any thread; ``deliver`` runs on the thread this object lives on (a queued signal).

    Args:
        deliver: what to do with each message, on the GUI thread.
    """

    said = Signal(str)

    def __init__(self, deliver: Callable[[str], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.said.connect(deliver)

    def __call__(self, message: str) -> None:
        self.said.emit(message)
