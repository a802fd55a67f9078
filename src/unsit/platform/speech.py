"""Spoken drill cues through the system's text-to-speech, without blocking the GUI.

One short child process speaks one line and exits; a new line (or ``stop``) ends the
previous one first, so cues never pile up. What speaks, in order of preference:

- Linux and other Unix: speech-dispatcher's ``spd-say`` (the desktop's own voice and
  rate settings), else ``espeak-ng``, else ``espeak``.
- Windows: SAPI through one long-lived PowerShell (``System.Speech``, no extra dependency;
  see ``unsit.platform.speech_sapi``), with a voice for Unsit's language when one is installed.
- macOS: ``say``, with the first voice ``say -v ?`` lists for Unsit's language.

With none of them, ``detect_speaker`` returns a ``NullSpeaker`` and says so once in the
log: no error dialog, no retry. Nothing here records sound; the text goes to the
program's argument list or stdin, never through a shell.
"""

from __future__ import annotations

import enum
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from typing import Protocol

from unsit.text.i18n import current_language

log = logging.getLogger(__name__)

MAX_TEXT_CHARS = 400
"""Longer text is cut: a cue is a sentence or two, never a page."""

_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]+")
_WINDOWS_NO_WINDOW = 0x08000000  # CREATE_NO_WINDOW: no console flashes up
_SAY_VOICE_RE = re.compile(r"^(.+?)\s+([a-z]{2,3}_[A-Za-z0-9]+)\s+#")
_SAY_LISTING_MAX_BYTES = 1 << 20


class Speaker(Protocol):
    """Speaks one line at a time; a new line interrupts the one before."""

    name: str

    def say(self, text: str) -> None:
        """Start speaking ``text`` (stopping what is being said) and return at once."""

    def stop(self) -> None:
        """Stop speaking now."""


class NullSpeaker:
    """No text-to-speech here: every call does nothing."""

    name = "none"

    def say(self, text: str) -> None:
        """Do nothing."""

    def stop(self) -> None:
        """Do nothing."""


class TextVia(enum.Enum):
    """How the program gets the text."""

    ARGUMENT = "argument"  # after a "--" at the end of the argument list
    STDIN = "stdin"


@dataclass(frozen=True)
class SpeechCommand:
    """A program that speaks a line of text and exits.

    Attributes:
        name: what to call it in logs and ``unsit status`` ("spd-say", "espeak-ng", ...).
        argv: the program's path and its options, without the text.
        text_via: how the text is handed over.
        windows: it is the Windows voice (PowerShell).
    """

    name: str
    argv: tuple[str, ...]
    text_via: TextVia
    windows: bool = False


def find_speech_command(platform: str = sys.platform) -> SpeechCommand | None:
    """The text-to-speech program to use on ``platform`` (looked up on PATH), or None."""
    if platform.startswith("win"):
        shell = shutil.which("powershell") or shutil.which("pwsh")
        if shell is None:
            return None
        from unsit.platform.speech_sapi import SAPI_SCRIPT

        argv = (shell, "-NoLogo", "-NoProfile", "-NonInteractive", "-Command", SAPI_SCRIPT)
        return SpeechCommand("sapi", argv, TextVia.STDIN, windows=True)
    if platform == "darwin":
        say = shutil.which("say")
        return SpeechCommand("say", (say, "-f", "-"), TextVia.STDIN) if say else None
    spd_say = shutil.which("spd-say")
    if spd_say:
        # "notification" is speech-dispatcher's most polite priority: a screen reader's
        # speech wins over it, and a newer cue replaces an older one.
        return SpeechCommand(
            "spd-say", (spd_say, "--application-name", "unsit", "--priority", "notification"), TextVia.ARGUMENT
        )
    for program in ("espeak-ng", "espeak"):
        found = shutil.which(program)
        if found:
            return SpeechCommand(program, (found,), TextVia.ARGUMENT)
    return None


def voice_language_args(program: str, language: str) -> list[str]:
    """Options that make ``program`` speak ``language`` (a gettext code); none for English, the default voice."""
    if language == "en":
        return []
    tag = language.lower().replace("_", "-")
    if program == "spd-say":
        return ["--language", tag]
    if program in ("espeak-ng", "espeak"):
        return ["-v", "cmn" if tag.startswith("zh") else tag]
    return []  # say and SAPI pick a voice by name from the system's list (say_voice_args, speech_sapi)


def say_voice_args(language: str, listing: str) -> list[str]:
    """``["-v", NAME]`` for the first voice in ``say -v ?``'s ``listing`` that speaks ``language``.

    The exact locale wins (pt_BR), then the language alone (de -> de_DE, de_CH); English and a
    language without a voice keep the user's system voice (no arguments).
    """
    if language == "en":
        return []
    exact: list[str] = []
    same_language: list[str] = []
    for row in listing.splitlines():
        match = _SAY_VOICE_RE.match(row)
        if match is None:
            continue
        name, locale = match[1].strip(), match[2]
        if locale == language:
            exact.append(name)
        elif locale.split("_", maxsplit=1)[0] == language.split("_", maxsplit=1)[0]:
            same_language.append(name)
    chosen = [*exact, *same_language]
    return ["-v", chosen[0]] if chosen else []


def say_voice_listing(say: str) -> str:
    """What ``say -v ?`` prints (empty when it fails), read once per language change."""
    try:
        done = subprocess.run([say, "-v", "?"], capture_output=True, timeout=5, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.debug("say -v ? failed: %s", exc)
        return ""
    return done.stdout[:_SAY_LISTING_MAX_BYTES].decode("utf-8", "replace") if done.returncode == 0 else ""


def clean_text(text: str) -> str:
    """One line of plain text: control characters and runs of spaces collapsed, length capped."""
    flat = " ".join(_CONTROL_RE.sub(" ", str(text)).split())
    return flat[:MAX_TEXT_CHARS]


class CommandSpeaker:
    """Speaks through a ``SpeechCommand``, one child process per line.

    Args:
        command: the program to run.
    """

    def __init__(self, command: SpeechCommand):
        self.command = command
        self.name = command.name
        self._process: subprocess.Popen[bytes] | None = None
        self._say_voice: tuple[str, list[str]] | None = None  # (language, arguments), macOS

    def _voice_args(self, language: str) -> list[str]:
        if self.command.name != "say":
            return voice_language_args(self.command.name, language)
        if self._say_voice is None or self._say_voice[0] != language:
            self._say_voice = (language, say_voice_args(language, say_voice_listing(self.command.argv[0])))
        return self._say_voice[1]

    @property
    def process(self) -> subprocess.Popen[bytes] | None:
        """The child speaking the latest line (tests wait on it), or None."""
        return self._process

    def say(self, text: str) -> None:
        """Stop the previous line and start speaking ``text``; never raises."""
        self.stop()
        line = clean_text(text)
        if not line:
            return
        if self.command.name == "spd-say":
            line = line.replace("%", " percent")  # spd-say treats its text as a printf format
        argv = list(self.command.argv) + self._voice_args(current_language())
        if self.command.text_via is TextVia.ARGUMENT:
            argv += ["--", line]
        try:
            self._process = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE if self.command.text_via is TextVia.STDIN else subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True,
                # Unix: its own process group, so stop() reaches its children too.
                start_new_session=os.name != "nt",
                creationflags=_WINDOWS_NO_WINDOW if os.name == "nt" else 0,
            )
            if self.command.text_via is TextVia.STDIN and self._process.stdin is not None:
                with self._process.stdin as pipe:  # a line is far below the pipe's buffer
                    pipe.write(line.encode("utf-8"))
        except (OSError, ValueError) as exc:
            log.debug("%s could not speak: %s", self.name, exc)
            self._process = None

    def stop(self) -> None:
        """End the child speaking now (its whole process group on Unix); never raises."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        try:
            if sys.platform == "win32":
                process.kill()
            else:
                os.killpg(process.pid, signal.SIGTERM)
        except (OSError, ProcessLookupError) as exc:
            log.debug("stopping %s: %s", self.name, exc)


def detect_speaker(platform: str = sys.platform) -> Speaker:
    """Pick the system's text-to-speech once and log what was found (call once per app)."""
    command = find_speech_command(platform)
    if command is None:
        log.info("no text-to-speech program found (spd-say, espeak-ng, espeak, say or PowerShell): "
                 "drill cues will not be spoken")
        return NullSpeaker()
    log.info("drill cues are spoken with %s (%s)", command.name, command.argv[0])
    if command.windows:
        from unsit.platform.speech_sapi import SapiSpeaker

        return SapiSpeaker(command.argv, current_language, clean_text)
    return CommandSpeaker(command)
