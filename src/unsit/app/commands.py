"""Answers the requests the CLI sends to the running instance."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from unsit import APP_NAME, __version__
from unsit.core.families import FAMILIES
from unsit.text.i18n import _
from unsit.ui.text import weekday_time

if TYPE_CHECKING:
    from unsit.ui.intents import Intents, WindowRequests

Reply = dict[str, Any]


class CommandHandler:
    """Turns one request dict into controller intents and one reply dict."""

    def __init__(self, controller: Intents, status_extras: Callable[[], dict[str, Any]],
                 quit_app: Callable[[], None], windows: WindowRequests, on_activate: Callable[[], None]) -> None:
        self._controller = controller
        self._extras = status_extras
        self._quit = quit_app
        self._windows = windows
        self._activate = on_activate

    def __call__(self, request: dict[str, Any]) -> dict[str, Any]:
        command = request.get("command")
        method: Callable[[dict[str, Any]], Reply] | None = (
            getattr(self, f"_cmd_{command}", None) if isinstance(command, str) else None)
        if method is None:
            return {"ok": False, "error": _("unknown command {command}").format(command=repr(command))}
        return method(request)

    def _cmd_ping(self, request: dict[str, Any]) -> Reply:
        return {"ok": True, "version": __version__}

    def _cmd_status(self, request: dict[str, Any]) -> Reply:
        return {"ok": True, "status": self.status()}

    def status(self) -> dict[str, Any]:
        engine_status = self._controller.engine.status()
        status = engine_status.to_json_dict()
        if engine_status.paused_until is not None:  # for people: local time, in the app's language
            status["paused_until_text"] = weekday_time(engine_status.paused_until)
        status.update(self._extras())
        return status

    def _cmd_drill(self, request: dict[str, Any]) -> Reply:
        running = self._controller.running_drill()
        if running is not None:  # raise it, and say so: no new drill starts beside it
            self._controller.start_drill()
            return {"ok": False, "drill_running": True, "drill": running,
                    "error": _("A drill is already running: {drill}. Finish or end it first.").format(drill=running)}
        if request.get("routine") is not None:
            return self._routine(request["routine"])
        family = request.get("family")
        if family is not None and family not in FAMILIES:
            return {"ok": False, "error": _("unknown drill family {family}: use {families}").format(
                family=repr(family), families=", ".join(FAMILIES))}
        name = self._controller.start_drill(family)
        if not name:
            return {"ok": False, "error": _("no drill is available (see the log)")}
        return {"ok": True, "message": _("Started: {drill}").format(drill=name), "drill": name}

    def _routine(self, routine_id: object) -> Reply:
        """Play a routine; an unknown one is bad input, answered with the known ones."""
        routines = dict(self._windows.routine_titles())
        if not isinstance(routine_id, str) or routine_id not in routines:
            known = ", ".join(routines) or _("none")
            return {"ok": False, "bad_input": True,
                    "error": _("unknown routine {routine}: use one of {known}").format(
                        routine=repr(routine_id)[:80], known=known)}
        self._controller.start_routine(routine_id)
        name = routines[routine_id]
        return {"ok": True, "message": _("Started: {routine}").format(routine=name), "routine": routine_id}

    def _cmd_pause(self, request: dict[str, Any]) -> Reply:
        if "minutes" in request:
            minutes = request["minutes"]
            if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 24 * 60:
                return {"ok": False, "error": _("minutes must be a whole number from 1 to 1440")}
            pause: dict[str, Any] = {"minutes": minutes}
        else:
            until = request.get("until", "tomorrow")
            if until not in ("tomorrow", "indefinitely"):
                return {"ok": False, "error": _("cannot pause until {until}").format(until=repr(until))}
            pause = {"until": until}
        until_time = self._controller.pause(pause)
        if until_time:
            message = _("Paused until {moment}").format(moment=weekday_time(until_time))
        else:
            message = _("Paused until you resume")
        return {"ok": True, "message": message,
                "paused_until": until_time.isoformat() if until_time else None}

    def _cmd_resume(self, request: dict[str, Any]) -> Reply:
        self._controller.resume()
        return {"ok": True, "message": _("Resumed")}

    def _cmd_snooze(self, request: dict[str, Any]) -> Reply:
        if not self._controller.engine.status().nudge_waiting:
            return {"ok": True, "message": _("No nudge is waiting, so there is nothing to snooze."),
                    "snoozed": False}
        self._controller.snooze()
        return {"ok": True, "message": _("Snoozed")}

    def _cmd_skip(self, request: dict[str, Any]) -> Reply:
        self._controller.skip()
        return {"ok": True, "message": _("Skipped")}

    def _cmd_stand(self, request: dict[str, Any]) -> Reply:
        if not self._controller.stand():
            return {"ok": True, "posture": "standing", "message": _("You are standing already")}
        return {"ok": True, "posture": "standing",
                "message": _("Standing: the sitting streak waits until you sit again")}

    def _cmd_sit(self, request: dict[str, Any]) -> Reply:
        if not self._controller.sit():
            return {"ok": True, "posture": "sitting", "message": _("You are sitting already")}
        return {"ok": True, "posture": "sitting", "message": _("Sitting: the streak counts again")}

    def _cmd_posture(self, request: dict[str, Any]) -> Reply:
        standing = self._controller.engine.status().standing
        return {"ok": True, "posture": "standing" if standing else "sitting"}

    def _cmd_settings(self, request: dict[str, Any]) -> Reply:
        self._windows.open_settings()
        return {"ok": True}

    def _cmd_history(self, request: dict[str, Any]) -> Reply:
        self._windows.open_history()
        return {"ok": True}

    def _cmd_activate(self, request: dict[str, Any]) -> Reply:
        self._activate()
        return {"ok": True, "message": _("{app} is already running").format(app=APP_NAME)}

    def _cmd_open(self, request: dict[str, Any]) -> Reply:
        self._activate()  # the same as launching Unsit again: the main window
        return {"ok": True}

    def _cmd_quit(self, request: dict[str, Any]) -> Reply:
        self._quit()
        return {"ok": True, "message": _("{app} is quitting").format(app=APP_NAME)}
