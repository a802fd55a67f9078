"""The release as PyPI would get it: sdist, a wheel built from that sdist, `twine check`, and the wheel
installed into a fresh venv, where `unsit --version`, German help and the assets must work.

Slow (about a minute: the build backend and the app's dependencies are installed from the package
index pip is configured with). Only the package index is reached; nothing else on the network.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import unsit

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _run(*cmd: str | Path, env: dict[str, str] | None = None, timeout: float = 600) -> str:
    done = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=env, timeout=timeout)
    assert done.returncode == 0, f"{cmd}: {done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # No --sdist/--wheel: build makes the sdist, then the wheel *from the unpacked sdist*, as a
    # packager would, so a file missing from the sdist is missing from the wheel too.
    _run(sys.executable, "-m", "build", "--outdir", out, ROOT)
    return out


def _one(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    assert len(found) == 1, found
    return found[0]


def test_sdist_and_wheel_pass_twine_check(dist):
    sdist = _one(dist, f"unsit-{unsit.__version__}.tar.gz")
    wheel = _one(dist, f"unsit-{unsit.__version__}-py3-none-any.whl")
    output = _run(sys.executable, "-m", "twine", "check", "--strict", sdist, wheel)
    assert output.count("PASSED") == 2


def test_the_sdist_carries_the_licence_the_catalogue_sources_and_the_assets(dist):
    with tarfile.open(_one(dist, "*.tar.gz")) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {"LICENSE", "README.md", "setup.py", "pyproject.toml"} <= names
    assert "src/unsit/locale/de.po" in names and "src/unsit/assets/icons/unsit.svg" in names


def test_the_wheel_carries_compiled_catalogues_assets_metadata_and_both_launchers(dist):
    with zipfile.ZipFile(_one(dist, "*.whl")) as wheel:
        names = set(wheel.namelist())
        info = f"unsit-{unsit.__version__}.dist-info"
        metadata = wheel.read(f"{info}/METADATA").decode()
        entry_points = wheel.read(f"{info}/entry_points.txt").decode()
    for code in ("de", "zh_CN", "ar"):
        assert f"unsit/locale/{code}/LC_MESSAGES/unsit.mo" in names
    assert any(name.startswith("unsit/assets/drills/") for name in names)
    assert any(name.startswith(f"{info}/licenses/LICENSE") for name in names)
    assert "Description-Content-Type: text/markdown" in metadata
    assert "Project-URL: Homepage," in metadata and "License-Expression: MIT" in metadata
    assert "Classifier: Operating System :: Microsoft :: Windows" in metadata
    assert "[gui_scripts]\nunsit = unsit.__main__:main" in entry_points
    assert "[console_scripts]\nunsit-cli = unsit.__main__:main" in entry_points


@pytest.mark.parametrize("artifact", ["*.whl", "*.tar.gz"])
def test_each_artifact_installs_into_a_fresh_venv_and_speaks_german(dist, tmp_path, artifact):
    """The wheel (pip), and the sdist as pipx installs it: pip builds it in an isolated environment."""
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"
    _run(python, "-m", "pip", "install", "-q", _one(dist, artifact))
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    for launcher in ("unsit", "unsit-cli"):
        assert _run(venv / "bin" / launcher, "--version", env=env).strip().endswith(unsit.__version__)
    german = _run(venv / "bin" / "unsit", "--help", env={**env, "LANGUAGE": "de", "LANG": "C.UTF-8"})
    assert "Ohne Befehl startet es die App" in german, german
    # The assets the app opens, found through the installed package (not this checkout).
    where = _run(
        python,
        "-I",
        "-c",
        "from unsit.runtime.resources import asset_path; import unsit.text.i18n as i;"
        "print(asset_path('icons', 'unsit.svg')); print(i.__file__)",
        env=env,
    ).split()
    assert Path(where[0]).is_file() and str(venv) in where[0], where
    assert str(venv) in where[1] and not where[1].startswith(str(ROOT))
    assert os.path.getsize(where[0]) > 0
