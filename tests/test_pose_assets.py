"""The bundled pose frames: present, valid SVG Tiny the app can draw, and visibly not blank.

The style contract is in assets/poses/README.md: a 240 viewBox, the body in the literal ink
colour (the app swaps it for dark themes), the working leg in the accent colour.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

POSES_DIR = Path(__file__).resolve().parent.parent / "assets" / "poses"
SVG_NS = "{http://www.w3.org/2000/svg}"
INK = "#2B2F36"
ACCENT = "#E8743B"
DESK = "#9AA5B1"
DARK_INK = "#E6E6E6"
SIZE_PX = 240
# At 240 px a figure covers 5000+ pixels, its body 2000+ and the working leg 800+; a floor
# line, a motion arrow or a stray dot alone stays well under these.
MIN_DRAWN_PX = 3000
MIN_INK_PX = 1500
MIN_ACCENT_PX = 400
ALLOWED_TAGS = {"svg", "g", "path", "line", "circle", "ellipse", "rect", "polyline"}
ALLOWED_PAINTS = {INK, ACCENT, DESK, "NONE"}

# The drill files name these frames; every one must exist.
EXPECTED_FRAMES = {
    "standing-hip-flexor-stretch": {"start", "end"},
    "standing-hip-extension": {"start", "end"},
    "standing-hip-circles": {"start", "knee-up", "knee-out"},
    "knee-in-knee-out": {"start", "knee-in", "knee-out"},
    "hip-hinge": {"start", "end"},
}


def all_frames() -> list[Path]:
    return sorted(POSES_DIR.glob("*/*.svg"))


def render(svg_text: str) -> QImage:
    """Draw the SVG onto a transparent 240 px square."""
    image = QImage(SIZE_PX, SIZE_PX, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    renderer = QSvgRenderer(QByteArray(svg_text.encode("utf-8")))
    assert renderer.isValid(), "QSvgRenderer rejects the SVG"
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, SIZE_PX, SIZE_PX))
    painter.end()
    return image


def count_pixels(image: QImage, colour: str | None = None, tolerance: int = 12) -> int:
    """Visible pixels, or only the fully opaque ones within ``tolerance`` of ``colour``."""
    rgba = image.convertToFormat(QImage.Format.Format_RGBA8888)
    data = bytes(rgba.constBits())[: rgba.sizeInBytes()]
    reds, greens, blues, alphas = data[0::4], data[1::4], data[2::4], data[3::4]
    if colour is None:
        return sum(alpha > 32 for alpha in alphas)
    target = QColor(colour)
    return sum(
        alpha == 255
        and abs(red - target.red()) <= tolerance
        and abs(green - target.green()) <= tolerance
        and abs(blue - target.blue()) <= tolerance
        for red, green, blue, alpha in zip(reds, greens, blues, alphas, strict=True)
    )


def check_frame(svg_text: str) -> None:
    """Every check one frame must pass; raises AssertionError naming the first that fails."""
    root = ET.fromstring(svg_text)
    assert root.tag == SVG_NS + "svg", f"root element is {root.tag}"
    assert root.get("viewBox", "").split() == ["0", "0", "240", "240"]
    assert root.get("width") == "240" and root.get("height") == "240"
    for element in root.iter():
        tag = element.tag.removeprefix(SVG_NS)
        assert tag in ALLOWED_TAGS, f"<{tag}> is outside the pose style contract"
        assert "class" not in element.attrib and "style" not in element.attrib
        for attr in ("fill", "stroke"):
            paint = element.get(attr)
            if paint is not None:
                assert paint.upper() in ALLOWED_PAINTS, f"{attr}={paint!r} is not a pose colour"
    assert INK in svg_text and ACCENT in svg_text
    assert not re.search(r"currentColor|href|url\(", svg_text), "no external refs or CSS paint"

    image = render(svg_text)
    drawn = count_pixels(image)
    assert drawn >= MIN_DRAWN_PX, f"only {drawn} pixels drawn: the frame is (nearly) blank"
    ink = count_pixels(image, INK)
    assert ink >= MIN_INK_PX, f"only {ink} ink pixels: the body is missing"
    accent = count_pixels(image, ACCENT)
    assert accent >= MIN_ACCENT_PX, f"only {accent} accent pixels: the working leg is missing"

    # Dark themes swap the ink by plain string replacement; no ink may survive it.
    dark = render(svg_text.replace(INK, DARK_INK))
    assert count_pixels(dark, INK) == 0
    assert count_pixels(dark, DARK_INK) >= MIN_INK_PX


def test_every_expected_frame_exists():
    for drill, names in EXPECTED_FRAMES.items():
        present = {path.stem for path in (POSES_DIR / drill).glob("*.svg")}
        assert names <= present, f"{drill}: missing {sorted(names - present)}"


def test_every_drill_folder_has_at_least_two_frames():
    folders = [path for path in POSES_DIR.iterdir() if path.is_dir()]
    assert folders, "no pose folders"
    for folder in folders:
        assert len(list(folder.glob("*.svg"))) >= 2, f"{folder.name} has fewer than 2 frames"


@pytest.mark.parametrize("path", all_frames(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_frame_meets_style_contract_and_is_drawn(qapp, path):
    check_frame(path.read_text(encoding="utf-8"))


def test_frames_share_one_head_size():
    radii = {
        circle.get("r")
        for path in all_frames()
        for circle in ET.parse(path).getroot().iter(SVG_NS + "circle")
    }
    assert len(radii) == 1, f"head radius differs between frames: {radii}"


BLANK = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240" viewBox="0 0 240 240">'
    '<g stroke="#2B2F36" fill="none"><line x1="10" y1="10" x2="11" y2="10" stroke="#E8743B"/>'
    "</g></svg>"
)


def test_checker_rejects_a_blank_frame(qapp):
    with pytest.raises(AssertionError, match="blank"):
        check_frame(BLANK)


def test_checker_accepts_a_real_frame_and_rejects_it_without_the_working_leg(qapp):
    real = (POSES_DIR / "hip-hinge" / "start.svg").read_text(encoding="utf-8")
    check_frame(real)
    # The accent colour still appears in the text, but no leg is drawn with it.
    leg_greyed = real.replace(f'<g stroke="{ACCENT}">', f'<g stroke="{DESK}">')
    leg_greyed = leg_greyed.replace("</svg>", f"<!-- {ACCENT} --></svg>")
    assert leg_greyed != real
    with pytest.raises(AssertionError, match="accent pixels"):
        check_frame(leg_greyed)
