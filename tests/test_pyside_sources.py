"""pyside_sources.py: PySide6's per-import source scan, answered without filling linecache."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from unsit import pyside_sources

CHILD = """
import json, linecache, sys
from unsit.pyside_sources import FEATURE_MODULE, SCAN_NAME, scan_sources_uncached
import PySide6.QtWidgets
feature = sys.modules[FEATURE_MODULE]
original = getattr(feature, SCAN_NAME)
done = [scan_sources_uncached(), scan_sources_uncached()]
import unsit.platform.notify.freedesktop, unsit.ui.tray, unsit.ui.controller
names = ["unsit.platform.notify.freedesktop", "unsit.platform.dbus_router", "unsit.ui.tray", "unsit.ui.controller"]
print(json.dumps({
    "done": done,
    "wrapped_once": getattr(feature, SCAN_NAME).__closure__ is not None
                    and original in [c.cell_contents for c in getattr(feature, SCAN_NAME).__closure__],
    "cached_unsit": sorted(name for name in linecache.cache if "unsit" in name),
    "answers": {name: getattr(feature, SCAN_NAME)(sys.modules[name]) for name in names},
    "pyside_answers": {name: original(sys.modules[name]) for name in names},
}))
"""


def test_the_scan_keeps_pyside_s_answers_and_no_source() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, env=env, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["done"] == [True, True] and result["wrapped_once"]
    assert result["cached_unsit"] == []  # PySide6's own scan leaves every one of them in linecache
    assert result["answers"] == result["pyside_answers"]
    assert result["answers"]["unsit.ui.tray"] and not result["answers"]["unsit.platform.dbus_router"]


def test_without_pyside_s_hook_nothing_is_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, pyside_sources.FEATURE_MODULE, raising=False)
    assert pyside_sources.scan_sources_uncached() is False
