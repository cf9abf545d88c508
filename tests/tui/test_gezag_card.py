"""The decision card asks what the gezag model version 2 needs: the framing of a decision
with candidate domains, the consenting roles' answers and joint owners' positions; a
refusal is logged as an attempt not taken, and the decision stays open."""

from __future__ import annotations

import json
from pathlib import Path

from apps import ROOT, exercise_app
from textual.widgets import Select

from tabletop.model.loading import load_roles, load_scenario
from tabletop.tui.screens.decision import DecisionScreen
from tabletop.tui.screens.exercise import ExerciseScreen

SCENARIO = """\
format: 2
id: kaart
title: Kaart
start: 2027-03-14T06:00:00+01:00
end: 3h
roles: [minister-jenv, defensie, burgemeester, om]
decisions:
  - id: bijstand
    at: 10m
    question: Verleent u KMar-bijstand?
    domains: [militaire-bijstand, openbare-orde]
    owner: minister-jenv
    consent:
      - {role: defensie, basis: Politiewet 2012 art. 57 lid 3}
    options:
      - {id: verlenen, label: Verlenen}
      - {id: afwijzen, label: Afwijzen}
"""


async def test_the_card_records_framing_and_a_refused_consent(tmp_path: Path) -> None:
    path = tmp_path / "kaart.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    loaded = load_scenario(path, load_roles(ROOT / "roles"))
    log = tmp_path / "kaart.jsonl"
    app = exercise_app(loaded, log)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        while not screen.ex.is_open("bijstand"):
            await pilot.press("space")
            await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        card = app.screen
        assert isinstance(card, DecisionScreen)
        await pilot.press("enter")  # the first option: verlenen
        await pilot.pause()
        card.query_one("#framing", Select).value = "militaire-bijstand"
        card.query_one("#consent-defensie", Select).value = "no"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.ex.is_open("bijstand")
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    blocked = [e for e in lines if e.get("type") == "decision_blocked"]
    assert [(e["option"], e["reason"], e["consent"], e["framing"]) for e in blocked] == [
        ("verlenen", "instemming", {"defensie": False}, "militaire-bijstand")]
    assert any(e.get("type") == "dilemma" and e["kind"] == "instemming" for e in lines)
