#!/usr/bin/env python3
"""Print the Debian mirror this machine's own apt sources use (for debootstrap in the test roots).

    scripts/apt_mirror.py [--root DIR]

The project names no mirror host itself: scripts/wayland-root and scripts/check_fresh_machine
take the mirror from a variable, or else from this script, which reads
``/etc/apt/sources.list.d/*.sources`` (deb822), then ``*.list`` there, then
``/etc/apt/sources.list`` (one-line format), and prints the first ``deb`` (not ``deb-src``)
entry that is enabled, is http, https or file, and is not the security archive. It exits 1 with
a message saying which files it read and which variable to set when none qualifies.
Standard library only: it runs before any venv exists.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

SCHEMES = ("http://", "https://", "file:")


def deb822_paragraphs(text: str) -> Iterator[dict[str, str]]:
    """Yield each paragraph of a deb822 file as {lower-case field: value}, comments dropped."""
    fields: dict[str, str] = {}
    last = ""
    for raw in [*text.splitlines(), ""]:
        if raw.startswith("#"):
            continue
        if not raw.strip():
            if fields:
                yield fields
            fields, last = {}, ""
        elif raw[0] in " \t" and last:  # a continuation line
            fields[last] += " " + raw.strip()
        elif ":" in raw:
            key, _, value = raw.partition(":")
            last = key.strip().lower()
            fields[last] = value.strip()
    # the "" appended above closes the last paragraph


def _usable(uri: str, suite: str) -> bool:
    return uri.startswith(SCHEMES) and not suite.endswith("-security") and "debian-security" not in uri


def mirrors_from_deb822(text: str) -> Iterator[str]:
    """The usable ``deb`` URIs of a ``.sources`` file, in order."""
    for fields in deb822_paragraphs(text):
        if fields.get("enabled", "yes").lower() == "no" or "deb" not in fields.get("types", "").split():
            continue
        suites = fields.get("suites", "").split() or [""]
        for uri in fields.get("uris", "").split():
            if any(_usable(uri, suite) for suite in suites):
                yield uri


def mirrors_from_one_line(text: str) -> Iterator[str]:
    """The usable ``deb`` URIs of a one-line ``sources.list``, in order."""
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        words = line.split()
        if not words or words[0] != "deb":
            continue
        words = words[1:]
        if words and words[0].startswith("["):  # options: "[arch=amd64 signed-by=…]"
            while words and not words[0].endswith("]"):
                words = words[1:]
            words = words[1:]
        if len(words) >= 2 and _usable(words[0], words[1]):
            yield words[0]


def source_files(root: Path) -> list[Path]:
    """The files apt reads, in the order this script prefers them."""
    folder = root / "etc/apt/sources.list.d"
    found = sorted(folder.glob("*.sources")) + sorted(folder.glob("*.list")) if folder.is_dir() else []
    return [*found, root / "etc/apt/sources.list"]


def first_mirror(files: Iterable[Path]) -> str | None:
    """The first usable mirror in ``files`` (unreadable or missing files are skipped), or None."""
    for path in files:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        parse = mirrors_from_deb822 if path.suffix == ".sources" else mirrors_from_one_line
        uri = next(parse(text), None)
        if uri is not None:
            return uri.rstrip("/")
    return None


def main(argv: list[str] | None = None) -> int:
    """Print the mirror, or explain on stderr why there is none."""
    parser = argparse.ArgumentParser(description="Print the Debian mirror of this machine's apt sources.")
    parser.add_argument("--root", type=Path, default=Path("/"), help="read the sources under DIR (tests)")
    parser.add_argument("--variable", default="UNSIT_DEBIAN_MIRROR", help="the variable named in the error")
    args = parser.parse_args(argv)
    files = source_files(args.root)
    mirror = first_mirror(files)
    if mirror is None:
        print(
            f"apt_mirror: no usable Debian mirror in this machine's apt sources (read: "
            f"{', '.join(str(f) for f in files)}; an enabled 'deb' entry over http, https or file, not the "
            f"security archive, is needed). Set {args.variable} to a Debian mirror's URL, e.g. "
            f"{args.variable}=http://<mirror host>/debian",
            file=sys.stderr,
        )
        return 1
    print(mirror)
    return 0


if __name__ == "__main__":
    sys.exit(main())
