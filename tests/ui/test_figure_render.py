"""Every keyframe of every built-in drill, drawn on light and dark at 1x and 2x: never empty,
never clipped, the working leg accented, and the SVG export readable."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from unsit.core.pose import Hands, Pose, Prop, View, desk_x_for
from unsit.store.drill_library import load_library
from unsit.ui.figure_view import ACCENT, Colours, Scene, export_svg, paint_scene

ASSETS = Path(__file__).resolve().parents[2] / "assets"
SIDE_PX = 240
THEMES = {"light": (QColor("#2B2F36"), QColor("#FFFFFF")), "dark": (QColor("#E6E6E6"), QColor("#1E1F22"))}
MIN_INK_SHARE = 0.04
"""A person at 240 px covers well over 4% of the square; a floor line or a stray dot does not."""
MIN_ACCENT_PX = 300


def render(scene: Scene, theme: str, dpr: float) -> QImage:
    ink, background = THEMES[theme]
    image = QImage(round(SIDE_PX * dpr), round(SIDE_PX * dpr), QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(dpr)
    image.fill(background)
    painter = QPainter(image)
    paint_scene(painter, QRectF(0, 0, SIDE_PX, SIDE_PX), scene, Colours.for_colours(ink, background))
    painter.end()
    return image


def ink_stats(image: QImage, background: QColor) -> tuple[int, int, int]:
    """(pixels differing from the background, of them on the outermost ring, accent-like pixels)."""
    bg = background.rgb()
    accent = QColor(ACCENT)
    ink = edge = accented = 0
    w, h = image.width(), image.height()
    for y in range(h):
        for x in range(w):
            pixel = image.pixel(x, y)
            if pixel == bg:
                continue
            ink += 1
            if x in (0, w - 1) or y in (0, h - 1):
                edge += 1
            c = QColor(pixel)
            near = (abs(c.red() - accent.red()), abs(c.green() - accent.green()), abs(c.blue() - accent.blue()))
            if max(near) < 30:
                accented += 1
    return ink, edge, accented


def _keyframes() -> list[tuple[str, Scene]]:
    drills, messages = load_library(ASSETS / "drills", None)
    assert messages == []
    out = []
    for drill in drills:
        for i, step in enumerate(drill.steps):
            for name, pose in zip(step.pose_names, step.motion.poses, strict=True):
                scene = Scene.for_step(step, pose)  # in the view the step asks for
                out.append((f"{drill.id}/{i + 1}/{name}", scene))
    return out


KEYFRAMES = _keyframes()


@pytest.mark.parametrize("dpr", [1.0, 2.0])
@pytest.mark.parametrize("theme", sorted(THEMES))
def test_every_keyframe_draws_a_whole_figure(theme, dpr):
    seen: set[tuple] = set()
    for label, scene in KEYFRAMES:
        if scene in seen:
            continue
        seen.add(scene)
        image = render(scene, theme, dpr)
        ink, edge, accented = ink_stats(image, THEMES[theme][1])
        area = image.width() * image.height()
        assert ink > MIN_INK_SHARE * area, f"{label} ({theme}, {dpr}x): nearly empty ({ink} px)"
        assert edge == 0, f"{label} ({theme}, {dpr}x): the figure or a prop touches the edge (clipped)"
        assert accented > MIN_ACCENT_PX * dpr * dpr, f"{label} ({theme}, {dpr}x): no accented working leg"


def test_the_check_catches_an_empty_and_a_clipped_picture():
    empty = QImage(SIDE_PX, SIDE_PX, QImage.Format.Format_ARGB32)
    empty.fill(THEMES["light"][1])
    assert ink_stats(empty, THEMES["light"][1])[0] == 0
    image = QImage(SIDE_PX, SIDE_PX, QImage.Format.Format_ARGB32)
    image.fill(THEMES["light"][1])
    painter = QPainter(image)  # the figure drawn too big for its square
    paint_scene(painter, QRectF(-SIDE_PX, -SIDE_PX, 3 * SIDE_PX, 3 * SIDE_PX), Scene(Pose()),
                Colours.for_colours(*THEMES["light"]))
    painter.end()
    assert ink_stats(image, THEMES["light"][1])[1] > 0


def test_2x_is_drawn_at_twice_the_pixels_not_scaled_up():
    scene = KEYFRAMES[0][1]
    one, two = render(scene, "light", 1.0), render(scene, "light", 2.0)
    ink1, ink2 = ink_stats(one, THEMES["light"][1])[0], ink_stats(two, THEMES["light"][1])[0]
    assert 3.0 * ink1 < ink2 < 5.0 * ink1
    assert two.width() == 2 * one.width() and two.devicePixelRatio() == 2.0


def test_svg_export_of_a_pose(tmp_path):
    label, scene = next((lbl, s) for lbl, s in KEYFRAMES if lbl.startswith("standing-hip-flexor-stretch/3"))
    path = tmp_path / "pose.svg"
    export_svg(path, scene)
    text = path.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text and "<image" not in text
    renderer = QSvgRenderer(str(path))
    assert renderer.isValid()
    image = QImage(SIDE_PX, SIDE_PX, QImage.Format.Format_ARGB32)
    image.fill(QColor("#FFFFFF"))
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, SIDE_PX, SIDE_PX))
    painter.end()
    ink, _edge, accented = ink_stats(image, QColor("#FFFFFF"))
    assert ink > MIN_INK_SHARE * SIDE_PX * SIDE_PX and accented > MIN_ACCENT_PX, label


@pytest.mark.parametrize("hands", list(Hands))
def test_every_hand_placement_with_every_prop_fits_the_picture(hands):
    pose = Pose(elbow=8.0)
    scene = Scene(pose, hands, tuple(Prop), desk_x_for([pose]), "right")
    image = render(scene, "light", 1.0)
    ink, edge, accented = ink_stats(image, THEMES["light"][1])
    assert ink > MIN_INK_SHARE * SIDE_PX * SIDE_PX and edge == 0 and accented > MIN_ACCENT_PX


@pytest.mark.parametrize("view", list(View))
def test_the_floor_line_is_level_in_every_view(view):
    """The floor is one row of pixels across: no slant, whatever the camera's turn."""
    _ink, background = THEMES["light"]
    image = render(Scene(Pose(), view=view), "light", 1.0)
    bg = background.rgb()
    rows = [y for y in range(image.height()) if image.pixel(10 + SIDE_PX // 8, y) != bg]
    far_rows = [y for y in range(image.height()) if image.pixel(SIDE_PX - 10 - SIDE_PX // 8, y) != bg]
    assert rows and rows == far_rows  # the same rows at both ends of the line
    assert max(rows) - min(rows) <= 3


def test_scene_for_step_carries_the_steps_view_and_planted_foot():
    drills, _messages = load_library(ASSETS / "drills", None)
    step = next(s for d in drills if d.id == "knee-in-knee-out" for s in d.steps if s.reps)
    scene = Scene.for_step(step, step.motion.poses[0])
    assert (scene.view, scene.planted, scene.hands, scene.side) == (View.FRONT, step.planted, step.hands, step.side)
