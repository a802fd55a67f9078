"""Choose the next drill: alternate hip extension and hip rotation, vary within a family.

Rules:
- "alternate" (the default preference) takes turns between the extension and rotation
  families: extension, rotation, extension, ... Hinge drills are not part of the
  rotation; they are used only when asked for ("hinge" preference, or
  ``unsit drill hinge``). If only one of the two families has drills, that one is used;
  if neither has, any drill is.
- A preference naming a family picks only from it; the ``family`` argument (from the
  command line) overrides the preference. An empty family falls back to alternating.
- Within a family the drills take turns in library order, so the same drill never comes
  twice in a row while the family has another one. No randomness: the choice depends
  only on the picker's state, which can be seeded with the last drill done.
"""

from __future__ import annotations

from collections.abc import Sequence

from unsit.core.drills import FAMILIES, Drill

ALTERNATING: tuple[str, ...] = ("extension", "rotation")
PREFERENCES: tuple[str, ...] = ("alternate", *FAMILIES)


class DrillPicker:
    """Picks drills in turn.

    Args:
        drills: the library (order matters: drills of a family take turns in this order).
        last_drill_id: the drill done most recently (e.g. from history), to continue from.

    Raises:
        ValueError: when ``drills`` is empty.
    """

    def __init__(self, drills: Sequence[Drill], last_drill_id: str | None = None):
        if not drills:
            raise ValueError("the drill library is empty")
        self._drills = tuple(drills)
        self._last_by_family: dict[str, str] = {}
        self._last_alternating_family: str | None = None
        self._last_id: str | None = None
        if last_drill_id is not None:
            self.note_done(last_drill_id)

    def note_done(self, drill_id: str) -> None:
        """Record a drill as the latest one (``next`` does this itself)."""
        drill = next((d for d in self._drills if d.id == drill_id), None)
        if drill is None:
            return
        self._last_id = drill.id
        self._last_by_family[drill.family] = drill.id
        if drill.family in ALTERNATING:
            self._last_alternating_family = drill.family

    def families(self) -> list[str]:
        """The families that have at least one drill, in FAMILIES order."""
        present = {d.family for d in self._drills}
        return [f for f in FAMILIES if f in present]

    def next(self, preference: str = "alternate", family: str | None = None) -> Drill:
        """The drill to do now (and remember it as done).

        Args:
            preference: settings.drill_family ("alternate", "extension", "rotation", "hinge").
            family: an explicit family (``unsit drill rotation``); overrides ``preference``.
        """
        wanted = family or preference
        chosen_family = wanted if wanted in FAMILIES and wanted in self.families() else self._alternate_family()
        drill = self._next_in(chosen_family)
        self.note_done(drill.id)
        return drill

    def _alternate_family(self) -> str:
        present = self.families()
        turns = [f for f in ALTERNATING if f in present] or present
        if self._last_alternating_family in turns:
            i = turns.index(self._last_alternating_family)
            return turns[(i + 1) % len(turns)]
        return turns[0]

    def _next_in(self, family: str) -> Drill:
        members = [d for d in self._drills if d.family == family]
        last = self._last_by_family.get(family)
        ids = [d.id for d in members]
        if last in ids:
            return members[(ids.index(last) + 1) % len(members)]
        return members[0]
