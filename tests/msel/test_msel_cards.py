"""`tabletop msel cards`: one card per inject for the players, the facilitator's part on
pages of its own, a print stylesheet, and every scenario text escaped (no links, no tags)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from mselkit import SCENARIOS, cli

from tabletop.model.loading import LoadedScenario
from tabletop.msel.cards import cards_html


def test_the_introductions_cards(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "cards.html"
    code, _, err = cli(capsys, "msel", "cards", str(SCENARIOS / "introductie.yaml"), "-o",
                       str(target))
    assert code == 0 and "10 kaarten" in err
    page = target.read_text(encoding="utf-8")
    players, _, facilitator = page.partition('<section class="facilitator">')
    assert players.count('<article class="card"') == 10
    assert facilitator.count('<article class="note"') == 10
    first = players[players.index('<article class="card"'):players.index("</article>")]
    assert "T+00:00 · 06:00" in first and "Oefenleiding" in first
    assert "Burgemeester" in first  # recipients by their role's name
    assert "Dalwijk" in first and "{gemeente}" not in first  # parameters filled in
    assert "<strong>Dinsdag, 06:00.</strong>" in first
    # the facilitator's notes are never on a player's card
    assert "Verwachte actie" not in players and "Dit blok ziet alleen u" not in players
    assert "Dit blok ziet alleen u" in facilitator and "Alleen voor de oefenleider" in facilitator
    # an untimed inject's card has a blank for the time; its trigger is the facilitator's
    assert players.count("T+ ______ (invullen bij uitreiken)") == 4
    assert "door de oefenleider" in facilitator and "door de oefenleider" not in players
    assert "15m na ‘Welke voorwaarden" in facilitator
    assert "15m na ‘Welke voorwaarden" not in players
    assert re.search(r"\.facilitator \{ break-before: page;", page)
    assert "@media print" in page and "@page" in page


def test_scenario_text_is_escaped_and_makes_no_links(
        scenario: Callable[[str], LoadedScenario]) -> None:
    loaded = scenario("""
        injects:
          - id: a
            at: 5m
            from: "<img src=x onerror=alert(1)>"
            to: [politie]
            channel: melding
            title: "<script>alert('x')</script>"
            text: "Zie [de kaart](javascript:alert(1)) of https://voorbeeld.invalid & **let op**"
            reliability: onjuist
            facilitator: {guidance: "<b>geheim</b>"}
        """)
    page = cards_html(loaded)
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<img" not in page and "<b>geheim" not in page and "&lt;b&gt;geheim" in page
    assert "<a " not in page and "href" not in page
    assert "[de kaart](javascript:alert(1))" in page  # shown literally, not a link
    assert "&amp; <strong>let op</strong>" in page
    players, _, facilitator = page.partition('<section class="facilitator">')
    assert "onjuist" not in players  # a false lead is known to the facilitator only
    assert "onjuist" in facilitator


def test_english_cards(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "cards.html"
    assert cli(capsys, "msel", "cards", str(SCENARIOS / "voorbeeld.yaml"), "-o", str(target),
               "--lang", "en")[0] == 0
    page = target.read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "For the facilitator only" in page
