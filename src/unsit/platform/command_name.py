"""The ``unsit`` command as the user can type it in this installation.

Run from a checkout (``scripts/run``), the command lives in ``.venv/bin`` and is not on PATH,
so a message saying "run: unsit status" would be wrong. Messages use ``command_name()``:
plain ``unsit`` when that reaches this installation, else the path that does.
"""

from __future__ import annotations

import os
import shlex
import shutil
from collections.abc import Callable

from unsit.platform.autostart import default_command


def command_name(
    executable: str | None = None,
    frozen: bool | None = None,
    which: Callable[[str], str | None] = shutil.which,
    home: str | None = None,
) -> str:
    """``unsit`` if typing that runs this installation, else the command that does (``~`` for home).

    Args:
        executable: the interpreter or frozen program (default: this process's).
        frozen: whether this is a frozen bundle (default: ask ``sys``).
        which: finds a program on PATH.
        home: the home folder to shorten to ``~`` (default: the user's).
    """
    command = default_command(executable, frozen, which)
    on_path = which("unsit")
    if on_path and len(command) == 1 and os.path.realpath(on_path) == os.path.realpath(command[0]):
        return "unsit"
    home = home if home is not None else os.path.expanduser("~")
    words = []
    for word in command:
        if home and home != "/" and word.startswith(home + os.sep) and shlex.quote(word) == word:
            words.append("~" + word[len(home):])  # a plain path: safe to leave unquoted after ~
        else:
            words.append(shlex.quote(word) if not word.startswith("~") else word)
    return " ".join(words)
