"""Short audible cues for the drill window, played without blocking the GUI.

``play_cue(kind)`` ("ready", "step", "tick", "end") plays assets/sounds/<kind>.wav with whatever the
system offers: paplay, pw-play or aplay on Linux (a detached child process), winsound
on Windows (asynchronous), afplay on macOS. With no player, no sound device or no file
it quietly does nothing: a missing beep must never disturb the app.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

log = logging.getLogger(__name__)

CUE_KINDS: tuple[str, ...] = ("ready", "step", "tick", "end")
LINUX_PLAYERS: tuple[tuple[str, ...], ...] = (("paplay",), ("pw-play",), ("aplay", "-q"))


def cue_file(kind: str) -> Path | None:
    """The WAV file for a cue kind, or None if unknown or missing."""
    if kind not in CUE_KINDS:
        return None
    try:
        from unsit.runtime.resources import asset_path

        path = asset_path("sounds", f"{kind}.wav")
    except (OSError, FileNotFoundError):
        return None
    return path if path.is_file() else None


def player_command(platform: str = sys.platform) -> list[str] | None:
    """The command (program and options) that plays a WAV file here, or None."""
    if platform == "darwin":
        names: tuple[tuple[str, ...], ...] = (("afplay",),)
    elif platform.startswith("win"):
        return None  # winsound, no child process
    else:
        names = LINUX_PLAYERS
    for program, *options in names:
        found = shutil.which(program)
        if found:
            return [found, *options]
    return None


def play_cue(kind: str, platform: str = sys.platform) -> subprocess.Popen[bytes] | None:
    """Start playing a cue and return at once.

    Args:
        kind: one of ``CUE_KINDS``.
        platform: ``sys.platform`` value (tests pass another).

    Returns:
        The player process when one was started (tests wait on it), else None. Never raises.
    """
    try:
        path = cue_file(kind)
        if path is None:
            return None
        if platform.startswith("win"):
            _play_windows(path)
            return None
        command = player_command(platform)
        if command is None:
            return None
        # A detached child with no terminal I/O; subprocess reaps it when it is collected.
        return subprocess.Popen(
            [*command, str(path)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, close_fds=True,
        )
    except Exception as exc:  # noqa: BLE001 - sound is decoration; never let it break a drill
        log.debug("cue %r not played: %s", kind, exc)
        return None


def _play_windows(path: Path) -> None:
    if sys.platform != "win32":
        raise OSError("winsound exists only on Windows")
    import winsound

    winsound.PlaySound(str(path), winsound.SND_FILENAME | winsound.SND_ASYNC | winsound.SND_NODEFAULT)
