"""Where Unsit keeps its files, resolved once from platformdirs and passed down."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from unsit import APP_ID

if TYPE_CHECKING:
    from platformdirs.api import PlatformDirsABC


@dataclass(frozen=True)
class AppPaths:
    """The user's config, data, log and runtime folders for Unsit."""

    config_dir: Path
    data_dir: Path
    log_dir: Path
    runtime_dir: Path
    runtime_problem: str | None = None
    """Why the usual runtime folder was not used (said once at start-up), or None."""

    @classmethod
    def from_platform(cls) -> AppPaths:
        """Resolve from platformdirs (honours XDG_* variables on Linux)."""
        import platformdirs

        return cls._from_dirs(platformdirs.PlatformDirs(APP_ID, appauthor=False))

    @classmethod
    def _from_dirs(cls, dirs: PlatformDirsABC) -> AppPaths:
        preferred: Path | None = None
        why = ""
        with warnings.catch_warnings():
            # No XDG_RUNTIME_DIR (a bare ssh or cron session): platformdirs falls back to
            # /tmp/runtime-<uid> and warns on every CLI call; the checks below cover it.
            warnings.simplefilter("ignore")
            try:
                preferred = Path(dirs.user_runtime_dir)
            except OSError as exc:  # newer platformdirs refuse a /tmp/runtime-<uid> of another user
                why = str(exc)
        if preferred is not None:
            runtime_dir, runtime_problem = private_runtime_dir(preferred, Path(dirs.user_cache_dir))
        else:
            runtime_dir, runtime_problem = private_runtime_dir(None, Path(dirs.user_cache_dir))
            runtime_problem = f"the usual runtime folder cannot be used ({why}); {runtime_problem}"
        return cls(
            config_dir=Path(dirs.user_config_dir),
            data_dir=Path(dirs.user_data_dir),
            log_dir=Path(dirs.user_log_dir),
            runtime_dir=runtime_dir,
            runtime_problem=runtime_problem,
        )

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.toml"

    @property
    def history_db(self) -> Path:
        return self.data_dir / "history.sqlite3"

    @property
    def user_drills_dir(self) -> Path:
        return self.data_dir / "drills"

    @property
    def user_routines_dir(self) -> Path:
        return self.data_dir / "routines"

    @property
    def told_file(self) -> Path:
        """The one-time hints already told (``store.told_notices``)."""
        return self.data_dir / "told.txt"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "unsit.log"

    @property
    def socket_path(self) -> Path:
        return self.runtime_dir / "unsit.sock"

    def ensure(self) -> list[str]:
        """Create the folders (private to the user) if they are missing.

        Returns:
            A message for each folder that could not be created (the app carries on).
        """
        failed = []
        for d in (self.config_dir, self.data_dir, self.log_dir, self.runtime_dir):
            try:
                d.mkdir(parents=True, exist_ok=True, mode=0o700)
            except OSError as exc:
                failed.append(f"cannot create {d}: {exc.strerror or exc}")
        return failed


def private_runtime_dir(preferred: Path | None, cache_dir: Path, uid: int | None = None,
                        temp_dir: Path | None = None) -> tuple[Path, str | None]:
    """The folder for the command socket: ours alone, or a safe fallback.

    ``preferred`` (from platformdirs: ``$XDG_RUNTIME_DIR/unsit``, or ``/tmp/runtime-<uid>``
    without it) is used when it is a real folder (not a symlink) owned by us with no access
    for others, or can be created so. Otherwise ``<tmp>/unsit-<uid>``, then
    ``<cache>/runtime``, checked the same way. The server and the CLI run the same checks,
    so they agree on the path.

    Returns:
        The folder and, when it is a fallback, what was wrong with the usual one.
    """
    if sys.platform == "win32":
        return (preferred or cache_dir / "runtime"), None
    uid = os.getuid() if uid is None else uid
    temp = Path(tempfile.gettempdir()) if temp_dir is None else temp_dir
    candidates = [c for c in (preferred, temp / f"unsit-{uid}", cache_dir / "runtime") if c is not None]
    problems: list[str] = []
    for candidate in candidates:
        why = _private_folder_problem(candidate, uid)
        if why is None:
            if not problems:
                return candidate, None
            return candidate, f"{problems[0]}; the command socket is in {candidate} instead"
        problems.append(f"{candidate} {why}")
    return candidates[-1], "; ".join(problems) + ". `unsit status` cannot reach the app"


def _private_folder_problem(path: Path, uid: int) -> str | None:
    """None when ``path`` is (or was just made) a folder of ours that nobody else can use."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass  # created meanwhile: check what is there now
        except OSError as exc:
            return f"cannot be created ({exc.strerror or exc})"
        try:
            info = os.lstat(path)
        except OSError as exc:
            return f"cannot be checked ({exc.strerror or exc})"
    except OSError as exc:
        return f"cannot be checked ({exc.strerror or exc})"
    if stat.S_ISLNK(info.st_mode):
        return "is a symlink"
    if not stat.S_ISDIR(info.st_mode):
        return "is not a folder"
    if info.st_uid != uid:
        return f"belongs to another user (uid {info.st_uid})"
    if info.st_mode & 0o077:
        return f"can be used by other users (mode {stat.S_IMODE(info.st_mode):o})"
    return None
