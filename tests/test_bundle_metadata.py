"""installer/bundle_metadata.py on made-up inputs: the macOS minimum read from Mach-O load commands
(thin and universal), and the Windows version resource text (this machine runs neither system)."""

from __future__ import annotations

import ast
import importlib.util
import struct
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("bundle_metadata", ROOT / "installer" / "bundle_metadata.py")
assert _spec is not None and _spec.loader is not None
meta = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = meta
_spec.loader.exec_module(meta)


def _packed(version: str) -> int:
    major, minor, patch = ([int(p) for p in version.split(".")] + [0, 0])[:3]
    return major << 16 | minor << 8 | patch


def _thin(*commands: bytes) -> bytes:
    header = struct.pack("<IiiIIIII", 0xFEEDFACF, 0x0100000C, 0, 6, len(commands), sum(map(len, commands)), 0, 0)
    return header + b"".join(commands)


def _segment() -> bytes:
    return struct.pack("<II", 0x19, 72) + bytes(64)  # LC_SEGMENT_64, skipped


def _build_version(platform: int, minos: str) -> bytes:
    return struct.pack("<IIIIII", 0x32, 24, platform, _packed(minos), _packed("14.0"), 0)


def _fat(*slices: bytes) -> bytes:
    head = struct.pack(">II", 0xCAFEBABE, len(slices))
    offset = 8 + 20 * len(slices)
    table, body = b"", b""
    for piece in slices:
        table += struct.pack(">IIIII", 0x0100000C, 0, offset + len(body), len(piece), 0)
        body += piece
    return head + table + body


def test_a_thin_binary_gives_its_build_version_minimum(tmp_path):
    path = tmp_path / "QtCore"
    path.write_bytes(_thin(_segment(), _build_version(1, "12.0")))
    assert meta.macos_minimum_version(path) == "12.0"


def test_a_universal_binary_gives_the_highest_minimum_of_its_slices_and_skips_other_platforms(tmp_path):
    path = tmp_path / "QtCore"
    arm = _thin(_build_version(2, "17.0"), _build_version(1, "13.0"))  # an iOS command first, then macOS
    intel = _thin(struct.pack("<IIII", 0x24, 16, _packed("12.3.1"), 0))  # the older LC_VERSION_MIN_MACOSX
    path.write_bytes(_fat(intel, arm))
    assert meta.macos_minimum_version(path) == "13.0"


@pytest.mark.parametrize("content", [b"", b"\x7fELF" + bytes(60), _thin(_segment())])
def test_anything_else_is_refused_with_the_path_named(tmp_path, content):
    path = tmp_path / "QtCore"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="QtCore"):
        meta.macos_minimum_version(path)


def test_the_windows_version_resource_carries_the_version_and_names_each_program():
    for exe in ("unsit.exe", "unsit-cli.exe"):
        text = meta.windows_version_file("0.1.0", exe)
        tree = ast.parse(text, mode="eval")  # PyInstaller evaluates it on Windows
        assert isinstance(tree.body, ast.Call) and tree.body.func.id == "VSVersionInfo"  # type: ignore[attr-defined]
        assert "filevers=(0, 1, 0, 0)" in text and "prodvers=(0, 1, 0, 0)" in text
        assert f"StringStruct('OriginalFilename', '{exe}')" in text
        assert "StringStruct('ProductName', 'Unsit')" in text and "StringStruct('FileVersion', '0.1.0')" in text
    assert "(command line)" in meta.windows_version_file("0.1.0", "unsit-cli.exe")
    assert "filevers=(1, 2, 3, 4)" in meta.windows_version_file("1.2.3.4.5", "unsit.exe")
    assert "filevers=(2, 0, 0, 0)" in meta.windows_version_file("2.0rc1+local", "unsit.exe")
