"""Build hook: compile the translation catalogues (src/unsit/locale/*.po) into the wheel with Babel.

Everything else about the build is in pyproject.toml (Babel is a build requirement there).
``scripts/i18n compile`` and the installer's spec call ``compile_catalogues`` from here too.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
DOMAIN = "unsit"


def compile_catalogues(source: Path, out: Path) -> list[Path]:
    """Write ``out/<code>/LC_MESSAGES/unsit.mo`` for every ``source/<code>.po``; the files written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(source.glob("*.po")):
        with po.open("rb") as stream:
            catalog = read_po(stream, domain=DOMAIN, abort_invalid=True)
        target = out / po.stem / "LC_MESSAGES" / f"{DOMAIN}.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as stream:
            write_mo(stream, catalog)
        written.append(target)
    return written


if __name__ == "__main__":  # run by the build backend (or as ``python setup.py``), not when imported
    from setuptools import setup
    from setuptools.command.build_py import build_py

    class BuildWithCatalogues(build_py):
        """``build_py`` that also writes ``unsit/locale/<code>/LC_MESSAGES/unsit.mo``."""

        def run(self) -> None:
            super().run()
            compile_catalogues(HERE / "src" / "unsit" / "locale", Path(self.build_lib) / "unsit" / "locale")

    setup(cmdclass={"build_py": BuildWithCatalogues})
