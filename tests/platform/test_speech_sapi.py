"""Windows speech through one long-lived PowerShell, on a stand-in "powershell" program (this machine runs
Linux): UTF-8 lines on its stdin whatever the code page, one process for many cues, a new one for a new
language, and recovery when it dies. What PowerShell does with the lines is for the CI's Windows job."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

from tests.polling import wait_for
from unsit.platform.speech import clean_text, detect_speaker, find_speech_command
from unsit.platform.speech_sapi import SAPI_SCRIPT, SapiSpeaker

# Reads its stdin as bytes, one line at a time, and logs each line decoded strictly as UTF-8
# (or UNDECODABLE), with its process id and the language it was started for.
STAND_IN = f"""#!{sys.executable}
import os, sys
log = open(sys.argv[-1] if sys.argv[-1].endswith(".log") else os.environ["STANDIN_LOG"], "a", encoding="utf-8")
me = f"{{os.getpid()}} {{os.environ.get('UNSIT_SPEECH_LANGUAGE', '-')}}"
for raw in sys.stdin.buffer:
    try:
        text = raw.rstrip(b"\\n").decode("utf-8")
    except UnicodeDecodeError:
        text = "UNDECODABLE"
    log.write(f"{{me}} {{text!r}}\\n")
    log.flush()
log.write(f"{{me}} END\\n")
"""


def _stand_in(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "powershell"
    script.write_text(STAND_IN)
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    log = tmp_path / "spoken.log"
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setenv("STANDIN_LOG", str(log))
    return log


def _lines(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def test_windows_gets_one_long_lived_powershell_that_reads_utf8_and_picks_a_voice():
    assert "UTF8Encoding" in SAPI_SCRIPT and "OpenStandardInput" in SAPI_SCRIPT
    assert "[Console]::In" not in SAPI_SCRIPT  # PowerShell 5.1 decodes that with the console code page
    assert "SpeakAsyncCancelAll" in SAPI_SCRIPT and "UNSIT_SPEECH_LANGUAGE" in SAPI_SCRIPT


def test_german_and_chinese_cues_reach_one_powershell_intact_as_utf8_lines(tmp_path, monkeypatch):
    log = _stand_in(tmp_path, monkeypatch)
    language = ["de"]
    command = find_speech_command("win32")
    assert command is not None and command.windows
    speaker = detect_speaker("win32")
    assert isinstance(speaker, SapiSpeaker)
    speaker._language = lambda: language[0]  # Unsit's language, switched below
    speaker.say("Hüfte nach vorn schieben,\nFüße hüftbreit.")
    speaker.say("Größer werden: 20 Sekunden halten.")
    speaker.stop()
    wait_for(lambda: len(_lines(log)) == 3, 10, "three lines at the stand-in")
    first = _lines(log)
    pid = first[0].split()[0]
    assert first == [f"{pid} de 'Hüfte nach vorn schieben, Füße hüftbreit.'",
                     f"{pid} de 'Größer werden: 20 Sekunden halten.'", f"{pid} de ''"]
    assert speaker.started == 1  # no PowerShell start per cue
    language[0] = "zh_CN"
    speaker.say("站直，收紧臀部。")
    wait_for(lambda: len(_lines(log)) == 5, 10, "the old PowerShell to end and the new one to speak")
    rest = _lines(log)[3:]
    assert f"{pid} de END" in rest
    new = next(line for line in rest if "END" not in line)
    assert new.endswith("zh-CN '站直，收紧臀部。'") and not new.startswith(pid)
    assert speaker.started == 2
    speaker.close()
    wait_for(lambda: _lines(log)[-1].endswith("END"), 10, "the last PowerShell to end")


def _first_cue(tmp_path: Path, monkeypatch, language: str, text: str) -> tuple[SapiSpeaker, Path]:
    """The speaker detect_speaker gives on Windows (stand-in PowerShell), after one cue arrived."""
    log = _stand_in(tmp_path, monkeypatch)
    speaker = detect_speaker("win32")
    assert isinstance(speaker, SapiSpeaker)
    speaker._language = lambda: language
    speaker.say(text)
    wait_for(lambda: len(_lines(log)) == 1, 10, "the first cue")
    assert speaker.process is not None
    return speaker, log


def test_a_powershell_that_died_between_cues_is_replaced_and_the_cue_still_spoken(tmp_path, monkeypatch):
    speaker, log = _first_cue(tmp_path, monkeypatch, "pl", "Zegnij kolano.")
    assert speaker.process is not None
    speaker.process.kill()
    speaker.process.wait(timeout=10)
    speaker.say("Wyprostuj się, źle nie jest.")
    wait_for(lambda: len(_lines(log)) == 2, 10, "the cue after the restart")
    assert _lines(log)[1].endswith("pl 'Wyprostuj się, źle nie jest.'") and speaker.started == 2
    speaker.close()


def test_english_keeps_the_systems_voice_and_a_missing_powershell_is_quiet(tmp_path, monkeypatch):
    speaker, log = _first_cue(tmp_path, monkeypatch, "en", "Stand tall.")
    assert speaker.process is not None
    assert _lines(log) == [f"{speaker.process.pid}  'Stand tall.'"]  # UNSIT_SPEECH_LANGUAGE empty: no voice picked
    speaker.close()
    gone = SapiSpeaker((str(tmp_path / "no-such-powershell"),), lambda: "de", clean_text)
    gone.say("Nichts.")  # logs at debug level, raises nothing
    assert gone.process is None and gone.started == 0
