"""docs/examples/desk_posture.py: a stand-in desk and a stand-in ``unsit``, the example run for real.

The desk is a file whose height the tests change (or a command that prints it and logs each read);
``unsit`` is a small script first on a temporary PATH that records its calls and answers
``posture``. The example runs as a child process; the tests wait on what it did (the calls, its
output), never on fixed sleeps. The settling rule is also checked in-process on a fake clock.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from tests.polling import wait_for

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "desk_posture.py"
FAST = ["--settle", "0.3", "--every", "0.05"]

STAND_IN_UNSIT = """\
#!{python}
import pathlib, sys
here = pathlib.Path(__file__).resolve().parent
with open(here / "calls", "a") as log:
    log.write(" ".join(sys.argv[1:]) + "\\n")
code = here / "exit_code"
if code.exists():
    print("Unsit is not running. Start it with: unsit", file=sys.stderr)
    sys.exit(int(code.read_text()))
posture = here / "posture"
if sys.argv[1:] == ["posture"]:
    print(posture.read_text())
elif sys.argv[1:] == ["stand"]:
    posture.write_text("standing")
elif sys.argv[1:] == ["sit"]:
    posture.write_text("sitting")
else:
    sys.exit(2)
"""

STAND_IN_DESK = """\
import os, pathlib, sys, threading
height, reads = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
with open(reads, "a") as log:
    log.write("read\\n")
text = height.read_text()
if text.startswith("hang"):
    pathlib.Path(sys.argv[3]).write_text(str(os.getpid()))
    threading.Event().wait(60)  # a desk command that hangs
if text.startswith("fail"):
    print("no desk on the bus", file=sys.stderr)
    sys.exit(1)
print("Height:", text)
"""


def _load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("desk_posture", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["desk_posture"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


dp = _load_example()


class Rig:
    """A stand-in desk and a stand-in unsit in a temporary folder, and the example run beside them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.bin = root / "bin"
        self.bin.mkdir()
        unsit = self.bin / "unsit"
        unsit.write_text(STAND_IN_UNSIT.format(python=sys.executable))
        unsit.chmod(0o755)
        self.height_file = root / "height"
        self.reads_file = root / "reads"
        self.desk_script = root / "desk.py"
        self.desk_script.write_text(STAND_IN_DESK)
        self.hang_pid_file = root / "hang.pid"
        self.out = root / "out"
        self.err = root / "err"
        self.child: subprocess.Popen[bytes] | None = None
        self.set_posture("sitting")

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "PATH": f"{self.bin}{os.pathsep}{os.environ.get('PATH', '')}"}

    def desk_command(self) -> list[str]:
        line = f"{sys.executable} {self.desk_script} {self.height_file} {self.reads_file} {self.hang_pid_file}"
        return ["--command", line]

    def set_height(self, text: str) -> None:
        staged = self.root / "height.new"
        staged.write_text(text)
        staged.replace(self.height_file)  # the example never sees half a write

    def set_posture(self, posture: str) -> None:
        (self.bin / "posture").write_text(posture)

    def set_not_running(self, not_running: bool) -> None:
        flag = self.bin / "exit_code"
        if not_running:
            flag.write_text("3")
        else:
            flag.unlink()

    def calls(self) -> list[str]:
        log = self.bin / "calls"
        return log.read_text().splitlines() if log.exists() else []

    def reads(self) -> int:
        return len(self.reads_file.read_text().splitlines()) if self.reads_file.exists() else 0

    def output(self) -> str:
        return self.out.read_text() if self.out.exists() else ""

    def errors(self) -> str:
        return self.err.read_text() if self.err.exists() else ""

    def run_once(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(EXAMPLE), *args, "--once"], capture_output=True, text=True,
                              timeout=60, env=self.env)

    def start(self, *args: str) -> None:
        with self.out.open("wb") as out, self.err.open("wb") as err:
            self.child = subprocess.Popen([sys.executable, str(EXAMPLE), *args], stdout=out, stderr=err,
                                          env=self.env)

    def running(self) -> bool:
        return self.child is not None and self.child.poll() is None

    def stop(self, signum: int = signal.SIGTERM) -> int:
        assert self.child is not None
        self.child.send_signal(signum)
        return self.child.wait(timeout=20)

    def held_at_least(self, height: str, zone: str, seconds: float, after: int) -> bool:
        """The --verbose output, from offset ``after``, shows ``height`` cm in ``zone`` held ``seconds``."""
        pattern = re.compile(rf"{re.escape(height)} cm: {zone} for (\d+\.\d+) s")
        return any(float(m[1]) >= seconds for m in pattern.finditer(self.output()[after:]))


@pytest.fixture
def rig(tmp_path):
    made = Rig(tmp_path)
    yield made
    if made.running():
        assert made.child is not None
        made.child.kill()
        made.child.wait(timeout=20)


def _wait(predicate: Callable[[], object], what: str) -> None:
    wait_for(predicate, 30, what)


# --- what a height is -----------------------------------------------------------------------

@pytest.mark.parametrize("text,cm", [
    ("72.5", 72.5), ("1020\n", 102.0), ("0.75", 75.0), ("Height: 1020mm speed 0 mm/s", 102.0),
    ("height 72,5 cm", 72.5), ("1.0185 meters", 101.85), ("desk: 0.9 m", 90.0), ("  110 ", 110.0),
    ("Height: 683 millimetres", 68.3),
])
def test_heights_are_read_in_any_unit(text, cm):
    assert dp.parse_height(text) == pytest.approx(cm)


@pytest.mark.parametrize("text,hint", [
    ("", "no number"), ("unavailable", "no number"), ("unknown", "no number"), ("12", "give --unit"),
    ("-72", "no desk height"), ("5000 mm", "no desk height"), ('{"height": 72, "speed": 3}', "--pattern"),
    ("2.7", "give --unit"), ("nan", "no number"),
])
def test_garbage_is_no_height_and_the_message_says_why(text, hint):
    with pytest.raises(dp.BadReading, match=re.escape(hint)):
        dp.parse_height(text)


def test_a_unit_and_a_pattern_pick_the_number():
    assert dp.parse_height("850", unit="mm") == pytest.approx(85.0)
    assert dp.parse_height("0.8", unit="m") == pytest.approx(80.0)
    assert dp.parse_height("72 cm", unit="mm") == pytest.approx(72.0)  # a written unit wins
    for text, unit in (("12", "cm"), ("72", "mm")):  # 12 cm, 7.2 cm: no desk is that low
        with pytest.raises(dp.BadReading, match="no desk height"):
            dp.parse_height(text, unit=unit)
    text = '{"height": 72, "speed": 3}'
    assert dp.parse_height(text, pattern=re.compile(r'"height": (\d+)')) == pytest.approx(72.0)
    with pytest.raises(dp.BadReading, match="does not match"):
        dp.parse_height(text, pattern=re.compile(r"tilt=(\d+)"))


def test_the_thresholds_leave_a_band_where_nothing_changes():
    assert dp.zone_of(95.5, 95, 85) is dp.Zone.STANDING
    assert dp.zone_of(95.0, 95, 85) is dp.Zone.BETWEEN
    assert dp.zone_of(85.0, 95, 85) is dp.Zone.BETWEEN
    assert dp.zone_of(84.9, 95, 85) is dp.Zone.SITTING


# --- the settling rule on a fake clock --------------------------------------------------------

class FakeUnsit:
    def __init__(self, posture: str | None = "sitting") -> None:
        self.posture_now = posture
        self.calls: list[str] = []

    def posture(self):
        self.calls.append("posture")
        return {"standing": dp.Zone.STANDING, "sitting": dp.Zone.SITTING}.get(self.posture_now or "")

    def set(self, posture) -> None:
        self.calls.append("stand" if posture is dp.Zone.STANDING else "sit")
        self.posture_now = posture.value


def _watch(heights: list[str], every: float, settle: float, unsit: FakeUnsit) -> list[str]:
    """Feed one height per reading on a fake clock until they run out; the calls made."""
    now = [0.0]
    feed = iter(heights)

    class Done(Exception):
        pass

    def read() -> str:
        try:
            return next(feed)
        except StopIteration:
            raise Done from None

    def sleep(seconds: float) -> None:
        now[0] += seconds

    options = dp.Options(read=read, unsit=unsit, stand_above_cm=95, sit_below_cm=85, settle_seconds=settle,
                         every_seconds=every)
    with pytest.raises(Done):
        dp.Watcher(options, clock=lambda: now[0]).run(sleep=sleep)
    return unsit.calls


def test_a_desk_moving_through_the_zones_flips_nothing_until_it_settles():
    # Up from 72 to 110 in 1-s readings with a 3-s settle: above 95 from the 100, so standing counts
    # at the third 110, 3 s later.
    heights = ["72"] * 4 + ["80", "90", "100", "110", "110"]
    assert _watch(heights, 1, 3, FakeUnsit("sitting")) == ["posture"]
    assert _watch([*heights, "110"], 1, 3, FakeUnsit("sitting")) == ["posture", "stand"]
    # A brief trip up and back down (2 s above the threshold) is no stand.
    assert _watch(["72"] * 4 + ["100", "110", "110", "72", "72", "72", "72"], 1, 3, FakeUnsit()) == ["posture"]


def test_failed_readings_neither_confirm_nor_break_a_posture():
    heights = ["72"] * 4 + ["110", "garbage", "garbage", "110"]
    assert _watch(heights, 1, 3, FakeUnsit("sitting")) == ["posture", "stand"]


def test_unsit_is_asked_once_and_told_only_when_the_desk_changes():
    # Unsit is asked once; a posture the user sets by hand later is not overridden while the desk stays.
    assert _watch(["72"] * 10, 1, 1, FakeUnsit("sitting")) == ["posture"]
    # At the start the desk wins: Unsit says standing, the desk is low, so one sit; then up: one stand.
    assert _watch(["72"] * 3 + ["110"] * 5, 1, 1, FakeUnsit("standing")) == ["posture", "sit", "stand"]
    # An answer that is neither standing nor sitting: the desk's posture is set anyway.
    assert _watch(["110"] * 3, 1, 1, FakeUnsit("confused")) == ["posture", "stand"]


def test_a_bad_spell_is_said_once_even_when_every_reading_differs(capsys):
    heights = ["72"] * 3 + [f"error {'#' * n}" for n in range(8)] + [f"{n} mm" for n in range(8)] + ["110"] * 3
    assert _watch(heights, 1, 1, FakeUnsit("sitting")) == ["posture", "stand"]
    err = capsys.readouterr().err
    assert err.count("skipping a reading") == 1, err
    assert "no number in 'error'" in err


def test_recheck_restores_the_desk_posture_that_unsit_changed_itself():
    now = [0.0]
    unsit = FakeUnsit("standing")
    options = dp.Options(read=lambda: "110", unsit=unsit, stand_above_cm=95, sit_below_cm=85, settle_seconds=0,
                         every_seconds=1, recheck_seconds=60)
    watcher = dp.Watcher(options, clock=lambda: now[0])
    watcher.step()
    assert unsit.calls == ["posture"]
    unsit.posture_now = "sitting"  # Unsit's own rule: back from an absence while standing counts as sitting
    now[0] = 59.0
    watcher.step()
    assert unsit.calls == ["posture"]
    now[0] = 60.0
    watcher.step()
    assert unsit.calls == ["posture", "posture", "stand"]
    now[0] = 90.0
    watcher.step()
    assert unsit.calls == ["posture", "posture", "stand"]
    now[0] = 121.0  # agreed at the next recheck: nothing to set
    watcher.step()
    assert unsit.calls == ["posture", "posture", "stand", "posture"]


# --- the example run for real -----------------------------------------------------------------

def test_once_sets_standing_when_the_desk_is_high(rig):
    rig.set_height("110")
    done = rig.run_once("--file", str(rig.height_file), *FAST)
    assert done.returncode == 0, done.stderr
    assert rig.calls() == ["posture", "stand"]
    assert "standing; told Unsit" in done.stdout


def test_once_leaves_a_posture_unsit_already_has(rig):
    rig.set_height("72")
    done = rig.run_once("--file", str(rig.height_file), *FAST)
    assert done.returncode == 0, done.stderr
    assert rig.calls() == ["posture"]


def test_once_between_the_thresholds_asks_nothing(rig):
    rig.set_height("90")
    done = rig.run_once("--file", str(rig.height_file), *FAST)
    assert done.returncode == 0, done.stderr
    assert rig.calls() == []
    assert "between 85 and 95 cm" in done.stdout


def test_once_reads_millimetres_from_a_desk_command(rig):
    rig.set_height("1020 mm")
    done = rig.run_once(*rig.desk_command(), *FAST)
    assert done.returncode == 0, done.stderr
    assert rig.calls() == ["posture", "stand"]
    rig.set_height("0.72 m")
    done = rig.run_once(*rig.desk_command(), *FAST, "--stand-above", "100", "--sit-below", "80")
    assert done.returncode == 0, done.stderr
    assert rig.calls() == ["posture", "stand", "posture", "sit"]


def test_rising_hovering_and_falling_each_call_unsit_once(rig):
    rig.set_height("72")
    rig.start("--file", str(rig.height_file), *FAST, "--verbose")
    _wait(lambda: "as Unsit already has it" in rig.output(), "the first sync")
    assert rig.calls() == ["posture"]

    mark = len(rig.output())
    rig.set_height("90")  # up into the band: nothing
    _wait(lambda: rig.held_at_least("90.0", "between", 1.0, mark), "90 cm held in the band")
    assert rig.calls() == ["posture"]

    mark = len(rig.output())
    rig.set_height("110")  # above the threshold: one stand
    _wait(lambda: rig.held_at_least("110.0", "standing", 1.0, mark), "110 cm held")
    assert rig.calls() == ["posture", "stand"]

    mark = len(rig.output())
    rig.set_height("88")  # back into the band: still standing
    _wait(lambda: rig.held_at_least("88.0", "between", 1.0, mark), "88 cm held in the band")
    assert rig.calls() == ["posture", "stand"]

    mark = len(rig.output())
    rig.set_height("70")  # below: one sit
    _wait(lambda: rig.held_at_least("70.0", "sitting", 1.0, mark), "70 cm held")
    assert rig.calls() == ["posture", "stand", "sit"]
    assert rig.stop() == 0
    assert rig.errors() == ""


def test_garbage_readings_are_skipped_and_said_once(rig):
    rig.set_height("72 cm")
    rig.start(*rig.desk_command(), *FAST)
    _wait(lambda: rig.calls() == ["posture"], "the first sync")

    rig.set_height("unavailable")
    reads = rig.reads()
    _wait(lambda: rig.reads() >= reads + 10, "ten garbage readings")
    assert rig.running()
    assert rig.errors().count("skipping a reading") == 1
    assert "no number in 'Height: unavailable'" in rig.errors()

    rig.set_height("110 cm")  # good again: the next stand goes through
    _wait(lambda: rig.calls() == ["posture", "stand"], "the stand after the garbage")
    assert "reading the desk again: 110.0 cm" in rig.output()

    rig.set_height("fail")  # a new bad spell is said again, with the command's own message
    reads = rig.reads()
    _wait(lambda: rig.reads() >= reads + 10, "ten failed readings")
    assert rig.errors().count("skipping a reading") == 2
    assert "exited with status 1: no desk on the bus" in rig.errors()
    assert rig.stop() == 0
    assert "Traceback" not in rig.errors()


def test_unsit_not_running_is_waited_for_quietly(rig):
    rig.set_not_running(True)
    rig.set_height("110")
    rig.start("--file", str(rig.height_file), *FAST)
    _wait(lambda: len(rig.calls()) >= 5, "five tries")
    assert rig.running()
    assert set(rig.calls()) == {"posture"}
    assert rig.errors().count("Unsit is not running") == 1
    assert "trying again at every reading" in rig.errors()

    rig.set_not_running(False)  # Unsit starts: the desk's posture is set once
    _wait(lambda: rig.calls()[-1:] == ["stand"], "the stand once Unsit runs")
    assert "Unsit answers again" in rig.output()
    assert rig.stop() == 0
    assert rig.calls().count("stand") == 1
    assert "Traceback" not in rig.errors()


def test_once_without_unsit_says_so_and_exits_3(rig):
    rig.set_height("110")
    rig.set_not_running(True)
    done = rig.run_once("--file", str(rig.height_file), *FAST)
    assert (done.returncode, done.stderr.count("Unsit is not running")) == (3, 1)
    done = rig.run_once("--file", str(rig.height_file), *FAST, "--unsit", str(rig.root / "no-such-unsit"))
    assert done.returncode == 3
    assert "no-such-unsit not found: install Unsit or name it with --unsit" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])  # SIGINT: Ctrl-C in a terminal
def test_sigterm_and_ctrl_c_stop_cleanly(rig, signum):
    rig.set_height("72")
    rig.start("--file", str(rig.height_file), *FAST)
    _wait(lambda: rig.calls() == ["posture"], "the first sync")
    assert rig.stop(signum) == 0
    assert rig.output().endswith("desk_posture: stopped\n")
    assert rig.errors() == ""


def test_sigterm_while_the_desk_command_hangs_stops_it_too(rig):
    rig.set_height("hang")
    rig.start(*rig.desk_command(), *FAST)
    _wait(lambda: rig.hang_pid_file.exists() and rig.hang_pid_file.read_text(), "the hanging desk command")
    desk_pid = int(rig.hang_pid_file.read_text())
    assert rig.stop() == 0
    with pytest.raises(ProcessLookupError):
        os.kill(desk_pid, 0)  # killed and reaped, not left behind
    assert "Traceback" not in rig.errors()


@pytest.mark.parametrize("args,message", [
    (["--file", "h", "--sit-below", "95"], "--sit-below (95) must be lower than --stand-above (95)"),
    (["--file", "h", "--every", "0"], "0 is out of range"),
    (["--file", "h", "--settle", "-1"], "-1 is out of range"),
    (["--command", ""], "--command is empty"),
    (["--file", "h", "--pattern", "("], "is not a regular expression"),
    (["--stand-above", "100"], "one of the arguments --command --file is required"),
])
def test_mistakes_on_the_command_line_are_named(args, message, capsys):
    with pytest.raises(SystemExit) as stop:
        dp.options_from(args)
    assert stop.value.code == 2
    assert message in capsys.readouterr().err


# --- docs/desks.md stays true to the script and the commands ------------------------------------

DESKS_DOC = EXAMPLE.parent.parent / "desks.md"
TOGGLE = '[ "$(unsit posture)" = standing ] && unsit sit || unsit stand'


def test_the_documented_toggle_flips_the_posture(rig):
    assert TOGGLE in DESKS_DOC.read_text()
    for expected in ("standing", "sitting", "standing"):
        subprocess.run(["sh", "-c", TOGGLE], env=rig.env, check=True, timeout=30)
        assert (rig.bin / "posture").read_text() == expected
    assert rig.calls() == ["posture", "stand", "posture", "sit", "posture", "stand"]


def test_every_documented_command_line_of_the_script_parses():
    lines = [line.split("desk_posture.py", 1)[1] for line in DESKS_DOC.read_text().splitlines()
             if "desk_posture.py --" in line]
    assert len(lines) >= 4
    for line in lines:
        args = shlex.split(line.replace("%h", "/home/alex").replace("%t", "/run/user/1000"))
        options = dp.options_from(args)
        assert options.sit_below_cm < options.stand_above_cm
