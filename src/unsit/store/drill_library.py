"""Read the drill library: the built-in drill files, then the user's own.

Rules (also in assets/drills/SCHEMA.md):
- Every ``*.toml`` in a folder is one drill, read in file-name order.
- A file that cannot be read or parsed, or whose frames are missing, is skipped with a
  message naming the file, the field and the problem; the other drills still load.
- Built-in frames are relative to the poses folder (``assets/poses/``); a user drill's
  frames are relative to the folder holding its file. The loaded drills carry absolute
  frame paths.
- A user drill with the same id as a built-in one replaces it (in the built-in's place),
  so a user can adjust a built-in drill by copying its file. Within one folder, the first
  file with an id wins and later duplicates are skipped.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

from unsit.core.drills import Drill, DrillError, parse_drill

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the tomli backport has the same API
    import tomli as tomllib


def load_drill_file(path: Path, frames_dir: Path) -> Drill:
    """Read, parse and check one drill file.

    Args:
        path: the .toml file.
        frames_dir: the folder the drill's frame paths are relative to.

    Raises:
        DrillError: naming the file, the field and the problem.
    """
    source = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DrillError(source, "(file)", f"cannot be read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise DrillError(source, "(file)", "is not UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DrillError(source, "(TOML syntax)", str(exc)) from exc
    drill = parse_drill(data, source)
    resolved = {}
    for name, rel in drill.frames.items():
        full = (frames_dir / rel).resolve()
        if not full.is_file():
            raise DrillError(source, f"frames.{name}", f"file not found: {full}")
        resolved[name] = str(full)
    return dataclasses.replace(drill, frames=resolved)


def _load_folder(folder: Path, frames_dir: Path | None, messages: list[str]) -> list[Drill]:
    drills: list[Drill] = []
    seen: dict[str, str] = {}
    try:
        files = sorted(p for p in folder.glob("*.toml") if p.is_file())
    except OSError as exc:
        messages.append(f"{folder}: cannot list drill files: {exc}")
        return drills
    for path in files:
        try:
            drill = load_drill_file(path, frames_dir or path.parent)
        except DrillError as exc:
            messages.append(f"{exc} (drill skipped)")
            continue
        if drill.id in seen:
            messages.append(f"{path}: id: {drill.id!r} is already used by {seen[drill.id]} (drill skipped)")
            continue
        seen[drill.id] = str(path)
        drills.append(drill)
    return drills


def load_library(
    builtin_dir: Path, user_dir: Path | None, poses_dir: Path | None = None
) -> tuple[list[Drill], list[str]]:
    """Load built-in drills, then the user's drills.

    Args:
        builtin_dir: the bundled drills folder (assets/drills).
        user_dir: the user's drills folder (AppPaths.user_drills_dir); may be None or missing.
        poses_dir: where built-in frames live; defaults to ``builtin_dir/../poses``.

    Returns:
        (drills, messages): usable drills, built-ins first; one message per skipped file
        or override, each naming the file, the field and the problem.
    """
    messages: list[str] = []
    poses = poses_dir if poses_dir is not None else builtin_dir.parent / "poses"
    drills = _load_folder(builtin_dir, poses, messages)
    if user_dir is None or not user_dir.is_dir():
        return drills, messages
    index = {d.id: i for i, d in enumerate(drills)}
    for drill in _load_folder(user_dir, None, messages):
        if drill.id in index:
            messages.append(f"{drill.source}: id: replaces the built-in drill {drill.id!r}")
            drills[index[drill.id]] = drill
        else:
            index[drill.id] = len(drills)
            drills.append(drill)
    return drills, messages
