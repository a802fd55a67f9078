"""The figure posed by numbers: kinematics, joint ranges, the named poses, keyframe motion."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.builtin_library import builtin_drills
from unsit.core.motion import Motion, ease_in_out
from unsit.core.pose import (
    DESK_HEIGHT_CM,
    FOREARM_CM,
    JOINT_NAMES,
    JOINT_RANGES,
    SHIN_CM,
    THIGH_CM,
    UPPER_ARM_CM,
    Hands,
    Pose,
    desk_x_for,
    lerp_pose,
    pose_from,
    range_problems,
    solve,
)
from unsit.core.pose_library import LIBRARY


def dist(a, b) -> float:
    return math.dist(a, b)


def test_standing_figure_is_upright_on_the_floor_facing_forward():
    body = solve(LIBRARY["stand"])
    for leg in (body.work_leg, body.support_leg):
        assert leg.heel[1] == pytest.approx(0, abs=1e-6) and leg.toe[1] == pytest.approx(0, abs=1e-6)
        assert leg.toe[0] > leg.heel[0]  # the feet point the way the figure faces
    assert body.support_leg.ankle[0] == pytest.approx(0)
    assert 165 < body.head[1] < 180 and body.head[1] > body.neck_base[1] > body.lumbar_top[1]
    assert body.face == pytest.approx((1.0, 0.0, 0.0))
    assert body.work_leg.hip[2] > 0 > body.support_leg.hip[2]  # the working leg is the near one


def test_segments_keep_their_lengths_in_any_pose():
    pose = pose_from(LIBRARY["stand"], {"hip": 80, "hip_abduction": 30, "hip_rotation": -20, "knee": 100,
                                        "lean": 30, "body_turn": 15})
    body = solve(pose)
    assert dist(body.work_leg.hip, body.work_leg.knee) == pytest.approx(THIGH_CM)
    assert dist(body.work_leg.knee, body.work_leg.ankle) == pytest.approx(SHIN_CM)


def test_knee_up_puts_the_knee_at_hip_height_in_front():
    body = solve(LIBRARY["knee-up"])
    leg = body.work_leg
    assert leg.knee[1] == pytest.approx(leg.hip[1], abs=1)
    assert leg.knee[0] - leg.hip[0] == pytest.approx(THIGH_CM, abs=1)


def test_flattening_the_arch_tilts_the_pelvis_back_and_keeps_the_legs_under_it():
    arch, level = solve(LIBRARY["arch"]), solve(LIBRARY["level"])
    # the top of the pelvis (sacrum) moves back relative to the hip joints
    assert (level.pelvis_back[0] - level.work_leg.hip[0]) < (arch.pelvis_back[0] - arch.work_leg.hip[0]) - 1
    assert level.work_leg.ankle[0] == pytest.approx(level.work_leg.hip[0], abs=0.5)
    assert arch.work_leg.ankle[0] == pytest.approx(arch.work_leg.hip[0], abs=0.5)


NEUTRAL_WORDS = ("neutral", "level")
MAX_NEUTRAL_FLEXION_DEGREES = 4.0
"""A pose called neutral or level rounds the lower back (or tucks the pelvis) by at most this much."""


def _named_poses():
    yield from LIBRARY.items()
    for drill in builtin_drills().values():
        for step in drill.steps:
            yield from zip(step.pose_names, step.motion.poses, strict=True)


def _rounded(name: str, pose: Pose) -> str:
    """Why a pose called neutral or level is not ("" when it is fine, or not so called)."""
    if not any(word in name for word in NEUTRAL_WORDS):
        return ""
    if pose.lumbar > MAX_NEUTRAL_FLEXION_DEGREES:
        return f"{name}: lumbar flexion {pose.lumbar:g}"
    if pose.pelvis_tilt < -MAX_NEUTRAL_FLEXION_DEGREES:
        return f"{name}: pelvis tucked under by {-pose.pelvis_tilt:g}"
    return ""


def test_a_pose_called_neutral_or_level_does_not_round_the_lower_back():
    named = list(_named_poses())
    assert sum(1 for name, _pose in named if "level" in name) >= 3
    assert [problem for name, pose in named if (problem := _rounded(name, pose))] == []
    assert LIBRARY["tuck"] == LIBRARY["level"]  # the old name now means a level pelvis, not a tuck


def test_the_check_catches_the_old_tuck():
    assert _rounded("level", Pose(pelvis_tilt=-16, lumbar=16)) == "level: lumbar flexion 16"
    assert _rounded("neutral-spine", Pose(pelvis_tilt=-10, lumbar=2)) == "neutral-spine: pelvis tucked under by 10"
    assert _rounded("split-stance", Pose(pelvis_tilt=-16, lumbar=16)) == ""


def test_hip_rotation_swings_the_foot_to_the_side_with_the_thigh_still():
    out, inward = solve(LIBRARY["knee-up-foot-out"]), solve(LIBRARY["knee-up-foot-in"])
    assert out.work_leg.knee == pytest.approx(inward.work_leg.knee)
    assert out.work_leg.ankle[2] > out.work_leg.knee[2] + 5  # internal rotation: the foot goes out
    assert inward.work_leg.ankle[2] < inward.work_leg.knee[2] - 5


FACING_DESK = ["stand", "lean-in", "airplane", "knee-bent-back", "figure-four-hinge"]
BESIDE_DESK = ["stand", "lean-in", "split-stance", "split-stance-shift", "airplane", "knee-up", "knee-out"]


@pytest.mark.parametrize(("name", "hands"), [(n, Hands.DESK) for n in FACING_DESK]
                         + [(n, h) for n in BESIDE_DESK for h in (Hands.DESK_HIP, Hands.DESK_REACH)])
def test_hands_on_the_desk_reach_it(name, hands):
    pose = LIBRARY[name]
    body = solve(pose, hands, desk_x_for([pose, LIBRARY["stand"]], hands))
    hand = body.far_arm.hand
    assert hand[1] == pytest.approx(DESK_HEIGHT_CM + 1, abs=1.5)
    assert dist(body.far_arm.shoulder, body.far_arm.elbow) == pytest.approx(UPPER_ARM_CM)
    assert dist(body.far_arm.elbow, hand) == pytest.approx(FOREARM_CM)


def test_hands_on_hips_land_by_the_pelvis():
    body = solve(LIBRARY["hinge"], Hands.HIPS)
    for arm in (body.near_arm, body.far_arm):
        assert dist(arm.hand, body.pelvis_front) < 20


def test_every_library_pose_is_humanly_possible_and_stands_on_the_floor():
    for name, pose in LIBRARY.items():
        assert range_problems(pose) == [], name
        body = solve(pose)
        lows = [min(leg.heel[1], leg.toe[1]) for leg in (body.work_leg, body.support_leg)]
        assert min(lows) == pytest.approx(0, abs=1e-6), name
        assert all(p[1] > -1 for p in body.points()), name  # nothing under the floor


@pytest.mark.parametrize("name", ["split-stance", "split-stance-level", "split-stance-shift"])
def test_split_stance_has_both_feet_down_and_the_back_heel_up(name):
    body = solve(LIBRARY[name])
    leg = body.support_leg
    assert leg.heel[1] == pytest.approx(0, abs=0.6) and leg.toe[1] == pytest.approx(0, abs=0.6)
    assert body.work_leg.toe[1] == pytest.approx(0, abs=0.6) and body.work_leg.heel[1] > 8
    assert body.work_leg.ankle[0] < body.support_leg.ankle[0] - 40  # a long stride back


def test_range_problems_name_joint_value_and_range():
    pose = Pose(knee=170, hip=-60)
    problems = {p.joint: p for p in range_problems(pose)}
    assert set(problems) == {"knee", "hip"}
    assert str(problems["knee"]) == "knee = 170 is outside the human range 0 to 145"
    assert set(JOINT_RANGES) == set(JOINT_NAMES)
    with pytest.raises(KeyError):
        pose_from(Pose(), {"tail": 3})


def test_lerp_and_easing():
    a, b = LIBRARY["stand"], LIBRARY["knee-up"]
    assert lerp_pose(a, b, 0) == a and lerp_pose(a, b, 1) == b
    assert lerp_pose(a, b, 0.5).hip == pytest.approx(45)
    assert ease_in_out(0) == 0 and ease_in_out(1) == 1 and ease_in_out(0.5) == pytest.approx(0.5)
    assert ease_in_out(0.1) < 0.1 and ease_in_out(0.9) > 0.9  # slow at both ends


def test_motion_reps_loop_and_holds_settle():
    a, b, c = LIBRARY["knee-up"], LIBRARY["knee-out"], LIBRARY["stand"]
    reps = Motion((a, b, c), (2.0, 2.0, 2.0))
    assert reps.seconds_per_rep == 6
    assert reps.frame_at(0).pose == a and reps.frame_at(2).pose == b and reps.frame_at(4).pose == c
    assert reps.frame_at(6).pose == a and reps.frame_at(13).pose == reps.frame_at(1).pose
    assert reps.frame_at(1).moving and not reps.frame_at(100, 60).moving
    hold = Motion((c, a), (), 2.0)
    assert hold.frame_at(1).moving and hold.frame_at(2) == hold.frame_at(50)
    assert not hold.frame_at(2).moving and hold.frame_at(2).pose == a
    still = Motion((a, a), (2.0, 2.0))
    assert not still.frame_at(1).moving  # a held pose inside a rep costs no redraws


@settings(max_examples=150, deadline=None)
@given(st.fixed_dictionaries({name: st.floats(*JOINT_RANGES[name]) for name in JOINT_NAMES}),
       st.sampled_from(list(Hands)))
def test_any_possible_pose_solves_to_finite_points(angles, hands):
    body = solve(Pose(**angles), hands, 10.0)
    assert all(math.isfinite(v) for p in body.points() for v in p)


def test_the_pelvic_tilt_shows_in_the_side_view():
    """Flattening the arch turns the pelvis by a visible angle on screen, not only in the numbers."""
    from unsit.core.pose import View, project

    def screen_angle(name: str) -> float:
        body = solve(LIBRARY[name])
        (bx, by, _), (fx, fy, _) = project(body.pelvis_back, View.SIDE), project(body.pelvis_front, View.SIDE)
        return math.degrees(math.atan2(fy - by, fx - bx))

    assert screen_angle("level") - screen_angle("arch") >= 10
    assert abs(screen_angle("level") - screen_angle("stand")) <= 4
