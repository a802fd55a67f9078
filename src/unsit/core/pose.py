"""The drill figure posed by numbers: a skeleton with fixed proportions, joint angles,
human joint ranges, forward kinematics, the props as solid boxes, and the views a step is seen from.

World axes (centimetres): x points the way the figure faces, y up, z out of the figure's
working side (towards the viewer). The working leg is the near leg; the support leg is
the far one. Angles are degrees; flexion, abduction (out to the side) and internal
rotation are positive. Pure: no Qt, no I/O.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace

Vec = tuple[float, float, float]
Mat = tuple[Vec, Vec, Vec]


class Hands(enum.Enum):
    """Where the hands go (the arms reach there; ``FREE`` uses the shoulder/elbow angles)."""

    FREE = "free"
    DESK = "desk"  # both hands on the desk edge
    HIPS = "hips"  # both hands on the hips
    DESK_HIP = "desk-hip"  # support-side hand on the desk, working-side hand on the hip
    CHEST = "chest"  # hands crossed on the chest
    WALL = "wall"  # both hands on the wall in front
    DESK_REACH = "desk-reach"  # support-side hand on the desk, the working-side arm free (a reach)


class View(enum.Enum):
    """The angle a step's figure is seen from."""

    SIDE = "side"  # nearly side on: a leg moving forward and back, a hinge, a tilt of the pelvis
    THREE_QUARTER = "three-quarter"  # the default
    FRONT = "front"  # nearly face on: a knee out to the side, a hip turning in and out


VIEW_YAW: dict[View, float] = {View.SIDE: 8.0, View.THREE_QUARTER: 28.0, View.FRONT: 62.0}
"""How far the camera turns from a pure side view towards the figure's front, per view."""
VIEW_PITCH: dict[View, float] = {View.SIDE: 10.0, View.THREE_QUARTER: 10.0, View.FRONT: 4.0}
"""... and how far it looks down (less from the front: the desk's near legs stay in the picture)."""


class Prop(enum.Enum):
    """Furniture a step uses."""

    DESK = "desk"
    CHAIR = "chair"
    WALL = "wall"


# --- the skeleton (cm) --------------------------------------------------------------
THIGH_CM = 43.0
SHIN_CM = 42.0
ANKLE_HEIGHT_CM = 7.0
FOOT_CM = 21.0
PELVIS_CM = 10.0
LUMBAR_CM = 19.0
THORACIC_CM = 28.0
NECK_CM = 8.0
HEAD_RADIUS_CM = 11.0
UPPER_ARM_CM = 33.0
FOREARM_CM = 40.0  # elbow to the middle of the hand (a little long: the figure reaches a desk)
HIP_HALF_WIDTH_CM = 9.0
SHOULDER_HALF_WIDTH_CM = 17.0

DESK_REACH_CM = 20.0  # the desk's front edge stands this far ahead of the shoulders
DESK_HEIGHT_CM = 75.0
DESK_DEPTH_CM = 40.0
WALL_BEYOND_DESK_CM = 15.0
DESK_TOP_CM = 4.0
"""The desk top's thickness: what a foot or a hand must not pass through."""
DESK_HALF_WIDTH_CM = 45.0
SIDE_DESK_GAP_CM = 30.0
"""A desk beside the figure (one hand on it): its near edge this far out on the support side."""
SIDE_DESK_HALF_LENGTH_CM = 65.0
"""... and its long side this far ahead of and behind the standing foot."""
CHAIR_X_CM = -45.0
CHAIR_SEAT_CM = 46.0
CHAIR_HALF_CM = 20.0

FLOOR_TOLERANCE_CM = 2.0
"""A foot this close to the lowest one counts as standing on the floor."""
ANCHOR_BLEND_CM = 10.0
"""Over this much more lift of the support foot, the figure's anchor moves to the working foot."""



@dataclass(frozen=True, slots=True)
class Pose:
    """Joint angles in degrees; all zero is standing tall, arms hanging, facing +x.

    ``hip_*``, ``knee`` and ``ankle`` are the working leg; ``support_*`` the other one.
    ``lean`` turns the pelvis forward over the legs (a hinge), ``pelvis_tilt`` tilts it on
    top of that (positive: anterior tilt, an arch; negative: a tuck). ``lumbar``,
    ``thoracic`` and ``neck`` bend the spine forward (negative: backward). ``body_turn``
    turns the pelvis and trunk towards the working side. ``shoulder``/``elbow`` place
    the arms when the hands are free.
    """

    lean: float = 0.0
    pelvis_tilt: float = 0.0
    lumbar: float = 0.0
    thoracic: float = 0.0
    neck: float = 0.0
    body_turn: float = 0.0
    hip: float = 0.0
    hip_abduction: float = 0.0
    hip_rotation: float = 0.0
    knee: float = 0.0
    ankle: float = 0.0
    support_hip: float = 0.0
    support_hip_abduction: float = 0.0
    support_hip_rotation: float = 0.0
    support_knee: float = 0.0
    support_ankle: float = 0.0
    shoulder: float = 0.0
    elbow: float = 0.0


JOINT_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Pose))

_LEG_RANGES = {"hip": (-30.0, 125.0), "hip_abduction": (-25.0, 45.0), "hip_rotation": (-45.0, 40.0),
               "knee": (0.0, 145.0), "ankle": (-50.0, 25.0)}
JOINT_RANGES: dict[str, tuple[float, float]] = {
    "lean": (-15.0, 90.0),
    "pelvis_tilt": (-25.0, 25.0),
    "lumbar": (-30.0, 60.0),
    "thoracic": (-20.0, 45.0),
    "neck": (-45.0, 60.0),
    "body_turn": (-45.0, 45.0),
    **_LEG_RANGES,
    **{f"support_{k}": v for k, v in _LEG_RANGES.items()},
    "shoulder": (-50.0, 180.0),
    "elbow": (0.0, 150.0),
}
"""What a healthy adult can do at each joint (degrees), a little inside textbook ranges."""


@dataclass(frozen=True)
class RangeProblem:
    """A joint angle outside ``JOINT_RANGES``."""

    joint: str
    value: float
    low: float
    high: float

    def __str__(self) -> str:
        return f"{self.joint} = {self.value:g} is outside the human range {self.low:g} to {self.high:g}"


def range_problems(pose: Pose) -> list[RangeProblem]:
    """Every joint of ``pose`` outside its human range."""
    out = []
    for name in JOINT_NAMES:
        value = getattr(pose, name)
        low, high = JOINT_RANGES[name]
        if not (low <= value <= high):
            out.append(RangeProblem(name, value, low, high))
    return out


def pose_from(base: Pose, values: Mapping[str, float]) -> Pose:
    """``base`` with some joints set (names from ``JOINT_NAMES``).

    Raises:
        KeyError: an unknown joint name.
    """
    unknown = [k for k in values if k not in JOINT_NAMES]
    if unknown:
        raise KeyError(unknown[0])
    return replace(base, **{k: float(v) for k, v in values.items()})


def lerp_pose(a: Pose, b: Pose, t: float) -> Pose:
    """The pose a fraction ``t`` (0..1) of the way from ``a`` to ``b``."""
    if t <= 0.0:
        return a
    if t >= 1.0:
        return b
    return Pose(*(getattr(a, n) + (getattr(b, n) - getattr(a, n)) * t for n in JOINT_NAMES))


# --- small 3-D maths --------------------------------------------------------------------
def _rz(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, -s, 0.0), (s, c, 0.0), (0.0, 0.0, 1.0))


def _rx(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((1.0, 0.0, 0.0), (0.0, c, -s), (0.0, s, c))


def _ry(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, 0.0, s), (0.0, 1.0, 0.0), (-s, 0.0, c))


def _mul(a: Mat, b: Mat) -> Mat:
    cols = list(zip(*b, strict=True))
    return tuple(tuple(sum(x * y for x, y in zip(row, col, strict=True)) for col in cols) for row in a)  # type: ignore[return-value]


def _apply(m: Mat, v: Vec) -> Vec:
    return (m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
            m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
            m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2])


def _add(a: Vec, b: Vec) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def _sub(a: Vec, b: Vec) -> Vec:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def _scale(v: Vec, k: float) -> Vec:
    return (v[0] * k, v[1] * k, v[2] * k)


def _length(v: Vec) -> float:
    return math.sqrt(v[0] ** 2 + v[1] ** 2 + v[2] ** 2)


@dataclass(frozen=True, slots=True)
class Leg:
    """One leg's points."""

    hip: Vec
    knee: Vec
    ankle: Vec
    heel: Vec
    toe: Vec


@dataclass(frozen=True, slots=True)
class Arm:
    """One arm's points."""

    shoulder: Vec
    elbow: Vec
    hand: Vec


@dataclass(frozen=True, slots=True)
class Body:
    """The figure's points in world centimetres (floor at y = 0, support ankle at x = 0)."""

    pelvis_front: Vec  # front of the pelvis (the hip bones)
    pelvis_back: Vec  # top of the sacrum, where the spine starts
    pelvis_low: Vec  # the sitting bones
    lumbar_top: Vec
    neck_base: Vec
    head: Vec  # centre of the head
    face: Vec  # unit vector: where the face points
    work_leg: Leg
    support_leg: Leg
    near_arm: Arm
    far_arm: Arm

    def points(self) -> list[Vec]:
        """Every point of the body (for fitting and tests)."""
        out = [self.pelvis_front, self.pelvis_back, self.pelvis_low, self.lumbar_top, self.neck_base, self.head]
        for leg in (self.work_leg, self.support_leg):
            out += [leg.hip, leg.knee, leg.ankle, leg.heel, leg.toe]
        for arm in (self.near_arm, self.far_arm):
            out += [arm.shoulder, arm.elbow, arm.hand]
        return out


def _leg(root: Mat, hip_point: Vec, flex: float, abduction: float, rotation: float, knee: float,
         ankle: float, outward: float) -> Leg:
    """``outward`` is +1 for the near (working) leg, -1 for the far one."""
    thigh = _mul(_mul(_mul(root, _rz(flex)), _rx(-outward * abduction)), _ry(outward * rotation))
    knee_point = _add(hip_point, _apply(thigh, (0.0, -THIGH_CM, 0.0)))
    shin = _mul(thigh, _rz(-knee))
    ankle_point = _add(knee_point, _apply(shin, (0.0, -SHIN_CM, 0.0)))
    foot = _mul(shin, _rz(ankle))
    heel = _add(ankle_point, _apply(foot, (-4.0, -ANKLE_HEIGHT_CM, 0.0)))
    toe = _add(ankle_point, _apply(foot, (FOOT_CM - 4.0, -ANKLE_HEIGHT_CM, 0.0)))
    return Leg(hip_point, knee_point, ankle_point, heel, toe)


def _reach(shoulder: Vec, target: Vec, bend_towards: Vec) -> Arm:
    """Two-link reach: the hand on ``target`` when it can be reached, else the arm straight at it."""
    to_target = _sub(target, shoulder)
    distance = _length(to_target)
    full = UPPER_ARM_CM + FOREARM_CM
    if distance < 1e-6:
        direction: Vec = (0.0, -1.0, 0.0)
    else:
        direction = _scale(to_target, 1.0 / distance)
    if distance >= full - 0.5:
        elbow = _add(shoulder, _scale(direction, UPPER_ARM_CM))
        return Arm(shoulder, elbow, _add(shoulder, _scale(direction, full)))
    distance = max(distance, abs(UPPER_ARM_CM - FOREARM_CM) + 1.0)
    # the elbow lies on a circle: along the reach line by a, off it by h, towards bend_towards
    a = (UPPER_ARM_CM ** 2 - FOREARM_CM ** 2 + distance ** 2) / (2 * distance)
    h = math.sqrt(max(0.0, UPPER_ARM_CM ** 2 - a ** 2))
    along = sum(b * d for b, d in zip(bend_towards, direction, strict=True))
    off = _sub(bend_towards, _scale(direction, along))
    off_len = _length(off) or 1.0
    elbow = _add(_add(shoulder, _scale(direction, a)), _scale(off, h / off_len))
    return Arm(shoulder, elbow, _add(shoulder, _scale(direction, distance)))


def _free_arm(trunk: Mat, shoulder_point: Vec, pose: Pose) -> Arm:
    upper = _mul(trunk, _rz(pose.shoulder))
    elbow = _add(shoulder_point, _apply(upper, (0.0, -UPPER_ARM_CM, 0.0)))
    fore = _mul(upper, _rz(pose.elbow))
    hand = _add(elbow, _apply(fore, (0.0, -FOREARM_CM, 0.0)))
    return Arm(shoulder_point, elbow, hand)


def solve(pose: Pose, hands: Hands = Hands.FREE, desk_x_cm: float | None = None, planted: str = "") -> Body:
    """Forward kinematics: the body's points for ``pose`` with the hands placed by ``hands``.

    The lowest point of either foot rests on the floor and the standing ankle (the
    support leg's, unless only the working foot is down; in between a blend) stands at
    x = 0, so the feet stay put while the body moves over them. ``desk_x_cm`` is where the desk's front
    edge stands (default: ``desk_x_for(pose)``). ``planted`` ("work" or "support") names
    the foot that stays put through a step (``planted_foot``); it then anchors the figure.
    """
    root = _mul(_ry(pose.body_turn), _rz(-(pose.lean + pose.pelvis_tilt)))
    origin: Vec = (0.0, 0.0, 0.0)
    near_hip = _apply(root, (0.0, 0.0, HIP_HALF_WIDTH_CM))
    far_hip = _apply(root, (0.0, 0.0, -HIP_HALF_WIDTH_CM))
    work = _leg(root, near_hip, pose.hip, pose.hip_abduction, pose.hip_rotation, pose.knee, pose.ankle, 1.0)
    support = _leg(root, far_hip, pose.support_hip, pose.support_hip_abduction, pose.support_hip_rotation,
                   pose.support_knee, pose.support_ankle, -1.0)
    pelvis_back = _apply(root, (-6.0, PELVIS_CM, 0.0))
    pelvis_front = _apply(root, (9.0, 9.0, 0.0))
    pelvis_low = _apply(root, (-5.0, -7.0, 0.0))
    lumbar = _mul(root, _rz(-pose.lumbar))
    lumbar_top = _add(pelvis_back, _apply(lumbar, (0.0, LUMBAR_CM, 0.0)))
    thoracic = _mul(lumbar, _rz(-pose.thoracic))
    neck_base = _add(lumbar_top, _apply(thoracic, (0.0, THORACIC_CM, 0.0)))
    neck = _mul(thoracic, _rz(-pose.neck))
    head = _add(neck_base, _apply(neck, (2.0, NECK_CM + HEAD_RADIUS_CM, 0.0)))
    face = _apply(neck, (1.0, 0.0, 0.0))
    shoulder_mid = _add(neck_base, _apply(thoracic, (0.0, -4.0, 0.0)))
    near_shoulder = _add(shoulder_mid, _apply(thoracic, (0.0, 0.0, SHOULDER_HALF_WIDTH_CM)))
    far_shoulder = _add(shoulder_mid, _apply(thoracic, (0.0, 0.0, -SHOULDER_HALF_WIDTH_CM)))
    # place on the floor with the standing ankle at x = 0 before reaching for furniture
    work_low = min(work.heel[1], work.toe[1])
    support_low = min(support.heel[1], support.toe[1])
    # the support foot stays put; as it leaves the floor (the working foot lower by
    # FLOOR_TOLERANCE_CM up to ANCHOR_BLEND_CM) the anchor passes smoothly to the working foot,
    # so a move between keyframes never makes the figure jump along the floor
    share = min(1.0, max(0.0, (support_low - work_low - FLOOR_TOLERANCE_CM) / ANCHOR_BLEND_CM))
    if planted:
        share = 1.0 if planted == "work" else 0.0
    anchor_x = support.ankle[0] + (work.ankle[0] - support.ankle[0]) * share
    shift: Vec = (-anchor_x, -min(work_low, support_low), 0.0)
    body = Body(pelvis_front, pelvis_back, pelvis_low, lumbar_top, neck_base, head, face, work, support,
                Arm(near_shoulder, origin, origin), Arm(far_shoulder, origin, origin))
    body = _moved(body, shift)
    if desk_x_cm is None:
        desk_x_cm = body.near_arm.shoulder[0] + DESK_REACH_CM
    near_arm, far_arm = _arms(body, pose, thoracic, hands, desk_x_cm)
    return replace(body, near_arm=near_arm, far_arm=far_arm)


def desk_at_side(hands: Hands) -> bool:
    """True when the desk stands beside the figure (on the support side) rather than in front.

    Both hands on the desk (or the wall) face it; with one hand on it, or none, the figure
    stands side on to it, so a knee coming up or a leg swinging never meets it.
    """
    return hands not in (Hands.DESK, Hands.WALL)


@dataclass(frozen=True)
class Box:
    """A solid part of a prop: ``low`` and ``high`` corners (x, y, z) in world centimetres."""

    name: str
    low: Vec
    high: Vec

    def contains(self, point: Vec, margin_cm: float = 0.0) -> bool:
        """True when ``point`` lies inside the box shrunk by ``margin_cm`` on every side."""
        return all(lo + margin_cm < v < hi - margin_cm for v, lo, hi in zip(point, self.low, self.high, strict=True))


def desk_box(hands: Hands, desk_x_cm: float) -> Box:
    """The desk top as a solid slab, in front of the figure or beside it (``desk_at_side``)."""
    top, thick = DESK_HEIGHT_CM, DESK_TOP_CM
    if desk_at_side(hands):
        near = -SIDE_DESK_GAP_CM
        return Box("desk", (-SIDE_DESK_HALF_LENGTH_CM, top - thick, near - DESK_DEPTH_CM),
                   (SIDE_DESK_HALF_LENGTH_CM, top, near))
    return Box("desk", (desk_x_cm, top - thick, -DESK_HALF_WIDTH_CM),
               (desk_x_cm + DESK_DEPTH_CM, top, DESK_HALF_WIDTH_CM))


def chair_box() -> Box:
    """The chair's seat as a solid slab."""
    return Box("chair", (CHAIR_X_CM - CHAIR_HALF_CM, CHAIR_SEAT_CM - 4.0, -CHAIR_HALF_CM),
               (CHAIR_X_CM + CHAIR_HALF_CM, CHAIR_SEAT_CM, CHAIR_HALF_CM))


def planted_foot(poses: Sequence[Pose]) -> str:
    """The foot on the floor in every one of ``poses`` ("support" first, then "work"), or "" for none."""
    down = {"work": True, "support": True}
    for pose in poses:
        body = solve(pose)
        for name, leg in (("work", body.work_leg), ("support", body.support_leg)):
            if min(leg.heel[1], leg.toe[1]) > FLOOR_TOLERANCE_CM:
                down[name] = False
    return next((name for name in ("support", "work") if down[name]), "")


def desk_x_for(poses: Sequence[Pose], hands: Hands = Hands.DESK) -> float:
    """Where a desk in front stands for a step moving through ``poses``: within reach in all of them.

    The edge goes ``DESK_REACH_CM`` ahead of the nearest shoulder, but never further than
    the hands can reach down to the desk top from the lowest-reaching shoulder (a hinge
    brings the shoulders forward and down), and never behind the front of the pelvis.
    """
    between = [lerp_pose(a, b, t) for a, b in zip(poses, (*poses[1:], poses[0]), strict=True) if a != b
               for t in (0.25, 0.5, 0.75)]  # the moves between the keyframes too
    planted = planted_foot(poses)
    poses = (*poses, *between)
    edge = min(solve(p, Hands.FREE, 0.0, planted).near_arm.shoulder[0] for p in poses) + DESK_REACH_CM
    if hands is not Hands.DESK:
        return edge
    full = UPPER_ARM_CM + FOREARM_CM - 1.0
    belly = -math.inf
    for p in poses:
        body = solve(p, Hands.FREE, 0.0, planted)
        shoulder = body.near_arm.shoulder
        drop = shoulder[1] - (DESK_HEIGHT_CM + 1.0)
        side = 4.0
        ahead = math.sqrt(max(0.0, full ** 2 - drop ** 2 - side ** 2))
        edge = min(edge, shoulder[0] + ahead - 5.0)
        belly = max(belly, body.pelvis_front[0] + 3.0)
    return max(edge, belly)  # never behind the body: then the hands only just reach


def _arms(body: Body, pose: Pose, trunk: Mat, hands: Hands, desk_x: float) -> tuple[Arm, Arm]:
    near_s, far_s = body.near_arm.shoulder, body.far_arm.shoulder
    back: Vec = (-1.0, -0.3, 0.0)  # elbows bend backwards and a little down
    out_near: Vec = (-0.6, -0.2, 1.0)
    out_far: Vec = (-0.6, -0.2, -1.0)
    desk_near: Vec = (desk_x + 5.0, DESK_HEIGHT_CM + 1.0, near_s[2] + 4.0)
    desk_far: Vec = (desk_x + 5.0, DESK_HEIGHT_CM + 1.0, far_s[2] - 4.0)
    if desk_at_side(hands):  # one hand on a desk beside the support side, a little ahead
        desk_far = (far_s[0] + 8.0, DESK_HEIGHT_CM + 1.0, -SIDE_DESK_GAP_CM - 5.0)
    hip_near = _add(body.work_leg.hip, _sub(body.pelvis_front, body.work_leg.hip))
    hip_near = _add(hip_near, (0.0, 6.0, HIP_HALF_WIDTH_CM * 0.8))
    hip_far = _add(body.pelvis_front, (0.0, 6.0, -HIP_HALF_WIDTH_CM * 1.8))
    if hands is Hands.FREE:
        return _free_arm(trunk, near_s, pose), _free_arm(trunk, far_s, pose)
    if hands is Hands.DESK:
        return _reach(near_s, desk_near, back), _reach(far_s, desk_far, back)
    if hands is Hands.HIPS:
        return _reach(near_s, hip_near, out_near), _reach(far_s, hip_far, out_far)
    if hands is Hands.DESK_HIP:
        return _reach(near_s, hip_near, out_near), _reach(far_s, desk_far, back)
    if hands is Hands.DESK_REACH:
        return _free_arm(trunk, near_s, pose), _reach(far_s, desk_far, back)
    if hands is Hands.WALL:
        wall_y = near_s[1] - 5.0
        return (_reach(near_s, (desk_x + WALL_BEYOND_DESK_CM, wall_y, near_s[2]), back),
                _reach(far_s, (desk_x + WALL_BEYOND_DESK_CM, wall_y, far_s[2]), back))
    chest = _add(_scale(_add(body.lumbar_top, body.neck_base), 0.5), _apply(trunk, (9.0, 2.0, 0.0)))
    return (_reach(near_s, _add(chest, (0.0, 0.0, -4.0)), out_near),
            _reach(far_s, _add(chest, (0.0, 3.0, 4.0)), out_far))


def _moved(body: Body, d: Vec) -> Body:
    def leg(x: Leg) -> Leg:
        return Leg(*(_add(p, d) for p in (x.hip, x.knee, x.ankle, x.heel, x.toe)))

    def arm(x: Arm) -> Arm:
        return Arm(*(_add(p, d) for p in (x.shoulder, x.elbow, x.hand)))

    return Body(_add(body.pelvis_front, d), _add(body.pelvis_back, d), _add(body.pelvis_low, d),
                _add(body.lumbar_top, d), _add(body.neck_base, d), _add(body.head, d), body.face,
                leg(body.work_leg), leg(body.support_leg), arm(body.near_arm), arm(body.far_arm))


def project(point: Vec, view: View = View.THREE_QUARTER) -> tuple[float, float, float]:
    """A world point as (screen x, screen y up, depth towards the viewer) seen from ``view``."""
    yaw, pitch = math.radians(VIEW_YAW[view]), math.radians(VIEW_PITCH[view])
    x, y, z = point
    sx = x * math.cos(yaw) - z * math.sin(yaw)
    depth = x * math.sin(yaw) + z * math.cos(yaw)
    sy = y * math.cos(pitch) - depth * math.sin(pitch)
    return sx, sy, depth * math.cos(pitch) + y * math.sin(pitch)
