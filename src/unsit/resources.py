"""Find the bundled ``assets/`` folder in a checkout, an installed wheel, or a frozen bundle."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


def _candidates() -> list[Path]:
    here = Path(__file__).resolve().parent
    found = []
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:  # PyInstaller one-folder build: assets are copied next to the code
        found.append(Path(frozen_root) / "assets")
    found.append(here.parent.parent / "assets")  # a source checkout: src/unsit/ -> ./assets
    found.append(Path(sys.prefix) / "share" / "unsit" / "assets")  # pip/pipx: data-files
    found.append(here / "assets")
    return found


@cache
def assets_dir() -> Path:
    """The folder holding drills/, poses/, icons/ and sounds/.

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
