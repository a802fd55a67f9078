"""Plays the drill's cues: sounds through platform.sound, lines through a Speaker.

The drill window hands every batch of cues (see ``core.drill_cues``) to one
``DrillCuePlayer``; the player honours ``sounds_enabled`` and ``speak_cues`` and never
lets a failing player or speaker reach the window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

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
        self._players: list[Any] = []  # sound player processes not yet reaped

    def _reap(self) -> None:
        """Collect the players that ended: no finished one stays behind as a zombie process."""
        self._players = [p for p in self._players if p.poll() is None]

    def play(self, cues: list[Cue]) -> None:
        """Play each cue's sound and speak its line (the newest line wins)."""
        for cue in cues:
            if cue.sound is not None and self._sounds_enabled:
                try:
                    player = self._play_sound(cue.sound.value)
                    if callable(getattr(player, "poll", None)):  # a child process (platform.sound)
                        self._players.append(player)
                except Exception:
                    log.debug("sound %s failed", cue.sound.value, exc_info=True)
            if cue.speech and self._speaker is not None:
                try:
                    self._speaker.say(cue.speech)
                except Exception:
                    log.debug("speaking failed", exc_info=True)
        self._reap()

    def stop(self) -> None:
        """Stop speaking and playing (the window closed or the drill paused or ended).

        A player still sounding is ended and collected, so none outlives the drill window.
        """
        self._reap()
        for player in self._players:
            try:
                player.terminate()
                player.wait(timeout=1.0)
            except Exception:
                log.debug("stopping a sound player failed", exc_info=True)
        self._players = []
        if self._speaker is not None:
            try:
                self._speaker.stop()
            except Exception:
                log.debug("stopping speech failed", exc_info=True)
