"""A missing system library for Qt is named with its package, not shown as a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from unsit.runtime.qt_libraries import missing_library_message

LIBGL_ERROR = "libGL.so.1: cannot open shared object file: No such file or directory"


@pytest.mark.parametrize(("library", "package"), [
    ("libGL.so.1", "libgl1"), ("libEGL.so.1", "libegl1"), ("libxkbcommon.so.0", "libxkbcommon0"),
    ("libfontconfig.so.1", "libfontconfig1"), ("libdbus-1.so.3", "libdbus-1-3"),
])
def test_known_libraries_name_their_debian_package(library, package):
    message = missing_library_message(ImportError(f"{library}: cannot open shared object file: No such file"))
    assert message is not None
    assert library in message and f"sudo apt-get install {package}" in message


def test_an_unknown_library_is_still_named():
    message = missing_library_message(ImportError("libQuux.so.7: cannot open shared object file: No such file"))
    assert message is not None and "libQuux.so.7" in message and "apt-file search libQuux.so.7" in message


def test_other_import_errors_are_not_explained_away():
    assert missing_library_message(ImportError("No module named 'PySide6'")) is None


# Stands in for a machine without libGL: the import of QtWidgets fails as it does there.
HIDE_LIBGL = f"""
import sys
class HideLibGL:
    def find_spec(self, name, path=None, target=None):
        if name.startswith("PySide6.Qt"):
            raise ImportError({LIBGL_ERROR!r})
        return None
sys.meta_path.insert(0, HideLibGL())
from unsit.__main__ import main
sys.exit(main([]))
"""


def test_starting_without_libgl_says_which_package_to_install():
    env = {**os.environ, "DISPLAY": os.environ.get("DISPLAY") or ":99"}
    env.pop("QT_QPA_PLATFORM", None)
    out = subprocess.run([sys.executable, "-c", HIDE_LIBGL], capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    assert out.stderr.count("libGL.so.1") == 1 and "sudo apt-get install libgl1" in out.stderr
