"""DrillCuePlayer: sounds and speech for the drill window, and no sound player left behind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.polling import wait_for
from unsit.core.drill_cues import Cue, Sound
from unsit.ui.drill_cue_player import DrillCuePlayer


def _player(seconds: float) -> subprocess.Popen[bytes]:
    """A child process standing in for paplay: it sounds for ``seconds``."""
    # a player still sounding
    return subprocess.Popen([sys.executable, "-c", f"import threading; threading.Event().wait({seconds})"])


def _state(pid: int) -> str | None:
    """The process's state letter (Z: a zombie), or None once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None
    return stat[stat.rindex(")") + 2]


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="process states are read from /proc")
def test_finished_players_are_collected_and_stop_ends_the_one_still_sounding():
    started: list[subprocess.Popen[bytes]] = []

    def play(kind: str) -> subprocess.Popen[bytes]:
        started.append(_player(0.0 if kind == "step" else 30.0))
        return started[-1]

    cues = DrillCuePlayer(play, None, sounds_enabled=True, speak_cues=False)
    cues.play([Cue(Sound.STEP, "")])
    wait_for(lambda: _state(started[0].pid) == "Z", 10, "the first player to end")  # a zombie now
    cues.play([Cue(Sound.TICK, "")])
    assert _state(started[0].pid) is None  # collected at the next cue
    assert started[1].poll() is None  # still sounding
    cues.stop()  # the window closes
    assert started[1].returncode is not None  # ended and collected: no zombie, no orphan


def test_players_without_a_process_are_fine():
    played: list[str] = []
    cues = DrillCuePlayer(played.append, None, sounds_enabled=True, speak_cues=False)
    cues.play([Cue(Sound.END, "done")])
    cues.stop()
    assert played == ["end"]
