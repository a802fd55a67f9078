"""Rebuild Qt's ICU data library (libicudata.so.NN, 32 MB) with only what Qt asks ICU for.

Used by unsit.spec on Linux (the PySide6 wheels for Windows and macOS use the system's ICU).
Qt 6 keeps its own locale (CLDR), time-zone and text-boundary tables; it calls ICU for
collation (QCollator), case mapping, normalisation and legacy text codecs. The data library is a
single array, ``icudtNN_dat``, holding an ICU package. This script takes that package out of the
wheel's library, drops with ``icupkg`` what Qt never reads, and links the rest into a new
library with the same soname and symbol:

    dropped                                        why Qt never reads it
    unit/ zone/ curr/ lang/ region/ rbnf/ translit/  ICU's formatting names: Qt formats with CLDR
    brkitr/ (rules and dictionaries)               Qt breaks lines and words with its own tables
    *.cnv (legacy multi-byte and EBCDIC codecs)     Unsit decodes UTF-8 only; Qt 6 does UTF-8/16/32
                                                   and Latin-1 itself (cnvalias.icu stays, so an
                                                   unknown codec name fails cleanly)
    locale data of languages Unsit does not ship   (top level and coll/); root, English and the
                                                   shipped languages stay

Needs ``icupkg`` (icu-devtools) and a C compiler; without them it says so and the build keeps the
wheel's library (the installer test's size check then fails, as it should). Standard library only.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

DROPPED_TREES = ("unit/", "zone/", "curr/", "lang/", "region/", "rbnf/", "translit/", "brkitr/")
# Unsit's catalogues (src/unsit/locale) plus English; "iw" is Hebrew's old code, still an ICU alias.
KEPT_LANGUAGES = ("en", "de", "es", "fr", "it", "nl", "pl", "pt", "ar", "he", "iw", "ja", "zh")
_LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]*)*\.res$")


def keep_item(name: str) -> bool:
    """Whether the ICU package item ``name`` (e.g. ``coll/de.res``) stays."""
    if name.startswith(DROPPED_TREES) or name.endswith(".cnv"):
        return False
    leaf = name.rsplit("/", 1)[-1]
    if name.count("/") > 1 or not _LOCALE.match(leaf) or leaf in ("root.res", "pool.res", "res_index.res"):
        # package-wide tables: root, pool, res_index (which looks like a locale), supplementalData, ...
        return True
    return leaf.split(".", 1)[0].split("_", 1)[0] in KEPT_LANGUAGES


def _data_symbol(library: bytes) -> tuple[str, int, int]:
    """Name, file offset and size of the ``icudtNN_dat`` array in an ELF64 little-endian library."""
    if library[:4] != b"\x7fELF" or library[4] != 2 or library[5] != 1:
        raise ValueError("not a 64-bit little-endian ELF library")
    shoff, = struct.unpack_from("<Q", library, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", library, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", library, shoff + i * shentsize) for i in range(shnum)]
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != 11:  # SHT_DYNSYM
            continue
        strtab = sections[link]
        for at in range(offset, offset + size, entsize):
            st_name, _st_info, _other, shndx, value, st_size = struct.unpack_from("<IBBHQQ", library, at)
            start = strtab[4] + st_name
            name = library[start : library.index(b"\0", start)].decode("ascii", "replace")
            if re.fullmatch(r"icudt\d+_dat", name) and 0 < shndx < len(sections):
                home = sections[shndx]
                return name, value - home[3] + home[4], st_size
    raise ValueError("no icudtNN_dat symbol")


def trim(library: Path, out_dir: Path) -> Path:
    """Write the trimmed library (same file name as ``library``) into ``out_dir`` and return it.

    Raises:
        RuntimeError: a tool is missing or failed; the message names it.
    """
    for tool in ("icupkg", "cc"):
        if shutil.which(tool) is None:
            raise RuntimeError(f"{tool} is not installed (icu-devtools and a C compiler trim ICU's data)")
    blob = library.read_bytes()
    symbol, offset, size = _data_symbol(blob)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir) as scratch:
        work = Path(scratch)
        package = work / f"{symbol.removesuffix('_dat')}l.dat"
        package.write_bytes(blob[offset : offset + size])
        listed = subprocess.run(["icupkg", "-l", str(package)], capture_output=True, text=True, check=True)
        drop = [name for name in listed.stdout.split() if not keep_item(name)]
        (work / "drop.txt").write_text("\n".join(drop) + "\n")
        # icupkg names the items inside after the output file ("icudt73l/coll/de.res"): same name.
        trimmed = work / "out" / package.name
        trimmed.parent.mkdir()
        subprocess.run(["icupkg", "-r", str(work / "drop.txt"), str(package), str(trimmed)],
                       capture_output=True, text=True, check=True)
        source = work / "data.S"
        source.write_text(
            f'.section .rodata\n.globl {symbol}\n.type {symbol}, @object\n.balign 16\n{symbol}:\n'
            f'.incbin "{trimmed}"\n.size {symbol}, .-{symbol}\n.section .note.GNU-stack,"",@progbits\n'
        )
        result = out_dir / library.name
        soname = re.sub(r"(\.so\.\d+).*", r"\1", library.name)
        subprocess.run(["cc", "-shared", "-nostdlib", f"-Wl,-soname,{soname}", "-o", str(result), str(source)],
                       capture_output=True, text=True, check=True)
    return result


def main() -> None:
    """``python installer/trim_icu.py LIBRARY OUT_DIR``: trim one library by hand and print the sizes."""
    import sys

    library, out_dir = Path(sys.argv[1]), Path(sys.argv[2])
    result = trim(library, out_dir)
    print(f"{library.stat().st_size} -> {result.stat().st_size} bytes: {result}")


if __name__ == "__main__":
    main()
