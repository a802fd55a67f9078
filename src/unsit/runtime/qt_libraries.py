"""Say which system library Qt is missing, instead of an ImportError traceback.

PySide6 wheels bundle Qt but link against the desktop's own libraries (OpenGL, fontconfig,
xkbcommon, D-Bus, ...). On a minimal system, ``import PySide6.QtWidgets`` fails with
"libGL.so.1: cannot open shared object file". This names the library and the Debian/Ubuntu
package that provides it.
"""

from __future__ import annotations

import re

# Library file -> Debian 12 / Ubuntu package (the same names scripts/setup installs).
LIBRARY_PACKAGES: dict[str, str] = {
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libOpenGL.so.0": "libopengl0",
    "libGLX.so.0": "libglx0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libXss.so.1": "libxss1",
}
_MISSING = re.compile(r"([\w.+-]+\.so(?:\.\d+)*): cannot open shared object file")


def missing_library_message(error: BaseException) -> str | None:
    """A sentence naming the missing library and how to install it, or None if that is not the cause."""
    found = _MISSING.search(str(error))
    if found is None:
        return None
    library = found.group(1)
    package = LIBRARY_PACKAGES.get(library)
    if package:
        how = f"On Debian or Ubuntu: sudo apt-get install {package}"
    else:
        how = f"Install the package that provides it (on Debian or Ubuntu: apt-file search {library})"
    return (f"Qt cannot start: the system library {library} is missing. {how}. "
            "scripts/install in Unsit's source folder checks every library Unsit needs.")
