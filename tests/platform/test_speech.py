"""Spoken cues: real espeak-ng speaking into a WAV file, stand-ins for spd-say, say and
PowerShell (the macOS and Windows paths are tested on Linux with fake programs on PATH),
interruption, stopping, and a quiet no-op when nothing can speak."""

from __future__ import annotations

import logging
import shutil
import signal
import stat
import wave
from pathlib import Path

import pytest

from tests.polling import wait_for
from unsit.platform.speech import (
    MAX_TEXT_CHARS,
    CommandSpeaker,
    NullSpeaker,
    TextVia,
    clean_text,
    detect_speaker,
    find_speech_command,
)

REAL_ESPEAK = shutil.which("espeak-ng")


def program(folder: Path, name: str, body: str) -> Path:
    """A shell script on PATH standing in for a speech program."""
    folder.mkdir(exist_ok=True)
    script = folder / name
    script.write_text("#!/bin/sh\nPATH=/usr/bin:/bin\n" + body + "\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def recorder(folder: Path, name: str, log: Path) -> Path:
    """Writes its arguments (one a line) to ``log`` and its stdin to ``log``.stdin."""
    return program(folder, name, f'printf "%s\\n" "$@" > "{log}.tmp"; cat > "{log}.stdin"; mv "{log}.tmp" "{log}"')


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


@pytest.mark.skipif(REAL_ESPEAK is None, reason="espeak-ng is not installed (scripts/setup --test installs it)")
def test_real_espeak_ng_speaks_the_cue(tmp_path, monkeypatch):
    wav_path, args = tmp_path / "spoken.wav", tmp_path / "args"
    # A wrapper we can observe: the real espeak-ng, told to write the speech to a file.
    program(tmp_path / "bin", "espeak-ng", f'printf "%s\\n" "$@" > "{args}"\nexec "{REAL_ESPEAK}" -w "{wav_path}" "$@"')
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    speaker = detect_speaker("linux")
    assert speaker.name == "espeak-ng"
    speaker.say("Hand on the desk.\nTuck the pelvis under.")
    assert speaker.process is not None and speaker.process.wait(timeout=30) == 0
    assert args.read_text().splitlines() == ["--", "Hand on the desk. Tuck the pelvis under."]
    with wave.open(str(wav_path)) as wav:
        seconds = wav.getnframes() / wav.getframerate()
        frames = wav.readframes(wav.getnframes())
    assert 1.0 < seconds < 10.0
    assert max(frames) > 0 and len(set(frames)) > 50  # real sound, not silence


def test_nothing_to_speak_with_is_quiet_and_logged_once(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("PATH", str(tmp_path))
    caplog.set_level(logging.INFO, logger="unsit.platform.speech")
    for platform in ("linux", "darwin", "win32"):
        assert find_speech_command(platform) is None
    speaker = detect_speaker("linux")
    assert isinstance(speaker, NullSpeaker) and speaker.name == "none"
    speaker.say("Hello")
    speaker.stop()
    assert [r.message for r in caplog.records if "text-to-speech" in r.message] == [
        ("no text-to-speech program found (spd-say, espeak-ng, espeak, say or PowerShell): "
         "drill cues will not be spoken"),
    ]


def test_speech_dispatcher_comes_first_politely_and_percent_is_not_a_format(tmp_path, monkeypatch):
    log = tmp_path / "args"
    recorder(tmp_path / "bin", "spd-say", log)
    recorder(tmp_path / "bin", "espeak-ng", tmp_path / "other")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    speaker = detect_speaker("linux")
    assert speaker.name == "spd-say"
    speaker.say("-90% of the range")
    assert speaker.process.wait(timeout=10) == 0
    assert log.read_text().splitlines() == [
        "--application-name", "unsit", "--priority", "notification", "--", "-90 percent of the range",
    ]
    assert not (tmp_path / "other").exists()


def test_espeak_is_the_last_linux_fallback(tmp_path, monkeypatch):
    recorder(tmp_path / "bin", "espeak", tmp_path / "args")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    command = find_speech_command("linux")
    assert command is not None and command.name == "espeak" and command.text_via is TextVia.ARGUMENT


def test_macos_say_gets_the_text_on_stdin(tmp_path, monkeypatch):
    log = tmp_path / "args"
    recorder(tmp_path / "bin", "say", log)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    speaker = detect_speaker("darwin")
    assert isinstance(speaker, CommandSpeaker)
    speaker.say("Switch sides; \"right\" leg $(next) `now`.")
    assert speaker.process.wait(timeout=10) == 0
    wait_for(log.exists, 10, "the stand-in to write its log")
    assert log.read_text().splitlines()[:2] == ["-f", "-"]
    assert Path(f"{log}.stdin").read_text() == "Switch sides; \"right\" leg $(next) `now`."


SAY_VOICES = """\
Albert              en_US    # Hello! My name is Albert.
Anna                de_DE    # Hallo! Ich heiße Anna.
Eddy (German (Germany)) de_DE    # Hallo! Ich heiße Eddy.
Joana               pt_PT    # Olá! Chamo-me Joana.
Luciana             pt_BR    # Olá! Meu nome é Luciana.
Tingting            zh_CN    # 你好！我叫婷婷。
garbage line without a locale
"""


@pytest.mark.parametrize(("language", "expected"), [
    ("de", ["-v", "Anna"]), ("pt_BR", ["-v", "Luciana"]), ("zh_CN", ["-v", "Tingting"]),
    ("en", []), ("ja", []),  # English and a language without a voice: the user's system voice
])
def test_say_picks_a_voice_for_the_language_from_its_own_list(language, expected):
    from unsit.platform.speech import say_voice_args

    assert say_voice_args(language, SAY_VOICES) == expected


def test_say_is_given_the_voice_of_unsits_language(tmp_path, monkeypatch):
    log = tmp_path / "args"
    voices = tmp_path / "voices"
    voices.write_text(SAY_VOICES)
    program(tmp_path / "bin", "say", f'if [ "$1" = "-v" ] && [ "$2" = "?" ]; then cat "{voices}"; exit 0; fi\n'
            f'printf "%s\\n" "$@" > "{log}.tmp"; cat > "{log}.stdin"; mv "{log}.tmp" "{log}"')
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setattr("unsit.platform.speech.current_language", lambda: "de")
    speaker = detect_speaker("darwin")
    speaker.say("Hüfte öffnen.")
    assert speaker.process.wait(timeout=10) == 0
    wait_for(log.exists, 10, "the stand-in to write its log")
    assert log.read_text().splitlines() == ["-f", "-", "-v", "Anna"]
    assert Path(f"{log}.stdin").read_text(encoding="utf-8") == "Hüfte öffnen."


def test_pwsh_when_windows_powershell_is_missing(tmp_path, monkeypatch):
    recorder(tmp_path / "bin", "pwsh", tmp_path / "args")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    command = find_speech_command("win32")
    assert command is not None and command.name == "sapi" and Path(command.argv[0]).name == "pwsh"


def test_a_new_cue_interrupts_the_previous_one_and_stop_ends_the_whole_group(tmp_path, monkeypatch):
    pids = tmp_path / "pids"
    # Speaks "for a long time" through a child of its own, like a synthesiser feeding a player.
    program(tmp_path / "bin", "espeak-ng", f'sleep 60 &\necho $! >> "{pids}"\nwait')
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    speaker = detect_speaker("linux")
    speaker.say("First cue, a long one.")
    first = speaker.process
    wait_for(lambda: pids.exists() and len(pids.read_text().split()) == 1, 10, "one speaking process")
    speaker.say("Second cue.")
    assert first.wait(timeout=10) == -signal.SIGTERM
    second = speaker.process
    assert second is not None and second.poll() is None
    wait_for(lambda: len(pids.read_text().split()) == 2, 10, "a second speaking process")
    first_child, second_child = (int(p) for p in pids.read_text().split())
    wait_for(lambda: not alive(first_child), 10, "the first child to end")
    speaker.stop()
    assert second.wait(timeout=10) == -signal.SIGTERM
    wait_for(lambda: not alive(second_child), 10, "the second child to end")
    assert speaker.process is None
    speaker.stop()  # twice is fine


def test_empty_text_only_stops(tmp_path, monkeypatch):
    log = tmp_path / "args"
    recorder(tmp_path / "bin", "espeak-ng", log)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    speaker = detect_speaker("linux")
    speaker.say(" \n\t ")
    assert speaker.process is None and not log.exists()


def test_a_broken_program_never_raises(tmp_path, monkeypatch):
    (tmp_path / "bin").mkdir()
    broken = tmp_path / "bin" / "espeak-ng"
    broken.write_text("not a script at all")
    broken.chmod(0o755)  # executable but not runnable: Popen raises OSError
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    speaker = detect_speaker("linux")
    speaker.say("Hello")
    assert speaker.process is None
    speaker.stop()


def test_clean_text_flattens_and_caps():
    assert clean_text("Step\x00one\r\n\ttwo  three\x7f") == "Step one two three"
    assert len(clean_text("word " * 500)) == MAX_TEXT_CHARS
    assert clean_text("") == ""



def test_the_voice_speaks_the_language_in_use(tmp_path, monkeypatch):
    from unsit.platform.speech import voice_language_args
    from unsit.text.i18n import install

    assert voice_language_args("spd-say", "en") == [] and voice_language_args("espeak-ng", "en") == []
    assert voice_language_args("spd-say", "pt_BR") == ["--language", "pt-br"]
    assert voice_language_args("espeak-ng", "zh_CN") == ["-v", "cmn"]
    assert voice_language_args("say", "de") == []
    log = tmp_path / "args"
    recorder(tmp_path / "bin", "spd-say", log)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    speaker = detect_speaker("linux")
    install("de")
    try:
        speaker.say("Seite wechseln.")
        assert speaker.process.wait(timeout=10) == 0
    finally:
        install("en")
    assert log.read_text().splitlines() == [
        "--application-name", "unsit", "--priority", "notification", "--language", "de", "--", "Seite wechseln.",
    ]
