"""The tray icon images: every size painted, looks distinct, progress visible."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from unsit.ui.tray_art import ICON_SIZES, TrayLook, make_icon, quantise, render_pixmap


def _counts(pixmap):
    image = pixmap.toImage()
    opaque = accent = 0
    for y in range(image.height()):
        for x in range(image.width()):
            c = QColor(image.pixel(x, y))
            a = QColor.fromRgba(image.pixel(x, y)).alpha()
            if a > 40:
                opaque += 1
                if c.red() > 180 and 70 < c.green() < 150 and c.blue() < 110:
                    accent += 1
    return opaque, accent


@pytest.mark.parametrize("size", ICON_SIZES)
@pytest.mark.parametrize("ratio", [1.0, 2.0])
def test_every_size_is_painted_at_full_resolution(qapp, size, ratio):
    pixmap = render_pixmap(size, TrayLook.PROGRESS, 0.5, ratio)
    assert pixmap.width() == round(size * ratio)
    opaque, accent = _counts(pixmap)
    assert opaque > (size * ratio) ** 2 * 0.15
    assert accent > 0


def test_progress_grows_with_the_streak(qapp):
    counts = [_counts(render_pixmap(32, TrayLook.PROGRESS, f))[1] for f in (0.1, 0.5, 0.9)]
    assert counts[0] < counts[1] < counts[2]


def test_looks_are_distinct(qapp):
    images = {look: render_pixmap(32, look, 0.5).toImage() for look in TrayLook}
    assert len({img.bits().tobytes() if hasattr(img.bits(), "tobytes") else bytes(img.constBits())
                for img in images.values()}) == len(TrayLook)
    assert _counts(render_pixmap(32, TrayLook.DUE, 0))[1] > _counts(render_pixmap(32, TrayLook.PROGRESS, 0.99))[1]


def test_icon_holds_all_sizes(qapp):
    icon = make_icon(TrayLook.PAUSED, 0)
    assert {s.width() for s in icon.availableSizes()} >= set(ICON_SIZES)


def test_quantise_limits_repaints():
    assert quantise(0.5001) == quantise(0.5002)
    assert quantise(-1) == 0 and quantise(2) == 1
