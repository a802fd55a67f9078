"""Render the app icon (assets/icons/unsit.svg) for the installers.

Writes any of:
  --hicolor DIR  DIR/<n>x<n>/apps/<name>.png for the freedesktop sizes, DIR/scalable/apps/<name>.svg
  --ico FILE     a Windows .ico holding PNG images (16 ... 256 px)
  --icns FILE    a macOS .icns holding PNG images (16 ... 1024 px)

Only PySide6 is needed (the offscreen platform is used), so it runs on a build machine of
any OS without Pillow, rsvg or iconutil.
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import sys
from pathlib import Path

HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# (OSType, pixel size) for PNG-compressed icns members.
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256),
    (b"ic09", 512), (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256), (b"ic14", 512),
)


class IconRenderer:
    """Renders one SVG to PNG bytes at any square size."""

    def __init__(self, svg: Path) -> None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtGui import QGuiApplication
        from PySide6.QtSvg import QSvgRenderer

        self._app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
        self._renderer = QSvgRenderer(str(svg))
        if not self._renderer.isValid():
            raise SystemExit(f"render_icons: {svg} is not a valid SVG")

    def png(self, size: int) -> bytes:
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
        from PySide6.QtGui import QImage, QPainter

        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self._renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        return bytes(data)


def write_hicolor(renderer: IconRenderer, svg: Path, root: Path, name: str) -> None:
    for size in HICOLOR_SIZES:
        target = root / f"{size}x{size}" / "apps" / f"{name}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(renderer.png(size))
    scalable = root / "scalable" / "apps" / f"{name}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(svg, scalable)


def ico_bytes(renderer: IconRenderer) -> bytes:
    """An ICO file: header, one directory entry per size, then the PNG images."""
    images = [renderer.png(size) for size in ICO_SIZES]
    offset = 6 + 16 * len(images)
    header = struct.pack("<HHH", 0, 1, len(images))
    entries = b""
    for size, data in zip(ICO_SIZES, images, strict=True):
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return header + entries + b"".join(images)


def icns_bytes(renderer: IconRenderer) -> bytes:
    """An ICNS file: 'icns' + total length, then (type, length, PNG) members."""
    members = b""
    for ostype, size in ICNS_TYPES:
        data = renderer.png(size)
        members += ostype + struct.pack(">I", 8 + len(data)) + data
    return b"icns" + struct.pack(">I", 8 + len(members)) + members


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--svg", type=Path, default=Path(__file__).resolve().parent.parent / "assets/icons/unsit.svg")
    parser.add_argument("--name", default="unsit", help="icon name in the hicolor theme")
    parser.add_argument("--hicolor", type=Path)
    parser.add_argument("--ico", type=Path)
    parser.add_argument("--icns", type=Path)
    args = parser.parse_args(argv)
    renderer = IconRenderer(args.svg)
    if args.hicolor:
        write_hicolor(renderer, args.svg, args.hicolor, args.name)
    for path, make in ((args.ico, ico_bytes), (args.icns, icns_bytes)):
        if path:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(make(renderer))
    return 0


if __name__ == "__main__":
    sys.exit(main())
