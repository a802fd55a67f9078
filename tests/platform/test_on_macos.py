"""Unsit's macOS adapters against the real system calls. Skipped elsewhere (marker ``macos``);
the CI workflow's macOS job runs them. Never run from the machine these were written on."""

from __future__ import annotations

import pytest

from unsit.platform.capture.macos import CoreAudioReader, running_inputs
from unsit.platform.idle.macos import MacIdleSource

pytestmark = pytest.mark.macos


def test_idle_seconds_are_a_float_from_core_graphics():
    source = MacIdleSource.open()
    try:
        idle = source.idle_seconds()
    finally:
        source.close()
    assert isinstance(idle, float) and idle >= 0.0


def test_the_core_audio_walk_reads_the_real_device_list():
    running = running_inputs(CoreAudioReader())
    assert isinstance(running, tuple) and all(isinstance(name, str) for name in running)
