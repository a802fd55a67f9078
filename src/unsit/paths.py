"""Where Unsit keeps its files, resolved once from platformdirs and passed down."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from unsit import APP_ID


@dataclass(frozen=True)
class AppPaths:
    """The user's config, data, log and runtime folders for Unsit."""

    config_dir: Path
    data_dir: Path
    log_dir: Path
    runtime_dir: Path

    @classmethod
    def from_platform(cls) -> AppPaths:
        """Resolve from platformdirs (honours XDG_* variables on Linux)."""
        dirs = platformdirs.PlatformDirs(APP_ID, appauthor=False)
        with warnings.catch_warnings():
            # No XDG_RUNTIME_DIR (a bare ssh or cron session): platformdirs falls back to
            # /tmp/runtime-<uid> and warns on every CLI call; the fallback is fine for us.
            warnings.simplefilter("ignore")
            runtime_dir = Path(dirs.user_runtime_dir)
        return cls(
            config_dir=Path(dirs.user_config_dir),
            data_dir=Path(dirs.user_data_dir),
            log_dir=Path(dirs.user_log_dir),
            runtime_dir=runtime_dir,
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
