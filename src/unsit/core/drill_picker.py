"""Choose the next drill: take turns between the families, vary within a family.

Rules:
- "alternate" (the default preference) puts hip extension every other turn and fills
  the turns between with rotation, the hinge and stability in turn: extension,
  rotation, extension, hinge, extension, stability, ... (every drill of the other
  families ends with a short hip extension too, so every nudge extends the hips). A
  family without drills drops out; if none of them has drills, any drill is used.
- A preference naming a family picks only from it; the ``family`` argument (from the
  command line) overrides the preference. An empty family falls back to alternating.
- Within a family the drills take turns in library order, skipping drills already
  done today while the family has others not done today, so a drill does not come
  back within a day when it need not. The day turns at 04:00 (``drill_day``). No
  randomness: the choice depends only on the picker's state, which is seeded with the
  drills done today (from history).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from unsit.core.days import unsit_day
from unsit.core.drills import Drill
from unsit.core.families import FAMILIES

ALTERNATING: tuple[str, ...] = ("extension", "rotation", "hinge", "stability")
"""The first family comes every other turn; the others share the turns between."""
PREFERENCES: tuple[str, ...] = ("alternate", *FAMILIES)
drill_day = unsit_day
"""The day a moment belongs to for drills: Unsit's day (``core.days.unsit_day``)."""


class DrillPicker:
    """Picks drills in turn.

    Args:
        drills: the library (order matters: drills of a family take turns in this order).
        last_drill_id: the drill done most recently, to continue from.
        done_today: ids of the drills started today, oldest first (e.g. from history);
            the last one also counts as the latest drill.
        day: the drill day ``done_today`` belongs to.

    Raises:
        ValueError: when ``drills`` is empty.
    """

    def __init__(self, drills: Sequence[Drill], last_drill_id: str | None = None, *,
                 done_today: Iterable[str] = (), day: date | None = None):
        if not drills:
            raise ValueError("the drill library is empty")
        self._drills = tuple(drills)
        self._last_by_family: dict[str, str] = {}
        self._last_alternating_family: str | None = None
        self._last_filler: str | None = None
        self._done_today: set[str] = set()
        self._day = day
        if last_drill_id is not None:
            self.note_done(last_drill_id)
        for drill_id in done_today:
            self.note_done(drill_id)

    @property
    def done_today(self) -> frozenset[str]:
        return frozenset(self._done_today)

    def note_done(self, drill_id: str) -> None:
        """Record a drill as the latest one (``next`` does this itself)."""
        drill = next((d for d in self._drills if d.id == drill_id), None)
        if drill is None:
            return
        self._done_today.add(drill.id)
        self._last_by_family[drill.family] = drill.id
        if drill.family in ALTERNATING:
            self._last_alternating_family = drill.family
            if drill.family != ALTERNATING[0]:
                self._last_filler = drill.family

    def families(self) -> list[str]:
        """The families that have at least one drill, in FAMILIES order."""
        present = {d.family for d in self._drills}
        return [f for f in FAMILIES if f in present]

    def next(self, preference: str = "alternate", family: str | None = None, day: date | None = None) -> Drill:
        """The drill to do now (and remember it as done).

        Args:
            preference: settings.drill_family ("alternate" or a family).
            family: an explicit family (``unsit drill rotation``); overrides ``preference``.
            day: today's drill day (``drill_day(now)``); a new day forgets the old one's drills.
        """
        if day is not None and day != self._day:
            self._day = day
            self._done_today.clear()
        wanted = family or preference
        chosen_family = wanted if wanted in FAMILIES and wanted in self.families() else self._alternate_family()
        drill = self._next_in(chosen_family)
        self.note_done(drill.id)
        return drill

    def _alternate_family(self) -> str:
        present = self.families()
        turns = [f for f in ALTERNATING if f in present]
        if not turns:
            return present[0]
        anchor, fillers = ALTERNATING[0], [f for f in turns if f != ALTERNATING[0]]
        if anchor not in turns or not fillers:
            if self._last_alternating_family in turns:
                return turns[(turns.index(self._last_alternating_family) + 1) % len(turns)]
            return turns[0]
        if self._last_alternating_family != anchor:
            return anchor
        if self._last_filler in fillers:
            return fillers[(fillers.index(self._last_filler) + 1) % len(fillers)]
        return fillers[0]

    def _next_in(self, family: str) -> Drill:
        members = [d for d in self._drills if d.family == family]
        last = self._last_by_family.get(family)
        ids = [d.id for d in members]
        start = ids.index(last) + 1 if last in ids else 0
        in_turn = [members[(start + i) % len(members)] for i in range(len(members))]
        fresh = [d for d in in_turn if d.id not in self._done_today]
        return (fresh or in_turn)[0]
