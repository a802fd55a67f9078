"""How a step moves between its keyframe poses over time: holds, reps, easing. Pure.

A hold goes through its keyframes once (``move_seconds`` per move) and then stays on
the last one. A set of reps loops through the keyframes and back to the first, one
move per entry of ``phase_seconds`` (e.g. lift for 2 s, lower for 2 s), so rep ``n``
starts exactly when the rep counter turns to ``n``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from unsit.core.pose import Pose, lerp_pose


def ease_in_out(t: float) -> float:
    """Sine ease: starts and ends at rest, 0..1 -> 0..1."""
    t = min(1.0, max(0.0, t))
    return 0.5 - 0.5 * math.cos(math.pi * t)


@dataclass(frozen=True, slots=True)
class Frame:
    """The figure at one moment: the pose, and whether it is moving just then."""

    pose: Pose
    moving: bool


@dataclass(frozen=True)
class Motion:
    """The keyframes of a step and their timing.

    Attributes:
        poses: keyframes in order (at least one).
        phase_seconds: for reps, the time of each move of a rep (as many as ``poses``,
            the last move leading back to the first pose); empty for a hold.
        move_seconds: for holds, the time of each move between keyframes.
    """

    poses: tuple[Pose, ...]
    phase_seconds: tuple[float, ...] = ()
    move_seconds: float = 2.0

    @property
    def is_reps(self) -> bool:
        return bool(self.phase_seconds)

    @property
    def seconds_per_rep(self) -> float:
        return sum(self.phase_seconds)

    def frame_at(self, elapsed_seconds: float, duration_seconds: float | None = None) -> Frame:
        """The pose ``elapsed_seconds`` into the step (clamped to ``duration_seconds``)."""
        t = max(0.0, elapsed_seconds)
        if duration_seconds is not None and t >= duration_seconds:
            return Frame(self._end_pose(), False)
        if self.is_reps:
            return self._rep_frame(t)
        return self._hold_frame(t)

    def _end_pose(self) -> Pose:
        return self.poses[0] if self.is_reps else self.poses[-1]

    def _rep_frame(self, t: float) -> Frame:
        t = math.fmod(t, self.seconds_per_rep)
        count = len(self.poses)
        for i, seconds in enumerate(self.phase_seconds):
            if t < seconds or i == count - 1:
                a, b = self.poses[i], self.poses[(i + 1) % count]
                return Frame(lerp_pose(a, b, ease_in_out(t / seconds)), a != b)
            t -= seconds
        return Frame(self.poses[0], False)  # pragma: no cover - the loop always returns

    def _hold_frame(self, t: float) -> Frame:
        moves = len(self.poses) - 1
        if moves == 0 or t >= moves * self.move_seconds:
            return Frame(self.poses[-1], False)
        i = int(t // self.move_seconds)
        a, b = self.poses[i], self.poses[i + 1]
        return Frame(lerp_pose(a, b, ease_in_out((t - i * self.move_seconds) / self.move_seconds)), a != b)
