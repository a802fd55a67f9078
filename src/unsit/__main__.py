"""Command line: start the tray app, or send a command to the running one.

Client commands (status, drill, pause, resume, quit) load no Qt on Linux/macOS so they
answer quickly; only starting the app imports the GUI. The parser and the client live in
``unsit.cli``, imported only for a command: the tray process never holds them.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from unsit.runtime.paths import AppPaths


def install_language() -> AppPaths | None:
    """Speak the ``language`` setting's language (else the system's), without loading Qt.

    Returns the user's folders it resolved to find the settings (None if that failed), so the
    app or the command does not resolve them a second time.
    """
    from unsit.text.i18n import install

    setting = ""
    paths = None
    try:
        from unsit.runtime.paths import AppPaths
        from unsit.runtime.toml_text import parse_toml
        from unsit.store.settings_file import SettingsFile

        paths = AppPaths.from_platform()
        data, _refused = SettingsFile(paths.settings_file).read()
        if data:
            value = parse_toml(data.decode("utf-8-sig")).get("language", "")
            setting = value if isinstance(value, str) else ""
    except (OSError, ValueError, RecursionError):  # TomlError is a ValueError
        pass  # a broken settings file: the app reports it; the command line just follows the system
    install(setting)
    return paths


def quiet_stdout(code: int) -> int:
    """Point stdout at the null device (its pipe is gone: Python's exit flush must not fail); ``code``."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no stdout at all (a GUI start on Windows)
        pass
    return code


def main(argv: Sequence[str] | None = None) -> int:
    paths = install_language()
    words = list(sys.argv[1:] if argv is None else argv)
    if words in ([], ["--debug"]):
        # The tray app itself needs no parser: the command line is a client (unsit/cli.py).
        debug = bool(words)
    else:
        try:
            from unsit.cli import build_parser, run_client

            args = build_parser().parse_args(words)
            if args.command:
                code = run_client(args, paths)
                sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's own flush at exit
                return code
        except BrokenPipeError:  # `unsit status | head -1`: the reader left; nothing more to say
            return quiet_stdout(141)
        except KeyboardInterrupt:
            return quiet_stdout(130)
        debug = args.debug
    from unsit.app.compose import run_app
    from unsit.runtime.source_lines import uncached_source_lines

    with uncached_source_lines():  # PySide6's import hook would keep every module's source (bench/README.md)
        return run_app(debug=debug, paths=paths)


if __name__ == "__main__":
    sys.exit(main())
