"""The gates scripts/test runs before pytest: pinned tools, run first, and a configuration that bites.

A gate that is quietly loosened (strict off, 3.11 accepted, blind excepts allowed) or skipped
still "passes"; these tests fail instead.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"


def _test_extras() -> list[str]:
    return list(tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["optional-dependencies"]["test"])


@pytest.mark.parametrize("tool", ["mypy", "ruff"])
def test_the_test_extras_pin_each_gate_tool(tool: str) -> None:
    pins = [d for d in _test_extras() if d.replace(" ", "").startswith(f"{tool}==")]
    assert len(pins) == 1, f"{tool} must be pinned with == in the test extras, found {pins}"


def test_scripts_test_runs_the_gates_before_pytest() -> None:
    lines = [line.split("#", 1)[0].strip() for line in (ROOT / "scripts" / "test").read_text().splitlines()]
    lint = [n for n, line in enumerate(lines) if line == "scripts/lint"]
    pytest_runs = [n for n, line in enumerate(lines) if "-m pytest" in line]
    assert lint and pytest_runs and lint[0] < pytest_runs[0]


def _run(tool: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", tool, *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)


def test_mypy_config_is_strict_and_checks_python_3_10(tmp_path: Path) -> None:
    bad = tmp_path / "bad_module.py"
    bad.write_text("from typing import Self\n\n\ndef untyped(x):\n    return x\n")
    good = tmp_path / "good_module.py"
    good.write_text("def typed(x: int) -> int:\n    return x\n")
    common = ("--config-file", PYPROJECT, "--cache-dir", tmp_path / "cache", "--no-error-summary")
    found = _run("mypy", *common, bad)
    assert found.returncode == 1, found.stdout + found.stderr
    assert "[no-untyped-def]" in found.stdout  # strict: every function typed
    assert '"Self"' in found.stdout  # typing.Self is 3.11: the code is checked as 3.10
    clean = _run("mypy", *common, good)
    assert clean.returncode == 0, clean.stdout + clean.stderr


def test_ruff_config_flags_a_silent_blind_except_and_accepts_a_justified_one(tmp_path: Path) -> None:
    bad = tmp_path / "bad_module.py"
    bad.write_text("try:\n    pass\nexcept Exception:\n    pass\n")
    good = tmp_path / "good_module.py"
    good.write_text("try:\n    pass\nexcept Exception:  # noqa: BLE001 - the reason\n    pass\n")
    common = ("check", "--config", PYPROJECT, "--no-cache", "--output-format", "concise")
    found = _run("ruff", *common, bad)
    assert found.returncode == 1 and "BLE001" in found.stdout, found.stdout + found.stderr
    clean = _run("ruff", *common, good)
    assert clean.returncode == 0, clean.stdout + clean.stderr


def test_scripts_test_runs_every_test_once_on_workers_slow_files_first() -> None:
    """One pytest run over all of tests/ on xdist workers, whole files to a worker; conftest puts the slow first."""
    text = (ROOT / "scripts" / "test").read_text()
    command = [line for line in text.splitlines() if "-m pytest" in line]
    assert len(command) == 1, "the suite runs as one pytest session"
    assert '-n "$workers" --dist loadfile' in command[0] and command[0].rstrip().endswith(" tests")
    conftest = (ROOT / "tests" / "conftest.py").read_text()
    assert 'items.sort(key=lambda item: "slow" not in item.keywords)' in conftest
