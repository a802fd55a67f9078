"""Render every pose frame into contact sheets, to check the drill pictures by eye.

Each frame is drawn at 240 px and at 2x (480 px), on a light background (ink as drawn) and
on a dark one (ink swapped for a light grey, as the app does for dark themes), plain and
mirrored (the app mirrors frames for the right side).

Usage::

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/render_poses.py OUTDIR

Writes ``OUTDIR/contact_sheet.png`` (every frame, every variant), ``OUTDIR/sheet_<drill>.png``
(the same, one per drill folder) and ``OUTDIR/overview.png`` (one row per drill: light, then
mirrored on dark, at 240 px), and prints their paths.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPen
from PySide6.QtSvg import QSvgRenderer

POSES_DIR = Path(__file__).resolve().parent.parent / "assets" / "poses"
INK = "#2B2F36"
DARK_INK = "#E6E6E6"
LIGHT_BG = QColor("#FFFFFF")
DARK_BG = QColor("#1E1F22")
BASE_PX = 240
# Frames are shown in the order of the movement; other names follow alphabetically.
FRAME_ORDER = ("start", "knee-up", "knee-in", "knee-out", "end")
GAP_PX = 8

# (size in px, dark background?, mirrored?) for each cell of a row, left to right.
CELLS = (
    (BASE_PX, False, False),
    (BASE_PX, True, False),
    (BASE_PX, False, True),
    (BASE_PX, True, True),
    (BASE_PX * 2, False, False),
    (BASE_PX * 2, True, True),
)


def svg_bytes(path: Path, dark: bool) -> QByteArray:
    """The frame's SVG text, with the ink swapped for the dark-theme colour if asked."""
    text = path.read_text(encoding="utf-8")
    if dark:
        text = text.replace(INK, DARK_INK).replace(INK.lower(), DARK_INK)
    return QByteArray(text.encode("utf-8"))


def render_frame(path: Path, size_px: int, dark: bool, mirrored: bool) -> QImage:
    """One frame on its background, ``size_px`` square."""
    image = QImage(size_px, size_px, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(DARK_BG if dark else LIGHT_BG)
    renderer = QSvgRenderer(svg_bytes(path, dark))
    if not renderer.isValid():
        raise ValueError(f"QSvgRenderer cannot read {path}")
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if mirrored:
        painter.translate(size_px, 0)
        painter.scale(-1, 1)
    renderer.render(painter, QRectF(0, 0, size_px, size_px))
    painter.end()
    return image


def frames_by_drill(poses_dir: Path = POSES_DIR) -> dict[str, list[Path]]:
    """Every drill folder's SVG frames, in the order of the movement."""

    def order(path: Path) -> tuple[int, str]:
        rank = FRAME_ORDER.index(path.stem) if path.stem in FRAME_ORDER else len(FRAME_ORDER)
        return rank, path.name

    result = {}
    for folder in sorted(p for p in poses_dir.iterdir() if p.is_dir()):
        frames = sorted(folder.glob("*.svg"), key=order)
        if frames:
            result[folder.name] = frames
    return result


def contact_sheet(frames: list[Path]) -> QImage:
    """One row per frame: the variants in CELLS, separated by a grey gutter."""
    row_height_px = max(size for size, _, _ in CELLS)
    width_px = sum(size for size, _, _ in CELLS) + GAP_PX * (len(CELLS) + 1)
    height_px = row_height_px * len(frames) + GAP_PX * (len(frames) + 1)
    sheet = QImage(width_px, height_px, QImage.Format.Format_ARGB32_Premultiplied)
    sheet.fill(QColor("#808890"))
    painter = QPainter(sheet)
    painter.setPen(QPen(QColor("#FFFFFF")))
    y = GAP_PX
    for path in frames:
        x = GAP_PX
        for size_px, dark, mirrored in CELLS:
            painter.drawImage(x, y, render_frame(path, size_px, dark, mirrored))
            x += size_px + GAP_PX
        label = f"{path.parent.name}/{path.name}"
        painter.drawText(
            QRectF(GAP_PX * 2, y + BASE_PX + 6, BASE_PX * 4, 20),
            Qt.AlignmentFlag.AlignLeft,
            label,
        )
        y += row_height_px + GAP_PX
    painter.end()
    return sheet


def overview(drills: dict[str, list[Path]]) -> QImage:
    """One row per drill: its frames at 240 px on light, then mirrored on dark."""
    columns = max(len(frames) for frames in drills.values()) * 2
    step_px = BASE_PX + GAP_PX
    sheet = QImage(
        GAP_PX + columns * step_px, GAP_PX + len(drills) * step_px,
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    sheet.fill(QColor("#808890"))
    painter = QPainter(sheet)
    for row, frames in enumerate(drills.values()):
        y = GAP_PX + row * step_px
        cells = [(path, False, False) for path in frames] + [(path, True, True) for path in frames]
        for column, (path, dark, mirrored) in enumerate(cells):
            image = render_frame(path, BASE_PX, dark, mirrored)
            painter.drawImage(GAP_PX + column * step_px, y, image)
    painter.end()
    return sheet


def main(argv: list[str]) -> int:
    """Write the contact sheets into the folder named on the command line."""
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out_dir = Path(argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)
    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - QPainter text needs it
    drills = frames_by_drill()
    if not drills:
        print(f"no pose frames under {POSES_DIR}", file=sys.stderr)
        return 1
    for name, frames in drills.items():
        target = out_dir / f"sheet_{name}.png"
        contact_sheet(frames).save(str(target))
        print(target)
    target = out_dir / "overview.png"
    overview(drills).save(str(target))
    print(target)
    everything = [path for frames in drills.values() for path in frames]
    target = out_dir / "contact_sheet.png"
    contact_sheet(everything).save(str(target))
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
