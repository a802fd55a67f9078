#!/usr/bin/env python3
"""Generate the drill window's cue sounds into assets/sounds/ (stdlib only).

    python scripts/make_sounds.py

- ready.wav: two low, even notes (get ready: before the first step and each side).
- step.wav: a soft two-note chime (a new step begins).
- tick.wav: one short, quiet, woody click (the count of a rep).
- end.wav: three rising notes (the drill is done).

Sine tones with a short attack and an exponential decay, mono, 16-bit, 22.05 kHz, kept
quiet (peak about a third of full scale, the tick lower still) so they nudge rather
than startle.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE_HZ = 22050
PEAK = 0.32
OUT_DIR = Path(__file__).resolve().parent.parent / "assets" / "sounds"


def _note(freq_hz: float, length_seconds: float, start_seconds: float, samples: list[float],
          decay_per_second: float = 6.0) -> None:
    """Mix a bell-like note (fundamental plus a soft octave) into ``samples``."""
    attack_seconds = 0.012 if decay_per_second < 20 else 0.002
    first = int(start_seconds * RATE_HZ)
    for i in range(int(length_seconds * RATE_HZ)):
        t = i / RATE_HZ
        envelope = min(1.0, t / attack_seconds) * math.exp(-t * decay_per_second)
        tone = math.sin(2 * math.pi * freq_hz * t) + 0.25 * math.sin(2 * math.pi * 2 * freq_hz * t)
        j = first + i
        if j < len(samples):
            samples[j] += envelope * tone / 1.25


def _write(name: str, notes: list[tuple[float, float, float]], total_seconds: float,
           peak: float = PEAK, decay_per_second: float = 6.0) -> Path:
    samples = [0.0] * int(total_seconds * RATE_HZ)
    for freq, start, length in notes:
        _note(freq, length, start, samples, decay_per_second)
    fade = int(0.03 * RATE_HZ)  # no click at the end
    for k in range(fade):
        samples[-1 - k] *= k / fade
    loudest = max(abs(s) for s in samples) or 1.0
    frames = b"".join(struct.pack("<h", int(s / loudest * peak * 32767)) for s in samples)
    path = OUT_DIR / f"{name}.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE_HZ)
        out.writeframes(frames)
    return path


def main() -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    # G4 twice, the second a little longer: "ready ... now".
    print(_write("ready", [(392.0, 0.0, 0.3), (392.0, 0.32, 0.45)], 0.8, peak=0.28, decay_per_second=7.0))
    # E5 then A5: a gentle upward fourth.
    print(_write("step", [(659.25, 0.0, 0.35), (880.0, 0.12, 0.40)], 0.55))
    # C5, E5, G5 and a held C6: a small "done" arpeggio.
    # A short, fast-decaying high note: a soft wood-block tick that does not tire the ear.
    print(_write("tick", [(1318.5, 0.0, 0.12)], 0.12, peak=0.16, decay_per_second=45.0))
    print(_write("end", [(523.25, 0.0, 0.4), (659.25, 0.14, 0.4), (783.99, 0.28, 0.4), (1046.5, 0.42, 0.6)], 1.05))


if __name__ == "__main__":
    main()
