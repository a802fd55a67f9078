"""Read a folder of data files (drills, routines): the rules both libraries share.

- Every ``*.toml`` in a folder is one item, read in file-name order, at most
  ``MAX_FILES_PER_FOLDER`` of them.
- Only regular files of at most ``MAX_FILE_BYTES`` are read, without following a symlink
  out of the folder and without blocking (a FIFO, a device, a folder named ``x.toml``, a
  symlink loop or a huge file is skipped with a message).
- A file that cannot be used is skipped with a message naming the file, the field and the
  problem; the others still load.
- A user item with the same id as a built-in one replaces it (in the built-in's place).
  Within one folder, the first file with an id wins and later duplicates are skipped.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from unsit.core.drills import DrillError
from unsit.runtime.toml_text import TomlError, parse_toml
from unsit.text.i18n import N_, _

MAX_FILE_BYTES = 64 * 1024
"""The largest data file read; the built-in ones are under 5 kB."""
MAX_FILES_PER_FOLDER = 500


@dataclass(frozen=True)
class FolderKind:
    """The messages that name what a folder holds (a translation needs each whole sentence)."""

    link_outside: str
    a_folder: str
    too_big: str
    cannot_list: str
    too_many: str
    skipped: str
    duplicate: str
    replaces: str


KINDS: dict[str, FolderKind] = {
    "drill": FolderKind(
        link_outside=N_("is a link to {target}, outside the drills folder"),
        a_folder=N_("is a folder, not a drill file"),
        too_big=N_("is {size} bytes; drill files are at most {limit}"),
        cannot_list=N_("{folder}: cannot list drill files: {reason}"),
        too_many=N_("{folder}: holds {count} drill files; only the first {limit} are read"),
        skipped=N_("{problem} (drill skipped)"),
        duplicate=N_("{path}: id: {id} is already used by {other} (drill skipped)"),
        replaces=N_("{path}: id: replaces the built-in drill {id}")),
    "routine": FolderKind(
        link_outside=N_("is a link to {target}, outside the routines folder"),
        a_folder=N_("is a folder, not a routine file"),
        too_big=N_("is {size} bytes; routine files are at most {limit}"),
        cannot_list=N_("{folder}: cannot list routine files: {reason}"),
        too_many=N_("{folder}: holds {count} routine files; only the first {limit} are read"),
        skipped=N_("{problem} (routine skipped)"),
        duplicate=N_("{path}: id: {id} is already used by {other} (routine skipped)"),
        replaces=N_("{path}: id: replaces the built-in routine {id}")),
}
"""What each kind of folder holds, by the kind's key ("drill", "routine")."""


class Item(Protocol):
    """What a loaded file gives: an id, and the file it came from."""

    @property
    def id(self) -> str: ...

    @property
    def source(self) -> str: ...


ItemT = TypeVar("ItemT", bound=Item)


def read_small_regular_file(path: Path, kind: str = "drill") -> bytes:
    """The bytes of ``path`` if it is a regular file of sane size inside its folder.

    Args:
        path: the file.
        kind: what the folder holds ("drill", "routine"), for the messages.

    Raises:
        DrillError: for anything else, saying what it is.
    """
    source = str(path)
    words = KINDS[kind]
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            target = path.resolve(strict=True)  # raises on a loop or a dangling link
            if target.parent != path.parent.resolve():
                raise DrillError(source, "(file)", _(words.link_outside).format(target=target))
            info = os.stat(target)
        if stat.S_ISDIR(info.st_mode):
            raise DrillError(source, "(file)", _(words.a_folder))
        if not stat.S_ISREG(info.st_mode):
            raise DrillError(source, "(file)", _("is not a regular file (a pipe, socket or device)"))
        if info.st_size > MAX_FILE_BYTES:
            raise DrillError(source, "(file)", _(words.too_big).format(size=info.st_size, limit=MAX_FILE_BYTES))
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


def read_toml_table(path: Path, kind: str, error: type[DrillError] = DrillError) -> dict[str, Any]:
    """The TOML table of a small regular file (``read_small_regular_file``'s rules).

    Raises:
        DrillError: as ``error`` (a subclass for the kind), naming the file and the problem.
    """
    source = str(path)
    try:
        data = read_small_regular_file(path, kind)
    except DrillError as exc:
        raise error(exc.source, exc.field, exc.problem) from exc
    try:
        return parse_toml(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise error(source, "(file)", _("is not UTF-8 text")) from exc
    except TomlError as exc:
        raise error(source, "(TOML syntax)", str(exc)) from exc


def load_folder(folder: Path, kind: str, load_file: Callable[[Path], ItemT], messages: list[str]) -> list[ItemT]:
    """Every usable item of ``folder``, in file-name order; a message for each file skipped.

    Args:
        folder: the folder to read.
        kind: what it holds ("drill", "routine"), for the messages.
        load_file: reads one file; raises DrillError (or a subclass) for a file it cannot use.
        messages: where the problems go.
    """
    words = KINDS[kind]
    items: list[ItemT] = []
    seen: dict[str, str] = {}
    try:
        files = sorted(p for p in folder.iterdir() if p.name.endswith(".toml"))
    except OSError as exc:
        messages.append(_(words.cannot_list).format(folder=folder, reason=exc.strerror or exc))
        return items
    if len(files) > MAX_FILES_PER_FOLDER:
        messages.append(_(words.too_many).format(folder=folder, count=len(files), limit=MAX_FILES_PER_FOLDER))
        files = files[:MAX_FILES_PER_FOLDER]
    for path in files:
        try:
            item = load_file(path)
        except DrillError as exc:
            messages.append(_(words.skipped).format(problem=exc))
            continue
        if item.id in seen:
            messages.append(_(words.duplicate).format(path=path, id=repr(item.id), other=seen[item.id]))
            continue
        seen[item.id] = str(path)
        items.append(item)
    return items


def load_builtin_and_user(builtin_dir: Path | None, user_dir: Path | None, kind: str,
                          load_file: Callable[[Path], ItemT]) -> tuple[list[ItemT], list[str]]:
    """The built-in items, then the user's (a user item with a built-in's id replaces it in its place).

    Args:
        builtin_dir: the bundled folder, or None for none.
        user_dir: the user's folder; may be None or missing (then nothing is said).
        kind: what the folders hold ("drill", "routine"), for the messages.
        load_file: reads one file (see ``load_folder``).

    Returns:
        (items, messages): usable items, built-ins first; one message per skipped file or
        override, each naming the file, the field and the problem.
    """
    messages: list[str] = []
    items = load_folder(builtin_dir, kind, load_file, messages) if builtin_dir is not None else []
    if user_dir is None or not user_dir.is_dir():
        return items, messages
    index = {item.id: i for i, item in enumerate(items)}
    for item in load_folder(user_dir, kind, load_file, messages):
        if item.id in index:
            messages.append(_(KINDS[kind].replaces).format(path=item.source, id=repr(item.id)))
            items[index[item.id]] = item
        else:
            index[item.id] = len(items)
            items.append(item)
    return items, messages
