"""scripts/setup --system-only: the runtime package check scripts/install relies on.

Fake ``dpkg-query`` and ``id`` programs stand in for the package database and a normal user,
so nothing is installed and no root is needed.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Reports every package installed except those listed in $MISSING_PKGS (space separated).
FAKE_DPKG_QUERY = """#!/bin/sh
for a; do
    case $a in -*) continue ;; esac
    case " $MISSING_PKGS " in
        *" $a "*) echo "dpkg-query: no packages found matching $a" >&2 ;;
        *) echo "install ok installed" ;;
    esac
done
exit 1
"""


def _setup(tmp_path: Path, missing: str) -> subprocess.CompletedProcess:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "dpkg-query").write_text(FAKE_DPKG_QUERY)
    (bin_dir / "id").write_text("#!/bin/sh\necho 1000\n")  # a normal user: never apt-get
    for tool in ("dpkg-query", "id"):
        (bin_dir / tool).chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "MISSING_PKGS": missing}
    return subprocess.run([str(ROOT / "scripts/setup"), "--system-only"], env=env, capture_output=True,
                          text=True, timeout=60)


def test_all_present_passes_without_touching_the_venv(tmp_path):
    result = _setup(tmp_path, missing="")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""


def test_a_missing_library_fails_with_the_line_to_run(tmp_path):
    result = _setup(tmp_path, missing="libgl1 libgl1t64")  # neither name is installed
    assert result.returncode == 1
    assert "sudo apt-get install libgl1\n" in result.stderr


def test_ubuntus_t64_renamed_library_counts_as_installed(tmp_path):
    result = _setup(tmp_path, missing="libglib2.0-0")  # only libglib2.0-0t64 is installed
    assert result.returncode == 0, result.stderr
