"""The bases a dilemma names are kept between questions like the holders, and follow the
state: the mayor's public-order basis is active until the crisis is bovenlokaal."""

from __future__ import annotations

from pathlib import Path

from tabletop.engine.exercise import Exercise
from tabletop.model.gezag import bases
from tabletop.model.loading import RoleLibrary, load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def test_kept_bases_follow_the_state_and_are_each_callers_own(roles: RoleLibrary) -> None:
    loaded = load_scenario(SCENARIOS / "voorbeeld.yaml", roles)
    world = Exercise(loaded).world
    assert "bovenlokaal" in world.state
    asked = ["burgemeester", "voorzitter-vr"]
    answers = {}
    for bovenlokaal in (False, True, False, True):
        world.state["bovenlokaal"] = bovenlokaal
        got = world.bases(asked, "openbare-orde", crisis=True)
        fresh = tuple(bases(world.roles, asked, "openbare-orde", world, crisis=True))
        assert got == fresh
        answers[bovenlokaal] = {(b["role"], b.get("active")) for b in got}
        got[0]["basis"] = "overschreven"  # a caller changing its copy changes nothing kept
    assert ("burgemeester", True) in answers[False]
    assert ("burgemeester", False) in answers[True]
    assert ("voorzitter-vr", True) in answers[True]
    again = world.bases(asked, "openbare-orde", crisis=True)
    assert all(b["basis"] != "overschreven" for b in again)
