"""The main window (the way in without a tray): live status, buttons that reach the controller."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.fakes_ui import FakeHistory, FakeIdle, FakeJobs, FakePresenter, FakeSession, FakeTray, FakeWindows
from unsit.app.controller import Controller
from unsit.core.engine import Engine
from unsit.core.events import Phase
from unsit.core.settings import Settings
from unsit.ui.main_window import MainWindowOpener
from unsit.ui.main_window_view import MainWindow
from unsit.ui.tray import TrayKind, tray_kind


class RecordingWindows(FakeWindows):
    def __init__(self):
        super().__init__()
        self.settings_opened = 0
        self.history_opened = 0

    def open_settings(self):
        self.settings_opened += 1

    def open_history(self):
        self.history_opened += 1


@pytest.fixture
def rig(qapp, fake_clock):
    windows = RecordingWindows()
    engine = Engine(Settings(interval_minutes=10, snooze_minutes=5), fake_clock, idle_source="fake")
    idle = FakeIdle()
    controller = Controller(engine=engine, clock=fake_clock, idle_source=idle, session=FakeSession(),
                            presenter=FakePresenter(), tray=FakeTray(), wall_jobs=FakeJobs(),
                            history=FakeHistory(), windows=windows)
    controller.refresh_work_hours()
    quits = []
    opener = MainWindowOpener(controller, windows, lambda: quits.append(True))

    def sit(seconds: float) -> None:
        for _ in range(int(seconds // 5)):
            fake_clock.advance(5)
            idle.value = 1.0
            controller.tick()

    yield controller, windows, opener, quits, sit
    opener.close()


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_opens_once_titled_unsit_and_follows_the_streak_live(rig, qtbot):
    _controller, _windows, opener, _quits, sit = rig
    assert opener.window is None  # built on first use only
    opener.open()
    window = opener.window
    qtbot.waitExposed(window)
    assert window.windowTitle() == "Unsit"
    sit(3 * 60)
    assert window.status_label.text().startswith("Sitting for 3 min")
    assert "next nudge in 7 min" in window.status_label.text()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isVisible()
    opener.open()
    assert opener.window is window and window.isVisible()  # shown again, not a second one


def test_snooze_and_skip_show_only_while_a_nudge_is_due_and_answer_it(rig, qtbot):
    controller, _windows, opener, _quits, sit = rig
    opener.open()
    window = opener.window
    assert not window.snooze_button.isVisible() and not window.skip_button.isVisible()
    sit(10 * 60 + 5)
    assert controller.engine.status().phase is Phase.NUDGE_DUE
    assert window.snooze_button.isVisible() and window.skip_button.isVisible()
    assert "5 min" in window.snooze_button.text()
    click(qtbot, window.snooze_button)
    assert controller.engine.status().phase is Phase.SNOOZED
    click(qtbot, window.skip_button)
    assert controller.engine.status().phase is Phase.SKIPPED
    assert not window.skip_button.isVisible()


def test_pause_and_resume_swap_places_and_reach_the_engine(rig, qtbot):
    controller, _windows, opener, _quits, _sit = rig
    opener.open()
    window = opener.window
    click(qtbot, window.pause_buttons[1])  # 1 hour
    status = controller.engine.status()
    assert status.phase is Phase.PAUSED
    assert status.paused_until is not None
    assert window.status_label.text().startswith("Paused until")
    assert window.resume_button.isVisible() and not any(b.isVisible() for b in window.pause_buttons)
    click(qtbot, window.resume_button)
    assert controller.engine.status().phase is not Phase.PAUSED
    click(qtbot, window.pause_buttons[2])  # until tomorrow
    assert controller.engine.status().paused_until.hour == 4


def test_a_left_click_on_the_icon_starts_a_due_drill_and_otherwise_opens_the_window(rig, qtbot):
    controller, windows, opener, _quits, sit = rig
    opener.icon_clicked()
    assert opener.window is not None and opener.window.isVisible()
    assert windows.opened == []
    opener.window.close()
    sit(10 * 60 + 5)
    opener.icon_clicked()
    assert windows.opened == [None]
    assert controller.engine.status().phase is Phase.IN_DRILL
    assert not opener.window.isVisible()


def test_drill_settings_history_and_quit_buttons(rig, qtbot):
    controller, windows, opener, quits, _sit = rig
    opener.open()
    window = opener.window
    click(qtbot, window.drill_button)
    assert windows.opened == [None]
    assert controller.engine.status().phase is Phase.IN_DRILL
    click(qtbot, window.settings_button)
    click(qtbot, window.history_button)
    assert (windows.settings_opened, windows.history_opened) == (1, 1)
    click(qtbot, window.quit_button)
    assert quits == [True]


def test_the_window_keeps_one_fixed_size_so_tiling_managers_float_it(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.present()
    qtbot.waitExposed(window)
    assert window.minimumSize() == window.maximumSize() == window.size()
    assert window.windowType() == Qt.WindowType.Dialog
    assert window.width() < 600 and window.height() < 300


@pytest.mark.parametrize(("visible", "empty", "sni", "kind"), [
    (False, True, False, TrayKind.NONE),
    (False, True, True, TrayKind.NONE),  # hidden icon: nobody shows it
    (True, False, False, TrayKind.XEMBED),
    (True, True, True, TrayKind.SNI),
    (True, True, False, TrayKind.NONE),  # Qt made an icon, no tray embedded it, no SNI host
])
def test_tray_kind(visible, empty, sni, kind):
    assert tray_kind(icon_visible=visible, geometry_empty=empty, sni_shows_icon=sni) is kind


def test_the_routine_button_offers_every_routine_and_plays_the_one_picked(rig, qtbot):
    controller, windows, opener, _quits, _sit = rig
    opener.open()
    window = opener.window
    assert window.routine_button.isVisible()
    actions = window.routine_button.menu().actions()
    assert [(a.data(), a.text()) for a in actions] == [("morning", "Morning hip routine"),
                                                       ("warm-up", "Warm-up before a walk or run")]
    actions[1].trigger()
    assert windows.routines_opened == ["warm-up"]
    assert controller.engine.status().phase is Phase.IN_DRILL


def test_the_tray_has_a_routines_submenu_only_when_there_are_routines(qtbot):
    from unsit.ui.tray import Tray

    tray = Tray()
    assert not tray._routines_menu.menuAction().isVisible()
    tray.set_routines([("morning", "Morning hip routine"), ("warm-up", "Warm-up")])
    assert tray._routines_menu.menuAction().isVisible()
    with qtbot.waitSignal(tray.routine_requested) as blocker:
        tray._routines_menu.actions()[1].trigger()
    assert blocker.args == ["warm-up"]
    tray.set_routines([])
    assert not tray._routines_menu.menuAction().isVisible()


def test_the_tray_menu_offers_skip_while_a_nudge_is_due(qapp, fake_clock):
    from unsit.ui.tray import Tray

    tray = Tray()
    idle = FakeIdle()
    engine = Engine(Settings(interval_minutes=10, snooze_minutes=5), fake_clock, idle_source="fake")
    controller = Controller(engine=engine, clock=fake_clock, idle_source=idle, session=FakeSession(),
                            presenter=FakePresenter(), tray=tray, wall_jobs=FakeJobs(),
                            history=FakeHistory(), windows=FakeWindows())
    controller.refresh_work_hours()
    tray.skip_requested.connect(controller.skip)
    controller.render()
    assert not tray._skip_action.isVisible()
    for _ in range(10 * 12 + 1):
        fake_clock.advance(5)
        idle.value = 1.0
        controller.tick()
    assert engine.status().phase is Phase.NUDGE_DUE
    assert tray._skip_action.isVisible() and tray._skip_action.text() == "Skip this nudge"
    tray._skip_action.trigger()
    assert engine.status().phase is Phase.SKIPPED
    assert not tray._skip_action.isVisible()


def test_start_drill_while_a_drill_runs_shows_the_running_drill_instead(rig, qtbot):
    controller, windows, opener, _quits, _sit = rig
    opener.open()
    window = opener.window
    qtbot.waitExposed(window)
    click(qtbot, window.drill_button)
    assert windows.opened == [None]
    assert controller.engine.status().phase is Phase.IN_DRILL
    assert window.drill_button.text().replace("&", "") == "Show the drill"
    assert not window.routine_button.isEnabled()
    click(qtbot, window.drill_button)
    assert windows.opened == [None] and windows.shown_running == 1  # raised, no second drill asked for
    windows.drill_finished.emit("standing-hip-circles", 120.0)
    assert window.drill_button.text().replace("&", "") == "Start drill"
    assert window.routine_button.isEnabled()


def test_show_running_drill_raises_the_open_drill_window(qtbot, fake_clock):
    from unsit.core.settings import Settings as AppSettings
    from unsit.runtime.resources import asset_path
    from unsit.store.drill_library import load_library
    from unsit.ui.windows import Windows

    drills, _messages = load_library(asset_path("drills"), None)
    windows = Windows(drills=drills, clock=fake_clock)
    assert windows.show_running_drill() is False
    windows.open_drill(None, AppSettings())
    drill_window = windows.drill_window
    qtbot.waitExposed(drill_window)
    drill_window.hide()
    assert windows.show_running_drill() is True
    assert drill_window.isVisible()
    drill_window.close()


def test_the_standing_check_box_sets_the_posture_and_follows_it(rig, qtbot):
    controller, _windows, opener, _quits, sit = rig
    opener.open()
    window = opener.window
    sit(60)
    assert not window.standing_check.isChecked()
    assert window.standing_check.isVisible() and window.standing_check.isEnabled()
    window.standing_check.click()  # as a mouse click or its mnemonic does
    status = controller.engine.status()
    assert status.standing and status.phase is Phase.STANDING
    assert window.standing_check.isChecked()
    assert window.status_label.text().startswith("Standing for")
    controller.sit()  # e.g. `unsit sit` from a desk script: the box follows
    assert not window.standing_check.isChecked()


def test_the_trays_standing_item_reaches_the_controller_and_the_icon_shows_standing(qapp, fake_clock):
    from unsit.ui.tray import Tray
    from unsit.ui.tray_art import TrayLook

    tray = Tray()
    engine = Engine(Settings(), fake_clock, idle_source="fake")
    controller = Controller(engine=engine, clock=fake_clock, idle_source=FakeIdle(), session=FakeSession(),
                            presenter=FakePresenter(), tray=tray, wall_jobs=FakeJobs(),
                            history=FakeHistory(), windows=FakeWindows())
    tray.standing_toggled.connect(controller.set_standing)
    controller.render()
    assert tray._standing_action.isCheckable() and not tray._standing_action.isChecked()
    tray._standing_action.trigger()
    assert engine.status().standing and tray._standing_action.isChecked()
    assert tray._drawn == (TrayLook.STANDING, 0.0)
    assert "Standing for" in tray.icon.toolTip()
    tray._standing_action.trigger()
    assert not engine.status().standing and tray._drawn[0] is TrayLook.PROGRESS
