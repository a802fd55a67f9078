"""scripts/apt_mirror.py: the Debian mirror comes from the machine's own apt sources, never from the project."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "apt_mirror.py"
_spec = importlib.util.spec_from_file_location("apt_mirror", SCRIPT)
assert _spec is not None and _spec.loader is not None
apt_mirror = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(apt_mirror)

DEB822 = """\
Types: deb-src
URIs: http://src.example/debian
Suites: trixie

# a comment between paragraphs
Types: deb
URIs: http://off.example/debian
Suites: trixie
Enabled: no

Types: deb
# http://snapshot.example/archive/debian/20250520T000000Z
URIs: http://sec.example/debian-security
Suites: trixie-security

Types: deb deb-src
URIs:
 https://mirror.example/debian/
 http://second.example/debian
Suites: trixie trixie-updates
Components: main
"""

ONE_LINE = """\
# deb http://commented.example/debian bookworm main
deb-src http://src.example/debian bookworm main
deb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] http://sec.example/debian bookworm-security main
deb [ trusted=yes ] cdrom:[Debian 12]/ bookworm main
deb [signed-by=/k.gpg] http://mirror.example/debian bookworm main  # trailing comment
"""


def _write(root: Path, name: str, text: str) -> None:
    path = root / "etc" / "apt" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_deb822_skips_sources_disabled_and_security_entries_and_reads_continuation_lines():
    assert list(apt_mirror.mirrors_from_deb822(DEB822)) == [
        "https://mirror.example/debian/",
        "http://second.example/debian",
    ]


def test_one_line_format_skips_options_comments_source_security_and_cdrom_entries():
    assert list(apt_mirror.mirrors_from_one_line(ONE_LINE)) == ["http://mirror.example/debian"]


def test_sources_files_come_before_list_files_and_the_old_sources_list(tmp_path):
    _write(tmp_path, "sources.list", ONE_LINE)
    _write(tmp_path, "sources.list.d/b.list", "deb http://list.example/debian trixie main\n")
    assert apt_mirror.first_mirror(apt_mirror.source_files(tmp_path)) == "http://list.example/debian"
    _write(tmp_path, "sources.list.d/a.sources", DEB822)
    assert apt_mirror.first_mirror(apt_mirror.source_files(tmp_path)) == "https://mirror.example/debian"


def test_a_file_with_nothing_usable_falls_through_to_the_next(tmp_path):
    _write(tmp_path, "sources.list.d/a.sources", "Types: deb\nURIs: http://x.example/debian\nSuites: s\nEnabled: no\n")
    _write(tmp_path, "sources.list", "deb http://old.example/debian bookworm main\n")
    assert apt_mirror.first_mirror(apt_mirror.source_files(tmp_path)) == "http://old.example/debian"


@pytest.mark.parametrize(
    "garbage", ["", "\x00\xff\xfe binary", "Types deb\nURIs http://a/", "deb\n", "deb [arch=amd64\n"]
)
def test_garbage_yields_nothing_and_raises_nothing(garbage):
    assert list(apt_mirror.mirrors_from_deb822(garbage)) == []
    assert list(apt_mirror.mirrors_from_one_line(garbage)) == []


def _run(root: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-I", str(SCRIPT), "--root", str(root), *extra], capture_output=True, text=True
    )


def test_the_script_prints_the_mirror(tmp_path):
    _write(tmp_path, "sources.list.d/debian.sources", DEB822)
    done = _run(tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "https://mirror.example/debian\n", "")


def test_without_a_mirror_the_script_fails_naming_the_files_read_and_the_variable_to_set(tmp_path):
    _write(tmp_path, "sources.list.d/debian.sources", "Types: deb-src\nURIs: http://a.example/debian\nSuites: s\n")
    done = _run(tmp_path, "--variable", "UNSIT_FRESH_MIRROR")
    assert done.returncode == 1 and done.stdout == ""
    assert "debian.sources" in done.stderr and "sources.list" in done.stderr
    assert "Set UNSIT_FRESH_MIRROR" in done.stderr


@pytest.mark.parametrize("script", ["wayland-root", "check_fresh_machine"])
def test_the_root_builders_name_no_mirror_host_and_ask_apt_mirror(script):
    text = (SCRIPT.parent / script).read_text()
    assert "apt_mirror.py" in text
    assert "debian.org" not in text and "://" not in text.replace("http://<", "")


def test_the_variable_wins_over_the_apt_sources_in_the_root_builders(tmp_path):
    """Run the mirror lines of both scripts as written, with the sources empty and the variable set or not."""
    for script, variable in (("wayland-root", "UNSIT_DEBIAN_MIRROR"), ("check_fresh_machine", "UNSIT_FRESH_MIRROR")):
        text = (SCRIPT.parent / script).read_text()
        line = next(ln for ln in text.splitlines() if f"${{{variable}:-" in ln and "apt_mirror.py" in ln).strip()
        assignment = line.rstrip("\\").strip().replace('$(dirname "$0")', str(SCRIPT.parent))
        assignment = assignment.replace("$CHECKOUT/scripts", str(SCRIPT.parent)).replace(
            'apt_mirror.py"', 'apt_mirror.py" --root ' + str(tmp_path)
        )
        program = f'set -e; {assignment} || exit 7; echo "$' + assignment.split("=", 1)[0] + '"'
        env = {"PATH": "/usr/bin:/bin"}
        done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, env=env)
        assert done.returncode == 7 and variable in done.stderr, (script, done)
        done = subprocess.run(
            ["bash", "-c", program], capture_output=True, text=True, env={**env, variable: "file:/srv/m"}
        )
        assert (done.returncode, done.stdout) == (0, "file:/srv/m\n"), (script, done)
