"""The drill families: their keys and how the settings name them.

Kept apart from ``core.drills`` so the settings and the command line can name the
families without the drill model.
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
