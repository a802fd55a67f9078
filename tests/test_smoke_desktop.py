import pytest

pytestmark = pytest.mark.desktop


def test_desktop_parts_answer(desktop, qapp):
    from PySide6.QtWidgets import QSystemTrayIcon

    assert desktop.run("xdotool", "getmouselocation").returncode == 0
    assert desktop.dunst.count() == 0
    assert QSystemTrayIcon.isSystemTrayAvailable()
