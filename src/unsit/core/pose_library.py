"""Named poses every drill file may use (``poses = ["stand", "split-stance"]``).

Each is drawn for the working leg (the near one, accented); the app mirrors the figure
for the right side. A foot stays flat on the floor when its ankle angle cancels the
shin's slope: ``ankle = knee - hip + lean + pelvis_tilt``. Pure data.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from unsit.core.pose import Pose

_STAND = Pose(elbow=8.0)


def _p(**angles: float) -> Pose:
    values = {"elbow": 8.0, **angles}
    return Pose(**values)


_POSES: dict[str, Pose] = {
    # standing
    "stand": _STAND,
    "tuck": _p(pelvis_tilt=-16, lumbar=16, hip=-16, support_hip=-16),
    "lean-in": _p(lean=8, neck=-8, hip=8, support_hip=8),
    # split stance: the working leg a long stride back, its heel up
    "split-stance": _p(hip=-20, knee=25.4, ankle=-18, support_hip=22, support_knee=12, support_ankle=-10),
    "split-stance-tuck": _p(pelvis_tilt=-12, lumbar=12, hip=-28, knee=31.2, ankle=-18,
                            support_hip=10, support_knee=12, support_ankle=-10),
    "split-stance-shift": _p(pelvis_tilt=-12, lumbar=12, hip=-29, knee=31.1, ankle=-22,
                             support_hip=14, support_knee=30, support_ankle=4),
    # on the support leg, the working leg moving
    "leg-back": _p(lean=8, neck=-8, hip=-25, ankle=-10, support_hip=8),
    "knee-bent-back": _p(lean=8, neck=-8, hip=8, knee=90, ankle=-15, support_hip=8),
    "kick-back": _p(lean=8, neck=-8, hip=-20, knee=90, ankle=-15, support_hip=8),
    "knee-up": _p(hip=90, knee=90, ankle=-10),
    "knee-up-low": _p(hip=60, knee=75, ankle=-10),
    "knee-out": _p(hip=75, hip_abduction=40, hip_rotation=-30, knee=90, ankle=-10),
    "knee-up-foot-out": _p(hip=90, knee=90, hip_rotation=30, ankle=-10),
    "knee-up-foot-in": _p(hip=90, knee=90, hip_rotation=-35, ankle=-10),
    "leg-forward-low": _p(hip=15, ankle=-5),
    "leg-turned-in": _p(hip=15, hip_rotation=30, ankle=-5),
    "leg-turned-out": _p(hip=15, hip_rotation=-40, ankle=-5),
    "support-knee-up-low": _p(support_hip=60, support_knee=75, support_ankle=-10),
    # hinges
    "hinge": _p(lean=48, neck=-5, hip=78, knee=35, ankle=5, support_hip=78, support_knee=35, support_ankle=5),
    "half-hinge": _p(lean=24, neck=-3, hip=39, knee=18, ankle=3, support_hip=39, support_knee=18, support_ankle=3),
    # hip airplane: standing on the working leg, the other leg reaching back
    "airplane": _p(lean=35, neck=-5, hip=35, knee=10, ankle=10, support_hip=-25, support_ankle=-20),
    "airplane-open": _p(lean=35, neck=-5, body_turn=20, hip=35, hip_rotation=-20, knee=10, ankle=10,
                        support_hip=-25, support_ankle=-20),
}

LIBRARY: Mapping[str, Pose] = MappingProxyType(_POSES)
"""Name -> pose; read only."""
