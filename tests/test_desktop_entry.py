"""The menu entry's actions: valid for desktop-file-validate, and each one a command the CLI knows."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from unsit import DESKTOP_ID
from unsit.cli import build_parser

ENTRY = Path(__file__).parents[1] / "installer" / "linux" / f"{DESKTOP_ID}.desktop"


class _CaseSensitiveParser(configparser.ConfigParser):
    def optionxform(self, optionstr: str) -> str:
        return optionstr  # keys are case-sensitive in desktop files


def read_entry() -> configparser.ConfigParser:
    parser = _CaseSensitiveParser(interpolation=None, delimiters=("=",))
    parser.read(ENTRY, encoding="utf-8")
    return parser


def test_each_listed_action_runs_a_known_unsit_command():
    entry = read_entry()
    actions = [a for a in entry["Desktop Entry"]["Actions"].split(";") if a]
    assert actions == ["drill", "pause", "settings", "history"]
    for action in actions:
        section = entry[f"Desktop Action {action}"]
        assert section["Name"]
        program, *args = shlex.split(section["Exec"])
        assert program == "unsit"
        parsed = build_parser().parse_args(args)  # exits (fails the test) on an unknown command
        assert parsed.command == args[0]


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils missing")
def test_the_entry_with_its_actions_validates():
    check = subprocess.run(["desktop-file-validate", str(ENTRY)], capture_output=True, text=True)
    assert check.returncode == 0 and not check.stdout.strip(), check.stdout + check.stderr
