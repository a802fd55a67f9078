"""Plays the drill's cues: sounds through platform.sound, lines through a Speaker.

The drill window hands every batch of cues (see ``core.drill_cues``) to one
``DrillCuePlayer``; the player honours ``sounds_enabled`` and ``speak_cues`` and never
lets a failing player or speaker reach the window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from unsit.core.drill_cues import Cue
from unsit.platform.speech import Speaker

log = logging.getLogger(__name__)


class DrillCuePlayer:
    """Sounds and speech for one drill window.

    Args:
        play_sound: plays a sound kind ("ready", "step", "tick", "end").
        speaker: the system voice, or None for none.
        sounds_enabled: settings.sounds_enabled.
        speak_cues: settings.speak_cues.
    """

    def __init__(self, play_sound: Callable[[str], object], speaker: Speaker | None, *,
                 sounds_enabled: bool, speak_cues: bool):
        self._play_sound = play_sound
        self._speaker = speaker if speak_cues else None
        self._sounds_enabled = sounds_enabled

    def play(self, cues: list[Cue]) -> None:
        """Play each cue's sound and speak its line (the newest line wins)."""
        for cue in cues:
            if cue.sound is not None and self._sounds_enabled:
                try:
                    self._play_sound(cue.sound.value)
                except Exception:
                    log.debug("sound %s failed", cue.sound.value, exc_info=True)
            if cue.speech and self._speaker is not None:
                try:
                    self._speaker.say(cue.speech)
                except Exception:
                    log.debug("speaking failed", exc_info=True)

    def stop(self) -> None:
        """Stop speaking (the window closed or the drill paused or ended)."""
        if self._speaker is not None:
            try:
                self._speaker.stop()
            except Exception:
                log.debug("stopping speech failed", exc_info=True)
