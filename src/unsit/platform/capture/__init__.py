"""Is an application recording the microphone (a call)? One watch per platform, a Null one elsewhere.

``pick_capture_watch`` chooses: the PulseAudio protocol on Linux (PipeWire's pulse server
speaks it too), Core Audio sessions on Windows, CoreAudio's "running somewhere" on macOS.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from unsit.platform.capture.base import Capture, CaptureWatch, NullCaptureWatch

__all__ = ["Capture", "CaptureWatch", "NullCaptureWatch", "pick_capture_watch"]


def pick_capture_watch(monotonic: Callable[[], float] = time.monotonic, platform: str = sys.platform) -> CaptureWatch:
    """The capture watch for ``platform`` (not started), reading a capture's start from ``monotonic``."""
    if platform.startswith("linux"):
        from unsit.platform.capture.pulse import PulseCaptureWatch

        return PulseCaptureWatch(monotonic)
    if platform == "win32":
        from unsit.platform.capture.windows import windows_capture_watch

        return windows_capture_watch(monotonic)
    if platform == "darwin":
        from unsit.platform.capture.macos import macos_capture_watch

        return macos_capture_watch(monotonic)
    return NullCaptureWatch()
