"""The AppStream metainfo: valid for `appstreamcli validate --pedantic --no-net`, its screenshots committed
at the size it declares, its releases dated with the newest one this version, its homepage the package's."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

import unsit
from unsit.runtime.toml_text import parse_toml

ROOT = Path(__file__).resolve().parents[1]
METAINFO = ROOT / "installer" / "linux" / f"{unsit.DESKTOP_ID}.metainfo.xml"
SHOTS = ROOT / "installer" / "linux" / "screenshots"


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", f"{path} is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def _homepage() -> str:
    project = parse_toml((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return str(project["urls"]["Homepage"])


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream missing")
def test_the_metainfo_validates_pedantically_offline():
    check = subprocess.run(
        ["appstreamcli", "validate", "--pedantic", "--no-net", str(METAINFO)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    # Pedantic notes allowed only for the reverse-DNS id's capitals (the id is fixed by installs in the
    # field) and, on appstream < 1.0, the <developer> element it does not know yet.
    issues = [line for line in check.stdout.splitlines() if re.match(r"[EWIP]: ", line)]
    allowed = ("cid-contains-uppercase-letter", "unknown-tag developer")
    assert [line for line in issues if not line.endswith(allowed) and not any(a in line for a in allowed)] == []


def test_each_screenshot_is_committed_as_a_modest_png_of_the_declared_size_under_the_homepage():
    shots = ET.parse(METAINFO).getroot().findall("screenshots/screenshot")
    assert len(shots) >= 3
    assert [s.get("type") for s in shots].count("default") == 1
    for shot in shots:
        caption, image = shot.find("caption"), shot.find("image")
        assert caption is not None and caption.text and image is not None and image.text
        prefix = _homepage() + "/screenshots/"
        assert image.text.startswith(prefix), image.text
        path = SHOTS / image.text.removeprefix(prefix)
        assert path.is_file(), f"{path} is missing"
        assert _png_size(path) == (int(image.get("width", 0)), int(image.get("height", 0)))
        assert path.stat().st_size < 150_000, f"{path} is {path.stat().st_size} bytes"
    assert sorted(p.name for p in SHOTS.iterdir()) == sorted(
        s.find("image").text.rsplit("/", 1)[1]  # type: ignore[union-attr]
        for s in shots
    )


def test_releases_are_dated_newest_first_and_the_newest_is_this_version():
    root = ET.parse(METAINFO).getroot()
    releases = root.findall("releases/release")
    assert releases and releases[0].get("version") == unsit.__version__
    dates = [date.fromisoformat(r.get("date", "")) for r in releases]
    assert dates == sorted(dates, reverse=True)
    assert root.find("url[@type='homepage']") is not None
    assert root.findtext("url[@type='homepage']") == _homepage()
    rating = root.find("content_rating")
    assert rating is not None and rating.get("type") == "oars-1.1"
    assert root.findtext("translation[@type='gettext']") == unsit.APP_ID
