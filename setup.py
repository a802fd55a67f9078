"""Build hook: compile the translation catalogues (src/unsit/locale/*.po) into the wheel.

Everything else about the build is in pyproject.toml. The compiler is Unsit's own
stdlib-only ``unsit/text/po_files.py``, loaded by path, so building needs no extra package.
"""

import importlib.util
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithCatalogues(build_py):
    """``build_py`` that also writes ``unsit/locale/<code>/LC_MESSAGES/unsit.mo``."""

    def run(self) -> None:
        super().run()
        spec = importlib.util.spec_from_file_location("unsit_po_files", HERE / "src" / "unsit" / "text" / "po_files.py")
        assert spec is not None and spec.loader is not None
        po_files = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = po_files  # dataclasses look their module up while it loads
        spec.loader.exec_module(po_files)
        po_files.compile_folder(HERE / "src" / "unsit" / "locale", Path(self.build_lib) / "unsit" / "locale")


setup(cmdclass={"build_py": BuildWithCatalogues})
