"""The capture watch for the Qt side: a ``changed`` signal, delivered on the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from unsit.platform.capture.base import Capture, CaptureWatch


class CallWatch(QObject):
    """Wraps a capture watch; ``changed`` is emitted (queued to the receivers' thread) when a call starts or ends.

    Args:
        watch: the platform's watch; its ``on_change`` is taken over.
    """

    changed = Signal()

    def __init__(self, watch: CaptureWatch, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watch = watch
        watch.on_change = self.changed.emit  # called on the watch's thread: Qt queues it

    @property
    def name(self) -> str:
        """Which watch runs ("pulseaudio", "none", …)."""
        return self._watch.name

    def capturing(self) -> Capture | None:
        """The call running now, or None."""
        return self._watch.capturing()

    def call_since(self) -> float | None:
        """When the running call began (the engine's monotonic clock), or None."""
        capture = self._watch.capturing()
        return None if capture is None else capture.since_monotonic

    def applications(self) -> tuple[str, ...]:
        """The applications recording now, as the sound server names them (empty: none or unknown)."""
        capture = self._watch.capturing()
        return () if capture is None else capture.applications

    def start(self) -> None:
        """Start the watch."""
        self._watch.start()

    def close(self) -> None:
        """Stop the watch."""
        self._watch.stop()
