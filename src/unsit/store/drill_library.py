"""Read the drill library: the built-in drill files, then the user's own.

Rules (also in assets/drills/SCHEMA.md):
- Every ``*.toml`` in a folder is one drill, read in file-name order.
- Only regular files of at most ``MAX_FILE_BYTES`` are read, without following a
  symlink out of the folder and without blocking (a FIFO, a device, a folder named
  ``x.toml``, a symlink loop or a huge file is skipped with a message).
- A file that cannot be read or parsed is skipped with a message naming the file, the
  field and the problem; the other drills still load. Drills hold no file paths (the
  figure is posed by numbers), so nothing else is ever read.
- A user drill with the same id as a built-in one replaces it (in the built-in's place),
  so a user can adjust a built-in drill by copying its file. Within one folder, the first
  file with an id wins and later duplicates are skipped.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from unsit.core.drills import Drill, DrillError, parse_drill
from unsit.i18n import N_, _
from unsit.toml_text import PARSER_MODULES, TomlError, parse_toml
from unsit.transient_imports import transient_modules

MAX_FILE_BYTES = 64 * 1024
"""The largest drill file read; the built-in ones are under 5 kB."""
MAX_FILES_PER_FOLDER = 500
_LINK_OUTSIDE = {"drill": N_("is a link to {target}, outside the drills folder"),
                 "routine": N_("is a link to {target}, outside the routines folder")}
_A_FOLDER = {"drill": N_("is a folder, not a drill file"), "routine": N_("is a folder, not a routine file")}
_TOO_BIG = {"drill": N_("is {size} bytes; drill files are at most {limit}"),
            "routine": N_("is {size} bytes; routine files are at most {limit}")}
"""Messages that name what the folder holds, one per kind (a translation needs the whole sentence)."""


def read_small_regular_file(path: Path, kind: str = "drill") -> bytes:
    """The bytes of ``path`` if it is a regular file of sane size inside its folder.

    Args:
        path: the file.
        kind: what the folder holds ("drill", "routine"), for the messages.

    Raises:
        DrillError: for anything else, saying what it is.
    """
    source = str(path)
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            target = path.resolve(strict=True)  # raises on a loop or a dangling link
            if target.parent != path.parent.resolve():
                raise DrillError(source, "(file)", _(_LINK_OUTSIDE[kind]).format(target=target))
            info = os.stat(target)
        if stat.S_ISDIR(info.st_mode):
            raise DrillError(source, "(file)", _(_A_FOLDER[kind]))
        if not stat.S_ISREG(info.st_mode):
            raise DrillError(source, "(file)", _("is not a regular file (a pipe, socket or device)"))
        if info.st_size > MAX_FILE_BYTES:
            raise DrillError(source, "(file)", _(_TOO_BIG[kind]).format(size=info.st_size, limit=MAX_FILE_BYTES))
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path.resolve(strict=True), flags)
    except RuntimeError as exc:  # a symlink loop on Python < 3.13
        raise DrillError(source, "(file)", _("cannot be read: {reason}").format(reason=exc)) from exc
    except OSError as exc:
        problem = (_("is a symlink loop") if exc.errno == errno.ELOOP
                   else _("cannot be read: {reason}").format(reason=exc.strerror or exc))
        raise DrillError(source, "(file)", problem) from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped between the checks and the open
            raise DrillError(source, "(file)", _("is not a regular file"))
        with os.fdopen(fd, "rb", closefd=False) as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise DrillError(source, "(file)", _("cannot be read: {reason}").format(reason=exc.strerror or exc)) from exc
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        raise DrillError(source, "(file)", _("is over {limit} bytes").format(limit=MAX_FILE_BYTES))
    return data


def load_drill_file(path: Path) -> Drill:
    """Read, parse and check one drill file.

    Raises:
        DrillError: naming the file, the field and the problem.
    """
    source = str(path)
    data = read_small_regular_file(path)
    try:
        table = parse_toml(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise DrillError(source, "(file)", _("is not UTF-8 text")) from exc
    except TomlError as exc:
        raise DrillError(source, "(TOML syntax)", str(exc)) from exc
    return parse_drill(table, source)


@transient_modules(*PARSER_MODULES)  # the parser once per folder, forgotten afterwards
def _load_folder(folder: Path, messages: list[str]) -> list[Drill]:
    drills: list[Drill] = []
    seen: dict[str, str] = {}
    try:
        files = sorted(p for p in folder.iterdir() if p.name.endswith(".toml"))
    except OSError as exc:
        messages.append(_("{folder}: cannot list drill files: {reason}").format(folder=folder,
                                                                                 reason=exc.strerror or exc))
        return drills
    if len(files) > MAX_FILES_PER_FOLDER:
        messages.append(_("{folder}: holds {count} drill files; only the first {limit} are read").format(
            folder=folder, count=len(files), limit=MAX_FILES_PER_FOLDER))
        files = files[:MAX_FILES_PER_FOLDER]
    for path in files:
        try:
            drill = load_drill_file(path)
        except DrillError as exc:
            messages.append(_("{problem} (drill skipped)").format(problem=exc))
            continue
        if drill.id in seen:
            messages.append(_("{path}: id: {id} is already used by {other} (drill skipped)").format(
                path=path, id=repr(drill.id), other=seen[drill.id]))
            continue
        seen[drill.id] = str(path)
        drills.append(drill)
    return drills


def load_library(builtin_dir: Path, user_dir: Path | None) -> tuple[list[Drill], list[str]]:
    """Load built-in drills, then the user's drills.

    Args:
        builtin_dir: the bundled drills folder (assets/drills).
        user_dir: the user's drills folder (AppPaths.user_drills_dir); may be None or missing.

    Returns:
        (drills, messages): usable drills, built-ins first; one message per skipped file
        or override, each naming the file, the field and the problem.
    """
    messages: list[str] = []
    drills = _load_folder(builtin_dir, messages)
    if user_dir is None or not user_dir.is_dir():
        return drills, messages
    index = {d.id: i for i, d in enumerate(drills)}
    for drill in _load_folder(user_dir, messages):
        if drill.id in index:
            messages.append(_("{path}: id: replaces the built-in drill {id}").format(path=drill.source,
                                                                                     id=repr(drill.id)))
            drills[index[drill.id]] = drill
        else:
            index[drill.id] = len(drills)
            drills.append(drill)
    return drills, messages
