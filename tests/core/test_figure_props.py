"""The figure against its furniture: no foot, knee or hand through a prop or the floor, and
hands that the cue puts on the desk are on it, in every keyframe and every frame between.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from tests.core.builtin_library import builtin_drills
from unsit.core.drills import Step
from unsit.core.pose import (
    DESK_HEIGHT_CM,
    DESK_TOP_CM,
    Body,
    Box,
    Hands,
    Pose,
    Prop,
    Vec,
    chair_box,
    desk_at_side,
    desk_box,
    solve,
)
from unsit.core.pose_library import LIBRARY

FRAME_SECONDS = 0.1
FLOOR_SLACK_CM = 1.0
HAND_ON_DESK_CM = (-1.0, 7.0)
"""A hand on the desk: its centre from just under the top to a palm's length above it (the fingers touch)."""


def _boxes(step: Step) -> list[Box]:
    boxes = []
    if Prop.DESK in step.props:
        boxes.append(desk_box(step.hands, step.desk_x_cm))
    if Prop.CHAIR in step.props:
        boxes.append(chair_box())
    return boxes


def _frames(step: Step) -> list[Pose]:
    """Every keyframe and a frame every 0.1 s through one rep, or through the moves of a hold."""
    if step.seconds_per_rep is not None:
        length = step.seconds_per_rep
    else:
        length = (len(step.motion.poses) - 1) * step.motion.move_seconds
    count = int(length / FRAME_SECONDS) + 1
    return [*step.motion.poses, *(step.motion.frame_at(i * FRAME_SECONDS).pose for i in range(count))]


def problems(step: Step, pose: Pose) -> list[str]:
    """What crosses a prop or the floor in ``pose`` during ``step``, and hands off the desk."""
    body = solve(pose, step.hands, step.desk_x_cm, step.planted)
    found = []
    work, support = body.work_leg, body.support_leg
    parts = {"working foot": (work.heel, work.toe, work.ankle),
             "working leg": (*_along(work.hip, work.knee), *_along(work.knee, work.ankle)),
             "other foot": (support.heel, support.toe, support.ankle),
             "other leg": (*_along(support.hip, support.knee), *_along(support.knee, support.ankle)),
             "near hand": _along(body.near_arm.elbow, body.near_arm.hand)[-4:],
             "far hand": _along(body.far_arm.elbow, body.far_arm.hand)[-4:]}
    for part, points in parts.items():
        for point in points:
            if point[1] < -FLOOR_SLACK_CM:
                found.append(f"{part} {-point[1]:.0f} cm through the floor")
            found.extend(f"{part} through the {box.name}" for box in _boxes(step) if box.contains(point))
    found += _hands_off_the_desk(step, body)
    return sorted(set(found))


def _along(a: Vec, b: Vec) -> list[Vec]:
    """Points along a limb from ``a`` to ``b``, both ends included, closer together than a desk top is thick."""
    count = max(1, math.ceil(math.dist(a, b) / (DESK_TOP_CM / 2)))
    return [tuple(x + (y - x) * i / count for x, y in zip(a, b, strict=True)) for i in range(count + 1)]  # type: ignore[misc]


def _hands_off_the_desk(step: Step, body: Body) -> list[str]:
    on_desk = {Hands.DESK: (body.near_arm.hand, body.far_arm.hand), Hands.DESK_HIP: (body.far_arm.hand,),
               Hands.DESK_REACH: (body.far_arm.hand,)}.get(step.hands, ())
    box = desk_box(step.hands, step.desk_x_cm)
    out = []
    for hand in on_desk:
        above = hand[1] - DESK_HEIGHT_CM
        inside = all(lo <= v <= hi for v, lo, hi in zip((hand[0], hand[2]), (box.low[0], box.low[2]),
                                                         (box.high[0], box.high[2]), strict=True))
        if not (HAND_ON_DESK_CM[0] <= above <= HAND_ON_DESK_CM[1]) or not inside:
            out.append(f"a hand the cue puts on the desk is {above:.0f} cm above it, inside it: {inside}")
    return out


STEPS = [(drill.id, number, step) for drill in builtin_drills().values()
         for number, step in enumerate(drill.steps, start=1)]


@pytest.mark.parametrize(("drill_id", "number", "step"), STEPS, ids=[f"{d}-{n}" for d, n, _s in STEPS])
def test_no_foot_or_hand_crosses_a_prop_and_desk_hands_stay_on_the_desk(drill_id, number, step):
    for pose in _frames(step):
        assert problems(step, pose) == [], f"{drill_id} step {number}: {step.pose_names}"


def test_the_check_catches_a_leg_through_the_desk_and_a_hand_in_the_air():
    # a knee up at hip height facing the desk (the old knee-in/knee-out picture)
    facing = next(s for _d, _n, s in STEPS if s.hands is Hands.DESK)
    through = replace(facing, props=(Prop.DESK,), desk_x_cm=10.0)
    knee_up = LIBRARY["knee-up"]
    assert any("through the desk" in p for p in problems(through, knee_up))
    far_desk = replace(facing, desk_x_cm=60.0)  # out of reach: the hands hang in the air
    assert any("above it" in p for p in problems(far_desk, LIBRARY["stand"]))
    sitting = replace(facing, props=(Prop.CHAIR,), hands=Hands.CHEST)
    assert problems(sitting, LIBRARY["sit"]) == []


def test_one_hand_on_the_desk_puts_the_desk_beside_the_figure():
    assert desk_at_side(Hands.DESK_HIP) and desk_at_side(Hands.DESK_REACH) and not desk_at_side(Hands.DESK)
    box = desk_box(Hands.DESK_HIP, 0.0)
    assert box.high[2] < 0  # on the support side, clear of the working leg
