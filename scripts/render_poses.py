"""Render every drill's figure into PNG sheets, to check the drill pictures by eye.

Usage::

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/render_poses.py OUTDIR [--svg]

Writes, for every built-in drill:
- ``OUTDIR/keys_<drill>.png``: one row per step, every keyframe of the step, on light
  then on dark, with the cue under the row;
- ``OUTDIR/strip_<drill>.png``: the animation over time, one row per step, a frame
  every half second of the step's first rep or move (what the window shows);
and ``OUTDIR/overview.png`` (each drill's last step keyframes, light, one row per drill).
With ``--svg`` each drill's first keyframe is also written as ``OUTDIR/<drill>.svg``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from PySide6.QtCore import QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter  # noqa: E402

from unsit.core.drills import Drill, Step  # noqa: E402
from unsit.store.drill_library import load_library  # noqa: E402
from unsit.ui.figure_view import Colours, Scene, export_svg, paint_scene  # noqa: E402

LIGHT = (QColor("#2B2F36"), QColor("#FFFFFF"))
DARK = (QColor("#E6E6E6"), QColor("#1E1F22"))
CELL_PX = 180
LABEL_PX = 34
STRIP_FRAMES = 10
STRIP_STEP_SECONDS = 0.5


def _scene(step: Step, pose) -> Scene:
    return Scene.for_step(step, pose)


def _sheet(rows: list[tuple[list[tuple[Scene, tuple[QColor, QColor]]], str]], cells: int) -> QImage:
    width = max(1, cells) * CELL_PX
    image = QImage(width, len(rows) * (CELL_PX + LABEL_PX), QImage.Format.Format_ARGB32)
    image.fill(QColor("#808080"))
    painter = QPainter(image)
    font = QFont()
    font.setPixelSize(11)
    painter.setFont(font)
    for r, (row, label) in enumerate(rows):
        y = r * (CELL_PX + LABEL_PX)
        for c, (scene, (ink, bg)) in enumerate(row):
            rect = QRectF(c * CELL_PX, y, CELL_PX, CELL_PX)
            painter.fillRect(rect.adjusted(1, 1, -1, -1), bg)
            paint_scene(painter, rect.adjusted(1, 1, -1, -1), scene, Colours.for_colours(ink, bg))
        painter.setPen(QColor("#FFFFFF"))
        painter.drawText(QRectF(4, y + CELL_PX, width - 8, LABEL_PX),
                         Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft, label)
    painter.end()
    return image


def keyframe_rows(drill: Drill) -> list:
    rows = []
    for i, step in enumerate(drill.steps):
        cells = [(_scene(step, p), LIGHT) for p in step.motion.poses]
        cells += [(_scene(step, p), DARK) for p in step.motion.poses]
        rows.append((cells, f"{i + 1} [{step.side}, {', '.join(step.pose_names)}] {step.cue}"))
    return rows


def strip_rows(drill: Drill) -> list:
    rows = []
    for i, step in enumerate(drill.steps):
        cells = [(_scene(step, step.motion.frame_at(k * STRIP_STEP_SECONDS).pose), LIGHT) for k in range(STRIP_FRAMES)]
        rows.append((cells, f"{i + 1}: every {STRIP_STEP_SECONDS:g} s from the step's start"))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--svg", action="store_true", help="also write each drill's first pose as SVG")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - fonts need it
    drills, messages = load_library(ROOT / "assets" / "drills", None)
    for message in messages:
        print("library:", message, file=sys.stderr)
    args.outdir.mkdir(parents=True, exist_ok=True)
    overview = []
    for drill in drills:
        rows = keyframe_rows(drill)
        cells = max(len(r[0]) for r in rows)
        for name, image in ((f"keys_{drill.id}.png", _sheet(rows, cells)),
                            (f"strip_{drill.id}.png", _sheet(strip_rows(drill), STRIP_FRAMES))):
            image.save(str(args.outdir / name))
            print(args.outdir / name)
        last = drill.steps[-1]
        overview.append(([(_scene(last, p), LIGHT) for p in last.motion.poses], drill.name))
        if args.svg:
            export_svg(args.outdir / f"{drill.id}.svg", _scene(drill.steps[0], drill.steps[0].motion.poses[-1]))
    path = args.outdir / "overview.png"
    _sheet(overview, max(len(r[0]) for r in overview)).save(str(path))
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
