"""What unsit.spec writes into the Windows and macOS bundles besides the code (issue 25).

* ``windows_version_file``: the version resource of unsit.exe and unsit-cli.exe (Explorer's
  Details tab, SmartScreen and antivirus reputation read it), as the text PyInstaller's
  ``EXE(version=...)`` takes: a ``VSVersionInfo(...)`` expression it evaluates on Windows.
* ``macos_minimum_version``: the lowest macOS the bundled QtCore runs on, read from its Mach-O
  load commands, for ``LSMinimumSystemVersion``: a fixed "11.0" lets a too-old Mac start the app
  only to crash inside Qt.

Standard library only, and both work on any OS, so they are tested on Linux with made-up inputs.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

# Mach-O
_MAGIC_64 = 0xFEEDFACF
_FAT_MAGIC = 0xCAFEBABE
_LC_VERSION_MIN_MACOSX = 0x24
_LC_BUILD_VERSION = 0x32
_PLATFORM_MACOS = 1


def _version_text(packed: int) -> str:
    """Mach-O's xxxx.yy.zz nibble version as "13.0" or "13.0.1"."""
    major, minor, patch = packed >> 16, (packed >> 8) & 0xFF, packed & 0xFF
    return f"{major}.{minor}.{patch}" if patch else f"{major}.{minor}"


def _thin_minimum(data: bytes, start: int) -> tuple[int, ...] | None:
    magic, = struct.unpack_from("<I", data, start)
    if magic != _MAGIC_64:
        return None
    ncmds, = struct.unpack_from("<I", data, start + 16)
    at = start + 32  # mach_header_64
    for _ in range(ncmds):
        cmd, size = struct.unpack_from("<II", data, at)
        if cmd == _LC_BUILD_VERSION:
            platform, minos = struct.unpack_from("<II", data, at + 8)
            if platform == _PLATFORM_MACOS:
                return tuple(int(p) for p in _version_text(minos).split("."))
        elif cmd == _LC_VERSION_MIN_MACOSX:
            version, = struct.unpack_from("<I", data, at + 8)
            return tuple(int(p) for p in _version_text(version).split("."))
        if size < 8:
            raise ValueError("a Mach-O load command with a size below 8")
        at += size
    return None


def macos_minimum_version(binary: Path) -> str:
    """The highest ``minos`` over the slices of a (thin or universal) 64-bit Mach-O file.

    Raises:
        ValueError: not a 64-bit Mach-O file, or no slice names its minimum macOS.
    """
    data = binary.read_bytes()
    if len(data) < 32:
        raise ValueError(f"{binary} is too short for a Mach-O file")
    found: list[tuple[int, ...]] = []
    if struct.unpack_from(">I", data, 0)[0] == _FAT_MAGIC:
        count, = struct.unpack_from(">I", data, 4)
        for slot in range(count):
            _cputype, _sub, offset, _size, _align = struct.unpack_from(">IIIII", data, 8 + slot * 20)
            version = _thin_minimum(data, offset)
            if version is not None:
                found.append(version)
    else:
        version = _thin_minimum(data, 0)
        if version is not None:
            found.append(version)
    if not found:
        raise ValueError(f"{binary} names no minimum macOS version (not a 64-bit Mach-O file?)")
    best = max(found)
    return ".".join(str(p) for p in (best if len(best) > 1 else (*best, 0)))


def _four_numbers(version: str) -> tuple[int, int, int, int]:
    release = re.match(r"\d+(\.\d+)*", version)  # "2.0rc1+local" -> "2.0"
    if release is None:
        raise ValueError(f"version {version!r} does not start with a number")
    numbers = [int(n) for n in release[0].split(".")][:4]
    padded = [*numbers, 0, 0, 0, 0][:4]
    return padded[0], padded[1], padded[2], padded[3]


def windows_version_file(version: str, exe_name: str) -> str:
    """The version resource of ``exe_name`` for Unsit ``version``, as PyInstaller's version-file text."""
    numbers = _four_numbers(version)
    strings = {
        "CompanyName": "The Unsit developers",
        "FileDescription": "Unsit" if exe_name == "unsit.exe" else "Unsit (command line)",
        "FileVersion": version,
        "InternalName": exe_name.removesuffix(".exe"),
        "LegalCopyright": "MIT licence, the Unsit developers",
        "OriginalFilename": exe_name,
        "ProductName": "Unsit",
        "ProductVersion": version,
    }
    structs = ",\n          ".join(f"StringStruct({key!r}, {value!r})" for key, value in strings.items())
    return (
        "VSVersionInfo(\n"
        f"  ffi=FixedFileInfo(filevers={numbers!r}, prodvers={numbers!r}, mask=0x3f, flags=0x0,\n"
        "                    OS=0x40004, fileType=0x1, subtype=0x0, date=(0, 0)),\n"
        "  kids=[\n"
        "    StringFileInfo([StringTable('040904B0', [\n"
        f"          {structs}])]),\n"
        "    VarFileInfo([VarStruct('Translation', [1033, 1200])]),\n"
        "  ],\n"
        ")\n"
    )
