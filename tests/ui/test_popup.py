"""NudgePopup on the real X server of the test session."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from unsit.platform.notify.base import Nudge
from unsit.ui.popup import NudgePopup

pytestmark = pytest.mark.desktop

NUDGE = Nudge("Time to unsit", "You have been sitting for 1 h 02 min. A 2-minute hip drill?", 10)


@pytest.fixture
def typing_window(qtbot):
    """An ordinary window the user is typing into, active before the popup appears."""
    window = QWidget()
    window.setWindowTitle("Unsit test: editor")
    editor = QLineEdit(window)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    editor.setFocus()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.editor = editor
    return window


@pytest.fixture
def popup(qtbot):
    p = NudgePopup()
    qtbot.addWidget(p)
    return p


def test_shows_without_taking_focus(popup, typing_window, qtbot):
    popup.show_nudge(NUDGE)
    qtbot.waitExposed(popup)
    assert popup.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus
    assert popup.windowHandle().flags() & Qt.WindowType.WindowDoesNotAcceptFocus
    assert popup.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    assert popup.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert popup.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert popup.windowType() == Qt.WindowType.Tool
    # Typing goes on where it was: the editor's window stays active and keeps the focus.
    qtbot.keyClicks(typing_window.editor, "abc")
    assert QApplication.activeWindow() is typing_window
    assert QApplication.focusWidget() is typing_window.editor
    assert typing_window.editor.text() == "abc"
    assert not popup.isActiveWindow()


def test_x11_hints_tell_the_window_manager_not_to_focus_it(popup, desktop, qtbot):
    popup.show_nudge(NUDGE)
    qtbot.waitExposed(popup)
    hints = desktop.run("xprop", "-id", hex(int(popup.winId())), "WM_HINTS").stdout
    assert "Client accepts input or input focus: False" in hints


def test_texts_title_and_accessible_names(popup, qtbot):
    popup.show_nudge(NUDGE)
    drill, snooze, skip = popup.buttons
    assert popup.windowTitle() == "Unsit — Time to unsit"
    assert [b.text().replace("&", "") for b in popup.buttons] == ["Start drill", "Snooze 10 min", "Skip"]
    assert [b.accessibleName() for b in popup.buttons] == ["Start drill", "Snooze 10 minutes", "Skip this nudge"]
    assert all(b.accessibleDescription() for b in popup.buttons)
    assert popup.accessibleName() == "Unsit nudge"
    assert popup.accessibleDescription() == NUDGE.body
    assert "&" in drill.text() and "&" in snooze.text() and "&" in skip.text()  # Alt shortcuts


@pytest.mark.parametrize(("index", "signal_name"), [(0, "drill_requested"), (1, "snooze_requested"),
                                                     (2, "skip_requested")])
def test_buttons_emit_their_signal_and_hide(popup, qtbot, index, signal_name):
    popup.show_nudge(NUDGE)
    qtbot.waitExposed(popup)
    with qtbot.waitSignal(getattr(popup, signal_name), timeout=2000):
        qtbot.mouseClick(popup.buttons[index], Qt.MouseButton.LeftButton)
    assert not popup.isVisible()


def test_placed_in_the_bottom_right_corner_of_the_available_area(popup, qtbot):
    popup.show_nudge(NUDGE)
    qtbot.waitExposed(popup)
    area = QGuiApplication.primaryScreen().availableGeometry()
    frame = popup.frameGeometry()
    assert area.contains(frame)
    assert area.right() - frame.right() <= 32
    assert area.bottom() - frame.bottom() <= 32
    assert frame.left() > area.center().x() and frame.top() > area.center().y()


def test_clicking_into_it_enables_the_keyboard(popup, typing_window, qtbot):
    popup.show_nudge(NUDGE)
    qtbot.waitExposed(popup)
    qtbot.mouseClick(popup, Qt.MouseButton.LeftButton)  # on the card, not on a button
    qtbot.waitUntil(lambda: QApplication.activeWindow() is popup)
    assert popup.isVisible()
    assert not popup.windowHandle().flags() & Qt.WindowType.WindowDoesNotAcceptFocus
    assert popup.focusWidget() is popup.buttons[0]
    with qtbot.waitSignal(popup.snooze_requested, timeout=2000):
        qtbot.keyClick(popup, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)


def test_enter_starts_the_drill_and_escape_dismisses(popup, qtbot):
    popup.show_nudge(NUDGE)
    qtbot.waitExposed(popup)
    popup.accept_keyboard()
    with qtbot.waitSignal(popup.drill_requested, timeout=2000):
        qtbot.keyClick(popup, Qt.Key.Key_Return)
    popup.show_nudge(NUDGE)
    assert popup.windowHandle().flags() & Qt.WindowType.WindowDoesNotAcceptFocus  # no focus again
    with qtbot.waitSignal(popup.dismissed, timeout=2000):
        qtbot.keyClick(popup, Qt.Key.Key_Escape)
    assert not popup.isVisible()


def test_withdraw_hides_without_signals(popup, qtbot):
    seen = []
    for name in ("drill_requested", "snooze_requested", "skip_requested", "dismissed"):
        getattr(popup, name).connect(lambda name=name: seen.append(name))
    popup.show_nudge(NUDGE)
    qtbot.waitExposed(popup)
    popup.withdraw()
    assert not popup.isVisible()
    assert seen == []


def _line_ends(label, width: int) -> list[str]:
    from PySide6.QtGui import QTextLayout, QTextOption

    layout = QTextLayout(label.text(), label.font())
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    layout.beginLayout()
    ends = []
    while (line := layout.createLine()).isValid():
        line.setLineWidth(width)
        ends.append(label.text()[line.textStart():line.textStart() + line.textLength()].rstrip())
    layout.endLayout()
    return ends


def test_the_body_never_breaks_at_a_hyphen(popup, qtbot):
    popup.show_nudge(Nudge("Time to unsit", "You sat through a 52-minute call. Stand up for a hip drill "
                                            "(about 2 min)? A well-known, two-sided, hip-opening drill.", 10))
    body = popup._body
    assert "52\u2011minute" in body.text() and "-" not in body.text()
    for width in range(60, 420, 3):
        assert not any(end.endswith(("-", "\u2011")) for end in _line_ends(body, width)), width
    assert popup.accessibleDescription().count("-") == 4  # screen readers get the plain text
