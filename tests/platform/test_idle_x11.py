import pytest

from unsit.platform.idle.base import IdleSourceUnavailable
from unsit.platform.idle.x11 import X11IdleSource

pytestmark = pytest.mark.desktop


@pytest.fixture
def x11_source(desktop):
    source = X11IdleSource.open(desktop.display)
    yield source
    source.close()


def _grows_past(source: X11IdleSource, seconds: float):
    def check() -> None:
        idle = source.idle_seconds()
        assert idle is not None and idle > seconds

    return check


def test_idle_grows_while_nothing_happens(x11_source, desktop, qtbot):
    desktop.run("xdotool", "mousemove", "10", "10")
    first = x11_source.idle_seconds()
    assert first is not None and first >= 0
    qtbot.waitUntil(_grows_past(x11_source, first + 0.2), timeout=5000)


def test_mouse_motion_resets_idle(x11_source, desktop, qtbot):
    desktop.run("xdotool", "mousemove", "20", "20")
    qtbot.waitUntil(_grows_past(x11_source, 0.5), timeout=5000)
    desktop.run("xdotool", "mousemove", "300", "200")
    idle = x11_source.idle_seconds()
    assert idle is not None and idle < 0.5


def test_key_press_resets_idle(x11_source, desktop, qtbot):
    desktop.run("xdotool", "mousemove", "30", "30")
    qtbot.waitUntil(_grows_past(x11_source, 0.5), timeout=5000)
    desktop.run("xdotool", "key", "shift")
    idle = x11_source.idle_seconds()
    assert idle is not None and idle < 0.5


def test_queries_reuse_one_display_connection(x11_source):
    display = x11_source._display
    for _ in range(50):
        assert x11_source.idle_seconds() is not None
    assert x11_source._display == display


def test_close_is_idempotent_and_stops_answers(desktop):
    source = X11IdleSource.open(desktop.display)
    source.close()
    source.close()
    assert source.idle_seconds() is None


def test_unreachable_display_is_unavailable():
    with pytest.raises(IdleSourceUnavailable):
        X11IdleSource.open(":4321")
    with pytest.raises(IdleSourceUnavailable):
        X11IdleSource.open(None)
