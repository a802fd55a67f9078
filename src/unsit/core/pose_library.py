"""Named poses every drill file may use (``poses = ["stand", "split-stance"]``).

Each is drawn for the working leg (the near one, accented); the app mirrors the figure
for the right side. A foot stays flat on the floor when its ankle angle cancels the
shin's slope: ``ankle = knee - hip + lean + pelvis_tilt``. Pure data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType

from unsit.core.pose import Pose

_STAND = Pose(elbow=8.0)


def _p(**angles: float) -> Pose:
    values = {"elbow": 8.0, **angles}
    return Pose(**values)


_LEVEL = _p(pelvis_tilt=-3, lumbar=3, hip=-3, support_hip=-3)
_SPLIT_LEVEL = _p(pelvis_tilt=-2, lumbar=2, hip=-22, knee=25.4, ankle=-18,
                  support_hip=20, support_knee=12, support_ankle=-10)
_SPLIT_SHIFT = _p(pelvis_tilt=-2, lumbar=2, hip=-22, knee=26.8, ankle=-18,
                  support_hip=24, support_knee=30, support_ankle=4)

_POSES: dict[str, Pose] = {
    # standing; "arch" is how many stand after a long sit, "level" flattens the arch (never rounds it)
    "stand": _STAND,
    "arch": _p(pelvis_tilt=10, lumbar=-10, hip=10, support_hip=10),
    "level": _LEVEL,
    "tuck": _LEVEL,  # the old name, kept so older drill files load: now a level pelvis, not a tuck
    "lean-in": _p(lean=8, neck=-8, hip=8, support_hip=8),
    # split stance: the working leg a long stride back, its heel up; the pelvis tips into an arch
    "split-stance": _p(pelvis_tilt=8, lumbar=-8, hip=-12, knee=25.4, ankle=-18,
                       support_hip=30, support_knee=12, support_ankle=-10),
    "split-stance-level": _SPLIT_LEVEL,
    "split-stance-tuck": _SPLIT_LEVEL,  # the old name (see "tuck")
    "split-stance-shift": _SPLIT_SHIFT,
    "split-stance-reach": replace(_SPLIT_LEVEL, shoulder=150, elbow=10),
    # on the support leg, the working leg moving
    "leg-back": _p(lean=8, neck=-8, hip=-25, ankle=-10, support_hip=8),
    "knee-bent-back": _p(lean=8, neck=-8, hip=8, knee=90, ankle=-15, support_hip=8),
    "kick-back": _p(lean=8, neck=-8, hip=-20, knee=90, ankle=-15, support_hip=8),
    "knee-up": _p(hip=90, knee=90, ankle=-10),
    "knee-up-low": _p(hip=45, knee=60, ankle=-10),
    "knee-out": _p(hip=75, hip_abduction=40, hip_rotation=-30, knee=90, ankle=-10),
    "knee-up-foot-out": _p(hip=90, knee=90, hip_rotation=30, ankle=-10),
    "knee-up-foot-in": _p(hip=90, knee=90, hip_rotation=-35, ankle=-10),
    "leg-forward-low": _p(hip=15, ankle=-5),
    "leg-turned-in": _p(hip=15, hip_rotation=30, ankle=-5),
    "leg-turned-out": _p(hip=15, hip_rotation=-40, ankle=-5),
    "support-knee-up-low": _p(support_hip=45, support_knee=60, support_ankle=-10),
    # hinges
    "hinge": _p(lean=48, neck=-5, hip=78, knee=35, ankle=5, support_hip=78, support_knee=35, support_ankle=5),
    "half-hinge": _p(lean=24, neck=-3, hip=39, knee=18, ankle=3, support_hip=39, support_knee=18, support_ankle=3),
    # seated on a chair behind, and the hinge forward that starts standing up
    "sit": _p(hip=90, knee=90, support_hip=90, support_knee=90),
    "sit-lean": _p(lean=30, neck=-10, hip=120, knee=90, support_hip=120, support_knee=90),
    # the working ankle crossed over the other knee (a figure four), then a hinge over it
    "figure-four": _p(lean=10, hip=55, hip_abduction=30, hip_rotation=-40, knee=100, ankle=-10,
                      support_hip=25, support_knee=20, support_ankle=5),
    "figure-four-hinge": _p(lean=30, neck=-8, hip=75, hip_abduction=30, hip_rotation=-40, knee=100, ankle=-10,
                            support_hip=50, support_knee=32, support_ankle=12),
    # hip airplane: standing on the working leg, the other leg reaching back
    "airplane": _p(lean=35, neck=-5, hip=35, knee=10, ankle=10, support_hip=-25, support_ankle=-20),
    "airplane-open": _p(lean=35, neck=-5, body_turn=20, hip=35, hip_rotation=-20, knee=10, ankle=10,
                        support_hip=-25, support_ankle=-20),
}

LIBRARY: Mapping[str, Pose] = MappingProxyType(_POSES)
"""Name -> pose; read only."""
