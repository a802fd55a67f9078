import itertools
import logging
import threading

import pytest
from jeepney import HeaderFields
from PySide6.QtCore import QCoreApplication, Qt

from tests.platform.spoofing_client import Spoofer
from tests.platform.test_idle_detect import FakeDBusService, answer
from unsit.platform.session import LOG_LINES, LogBudget, SessionWatcher

pytestmark = pytest.mark.desktop

FDO = "org.freedesktop.ScreenSaver"
FDO_PATH = "/org/freedesktop/ScreenSaver"
GNOME = "org.gnome.ScreenSaver"
GNOME_PATH = "/org/gnome/ScreenSaver"
LOGIND = "org.freedesktop.login1"
LOGIND_MANAGER = "org.freedesktop.login1.Manager"


def _bus_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("unsit-") and t.name.endswith("-bus")]


@pytest.fixture
def session_address(desktop):
    return desktop.env["DBUS_SESSION_BUS_ADDRESS"]


@pytest.fixture
def make_watcher(qtbot):
    watchers = []

    def make(**buses) -> SessionWatcher:
        watcher = SessionWatcher(**buses)
        watchers.append(watcher)
        return watcher

    yield make
    for watcher in watchers:
        watcher.stop()


def _wait_listening(qtbot, service: FakeDBusService) -> None:
    # The watcher reads GetActive right after adding its match rules: once that call
    # reached the fake, signals emitted from now on are delivered.
    qtbot.waitUntil(lambda: any(call[2] == "GetActive" for call in service.calls), timeout=5000)


def test_active_changed_reports_lock_and_unlock(qtbot, make_watcher, session_address, tmp_path):
    handlers = {(FDO_PATH, FDO, "GetActive"): answer("b", False)}
    with FakeDBusService(FDO, handlers) as service:
        watcher = make_watcher(system_bus=f"unix:path={tmp_path / 'no-system-bus'}")
        watcher.start()
        _wait_listening(qtbot, service)
        assert watcher.locked is False
        delivered_in = []
        watcher.locked_changed.connect(
            lambda _: delivered_in.append(threading.current_thread()), Qt.ConnectionType.DirectConnection)

        with qtbot.waitSignal(watcher.locked_changed, timeout=5000) as locked:
            service.emit(FDO_PATH, FDO, "ActiveChanged", "b", (True,))
        assert locked.args == [True]
        assert delivered_in == [threading.main_thread()]  # queued into the GUI thread
        assert watcher.locked is True

        with qtbot.waitSignal(watcher.locked_changed, timeout=5000) as unlocked:
            service.emit(FDO_PATH, FDO, "ActiveChanged", "b", (False,))
        assert unlocked.args == [False]
        assert watcher.locked is False


def test_repeated_state_is_reported_once(qtbot, make_watcher, session_address, tmp_path):
    # KDE sends ActiveChanged on two paths; GNOME may send it on both interfaces.
    with FakeDBusService(GNOME, {(GNOME_PATH, GNOME, "GetActive"): answer("b", False)}) as service:
        watcher = make_watcher(system_bus=f"unix:path={tmp_path / 'none'}")
        seen = []
        watcher.locked_changed.connect(seen.append)
        watcher.start()
        _wait_listening(qtbot, service)
        service.emit(GNOME_PATH, GNOME, "ActiveChanged", "b", (True,))
        qtbot.waitUntil(lambda: seen == [True], timeout=5000)
        service.emit("/ScreenSaver", GNOME, "ActiveChanged", "b", (True,))
        service.emit(GNOME_PATH, GNOME, "ActiveChanged", "b", (False,))
        qtbot.waitUntil(lambda: seen == [True, False], timeout=5000)


def test_reads_the_lock_state_at_start(qtbot, make_watcher, tmp_path):
    with FakeDBusService(GNOME, {(GNOME_PATH, GNOME, "GetActive"): answer("b", True)}):
        watcher = make_watcher(system_bus=f"unix:path={tmp_path / 'none'}")
        with qtbot.waitSignal(watcher.locked_changed, timeout=5000) as locked:
            watcher.start()
        assert locked.args == [True]
        assert watcher.locked is True


def test_prepare_for_sleep_reports_sleep_and_resume(qtbot, make_watcher, session_address, tmp_path):
    # No real logind here: a fake login1 on the test bus stands in for the system bus.
    saver_answers = {(FDO_PATH, FDO, "GetActive"): answer("b", False)}
    with FakeDBusService(LOGIND, {}) as logind, FakeDBusService(FDO, saver_answers) as saver:
        watcher = make_watcher(system_bus=session_address)
        watcher.start()
        _wait_listening(qtbot, saver)
        # The system listener has no call to wait on: retry the first signal until heard.
        heard = []
        watcher.sleep_started.connect(lambda: heard.append("sleep"))
        watcher.resumed.connect(lambda: heard.append("resume"))

        def sleep_heard() -> None:
            if not heard:
                logind.emit("/org/freedesktop/login1", LOGIND_MANAGER, "PrepareForSleep", "b", (True,))
            assert heard and heard[0] == "sleep"

        qtbot.waitUntil(sleep_heard, timeout=5000)
        with qtbot.waitSignal(watcher.resumed, timeout=5000):
            logind.emit("/org/freedesktop/login1", LOGIND_MANAGER, "PrepareForSleep", "b", (False,))
        assert "resume" in heard


def test_missing_buses_do_not_raise(qtbot, make_watcher, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="unsit.platform.session")
    watcher = make_watcher(session_bus=f"unix:path={tmp_path / 'no-session-bus'}",
                           system_bus=f"unix:path={tmp_path / 'no-system-bus'}")
    watcher.start()
    qtbot.waitUntil(lambda: not watcher.running, timeout=5000)
    assert "no session D-Bus" in caplog.text
    assert "no system D-Bus" in caplog.text
    levels = {record.getMessage().split(" (")[0]: record.levelno for record in caplog.records}
    assert levels == {"no session D-Bus": logging.WARNING, "no system D-Bus": logging.INFO}  # containers lack it
    assert watcher.locked is False


def test_missing_system_bus_keeps_lock_events(qtbot, make_watcher, monkeypatch, tmp_path):
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", f"unix:path={tmp_path / 'no-system-bus'}")
    with FakeDBusService(FDO, {(FDO_PATH, FDO, "GetActive"): answer("b", False)}) as service:
        watcher = make_watcher()
        watcher.start()
        _wait_listening(qtbot, service)
        with qtbot.waitSignal(watcher.locked_changed, timeout=5000):
            service.emit(FDO_PATH, FDO, "ActiveChanged", "b", (True,))


def test_unset_session_bus_variable_does_not_raise(qtbot, make_watcher, monkeypatch, tmp_path):
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS")
    watcher = make_watcher(system_bus=f"unix:path={tmp_path / 'none'}")
    watcher.start()
    qtbot.waitUntil(lambda: not watcher.running, timeout=5000)


def test_stop_ends_the_threads_promptly(qtbot, session_address, tmp_path):
    with FakeDBusService(FDO, {(FDO_PATH, FDO, "GetActive"): answer("b", False)}) as service:
        watcher = SessionWatcher(system_bus=session_address)
        watcher.start()
        _wait_listening(qtbot, service)
        assert watcher.running
        assert len(_bus_threads()) == 2
        watcher.stop()  # joins: returns once the blocked receives were woken
        assert not watcher.running
        assert _bus_threads() == []
        watcher.start()  # and it can start again
        assert watcher.running
        watcher.stop()
        assert _bus_threads() == []


def _session_listener_name(watcher: SessionWatcher) -> str:
    return str(watcher._listeners[0]._connection.unique_name)


def test_active_changed_from_anyone_but_the_owner_is_ignored(qtbot, make_watcher, session_address, tmp_path):
    # Issue 21 item 6: any client could fake a lock and end the streak.
    with FakeDBusService(FDO, {(FDO_PATH, FDO, "GetActive"): answer("b", False)}) as service, \
            Spoofer(session_address) as spoofer:
        watcher = make_watcher(system_bus=f"unix:path={tmp_path / 'none'}")
        seen: list[bool] = []
        watcher.locked_changed.connect(seen.append)
        handled: list[tuple[str, tuple]] = []  # (sender, body) of each signal the listener thread handled
        handle = watcher._lock_signals_received

        def recording(connection, messages) -> None:
            handle(connection, messages)
            handled.extend((str(m.header.fields.get(HeaderFields.sender)), m.body) for m in messages)

        watcher._lock_signals_received = recording  # type: ignore[method-assign]
        watcher.start()
        _wait_listening(qtbot, service)
        ours = _session_listener_name(watcher)
        owner = str(service._connection.unique_name)
        spoofer.emit(FDO_PATH, FDO, "ActiveChanged", "b", (True,))  # broadcast
        spoofer.emit(FDO_PATH, FDO, "ActiveChanged", "b", (True,), destination=ours)  # straight to us
        # A fake "the spoofer owns the name now", then its signal: neither believed.
        spoofer.emit("/org/freedesktop/DBus", "org.freedesktop.DBus", "NameOwnerChanged", "sss",
                     (FDO, owner, str(spoofer.connection.unique_name)), destination=ours)
        spoofer.emit(FDO_PATH, FDO, "ActiveChanged", "b", (True,), destination=ours)
        service.emit(FDO_PATH, FDO, "ActiveChanged", "b", (False,))
        service.emit(FDO_PATH, FDO, "ActiveChanged", "b", (True,))
        qtbot.waitUntil(lambda: (owner, (True,)) in handled, timeout=5000)
        QCoreApplication.processEvents()  # what the listener handed over so far
        assert seen == [True]  # only the owner's lock: no fake lock before it, no unlock between


def test_a_new_owner_of_the_name_is_believed(qtbot, make_watcher, session_address, tmp_path):
    saver = {(FDO_PATH, FDO, "GetActive"): answer("b", False)}
    watcher = make_watcher(system_bus=f"unix:path={tmp_path / 'none'}")
    with FakeDBusService(FDO, saver) as first:
        watcher.start()
        _wait_listening(qtbot, first)
    with FakeDBusService(FDO, saver) as second:  # the screen locker restarted: another connection
        with qtbot.waitSignal(watcher.locked_changed, timeout=5000) as heard:
            second.emit(FDO_PATH, FDO, "ActiveChanged", "b", (True,))
        assert heard.args == [True]


def test_a_burst_is_folded_into_its_latest_state_and_the_log_stays_short(
        qtbot, make_watcher, session_address, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="unsit.platform.session")
    with FakeDBusService(FDO, {(FDO_PATH, FDO, "GetActive"): answer("b", False)}) as service:
        watcher = make_watcher(system_bus=f"unix:path={tmp_path / 'none'}")
        seen: list[bool] = []
        watcher.locked_changed.connect(seen.append)
        watcher.start()
        _wait_listening(qtbot, service)
        for n in range(2001):
            service.emit(FDO_PATH, FDO, "ActiveChanged", "b", (n % 2 == 0,))  # ends on True
        qtbot.waitUntil(lambda: watcher.locked is True and watcher._lock_pending is None, timeout=10_000)
    lines = [r for r in caplog.records if r.getMessage().startswith("session ")]
    assert len(lines) <= LOG_LINES
    assert seen and seen[-1] is True
    assert all(a != b for a, b in itertools.pairwise(seen))  # each one a real change


def test_log_budget_allows_a_few_lines_a_minute_and_counts_the_rest():
    now = [0.0]
    budget = LogBudget(lines=2, window_seconds=60.0, monotonic=lambda: now[0])
    assert [budget.take() for _ in range(5)] == [0, 0, None, None, None]
    now[0] = 61.0
    assert [budget.take() for _ in range(3)] == [3, 0, None]  # the next line says three were left out
