"""A capture watch that asks a probe every few seconds on a thread of its own (Windows, macOS).

Used where the system has no cheap change notification we can reach without a native
helper; one probe is a handful of system calls, so a poll every few seconds costs nothing
measurable, and a call is seen within ``poll_seconds``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from unsit.platform.capture.base import Capture, CaptureState

log = logging.getLogger(__name__)

POLL_SECONDS = 3.0

Probe = Callable[[], "tuple[str, ...] | None"]
"""Who captures now (None or empty: nobody). May raise OSError when the system cannot tell."""


class PollingCaptureWatch:
    """Runs ``probe`` every ``poll_seconds`` and reports changes.

    Args:
        name: the watch's name in status ("coreaudio-sessions", …).
        probe: who captures now; an OSError counts as "nobody" (logged once).
        monotonic: the clock a capture's start is read from.
        setup: run once on the watch's thread before the first probe (COM initialisation).
    """

    def __init__(self, name: str, probe: Probe, monotonic: Callable[[], float] = time.monotonic, *,
                 poll_seconds: float = POLL_SECONDS, setup: Callable[[], None] | None = None) -> None:
        self.name = name
        self.on_change: Callable[[], None] | None = None
        self._probe = probe
        self._setup = setup
        self._poll_seconds = poll_seconds
        self._state = CaptureState(monotonic)
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.probed = threading.Event()  # set after each probe (tests wait on it)

    def capturing(self) -> Capture | None:
        """The capture running now, or None."""
        return self._state.get()

    def start(self) -> None:
        """Start polling (returns at once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=f"unsit-{self.name}", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop polling and wait a moment for the thread."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=2.0)
            self._thread = None

    def _run(self) -> None:
        warned = False
        try:
            if self._setup is not None:
                self._setup()
        except OSError as exc:
            log.warning("cannot follow microphone use (%s): %s", self.name, exc)
            return
        while not self._stopping.is_set():
            try:
                who = self._probe() or None
            except OSError as exc:
                if not warned:
                    log.warning("cannot follow microphone use (%s): %s; trying again quietly", self.name, exc)
                    warned = True
                who = None
            if self._state.set(who) and self.on_change is not None:
                try:
                    self.on_change()
                except Exception:
                    log.exception("the capture change listener failed")
            self.probed.set()
            self._stopping.wait(self._poll_seconds)
