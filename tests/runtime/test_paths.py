"""Where Unsit keeps its files: platformdirs' folders for app name "unsit", honouring XDG_*."""

from __future__ import annotations

from unsit.runtime.paths import AppPaths
from unsit.runtime.resources import assets_dir


def test_linux_folders_follow_xdg(monkeypatch, tmp_path):
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR"):
        monkeypatch.setenv(var, str(tmp_path / var))
    paths = AppPaths.from_platform()
    assert paths.settings_file == tmp_path / "XDG_CONFIG_HOME" / "unsit" / "settings.toml"
    assert paths.history_db.parent == tmp_path / "XDG_DATA_HOME" / "unsit"
    assert paths.user_drills_dir == tmp_path / "XDG_DATA_HOME" / "unsit" / "drills"
    assert paths.log_file.is_relative_to(tmp_path / "XDG_STATE_HOME" / "unsit")
    assert paths.socket_path.parent == tmp_path / "XDG_RUNTIME_DIR" / "unsit"
    paths.ensure()
    assert (paths.runtime_dir.stat().st_mode & 0o777) == 0o700


def test_no_runtime_dir_falls_back_quietly(monkeypatch, recwarn):
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    assert AppPaths.from_platform().runtime_dir.name == "unsit"
    assert not [w for w in recwarn if "runtime" in str(w.message).lower()]


def test_assets_are_found_with_the_drills():
    root = assets_dir()
    assert (root / "drills").is_dir() and not (root / "poses").exists()  # no pose art since drills v2
    assert sorted(p.name for p in (root / "drills").glob("*.toml"))
