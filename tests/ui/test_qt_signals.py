"""Guards against a Qt binding that corrupts reference counts when signals are emitted.

PySide6 6.12.0 decremented Py_True/Py_False on every ``emit()``; the app emits signals on
every tick, so on Python 3.11 it would crash after hours. Runs in a child process so a
crash shows as a failed exit code rather than killing the suite.
"""

from __future__ import annotations

import subprocess
import sys

CHILD = """
from PySide6.QtCore import QCoreApplication, QObject, Signal
app = QCoreApplication([])
class Source(QObject):
    ticked = Signal()
    changed = Signal(bool)
s = Source()
seen = []
s.changed.connect(seen.append)
for i in range(50000):
    s.ticked.emit()
    s.changed.emit(i % 2 == 0)
import gc; gc.collect()
print(len(seen))
"""


def test_many_signal_emissions_do_not_corrupt_the_interpreter():
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "50000"
