"""The drill families: their keys and how the settings name them.

Kept apart from ``core.drills`` so the settings, the command line and the command
handler can name the families without loading the drill model (the idle tray does not
need it until a drill is wanted).
"""

from __future__ import annotations

from unsit.text.i18n import N_

FAMILY_LABELS: dict[str, str] = {
    "extension": N_("Hip extension"),
    "rotation": N_("Hip rotation"),
    "hinge": N_("Hip hinge"),
    "stability": N_("Core and glute stability"),
}
"""Every drill family and how the settings name it (translate with ``_`` when shown)."""
FAMILIES: tuple[str, ...] = tuple(FAMILY_LABELS)
