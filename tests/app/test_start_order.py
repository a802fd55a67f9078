"""Start-up shows the tray icon first, then builds the rest around that same icon (issue 23)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.desktop


@pytest.fixture
def user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"):
        folder = tmp_path / var
        folder.mkdir(mode=0o700)
        monkeypatch.setenv(var, str(folder))
    yield


def test_the_icon_is_shown_before_the_rest_is_built(qapp, user_folders, monkeypatch):
    from unsit.app import compose
    from unsit.runtime.paths import AppPaths

    seen: list[bool] = []
    real_engine = __import__("unsit.core.engine", fromlist=["Engine"]).Engine

    def engine_after_the_icon(*args, **kwargs):
        seen.append(tray.icon.isVisible())
        return real_engine(*args, **kwargs)

    monkeypatch.setattr("unsit.core.engine.Engine", engine_after_the_icon)
    tray = compose.show_tray_first(qapp)
    assert tray.icon.isVisible()
    paths = AppPaths.from_platform()
    paths.ensure()
    parts = compose.build(qapp, paths, tray)
    assert parts is not None
    try:
        assert seen == [True]  # the engine was made after the icon was up
        assert parts["tray"] is tray  # one icon: the one shown first
        assert tray.icon.isVisible()
    finally:
        compose.shutdown(parts)
    assert not tray.icon.isVisible()
