"""settings.toml on disk: commented, atomic saves, and recovery from bad edits.

The file is meant to be edited by hand. Loading never raises for bad content: a file
that does not parse, or holds a value the schema rejects, is copied aside as
``settings.toml.bad-YYYYmmddTHHMMSS`` (the newest five are kept for the user), the
valid keys are used, the ``fallback`` settings fill the rest, and the repaired file is
written back.

Only a regular file of at most 256 kB is read, or a symlink to one (dotfile managers
link settings files; a save then writes through the link and keeps it). A FIFO, a
device, a folder or a file that cannot be read is refused with a message, never
overwritten, and the previous settings stay in force.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from unsit.core.settings import FIELDS, Settings, validate
from unsit.runtime.atomic import fsync_folder, write_atomically
from unsit.runtime.toml_text import TomlError, parse_toml
from unsit.text.i18n import N_, _

log = logging.getLogger(__name__)

MAX_SETTINGS_BYTES = 256 * 1024
"""A hand-written settings.toml is a few kB; anything far larger is not one (and is not read)."""
KEEP_BAD_COPIES = 5

_HEADER = """\
# Unsit settings.
# You can edit this file while Unsit runs: changes apply within a second.
# A value that is not allowed is reported and the previous value is kept;
# the file with the mistake is copied aside as settings.toml.bad-<time>.
"""


@dataclass(frozen=True)
class LoadResult:
    """What ``SettingsFile.load`` found.

    Attributes:
        settings: valid settings to use.
        problems: one human message per rejected or unknown key, or unreadable file.
        set_aside: where the bad file was copied, or None when it was fine.
    """

    settings: Settings
    problems: list[str] = field(default_factory=list)
    set_aside: Path | None = None


class SettingsFile:
    """Reads and writes one settings.toml.

    Args:
        path: the settings file (its folder is created when needed).
        now: local wall-clock time, used only to name set-aside copies.
    """

    def __init__(self, path: Path, now: Callable[[], datetime] = datetime.now):
        self.path = Path(path)
        self._now = now
        self.known_content: bytes | None = None
        """The bytes this object last read or wrote (lets a watcher skip its own saves)."""

    def read_bytes(self) -> bytes | None:
        """Current file content, or None when the file is missing or cannot be read safely."""
        return self.read()[0]

    def read(self) -> tuple[bytes | None, str | None]:
        """Read the file without ever blocking or reading without bound.

        Only a regular file (or a symlink to one, as dotfile managers make) of at most
        ``MAX_SETTINGS_BYTES`` is read. It is opened non-blocking, so a FIFO cannot hang
        the app, and checked with ``fstat`` on the open file, so a swap after the check
        cannot slip a device in.

        Returns:
            The content (None when missing or refused) and a message for the user when
            the file is there but refused (None when it was read or is simply missing).
        """
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            if os.path.islink(self.path):
                return None, self._refusal(_("is a symlink to a file that does not exist"))
            return None, None
        except PermissionError:
            return None, self._refusal(_("cannot be read: permission denied"),
                                       _("Give yourself read and write access (chmod 600 '{path}').").format(
                                           path=self.path))
        except OSError as exc:
            return None, self._refusal(_("cannot be opened ({reason})").format(reason=exc.strerror or exc))
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                return None, self._refusal(_("is {kind}, not a settings file").format(kind=_(_file_kind(info.st_mode))))
            if info.st_size > MAX_SETTINGS_BYTES:
                return None, self._refusal(_("is too large ({size} bytes; at most {limit} are read)").format(
                    size=info.st_size, limit=MAX_SETTINGS_BYTES))
            chunks = []
            size = 0
            while size <= MAX_SETTINGS_BYTES:  # the file may grow while we read
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            if size > MAX_SETTINGS_BYTES:
                return None, self._refusal(_("is too large (more than {limit} bytes)").format(limit=MAX_SETTINGS_BYTES))
            return b"".join(chunks), None
        except OSError as exc:
            return None, self._refusal(_("cannot be read ({reason})").format(reason=exc.strerror or exc))
        finally:
            os.close(fd)

    def _refusal(self, what: str, todo: str = "") -> str:
        todo = todo or _("Remove or rename it, and Unsit writes a fresh {name}.").format(name=self.path.name)
        # Translators: {problem} is one of the "is too large …", "cannot be read …" messages.
        return _("{path} {problem}. Unsit keeps its previous settings. {todo}").format(
            path=self.path, problem=what, todo=todo)

    def load(self, fallback: Settings | None = None) -> LoadResult:
        """Read and validate the file; repair it on disk when needed. Never raises.

        A missing file gives ``fallback`` (the defaults when None) and is written.
        """
        base = fallback or Settings()
        data, refused = self.read()
        if refused is not None:  # present but not readable as settings: never overwrite it
            return LoadResult(base, [refused])
        if data is None:
            self._save_quietly(base)
            return LoadResult(base)
        self.known_content = data
        try:
            raw = parse_toml(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, TomlError, RecursionError, ValueError) as exc:
            problems = [_("{name} is not valid TOML ({error}); the previous settings were kept").format(
                name=self.path.name, error=_short(exc))]
            return self._repair(data, base, problems)
        settings, found = validate(raw, fallback=base)
        problems = [p.message() for p in found]
        if problems:
            return self._repair(data, settings, problems)
        if set(raw) != {f.key for f in FIELDS}:
            # Valid but incomplete: write the missing keys (with comments) for the user.
            self._save_quietly(settings)
        return LoadResult(settings)

    def save(self, settings: Settings) -> None:
        """Write atomically: temp file in the same folder, fsync, replace, fsync folder.

        Raises:
            OSError: when the folder cannot be written.
        """
        data = render_toml(settings).encode("utf-8")
        target = self._save_target()
        write_atomically(target, data)
        self.known_content = data

    def _save_target(self) -> Path:
        """Where a save goes: through a symlink to a regular file to that file (the link stays).

        Raises:
            OSError: the path is something that must not be replaced (a FIFO, a device, a folder).
        """
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            if os.path.islink(self.path):
                raise OSError(f"{self.path} is a symlink to a missing file") from None
            return self.path
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{self.path} is {_file_kind(info.st_mode)}, not a settings file")
        return Path(os.path.realpath(self.path)) if os.path.islink(self.path) else self.path

    def _repair(self, data: bytes, settings: Settings, problems: list[str]) -> LoadResult:
        set_aside = self._set_aside(data)
        if set_aside is None:
            problems.append(_("could not keep a copy of the bad {name}; it was left unchanged").format(
                name=self.path.name))
            return LoadResult(settings, problems)
        problems.append(_("the file with the mistake was kept as {name}").format(name=set_aside.name))
        self._save_quietly(settings)
        return LoadResult(settings, problems, set_aside)

    def _set_aside(self, data: bytes) -> Path | None:
        """Copy the bad content next to the file under a fresh name; None on failure."""
        stamp = self._now().strftime("%Y%m%dT%H%M%S")
        base = self.path.with_name(f"{self.path.name}.bad-{stamp}")
        for n in range(1000):
            target = base if n == 0 else base.with_name(f"{base.name}-{n}")
            try:
                # "xb" never overwrites an earlier copy.
                with open(target, "xb") as out:
                    out.write(data)
                    out.flush()
                    os.fsync(out.fileno())
            except FileExistsError:
                continue
            except OSError:
                log.exception("could not copy the bad settings file aside")
                return None
            fsync_folder(target.parent)
            self._prune_bad_copies()
            return target
        return None

    def _prune_bad_copies(self) -> None:
        """Keep only the newest ``KEEP_BAD_COPIES`` set-aside copies."""
        try:
            copies = [p for p in self.path.parent.glob(f"{self.path.name}.bad-*") if p.is_file()]
            copies.sort(key=lambda p: (p.stat().st_mtime, p.name), reverse=True)
        except OSError:
            return
        for old in copies[KEEP_BAD_COPIES:]:
            try:
                old.unlink()
            except OSError:
                log.warning("could not remove the old copy %s", old)

    def _save_quietly(self, settings: Settings) -> None:
        try:
            self.save(settings)
        except OSError:
            log.exception("could not write %s", self.path)


def render_toml(settings: Settings) -> str:
    """The settings as commented, human-readable TOML (one comment block per key)."""
    values = settings.to_dict()
    lines = [_HEADER]
    for f in FIELDS:
        lines.append(f"# {f.description}")
        detail = f"Allowed: {f.allowed()}."
        if f.unit and f.kind == "int":
            detail = f"Unit: {f.unit}. " + detail
        lines.append(f"# {detail} Default: {_toml_value(_plain(f.default))}.")
        lines.append(f"{f.key} = {_toml_value(values[f.key])}")
        lines.append("")
    return "\n".join(lines)


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to settings.toml")


def toml_string(text: str) -> str:
    """A TOML basic string with quotes, backslashes and control characters escaped."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\uFFFD")  # lone surrogates cannot be encoded in UTF-8
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _file_kind(mode: int) -> str:
    """What a non-regular file is, in English (``_()`` it for the user)."""
    kinds = ((stat.S_ISDIR, N_("a folder")), (stat.S_ISFIFO, N_("a FIFO (named pipe)")), (stat.S_ISCHR, N_("a device")),
             (stat.S_ISBLK, N_("a device")), (stat.S_ISSOCK, N_("a socket")))
    for test, name in kinds:
        if test(mode):
            return name
    return N_("not a regular file")


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]
