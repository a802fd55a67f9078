"""Find the bundled ``assets/`` folder in a checkout, an installed wheel, or a frozen bundle."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


def _candidates() -> list[Path]:
    here = Path(__file__).resolve().parent.parent  # src/unsit/runtime -> src/unsit
    found = []
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:  # PyInstaller one-folder build: assets are copied next to the code
        found.append(Path(frozen_root) / "assets")
    # A checkout or an installed wheel: src/unsit/assets links to the top-level assets/
    # folder, and setuptools copies what it points at into the wheel.
    found.append(here / "assets")
    found.append(here.parent.parent / "assets")  # a checkout on a file system without links
    return found


@cache
def assets_dir() -> Path:
    """The folder holding drills/, icons/ and sounds/.

    Raises:
        FileNotFoundError: when no candidate holds the drill library (a broken install).
    """
    for path in _candidates():
        if (path / "drills").is_dir():
            return path
    tried = ", ".join(str(p) for p in _candidates())
    raise FileNotFoundError(f"Unsit's assets folder is missing (looked in {tried})")


def asset_path(*parts: str) -> Path:
    """Path of one asset, e.g. ``asset_path("icons", "unsit.svg")``."""
    return assets_dir().joinpath(*parts)
