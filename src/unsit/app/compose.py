"""Composition root: builds the parts, wires them, runs the Qt event loop. No logic of its own."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from unsit import APP_ID, APP_NAME, DESKTOP_ID, __version__
from unsit.core.start_at_login import StartAtLoginFollower
from unsit.runtime.log_file import setup_logging
from unsit.runtime.paths import AppPaths
from unsit.text.i18n import _

if TYPE_CHECKING:  # Qt and the settings load after the cheap checks in run_app
    from PySide6.QtWidgets import QApplication

    from unsit.core.engine import Status
    from unsit.ui.tray import Tray

log = logging.getLogger("unsit")


def _command() -> str:
    """The ``unsit`` command as typed here, for messages (imported then: an idle tray never needs it)."""
    from unsit.platform.command_name import command_name

    return command_name()


def sync_start_at_login(wanted: bool, tell: Callable[[str], None] | None = None) -> None:
    """Make start-at-login match the setting (only when the setting changes). ``tell`` shows a
    refusal the user can fix (macOS: the app runs from its disk image)."""
    from unsit.platform.autostart import sync_autostart

    sync_autostart(wanted, tell=tell)


def adopt_start_at_login(first_launch: bool, setting: bool) -> bool:
    """The setting to start with: an existing entry is adopted at the first launch (issue 25)."""
    if not first_launch or setting:
        return setting
    from unsit.platform.autostart import adopted_setting

    return adopted_setting(first_launch, setting)


def missing_display(env: Mapping[str, str], platform: str) -> str | None:
    """Why a tray app cannot start here (no graphical session), or None.

    Without this, Qt's xcb plugin aborts the process with a core dump and a long message.
    """
    if platform in ("win32", "darwin") or env.get("QT_QPA_PLATFORM"):
        return None
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return _("no graphical session found (neither DISPLAY nor WAYLAND_DISPLAY is set). "
             "Start Unsit from your desktop session; `{command} status` works from anywhere.").format(
        command=_command())


def already_running(paths: AppPaths) -> bool:
    """Tell a running instance we were started again; True if one is there (even a busy one)."""
    from unsit.platform.instance_lock import LOCK_NAME, held_elsewhere
    from unsit.platform.ipc_client import NotAnswering, NotRunning, send_request

    try:
        send_request(paths.socket_path, {"command": "activate"}, timeout=2.0)
    except NotRunning:
        # One runs whose runtime folder was deleted: the server's listen() waits for its new socket.
        return held_elsewhere(paths.data_dir / LOCK_NAME) and _reached_soon(paths)
    except NotAnswering:
        log.warning("a running Unsit did not answer in time; not starting a second one")
    return True


def _reached_soon(paths: AppPaths, seconds: float = 5.0) -> bool:
    """Tell the instance holding the instance lock we were started again, once its socket is back.

    True either way: an instance holds the lock, so none starts beside it.
    """
    import time

    from unsit.platform.ipc_client import NotAnswering, NotRunning, send_request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            send_request(paths.socket_path, {"command": "activate"}, timeout=2.0)
            return True
        except NotAnswering:
            return True
        except NotRunning:
            time.sleep(0.1)
    log.warning("a running Unsit holds its instance lock but cannot be reached; not starting a second one")
    return True


def run_app(debug: bool = False, paths: AppPaths | None = None) -> int:
    """Start the tray app; returns the process exit code.

    Args:
        paths: the user's folders if the caller resolved them already (else resolved here).
    """
    paths = paths or AppPaths.from_platform()
    for problem in paths.ensure():
        print(f"{APP_NAME}: {problem}", file=sys.stderr)
    if paths.runtime_problem:  # said once, at start-up; the CLI uses the same folder quietly
        print(f"{APP_NAME}: {paths.runtime_problem}", file=sys.stderr)
    if already_running(paths):
        print(f"{APP_NAME} is already running: its window is open now (or run: {_command()} status)")
        return 0
    no_display = missing_display(os.environ, sys.platform)
    if no_display:  # said once, before the log's console handler could repeat it
        print(f"{APP_NAME}: {no_display}", file=sys.stderr)
        return 2
    try:
        from PySide6.QtWidgets import QApplication, QSystemTrayIcon
    except ImportError as exc:  # a system library Qt links against is missing
        from unsit.runtime.qt_libraries import missing_library_message  # only then: the idle tray never needs it

        missing = missing_library_message(exc)
        if missing is None:
            raise
        print(f"{APP_NAME}: {missing}", file=sys.stderr)
        return 2
    setup_logging(paths.log_file, debug)
    log.info("%s %s starting", APP_NAME, __version__)

    app = QApplication(sys.argv[:1])
    name_application(app)
    app.setQuitOnLastWindowClosed(False)
    tray = show_tray_first(app)
    parts = build(app, paths, tray)
    if parts is None:
        return 0
    command = _command()
    print(started_line(QSystemTrayIcon.isSystemTrayAvailable(), command), flush=True)
    from PySide6.QtCore import QTimer

    from unsit.app.signal_watch import SignalWatch

    signal_watch = SignalWatch(app.quit)
    QTimer.singleShot(3000, release_start_up_memory)
    code = app.exec()
    shutdown(parts)
    signal_watch.close()  # a late SIGTERM neither writes to a closed socket nor calls a finished app
    log.info("%s stopped", APP_NAME)
    return code


def started_line(tray_ok: bool, command: str) -> str:
    """The one line a start from a terminal prints: Unsit runs, where its icon is, how to stop it."""
    if tray_ok:
        return _("{app} runs: its icon is in the system tray. Stop it with `{command} quit` or Ctrl+C.").format(
            app=APP_NAME, command=command)
    return _("{app} runs without a system tray: `{command} open` shows its window. "
             "Stop it with `{command} quit` or Ctrl+C.").format(app=APP_NAME, command=command)


def name_application(app: QApplication) -> None:
    """The name, desktop file and icon every window carries (KDE shows a generic icon without them)."""
    from unsit.ui.app_icon import app_icon

    app.setApplicationName(APP_ID)
    # No applicationDisplayName: Qt would append " — Unsit" to every window title.
    app.setDesktopFileName(DESKTOP_ID)  # Wayland's app id: the desktop finds the installed icon by it
    app.setWindowIcon(app_icon())  # X11 (_NET_WM_ICON), and a checkout with no desktop file installed


def _retranslate(tray: Any, windows: Any, controller: Any) -> None:
    """The language changed: the tray menu, the windows that are rebuilt, and a fresh status line."""
    tray.retranslate()
    windows.retranslate()
    controller.render()


def show_tray_first(app: QApplication) -> Tray:
    """Show the tray icon before anything else is built, and hand its dock request to the tray now.

    The icon is what tells the user Unsit started; the rest (settings, history job, D-Bus
    watchers, engine: about 200 ms) is built while the tray embeds it.
    """
    from unsit.ui.tray import Tray

    tray = Tray()
    tray.show()
    app.processEvents()  # sends the XEmbed dock request (and an SNI registration) at once
    return tray


def build(app: QApplication, paths: AppPaths, tray: Tray | None = None) -> dict[str, Any] | None:
    """Create and connect every part; None when another instance owns the socket.

    Args:
        tray: the tray icon already shown (``show_tray_first``); made here when None.
    """
    from PySide6.QtWidgets import QSystemTrayIcon

    from unsit.app.commands import CommandHandler
    from unsit.app.controller import Controller
    from unsit.app.ipc_server import InstanceServer
    from unsit.app.language import LanguageSwitcher
    from unsit.app.nudge_presenter import NudgePresenter
    from unsit.app.thread_relay import MessageRelay
    from unsit.app.wall_jobs import WallClockJobs
    from unsit.core.engine import Engine
    from unsit.platform.capture import pick_capture_watch
    from unsit.platform.capture.qt_signal import CallWatch
    from unsit.platform.clock import SystemClock
    from unsit.platform.clock_watch import ClockChangeWatcher
    from unsit.platform.idle import detect_idle_source
    from unsit.platform.instance_lock import LOCK_NAME
    from unsit.platform.notify import pick_fallback, pick_notifier, reminder_notifier_factory
    from unsit.platform.quiet_answers import DesktopQuiet, QuietAnswers
    from unsit.platform.session import SessionWatcher
    from unsit.platform.sni import SniWatch
    from unsit.runtime.resources import asset_path
    from unsit.store.history_recorder import restore_offer_answers, restore_posture
    from unsit.store.history_writer import HistoryWriter
    from unsit.store.library_shelf import LibraryShelf
    from unsit.store.settings_file import SettingsFile
    from unsit.store.settings_store import SettingsStore
    from unsit.store.told_notices import ToldNotices
    from unsit.ui.main_window import MainWindowOpener
    from unsit.ui.tray import Tray, TrayKind
    from unsit.ui.windows import Windows

    if tray is None:
        tray = Tray()

    clock = SystemClock()
    store = SettingsStore(SettingsFile(paths.settings_file))
    language = LanguageSwitcher(app)
    language.apply("")  # the system's language for the messages about the settings file ...
    first_launch = not paths.settings_file.exists()
    problems = store.load_initial()
    language.apply(store.settings.language)  # ... then the chosen one
    if paths.runtime_problem:
        problems = [*problems, _("Runtime folder: {problem}.").format(problem=paths.runtime_problem)]
    settings = store.settings
    idle = detect_idle_source()
    session = SessionWatcher()
    session.start()
    # Written on a thread of its own, read with SQL here (store/history_writer.py says why).
    writer = HistoryWriter(paths.history_db, spill_folders=(paths.config_dir, paths.log_dir))
    available, history_problem = writer.start(clock.now())
    history = writer if available else None
    if history_problem:
        problems = [*problems, history_problem]
    library = LibraryShelf(asset_path("drills"), asset_path("routines"), paths.user_drills_dir,
                           paths.user_routines_dir)
    drill_problems = library.load()
    tray.retranslate()  # built before the chosen language was applied
    sni = SniWatch()  # an SNI host shows the icon without a geometry: ask its watcher
    sni.start()
    tray_ok = QSystemTrayIcon.isSystemTrayAvailable()
    notifier = pick_notifier(tray.icon if tray_ok else None)
    presenter = NudgePresenter(notifier, settings.notification_style,
                               fallback=pick_fallback(notifier, tray.icon if tray_ok else None),
                               reminder_notifier=reminder_notifier_factory(notifier))
    wall_jobs = WallClockJobs()
    windows = Windows(library=library, clock=clock, settings_store=store, history=history)
    engine = Engine(settings, clock, idle_source=idle.name)
    restore_offer_answers(engine, history, clock.now())  # a restart on the same day does not offer again
    dnd = DesktopQuiet()  # made on the first question: a nudge due
    quiet = QuietAnswers(dnd.quiet_reasons, clock.monotonic)  # asked off the GUI thread: a tick never waits
    clock_watch = ClockChangeWatcher()  # a clock set wakes the wall-clock scheduler (no polling on Linux)
    calls = CallWatch(pick_capture_watch(clock.monotonic))  # a call holds the nudge (issue 13)
    calls.start()
    controller = Controller(engine=engine, clock=clock, idle_source=idle, session=session, presenter=presenter,
                            tray=tray, wall_jobs=wall_jobs, history=history, windows=windows,
                            quiet=quiet, clock_changes=clock_watch, calls=calls)
    quiet.answered.connect(controller.tick)
    controller.restore(restore_posture(engine, history, clock.now()))  # a restart while standing goes on

    def inform(title: str, body: str) -> None:
        log.warning("%s: %s", title, body)
        presenter.inform(title, body)

    main_window = MainWindowOpener(controller, windows, app.quit)
    if sys.platform == "darwin":  # opening Unsit.app again re-activates this process: show the window
        from unsit.platform.macos_reopen import open_window_on_reopen

        open_window_on_reopen(app, main_window.open)

    history_relay = MessageRelay(lambda message: notifier.inform(_("Unsit history"), message))
    if history is not None:  # told once per kind of trouble (disk full, read-only, damaged), from its thread
        history.on_problem = history_relay

    def status_extras() -> dict[str, Any]:
        window = windows.drill_window
        kind = tray.kind(sni.state.shows_icon)
        return {"version": __version__, "tray_available": QSystemTrayIcon.isSystemTrayAvailable(),
                "tray_embedded": kind is not TrayKind.NONE, "tray_kind": kind.value,
                **presenter.status(), **held_status(engine.status()), "call_watch": calls.name,
                "drill": window.describe() if window is not None else None}

    handler = CommandHandler(controller, status_extras, app.quit, windows,
                             on_activate=main_window.open)  # launched again: show the main window
    server = InstanceServer(paths.socket_path, handler, instance_lock=paths.data_dir / LOCK_NAME)
    parts = {"server": server, "controller": controller, "wall_jobs": wall_jobs, "session": session,
             "presenter": presenter, "tray": tray, "windows": windows, "history": history, "idle": idle,
             "store": store, "sni": sni, "language": language, "main_window": main_window, "dnd": dnd,
             "quiet": quiet, "history_relay": history_relay,
             "clock_watch": clock_watch, "calls": calls, "library": library}
    try:
        if not server.listen():
            print(_("{app} is already running").format(app=APP_NAME), file=sys.stderr)
            shutdown(parts)  # stop the session watcher, the SNI watch and the rest started above
            return None
    except OSError as exc:  # keep going: only the command line cannot reach this instance
        log.error("cannot open the command socket %s: %s", paths.socket_path, exc)
        problems = [*problems, _("`{command} status` and the other commands cannot reach this Unsit: "
                                 "{path} cannot be created ({reason}).").format(
            command=_command(), path=paths.socket_path, reason=exc.strerror or exc)]

    tray.drill_requested.connect(lambda: controller.start_drill())
    tray.set_routines(library.routine_titles())
    tray.routine_requested.connect(controller.start_routine)
    tray.snooze_requested.connect(controller.snooze)
    tray.skip_requested.connect(controller.skip)
    tray.standing_toggled.connect(controller.set_standing)
    tray.pause_requested.connect(controller.pause)
    tray.resume_requested.connect(controller.resume)
    tray.settings_requested.connect(windows.open_settings)
    tray.history_requested.connect(windows.open_history)
    windows.history_opened.connect(wall_jobs.ensure_started)  # its "today" turns over at the rollover
    tray.quit_requested.connect(app.quit)
    tray.open_requested.connect(main_window.open)
    tray.clicked.connect(main_window.icon_clicked)
    store.settings_changed.connect(controller.apply_settings)
    store.settings_problem.connect(lambda message: inform(_("Unsit settings"), message))
    login = StartAtLoginFollower(adopt_start_at_login(first_launch, settings.start_at_login),
                                 lambda on: sync_start_at_login(on, lambda message: inform(APP_NAME, message)))
    store.settings_changed.connect(lambda s: login.setting_is(s.start_at_login))
    store.settings_changed.connect(lambda s: language.apply(s.language))
    language.language_changed.connect(lambda _code: _retranslate(tray, windows, controller))
    language.language_changed.connect(lambda _code: tray.set_routines(library.routine_titles()))

    tray.show()
    controller.start()
    log.info("idle detection: %s; notifications: %s; tray: %s", idle.name, notifier.name,
             "yes" if tray_ok else "no")
    if idle.name == "none":
        inform(APP_NAME, _("Idle detection is not available on this desktop: Unsit cannot tell when you are away."))
    if not tray_ok:
        tell_no_tray_once(ToldNotices(paths.told_file), inform)
    if problems or drill_problems:
        inform(_("Unsit found a problem"), "\n".join([*problems, *drill_problems]))
    if login.current != settings.start_at_login:  # an adopted entry: the settings file says so from now on
        store.update(replace(settings, start_at_login=True))
    return parts


def tell_no_tray_once(notices: Any, inform: Callable[[str, str], None]) -> None:
    """Say on the first start without a tray that Unsit runs anyway; later starts only log it (once)."""
    if notices.first_time("no-tray"):
        inform(APP_NAME, _("No system tray was found. Unsit keeps counting and will still nudge you; "
                           "start Unsit again from your applications menu to open its window."))
    else:
        log.info("no system tray (the user was told on an earlier start): the main window opens when "
                 "Unsit is started again")


def held_status(status: Status) -> dict[str, Any]:
    """``holding_nudge``, ``held_because``, ``in_call`` and ``call_seconds`` for ``unsit status --json``."""
    return {"holding_nudge": status.holding_nudge,
            "held_because": sorted(reason.value for reason in status.held_because),
            "in_call": status.in_call,
            "call_seconds": None if status.call_seconds is None else int(status.call_seconds)}


def release_start_up_memory() -> None:
    """Hand the heap that start-up used and freed back to the OS (see ``runtime.memory``)."""
    from unsit.runtime.memory import release_freed_memory

    release_freed_memory()


def shutdown(parts: dict[str, Any]) -> None:
    """Stop timers and threads, close the notification, the socket and the database."""
    parts["controller"].stop()
    parts["windows"].close_all()
    parts["main_window"].close()
    parts["sni"].close()
    if parts["history"] is not None:  # before the notifier closes: events the disk refused are told about
        unsaved = parts["history"].close()
        if unsaved:
            print(f"{APP_NAME}: {unsaved}", file=sys.stderr)
            parts["presenter"].inform(_("Unsit history"), unsaved)
    parts["presenter"].close()
    parts["wall_jobs"].shutdown()
    parts["session"].stop()
    parts["server"].close()
    parts["tray"].hide()
    parts["idle"].close()
    parts["quiet"].close()  # waits (bounded) for a question under way before its connections close
    parts["dnd"].close()
    parts["clock_watch"].close()
    parts["calls"].close()
