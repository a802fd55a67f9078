"""The command line's client side: the parser, and commands sent to the running app.

Only a command (``unsit status``, ``unsit pause 30m`` ...) imports this module; the tray app
starts without it (``__main__`` builds no parser for a bare start), so an idle tray does not
hold the parser's code and texts for hours.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import TYPE_CHECKING, Any

from unsit import APP_NAME, __version__
from unsit.core.durations import format_duration
from unsit.core.families import FAMILIES
from unsit.text.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from unsit.runtime.paths import AppPaths

PAUSE_RE = re.compile(r"^(?:(\d+)h)?(?:(\d+)m(?:in)?)?$")
PHASE_LABELS: dict[str, str] = {
    "sitting": N_("sitting"), "nudge_due": N_("nudge due"), "snoozed": N_("snoozed"), "skipped": N_("skipped"),
    "in_drill": N_("in a drill"), "paused": N_("paused"), "outside_work_hours": N_("outside work hours"),
    "away": N_("away"), "standing": N_("standing"),
}
"""How ``unsit status`` names each phase (the JSON keeps the English keys)."""


def parse_pause(text: str) -> dict[str, Any]:
    """Turn "30m", "1h", "1h30m", "90" or "tomorrow" into a pause request.

    Raises:
        argparse.ArgumentTypeError: for anything else, or durations outside 1 min – 24 h.
    """
    text = text.strip().lower()
    if text in ("tomorrow", "until-tomorrow"):
        return {"until": "tomorrow"}
    if text in ("forever", "indefinitely", "off"):
        return {"until": "indefinitely"}
    if text.isdigit():
        minutes = int(text)
    else:
        m = PAUSE_RE.match(text)
        if not m or not (m[1] or m[2]):
            raise argparse.ArgumentTypeError(
                _("{text} is not a pause length: use e.g. 30m, 1h, 1h30m, tomorrow or indefinitely").format(
                    text=repr(text))
            )
        minutes = int(m[1] or 0) * 60 + int(m[2] or 0)
    if not 1 <= minutes <= 24 * 60:
        raise argparse.ArgumentTypeError(_("{text}: a pause lasts from 1 minute to 24 hours").format(text=repr(text)))
    return {"minutes": minutes}


def routine_names() -> tuple[list[str], str]:
    """The routine files' names (built-in and the user's) and the user's folder, for ``unsit drill --help``.

    No file is read: the running app checks them, and refuses a name here whose file is broken.
    """
    from unsit.runtime.paths import AppPaths
    from unsit.runtime.resources import asset_path

    names: set[str] = set()
    user_dir = AppPaths.from_platform().user_routines_dir
    for folder in (asset_path("routines"), user_dir):
        try:
            names.update(entry.name[:-5] for entry in os.scandir(folder) if entry.name.endswith(".toml"))
        except OSError:
            continue
    return sorted(names), str(user_dir)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="unsit",
        description=_("{app}: counts how long you have been sitting and nudges you to open your hips. "
                      "With no command it starts the tray app; commands go to the running instance.").format(
            app=APP_NAME),
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--debug", action="store_true", help=_("log debug messages too"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    status = sub.add_parser("status", help=_("print the sitting streak, the phase and the time to the next nudge"))
    status.add_argument("--json", action="store_true", help=_("print one JSON object (for scripts and status bars)"))
    drill = sub.add_parser("drill", help=_("start a drill now"))
    drill.add_argument("family", nargs="?", choices=FAMILIES, help=_("pick from this family"))
    names, user_dir = routine_names()
    drill.add_argument("--routine", metavar="ID",
                       help=_("play a routine instead: {routines} (add your own as TOML files in {folder})").format(
                           routines=", ".join(names) or _("none found"), folder=user_dir).replace("%", "%%"))
    pause = sub.add_parser("pause", help=_("pause nudges (default 30m)"))
    pause.add_argument("length", nargs="?", default="30m", type=parse_pause,
                       help=_("30m, 1h, 1h30m, tomorrow or indefinitely"))
    sub.add_parser("resume", help=_("resume nudges after a pause"))
    sub.add_parser("snooze", help=_("snooze the current nudge"))
    sub.add_parser("skip", help=_("skip the current nudge"))
    sub.add_parser("stand", help=_("tell Unsit you stand (a sit-stand desk): the sitting streak waits"))
    sub.add_parser("sit", help=_("tell Unsit you sit again"))
    sub.add_parser("posture", help=_("print standing or sitting (for scripts and status bars)"))
    sub.add_parser("open", help=_("open the main window (status, drill, pause, settings, history)"))
    sub.add_parser("settings", help=_("open the settings window"))
    sub.add_parser("history", help=_("open the history window"))
    sub.add_parser("quit", help=_("stop the running app"))
    return parser


def format_status(status: dict[str, Any]) -> str:
    """Human lines for ``unsit status``."""
    raw_phase = str(status.get("phase", "?"))
    phase = _(PHASE_LABELS[raw_phase]) if raw_phase in PHASE_LABELS else raw_phase.replace("_", " ")
    rows = [
        (_("Sitting streak:"), format_duration(status.get("streak_seconds"))),
        (_("Phase:"), phase),
        (_("Next nudge in:"), format_duration(status.get("next_nudge_in_seconds"))),
    ]
    if status.get("posture") == "standing":
        rows.append((_("Standing for:"), format_duration(status.get("standing_seconds"))))
    if status.get("paused_until"):
        rows.append((_("Paused until:"), str(status.get("paused_until_text") or local_time(status["paused_until"]))))
    if status.get("in_call"):
        minutes = int(status.get("call_seconds") or 0) // 60
        rows.append((_("In a call:"), ngettext("{minutes} min (a nudge waits until it ends)",
                                               "{minutes} min (a nudge waits until it ends)",
                                               minutes).format(minutes=minutes)))
    source = str(status.get("idle_source", "none"))
    if source == "none":
        source = _("none (not available: Unsit cannot tell when you are away)")
    rows.append((_("Idle detection:"), source))
    width = max(len(label) for label, _value in rows) + 1
    return "\n".join(f"{label:<{width}}{value}" for label, value in rows)


def local_time(iso_text: object) -> str:
    """An ISO 8601 moment as local "YYYY-MM-DD HH:MM" (the text itself when it is not one)."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(str(iso_text))
    except ValueError:
        return str(iso_text)
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


EXIT_FAILED, EXIT_BAD_INPUT, EXIT_NOT_RUNNING, EXIT_NO_ANSWER, EXIT_BUSY, EXIT_DRILL_RUNNING = 1, 2, 3, 4, 5, 6
"""Exit statuses of client commands (0: done); README's "Commands" section lists them."""


def _send_waiting_for_socket(paths: AppPaths, request: dict[str, Any], seconds: float = 5.0) -> dict[str, Any]:
    """Send ``request``; while no socket answers but an instance holds its lock, wait for its socket to return."""
    import time

    from unsit.platform.instance_lock import LOCK_NAME, held_elsewhere
    from unsit.platform.ipc_client import NotRunning, send_request

    deadline = time.monotonic() + seconds
    while True:
        try:
            return send_request(paths.socket_path, request)
        except NotRunning:
            # The runtime folder was deleted under a running Unsit: it creates its socket again at once.
            if time.monotonic() >= deadline or not held_elsewhere(paths.data_dir / LOCK_NAME):
                raise
            time.sleep(0.1)


def run_client(args: argparse.Namespace, paths: AppPaths | None = None) -> int:
    """Send ``args.command`` to the running instance; print the answer; exit code."""
    from unsit.platform.ipc_client import Busy, NotAnswering, NotRunning
    from unsit.runtime.paths import AppPaths

    request: dict[str, Any] = {"command": args.command}
    if args.command == "drill":
        request["family"] = args.family
        if args.routine is not None:
            if args.family is not None:
                print(_("{app}: give a drill family or --routine, not both").format(app=APP_NAME), file=sys.stderr)
                return EXIT_BAD_INPUT
            request["routine"] = args.routine
    elif args.command == "pause":
        request.update(args.length)
    paths = paths or AppPaths.from_platform()
    try:
        reply = _send_waiting_for_socket(paths, request)
    except NotRunning:
        from unsit.platform.command_name import command_name

        print(_("{app} is not running. Start it with: {command}").format(app=APP_NAME, command=command_name()),
              file=sys.stderr)
        return EXIT_NOT_RUNNING
    except Busy:
        print(_("{app} is running but busy: too many commands at once. Try again in a moment.").format(
            app=APP_NAME), file=sys.stderr)
        return EXIT_BUSY
    except NotAnswering as exc:
        print(_("{app} is running but did not answer in time ({reason}). Try again in a moment.").format(
            app=APP_NAME, reason=exc), file=sys.stderr)
        return EXIT_NO_ANSWER
    if not reply.get("ok"):
        print(f"{APP_NAME}: {reply.get('error') or _('the command failed')}", file=sys.stderr)
        if reply.get("drill_running"):
            return EXIT_DRILL_RUNNING
        return EXIT_BAD_INPUT if reply.get("bad_input") else EXIT_FAILED
    if args.command == "status":
        import json

        status = reply["status"]
        print(json.dumps(status) if args.json else format_status(status))
    elif args.command == "posture":
        print(reply["posture"])  # one English word, for scripts: "standing" or "sitting"
    elif reply.get("message"):
        print(reply["message"])
    return 0
