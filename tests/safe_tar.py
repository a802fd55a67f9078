"""Unpack a tar archive safely on every Python the project supports (3.10–3.13).

``TarFile.extractall(filter="tar")`` exists from Python 3.12 and in later 3.10/3.11 point
releases, but not in Debian 12's Python 3.11.2. Where it is missing, each member is checked
before it is written: nothing absolute, nothing through ``..``, no link leading out of the
target, no devices or FIFOs, no set-user/group-ID bits.
"""

from __future__ import annotations

import os
import stat
import tarfile
from pathlib import Path

# Bits a safe extraction never keeps: set-user-ID, set-group-ID, sticky, group/other write.
_DROPPED_MODE_BITS = stat.S_ISUID | stat.S_ISGID | stat.S_ISVTX | stat.S_IWGRP | stat.S_IWOTH


class UnsafeMemberError(tarfile.TarError):
    """A member would write outside the target folder or is not a plain file, folder or link."""


def has_extraction_filters() -> bool:
    """True when this Python's tarfile offers extraction filters (PEP 706)."""
    return hasattr(tarfile, "data_filter")


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root + os.sep)


def check_member(member: tarfile.TarInfo, target: Path) -> None:
    """Raise UnsafeMemberError unless ``member`` stays inside ``target`` once written.

    Paths are resolved against what is already on disk, so a link written by an earlier
    member is followed as it would be.
    """
    root = os.path.realpath(target)
    name = member.name
    if os.path.isabs(name) or name.startswith(("/", "\\")):
        raise UnsafeMemberError(f"{name!r}: absolute path")
    if ".." in Path(name).parts:
        raise UnsafeMemberError(f"{name!r}: goes up with '..'")
    if not (member.isfile() or member.isdir() or member.issym() or member.islnk()):
        raise UnsafeMemberError(f"{name!r}: device, FIFO or other special file")
    destination = os.path.realpath(os.path.join(root, name))
    if not _inside(destination, root):
        raise UnsafeMemberError(f"{name!r}: ends up outside {root}")
    if member.issym():
        if os.path.isabs(member.linkname):
            raise UnsafeMemberError(f"{name!r}: symlink to the absolute path {member.linkname!r}")
        pointed = os.path.realpath(os.path.join(os.path.dirname(destination), member.linkname))
        if not _inside(pointed, root):
            raise UnsafeMemberError(f"{name!r}: symlink to {member.linkname!r} leads outside {root}")
    if member.islnk():
        pointed = os.path.realpath(os.path.join(root, member.linkname))
        if os.path.isabs(member.linkname) or not _inside(pointed, root):
            raise UnsafeMemberError(f"{name!r}: hard link to {member.linkname!r} leads outside {root}")


def extract_all(archive: tarfile.TarFile, target: Path, use_filter: bool | None = None) -> None:
    """Extract every member of ``archive`` into ``target``, refusing unsafe members.

    Args:
        archive: an open archive.
        target: the folder to write into (created if missing).
        use_filter: use tarfile's own ``"tar"`` filter; None means "when this Python has it".
    """
    target.mkdir(parents=True, exist_ok=True)
    if use_filter is None:
        use_filter = has_extraction_filters()
    if use_filter:
        archive.extractall(target, filter="tar")
        return
    # Our own checks pass each member: a Python that has filters must not apply (or warn about) one.
    trusted = has_extraction_filters()
    directories: list[tarfile.TarInfo] = []
    for member in archive.getmembers():
        check_member(member, target)
        member.mode &= ~_DROPPED_MODE_BITS
        if member.isdir():
            directories.append(member)  # modes set last, so a read-only folder can still be filled
        if trusted:
            archive.extract(member, target, set_attrs=not member.isdir(), filter="fully_trusted")
        else:
            archive.extract(member, target, set_attrs=not member.isdir())
    for member in reversed(directories):
        os.chmod(os.path.join(target, member.name), member.mode)
