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
KEEP_ANSWER_PROBES = 5
"""A failed probe keeps the last answer, for this many probes in a row (15 s at the default poll):
a headset switching to hands-free at the start of a call makes the walk fail for a poll, which
must not end the call and fire the held nudge. After that, the system is taken to say "nobody"."""

Probe = Callable[[], "tuple[str, ...] | None"]
"""Who captures now (None or empty: nobody). May raise OSError when the system cannot tell."""


class PollingCaptureWatch:
    """Runs ``probe`` every ``poll_seconds`` and reports changes.

    Args:
        name: the watch's name in status ("coreaudio-sessions", …).
        probe: who captures now; an OSError keeps the last answer for ``KEEP_ANSWER_PROBES``
            probes, then counts as "nobody" (logged once).
        monotonic: the clock a capture's start is read from.
        setup: run once on the watch's thread before the first probe (COM initialisation).
        teardown: run once on the watch's thread after the last probe (COM's release).
    """

    def __init__(self, name: str, probe: Probe, monotonic: Callable[[], float] = time.monotonic, *,
                 poll_seconds: float = POLL_SECONDS, setup: Callable[[], None] | None = None,
                 teardown: Callable[[], None] | None = None) -> None:
        self.name = name
        self.on_change: Callable[[], None] | None = None
        self._probe = probe
        self._setup = setup
        self._teardown = teardown
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
        try:
            if self._setup is not None:
                self._setup()
        except OSError as exc:
            log.warning("cannot follow microphone use (%s): %s", self.name, exc)
            return
        try:
            self._poll()
        finally:
            if self._teardown is not None:
                try:
                    self._teardown()
                except OSError as exc:
                    log.debug("ending the capture watch (%s): %s", self.name, exc)

    def _poll(self) -> None:
        warned = False
        failed_in_a_row = 0
        while not self._stopping.is_set():
            try:
                who = self._probe() or None
                failed_in_a_row = 0
            except OSError as exc:
                if not warned:
                    log.warning("cannot follow microphone use (%s): %s; trying again quietly", self.name, exc)
                    warned = True
                failed_in_a_row += 1
                current = self._state.get()
                who = current.applications if current is not None and failed_in_a_row <= KEEP_ANSWER_PROBES else None
            if self._state.set(who) and self.on_change is not None:
                try:
                    self.on_change()
                except Exception:
                    log.exception("the capture change listener failed")
            self.probed.set()
            self._stopping.wait(self._poll_seconds)
