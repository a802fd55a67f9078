"""Read the drill library: the built-in drill files, then the user's own.

Rules (also in assets/drills/SCHEMA.md; the folder rules are ``store/data_folder.py``'s):
- Every ``*.toml`` in a folder is one drill, read in file-name order.
- Only regular files of at most ``MAX_FILE_BYTES`` are read, without following a
  symlink out of the folder and without blocking (a FIFO, a device, a folder named
  ``x.toml``, a symlink loop or a huge file is skipped with a message).
- A file that cannot be read or parsed is skipped with a message naming the file, the
  field and the problem; the other drills still load. Drills hold no file paths (the
  figure is posed by numbers), so nothing else is ever read.
- A user drill with the same id as a built-in one replaces it (in the built-in's place),
  so a user can adjust a built-in drill by copying its file. Within one folder, the first
  file with an id wins and later duplicates are skipped.
"""

from __future__ import annotations

from pathlib import Path

from unsit.core.drills import Drill, parse_drill
from unsit.store.data_folder import load_builtin_and_user, read_toml_table


def load_drill_file(path: Path) -> Drill:
    """Read, parse and check one drill file.

    Raises:
        DrillError: naming the file, the field and the problem.
    """
    return parse_drill(read_toml_table(path, "drill"), str(path))


def load_library(builtin_dir: Path, user_dir: Path | None) -> tuple[list[Drill], list[str]]:
    """Load built-in drills, then the user's drills.

    Args:
        builtin_dir: the bundled drills folder (assets/drills).
        user_dir: the user's drills folder (AppPaths.user_drills_dir); may be None or missing.

    Returns:
        (drills, messages): usable drills, built-ins first; one message per skipped file
        or override, each naming the file, the field and the problem.
    """
    return load_builtin_and_user(builtin_dir, user_dir, "drill", load_drill_file)
