"""SIGTERM ends the event loop at once; after close() a late signal is quietly the default again."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

# Runs in its own interpreter: the signals and the wakeup fd belong to the whole process.
_SCRIPT = textwrap.dedent("""
    import os, signal, sys
    from PySide6.QtCore import QCoreApplication, QTimer
    from unsit.app.signal_watch import SignalWatch

    app = QCoreApplication([])
    watch = SignalWatch(app.quit)
    assert watch.wakes_loop
    QTimer.singleShot(0, lambda: os.kill(os.getpid(), signal.SIGTERM))
    QTimer.singleShot(20000, lambda: app.exit(3))  # only if the signal never woke the loop
    code = app.exec()
    print("loop ended", code, flush=True)
    {after}
    signal.signal(signal.SIGTERM, lambda *_: print("late SIGTERM handled", flush=True))
    os.kill(os.getpid(), signal.SIGTERM)
    print("wakeup fd", signal.set_wakeup_fd(-1), flush=True)
""")


def _run(after: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-c", _SCRIPT.format(after=after)], capture_output=True,
                          text=True, env=env, timeout=60, check=False)


def test_sigterm_ends_the_loop_and_close_resets_the_wakeup_fd() -> None:
    done = _run("watch.close(); del watch; import gc; gc.collect()")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["loop ended 0", "late SIGTERM handled", "wakeup fd -1"]
    assert "wakeup fd" not in done.stderr, done.stderr


def test_without_close_a_late_signal_writes_to_a_closed_socket() -> None:
    """What close() prevents (this is how the app behaved before it called close())."""
    done = _run("del watch; import gc; gc.collect()")
    assert "Exception ignored when trying to write to the signal wakeup fd" in done.stderr


def test_close_gives_sigterm_back_to_its_previous_handler() -> None:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent("""
            import signal
            from PySide6.QtCore import QCoreApplication
            from unsit.app.signal_watch import SignalWatch
            app = QCoreApplication([])
            before = signal.getsignal(signal.SIGTERM)
            watch = SignalWatch(app.quit)
            assert signal.getsignal(signal.SIGTERM) is not before
            watch.close()
            watch.close()  # twice is harmless
            print(signal.getsignal(signal.SIGTERM) is before, signal.set_wakeup_fd(-1))
        """)],
        capture_output=True, text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True -1"
