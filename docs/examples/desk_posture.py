#!/usr/bin/env python3
"""Tell Unsit whether you stand or sit, from your sit-stand desk's height.

Run it beside Unsit. Every few seconds it reads the desk's height from a source you name:

* ``--command CMD``: a program that prints the height (many desk controllers have one, e.g.
  command-line tools for Bluetooth desks). CMD is split like a shell line but runs without a
  shell; for a pipe, name the shell: ``--command "sh -c 'mydesk status | grep Height'"``.
* ``--file PATH``: a file that holds the height, e.g. one a home-automation bridge rewrites.

The height may be in mm, cm or m: a unit after the number is used; a bare number is read by its
size (0.3–2.5 is metres, 30–250 centimetres, 300–2500 millimetres) unless ``--unit`` says. When
the text holds several numbers, the first one with a unit counts, or ``--pattern`` picks it.

The desk counts as standing when it is higher than ``--stand-above`` (95 cm) and as sitting when
it is lower than ``--sit-below`` (85 cm); in between, nothing changes. A height counts only after
it has stayed on one side for ``--settle`` seconds, so a desk on its way up or down flips
nothing. The first settled posture is compared with ``unsit posture`` and set if they differ;
after that ``unsit stand`` / ``unsit sit`` run only when the desk's posture changes, so a posture
you set yourself in Unsit's menu stays until you move the desk. Unsit may change the posture
itself (back from an absence while standing, it counts you as sitting): ``--recheck SECONDS``
asks it again that often and restores the desk's posture (this also undoes one set by hand).

Nothing here stops on a bad moment: a reading that fails or makes no sense is skipped (said once,
until a good one comes), and while Unsit is not running (or ``unsit`` is not found) the script
waits and tries again at every reading, saying so once. Ctrl-C or SIGTERM stops it, with status 0.

``--once`` reads until the height has settled, sets the posture and exits (for cron, a Stream
Deck button or a udev rule). Its exit status: 0 done (or the desk is between the thresholds),
1 no usable height within ``--settle`` + 30 s, 3 Unsit not running or ``unsit`` not found,
4 Unsit did not answer or a command failed.

Needs Python 3.10 or newer and nothing but its standard library. Examples::

    desk_posture.py --file "$XDG_RUNTIME_DIR/desk-height"
    desk_posture.py --command "idasen height" --stand-above 100 --sit-below 80
    desk_posture.py --file /run/desk/height --once --verbose
"""

from __future__ import annotations

import argparse
import enum
import re
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import FrameType

PROG = "desk_posture"
MAX_READING_BYTES = 4096
"""A height fits in a few bytes; a longer answer is refused rather than searched."""
UNSIT_TIMEOUT_SECONDS = 15.0
"""``unsit`` gives up itself after 5 s (status 4); this only guards against a hung program."""
ONCE_GRACE_SECONDS = 30.0
"""How long ``--once`` tries, beyond ``--settle``, to get a settled height."""
NOT_RUNNING, NOT_ANSWERING = 3, 4
"""``unsit``'s exit statuses: no instance running; one is running but did not answer."""
HEIGHT_RANGE_CM = (30.0, 250.0)
"""Any desk's height lies here; anything else is a misread."""
UNIT_CM = {"mm": 0.1, "cm": 1.0, "m": 100.0}
AUTO_UNITS = (("m", 0.3, 2.5), ("cm", 30.0, 250.0), ("mm", 300.0, 2500.0))
"""How a bare number is read: the unit whose range holds it (the ranges do not overlap)."""
NUMBER_RE = re.compile(
    r"(?<![\w.])(?P<number>[-+]?\d+(?:[.,]\d+)?)\s*"
    r"(?P<unit>millimet(?:er|re)s?|mm|centimet(?:er|re)s?|cm|met(?:er|re)s?|m)?(?![\w])",
    re.IGNORECASE,
)


class Zone(enum.Enum):
    """Where a height lies against the two thresholds."""

    SITTING = "sitting"
    BETWEEN = "between"
    STANDING = "standing"


class BadReading(Exception):
    """The desk's height could not be read, or what was read is no height."""


class Unreachable(Exception):
    """``unsit`` could not be run, Unsit is not running, or it did not do what was asked.

    Attributes:
        status: the exit status ``--once`` ends with (3 or 4).
    """

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class Stopped(Exception):
    """SIGTERM arrived: stop cleanly."""


def parse_height(text: str, unit: str = "auto", pattern: re.Pattern[str] | None = None) -> float:
    """The desk's height in cm, from a controller's or a file's text.

    Args:
        text: what the source gave.
        unit: ``auto`` (by the unit written after the number, else by its size), ``mm``, ``cm`` or ``m``.
        pattern: if given, its first group (or the whole match) is the text the height is read from.

    Raises:
        BadReading: no height in the text, or one no desk can have; the message says which.
    """
    if pattern is not None:
        found = pattern.search(text)
        if found is None:
            raise BadReading(f"--pattern {pattern.pattern!r} does not match {_shorten(text)}")
        text = found.group(1) if pattern.groups else found.group(0)
    numbers = list(NUMBER_RE.finditer(text))
    if not numbers:
        raise BadReading(f"no number in {_shorten(text)}")
    with_unit = [m for m in numbers if m["unit"]]
    if with_unit:
        chosen = with_unit[0]
    elif len(numbers) == 1:
        chosen = numbers[0]
    else:
        raise BadReading(f"{_shorten(text)} holds several numbers and none has a unit (mm, cm, m): "
                         "pick one with --pattern")
    value = float(chosen["number"].replace(",", "."))
    written = (chosen["unit"] or "").lower()
    if written:
        factor = UNIT_CM["mm" if written.startswith("mil") or written == "mm" else
                         "cm" if written.startswith("c") else "m"]
    elif unit != "auto":
        factor = UNIT_CM[unit]
    else:
        for name, low, high in AUTO_UNITS:
            if low <= value <= high:
                factor = UNIT_CM[name]
                break
        else:
            raise BadReading(f"{chosen['number']} is no desk height in m (0.3–2.5), cm (30–250) or mm "
                             "(300–2500); give --unit if yours is one")
    height = value * factor
    low_cm, high_cm = HEIGHT_RANGE_CM
    if not low_cm <= height <= high_cm:
        raise BadReading(f"{height:g} cm is no desk height (allowed: {low_cm:g}–{high_cm:g} cm)")
    return height


def zone_of(height_cm: float, stand_above_cm: float, sit_below_cm: float) -> Zone:
    """Standing strictly above the upper threshold, sitting strictly below the lower one."""
    if height_cm > stand_above_cm:
        return Zone.STANDING
    if height_cm < sit_below_cm:
        return Zone.SITTING
    return Zone.BETWEEN


@dataclass
class Settler:
    """Confirms a zone once readings have stayed in it for ``settle_seconds``.

    A failed reading is not fed in: it neither confirms nor breaks a zone.
    """

    settle_seconds: float
    zone: Zone | None = None
    since: float = 0.0

    def update(self, zone: Zone, now: float) -> Zone | None:
        """Feed one reading's zone at monotonic time ``now``; the zone once settled, else None."""
        if zone is not self.zone:
            self.zone, self.since = zone, now
        return zone if now - self.since >= self.settle_seconds else None

    def held_seconds(self, now: float) -> float:
        """How long the current zone has held."""
        return now - self.since if self.zone is not None else 0.0


@dataclass
class Notice:
    """Says a problem once, and again only after things went well in between (or its kind changed)."""

    stream: Callable[[str], None]
    current: str | None = None

    def problem(self, key: str, text: str) -> None:
        if key != self.current:
            self.current = key
            self.stream(text)

    def cleared(self) -> bool:
        """Forget the problem; True if there was one."""
        had, self.current = self.current is not None, None
        return had


def _shorten(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= limit else flat[:limit] + "…")


def _first_line(data: bytes) -> str:
    lines = data.decode("utf-8", "replace").strip().splitlines()
    return lines[0][:200] if lines else "(no message)"


def read_command(argv: Sequence[str], timeout_seconds: float) -> str:
    """Run the desk's command; its output.

    Raises:
        BadReading: it could not run, failed, hung or printed too much.
    """
    try:
        done = subprocess.run(list(argv), capture_output=True, timeout=timeout_seconds,
                              stdin=subprocess.DEVNULL, check=False)
    except FileNotFoundError:
        raise BadReading(f"{argv[0]}: no such program") from None
    except OSError as exc:
        raise BadReading(f"could not run {argv[0]}: {exc.strerror or exc}") from None
    except subprocess.TimeoutExpired:
        raise BadReading(f"{argv[0]} gave no height within {timeout_seconds:g} s (--timeout)") from None
    if done.returncode != 0:
        how = (f"was stopped by signal {-done.returncode}" if done.returncode < 0
               else f"exited with status {done.returncode}")
        raise BadReading(f"{argv[0]} {how}: {_first_line(done.stderr)}")
    if len(done.stdout) > MAX_READING_BYTES:
        raise BadReading(f"{argv[0]} printed {len(done.stdout)} bytes; a height fits in {MAX_READING_BYTES}")
    return done.stdout.decode("utf-8", "replace")


def read_file(path: str) -> str:
    """The file's text (its first 4 KiB at most).

    Raises:
        BadReading: it does not exist, cannot be read, or is longer than a height.
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_READING_BYTES + 1)
    except FileNotFoundError:
        raise BadReading(f"{path} does not exist") from None
    except OSError as exc:
        raise BadReading(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_READING_BYTES:
        raise BadReading(f"{path} is longer than {MAX_READING_BYTES} bytes; a height fits in a line")
    return data.decode("utf-8", "replace")


class Unsit:
    """Runs ``unsit posture``, ``unsit stand`` and ``unsit sit``."""

    def __init__(self, argv: Sequence[str]) -> None:
        self.argv = list(argv)

    def _run(self, command: str) -> str:
        what = f"{shlex.join(self.argv)} {command}"
        try:
            done = subprocess.run([*self.argv, command], capture_output=True, timeout=UNSIT_TIMEOUT_SECONDS,
                                  stdin=subprocess.DEVNULL, check=False)
        except FileNotFoundError:
            raise Unreachable(f"{self.argv[0]} not found: install Unsit or name it with --unsit",
                              NOT_RUNNING) from None
        except OSError as exc:
            raise Unreachable(f"could not run {self.argv[0]}: {exc.strerror or exc}", NOT_RUNNING) from None
        except subprocess.TimeoutExpired:
            raise Unreachable(f"{what} gave no answer within {UNSIT_TIMEOUT_SECONDS:g} s", NOT_ANSWERING) from None
        if done.returncode == NOT_RUNNING:
            raise Unreachable(f"Unsit is not running ({what} exited with status 3)", NOT_RUNNING)
        if done.returncode == NOT_ANSWERING:
            raise Unreachable(f"Unsit is running but did not answer ({what} exited with status 4)", NOT_ANSWERING)
        if done.returncode != 0:
            raise Unreachable(f"{what} failed with status {done.returncode}: {_first_line(done.stderr)} "
                              "(is this an Unsit that knows stand, sit and posture?)", NOT_ANSWERING)
        return done.stdout[:MAX_READING_BYTES].decode("utf-8", "replace")

    def posture(self) -> Zone | None:
        """Unsit's posture, or None if its answer is neither ``standing`` nor ``sitting``."""
        answer = self._run("posture").strip()
        return {"standing": Zone.STANDING, "sitting": Zone.SITTING}.get(answer)

    def set(self, posture: Zone) -> None:
        self._run("stand" if posture is Zone.STANDING else "sit")


@dataclass
class Options:
    read: Callable[[], str]
    unsit: Unsit
    stand_above_cm: float
    sit_below_cm: float
    settle_seconds: float
    every_seconds: float
    unit: str = "auto"
    pattern: re.Pattern[str] | None = None
    once: bool = False
    verbose: bool = False
    recheck_seconds: float = 0.0


def _say(text: str) -> None:
    print(f"{PROG}: {text}", flush=True)


def _warn(text: str) -> None:
    print(f"{PROG}: {text}", file=sys.stderr, flush=True)


class Watcher:
    """Reads the desk, settles its posture and keeps Unsit in step with it."""

    def __init__(self, options: Options, clock: Callable[[], float] = time.monotonic) -> None:
        self.options = options
        self.clock = clock
        self.settler = Settler(options.settle_seconds)
        self.desk_notice = Notice(_warn)
        self.unsit_notice = Notice(_warn)
        self.told: Zone | None = None
        """The posture Unsit has from us (or agreed with); None until synced with a running Unsit."""
        self.synced_at = 0.0

    def read_zone(self) -> tuple[float, Zone] | None:
        """One reading: the height and its zone, or None (said once) when it failed."""
        try:
            height = parse_height(self.options.read(), self.options.unit, self.options.pattern)
        except BadReading as exc:
            self.desk_notice.problem("desk", f"skipping a reading: {exc}")  # once, even if each text differs
            return None
        if self.desk_notice.cleared():
            _say(f"reading the desk again: {height:.1f} cm")
        return height, zone_of(height, self.options.stand_above_cm, self.options.sit_below_cm)

    def apply(self, posture: Zone, height: float) -> None:
        """Bring Unsit to ``posture`` if the desk's posture changed (or first sync with this Unsit).

        Raises:
            Unreachable: Unsit could not be asked; the next call syncs again.
        """
        try:
            if self.told is None:
                self.synced_at = self.clock()
                current = self.unsit.posture()
                if self.unsit_notice.cleared():
                    _say("Unsit answers again")
                if current is posture:
                    _say(f"desk at {height:.1f} cm: {posture.value}, as Unsit already has it")
                else:
                    self.unsit.set(posture)
                    _say(f"desk at {height:.1f} cm: {posture.value}; told Unsit")
            elif posture is not self.told:
                self.unsit.set(posture)
                _say(f"desk at {height:.1f} cm: {posture.value}; told Unsit")
        except Unreachable as exc:
            self.told = None
            then = "" if self.options.once else "; trying again at every reading"
            self.unsit_notice.problem(str(exc.status), f"{exc}{then}")
            raise
        self.told = posture

    @property
    def unsit(self) -> Unsit:
        return self.options.unsit

    def step(self) -> Zone | None:
        """One reading and what follows from it; the settled zone, if any.

        Raises:
            Unreachable: from ``apply``.
        """
        now = self.clock()
        reading = self.read_zone()
        if reading is None:
            return None
        height, zone = reading
        settled = self.settler.update(zone, now)
        if self.options.verbose:
            _say(f"{height:.1f} cm: {zone.value} for {self.settler.held_seconds(now):.2f} s")
        if settled is Zone.STANDING or settled is Zone.SITTING:
            recheck = self.options.recheck_seconds
            if self.told is not None and recheck > 0 and now - self.synced_at >= recheck:
                self.told = None  # ask again: Unsit may have changed the posture itself
            self.apply(settled, height)
        elif settled is Zone.BETWEEN and self.options.once:
            _say(f"desk at {height:.1f} cm, between {self.options.sit_below_cm:g} and "
                 f"{self.options.stand_above_cm:g} cm: posture left as it is")
        return settled

    def run(self, sleep: Callable[[float], None] = time.sleep) -> int:
        """Read every ``every_seconds`` until stopped (or, with ``once``, until one posture is settled)."""
        deadline = self.clock() + self.options.settle_seconds + ONCE_GRACE_SECONDS
        while True:
            started = self.clock()
            try:
                if self.step() is not None and self.options.once:
                    return 0
            except Unreachable as exc:
                if self.options.once:
                    return exc.status
            if self.options.once and self.clock() > deadline:
                _warn(f"no settled height within {self.options.settle_seconds + ONCE_GRACE_SECONDS:g} s")
                return 1
            sleep(max(0.0, self.options.every_seconds - (self.clock() - started)))


def _number(text: str, low: float, *, low_allowed: bool) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not (low <= value if low_allowed else low < value) or not value < 1e6:
        raise argparse.ArgumentTypeError(
            f"{text} is out of range: use a number {'from' if low_allowed else 'above'} {low:g} up to 1000000")
    return value


def _positive(text: str) -> float:
    return _number(text, 0.0, low_allowed=False)


def _not_negative(text: str) -> float:
    return _number(text, 0.0, low_allowed=True)


def _regex(text: str) -> re.Pattern[str]:
    try:
        return re.compile(text)
    except re.error as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a regular expression: {exc}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="Tell Unsit whether you stand or sit, from your sit-stand desk's height.")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--command", metavar="CMD", help="a command that prints the desk's height")
    source.add_argument("--file", metavar="PATH", help="a file that holds the desk's height")
    parser.add_argument("--stand-above", metavar="CM", type=_positive, default=95.0,
                        help="higher than this counts as standing (default 95)")
    parser.add_argument("--sit-below", metavar="CM", type=_positive, default=85.0,
                        help="lower than this counts as sitting (default 85)")
    parser.add_argument("--settle", metavar="SECONDS", type=_not_negative, default=5.0,
                        help="how long a height must stay before it counts (default 5)")
    parser.add_argument("--every", metavar="SECONDS", type=_positive, default=3.0,
                        help="read the height this often (default 3)")
    parser.add_argument("--timeout", metavar="SECONDS", type=_positive, default=20.0,
                        help="give the desk's command this long to answer (default 20)")
    parser.add_argument("--unit", choices=("auto", "mm", "cm", "m"), default="auto",
                        help="the unit of a bare number (default: by its size)")
    parser.add_argument("--pattern", metavar="REGEX", type=_regex,
                        help="where the height is in the text: the first group of this regular expression")
    parser.add_argument("--unsit", metavar="PATH", default="unsit",
                        help="the unsit command, split like a shell line (default: unsit, from PATH)")
    parser.add_argument("--recheck", metavar="SECONDS", type=_not_negative, default=0.0,
                        help="ask Unsit's posture this often and restore the desk's (default 0: never)")
    parser.add_argument("--once", action="store_true", help="read until the height settles, act, exit")
    parser.add_argument("--verbose", action="store_true", help="print every reading")
    return parser


def options_from(argv: Sequence[str] | None = None) -> Options:
    """Parse and check the command line (exits with status 2 and a message on a mistake)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.sit_below >= args.stand_above:
        parser.error(f"--sit-below ({args.sit_below:g}) must be lower than --stand-above ({args.stand_above:g}); "
                     "the gap between them is where nothing changes")
    unsit_argv = shlex.split(args.unsit)
    if not unsit_argv:
        parser.error("--unsit is empty")
    read: Callable[[], str]
    if args.command is not None:
        try:
            desk_argv = shlex.split(args.command)
        except ValueError as exc:
            parser.error(f"--command {args.command!r}: {exc}")
        if not desk_argv:
            parser.error("--command is empty")
        timeout = args.timeout

        def read() -> str:
            return read_command(desk_argv, timeout)
    else:
        path = args.file

        def read() -> str:
            return read_file(path)
    return Options(read=read, unsit=Unsit(unsit_argv), stand_above_cm=args.stand_above,
                   sit_below_cm=args.sit_below, settle_seconds=args.settle, every_seconds=args.every,
                   unit=args.unit, pattern=args.pattern, once=args.once, verbose=args.verbose,
                   recheck_seconds=args.recheck)


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second one must not break the clean stop
    raise Stopped


def main(argv: Sequence[str] | None = None) -> int:
    options = options_from(argv)
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return Watcher(options).run()
    except (Stopped, KeyboardInterrupt):
        _say("stopped")
        return 0


if __name__ == "__main__":
    sys.exit(main())
