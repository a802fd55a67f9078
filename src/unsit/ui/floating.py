"""Window hints that make tiling window managers float a window at its designed size.

i3 floats a window whose type is dialog, utility, toolbar or splash, one with
WM_TRANSIENT_FOR, and one whose WM_NORMAL_HINTS have min size = max size; sway floats an
xdg toplevel with a parent or with a fixed size (min = max). Qt writes
``_NET_WM_WINDOW_TYPE_DIALOG`` for ``Qt.Dialog`` (``_UTILITY`` for ``Qt.Tool``) and
min = max for a fixed size, on X11 and Wayland alike. Stacking and floating window
managers simply place the window where it asks.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLayout, QWidget

DIALOG_FLAGS = Qt.WindowType.Dialog | Qt.WindowType.WindowStaysOnTopHint


def fix_size(widget: QWidget, size: QSize) -> None:
    """Pin a top-level window to ``size`` (min = max), so tiling managers float it."""
    widget.setFixedSize(size)


def fit_to_contents(widget: QWidget) -> None:
    """Keep a window exactly as large as its layout wants (min = max, following the layout)."""
    layout = widget.layout()
    if layout is not None:
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
