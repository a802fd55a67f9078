"""play_cue: a quiet no-op without a player, a detached player call with one, valid WAVs."""

from __future__ import annotations

import shutil
import stat
import wave
from pathlib import Path

import pytest

from unsit.platform.sound import CUE_KINDS, cue_file, play_cue, player_command
from unsit.runtime.resources import assets_dir

ASSETS = assets_dir()


def fake_player(folder: Path, name: str, log: Path) -> Path:
    folder.mkdir(exist_ok=True)
    script = folder / name
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{log}"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_no_player_on_path_is_a_silent_no_op(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert player_command("linux") is None
    assert play_cue("step", platform="linux") is None
    assert play_cue("end", platform="darwin") is None


def test_unknown_cue_plays_nothing(tmp_path, monkeypatch):
    fake_player(tmp_path / "bin", "paplay", tmp_path / "args")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert play_cue("fanfare", platform="linux") is None
    assert not (tmp_path / "args").exists()


@pytest.mark.parametrize(("program", "platform", "options"), [
    ("paplay", "linux", []), ("pw-play", "linux", []), ("aplay", "linux", ["-q"]), ("afplay", "darwin", []),
])
def test_the_player_is_started_with_the_cue_file(tmp_path, monkeypatch, program, platform, options):
    log = tmp_path / "args"
    fake_player(tmp_path / "bin", program, log)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    proc = play_cue("step", platform=platform)
    assert proc is not None
    assert proc.wait(timeout=10) == 0
    assert log.read_text().split("\n")[:-1] == [*options, str(ASSETS / "sounds" / "step.wav")]


def test_paplay_is_preferred_over_aplay(tmp_path, monkeypatch):
    fake_player(tmp_path / "bin", "paplay", tmp_path / "args")
    fake_player(tmp_path / "bin", "aplay", tmp_path / "args")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert Path(player_command("linux")[0]).name == "paplay"


def test_a_failing_player_never_raises(tmp_path, monkeypatch):
    (tmp_path / "bin").mkdir()
    broken = tmp_path / "bin" / "paplay"
    broken.write_text("not a script at all")
    broken.chmod(0o755)  # executable but not runnable: Popen raises OSError
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert play_cue("end", platform="linux") is None


@pytest.mark.parametrize("kind", CUE_KINDS)
def test_cue_files_are_short_small_mono_wavs(kind):
    path = cue_file(kind)
    assert path is not None and path == ASSETS / "sounds" / f"{kind}.wav"
    assert path.stat().st_size < 100_000
    with wave.open(str(path)) as wav:
        assert wav.getnchannels() == 1 and wav.getsampwidth() == 2
        assert 0.1 < wav.getnframes() / wav.getframerate() < 1.5


REAL_APLAY = shutil.which("aplay")


@pytest.mark.skipif(REAL_APLAY is None, reason="aplay is not installed (scripts/setup --test installs alsa-utils)")
@pytest.mark.parametrize("kind", CUE_KINDS)
def test_every_sound_really_plays_through_alsa(tmp_path, monkeypatch, kind):
    """The real aplay decodes the cue and ALSA writes what it would send to the speakers into a file."""
    out = tmp_path / "played.raw"
    (tmp_path / ".asoundrc").write_text(
        f'pcm.!default {{\n type file\n slave.pcm "null"\n file "{out}"\n format "raw"\n}}\n'
    )
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "aplay").symlink_to(REAL_APLAY)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.delenv("ALSA_CONFIG_PATH", raising=False)
    proc = play_cue(kind, platform="linux")
    assert proc is not None and proc.wait(timeout=30) == 0
    with wave.open(str(cue_file(kind))) as wav:
        samples = wav.readframes(wav.getnframes())
    played = out.read_bytes()
    assert played[:len(samples)] == samples  # every sample reached the device, in order
