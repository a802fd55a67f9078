"""Nothing in Unsit imports from the folder it was started in (another user may write there).

``python -m module`` and ``python -c`` put the working folder first on ``sys.path``; the history job
once ran that way from the tray's folder (issue 20). Every child Python that src/ starts with ``-m``
says ``-P`` or ``-I``, and nothing adds a folder to ``sys.path``. The end-to-end proof is
``tests/e2e/test_history_app.py::test_a_start_from_a_folder_others_can_write_imports_nothing_from_it``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import unsit

SRC = Path(unsit.__file__).parent


def findings(source: str, name: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            target = ast.unparse(node.func)
            if target.startswith("sys.path.") or target in ("site.addsitedir", "runpy.run_path"):
                found.append(f"{name}:{node.lineno}: {target}")
        if isinstance(node, (ast.List, ast.Tuple)):
            words = {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
            if {"-m", "-c"} & words and not {"-P", "-I"} & words:
                found.append(f"{name}:{node.lineno}: a child Python with the working folder on sys.path")
    return found


def test_no_module_in_src_puts_the_working_folder_on_sys_path() -> None:
    found = [f for path in sorted(SRC.rglob("*.py")) for f in findings(path.read_text(), str(path.relative_to(SRC)))]
    assert found == []


def test_the_check_finds_what_it_looks_for() -> None:
    assert findings('cmd = [sys.executable, "-m", "unsit.store.history_job"]', "x.py") == [
        "x.py:1: a child Python with the working folder on sys.path"]
    assert findings("import sys\nsys.path.insert(0, '')", "x.py") == ["x.py:2: sys.path.insert"]
    assert findings('cmd = [sys.executable, "-P" if new else "-I", "-m", "unsit"]', "x.py") == []
