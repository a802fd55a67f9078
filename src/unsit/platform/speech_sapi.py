"""Windows speech: one PowerShell for the session, speaking through SAPI (``System.Speech``).

Starting PowerShell and loading ``System.Speech`` takes 0.5–2 s, far too late for a cue that
belongs to a step that lasts seconds. So one PowerShell starts at the first cue and stays: each
cue is one line on its stdin, spoken with ``SpeakAsync`` after ``SpeakAsyncCancelAll`` (a new cue
cuts the old one short); an empty line only stops. It reads stdin as UTF-8 bytes itself:
PowerShell 5.1's ``[Console]::In`` decodes with the console's code page, which garbles every
cue in German, French, Polish, Japanese, Chinese, Arabic or Hebrew. It picks an installed voice
for Unsit's language (``UNSIT_SPEECH_LANGUAGE``), else keeps the system's default voice.
A change of language starts a new PowerShell with the new voice.
"""

from __future__ import annotations

import logging
import os
import subprocess
from collections.abc import Callable
from typing import IO, Any

log = logging.getLogger(__name__)

SAPI_SCRIPT = (
    "Add-Type -AssemblyName System.Speech; "
    "$speaker = New-Object System.Speech.Synthesis.SpeechSynthesizer; "
    "$language = $env:UNSIT_SPEECH_LANGUAGE; "
    "if ($language) { "
    "$voice = $speaker.GetInstalledVoices() | Where-Object { $_.Enabled -and "
    "$_.VoiceInfo.Culture.Name -like ($language + '*') } | Select-Object -First 1; "
    "if ($voice) { try { $speaker.SelectVoice($voice.VoiceInfo.Name) } catch { } } }; "
    "$utf8 = New-Object System.Text.UTF8Encoding($false); "
    "$reader = New-Object System.IO.StreamReader([Console]::OpenStandardInput(), $utf8); "
    "while ($null -ne ($line = $reader.ReadLine())) { "
    "$speaker.SpeakAsyncCancelAll(); "
    "if ($line) { [void]$speaker.SpeakAsync($line) } }"
)
_WINDOWS_NO_WINDOW = 0x08000000  # CREATE_NO_WINDOW: no console flashes up


def culture_prefix(language: str) -> str:
    """The start of the Windows culture names of a gettext code: "de" -> "de", "pt_BR" -> "pt-BR"."""
    return language.replace("_", "-")


class SapiSpeaker:
    """Speaks each line through one long-lived PowerShell.

    Args:
        argv: the PowerShell command line that runs ``SAPI_SCRIPT``.
        language: Unsit's language now (a gettext code), asked at every line.
        clean: makes a cue one plain line (``speech.clean_text``, handed in so the imports run one way).
        popen: starts the child (tests pass a stand-in program's command line instead of PowerShell).
    """

    name = "sapi"

    def __init__(self, argv: tuple[str, ...], language: Callable[[], str], clean: Callable[[str], str],
                 popen: Callable[..., subprocess.Popen[bytes]] = subprocess.Popen) -> None:
        self._argv = argv
        self._language = language
        self._clean = clean
        self._popen = popen
        self._process: subprocess.Popen[bytes] | None = None
        self._process_language = ""
        self.started = 0  # how many PowerShells this speaker started (tests count them)

    @property
    def process(self) -> subprocess.Popen[bytes] | None:
        """The PowerShell speaking now, or None."""
        return self._process

    def say(self, text: str) -> None:
        """Speak ``text`` (made one plain line), cutting off the line before; never raises."""
        line = self._clean(text)
        if line:
            self._send(line)
        else:
            self.stop()

    def stop(self) -> None:
        """Stop speaking now (the PowerShell stays for the next cue)."""
        if self._process is not None and self._process.poll() is None:
            self._write(self._process, "")

    def close(self) -> None:
        """End the PowerShell: closing its stdin ends its read loop."""
        process, self._process = self._process, None
        if process is None:
            return
        try:
            if process.stdin is not None:
                process.stdin.close()
            process.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()

    def _send(self, line: str) -> None:
        language = self._language()
        process = self._process
        if process is None or process.poll() is not None or language != self._process_language:
            self.close()
            process = self._start(language)
        if process is not None and not self._write(process, line):
            self.close()  # it died between two cues: one new PowerShell, one more try
            process = self._start(language)
            if process is not None:
                self._write(process, line)

    def _start(self, language: str) -> subprocess.Popen[bytes] | None:
        env = dict(os.environ)
        env["UNSIT_SPEECH_LANGUAGE"] = "" if language == "en" else culture_prefix(language)
        try:
            self._process = self._popen(
                list(self._argv), stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env=env, close_fds=True, creationflags=_WINDOWS_NO_WINDOW if os.name == "nt" else 0,
            )
        except (OSError, ValueError) as exc:
            log.debug("PowerShell could not start: %s", exc)
            self._process = None
            return None
        self.started += 1
        self._process_language = language
        return self._process

    @staticmethod
    def _write(process: subprocess.Popen[bytes], line: str) -> bool:
        pipe: IO[bytes] | Any = process.stdin
        if pipe is None:
            return False
        try:
            pipe.write(line.encode("utf-8") + b"\n")  # UTF-8 whatever the console's code page is
            pipe.flush()
        except (OSError, ValueError):  # BrokenPipeError, or a closed pipe
            return False
        return True
