"""The TUI shows loader and journal messages in its own language (`--lang`), whatever
language the process rendered in before: the problems screen, the home screen's logs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from textual.widgets import OptionList

from tabletop.errors import ScenarioProblems
from tabletop.model.loading import load_roles, load_scenario
from tabletop.tui.app import TabletopApp
from tabletop.tui.screens.home import HomeScreen
from tabletop.tui.screens.problems import ProblemsScreen

ROOT = Path(__file__).resolve().parents[2]
BROKEN = ("format: 1\nid: kapot\ntitle: Kapot\nstart: 2027-03-14T06:00:00+01:00\n"
          "roles: [burgemeester, politie]\n"
          "injects:\n  - {id: m, at: tien minuten, from: M, to: [politie], channel: c,\n"
          "     title: T, colour: rood}\n")


async def _wait(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _problems(tmp_path: Path) -> list:  # type: ignore[type-arg]
    path = tmp_path / "kapot.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    with pytest.raises(ScenarioProblems) as info:
        load_scenario(path, load_roles(ROOT / "roles"))
    return info.value.problems


@pytest.mark.parametrize(("lang", "expected"), [
    ("nl", ["kapot.yaml:7:17: injects[m].at: 'tien minuten' is geen duur; schrijf bijvoorbeeld "
            "45m, 2h, 1h30m of 1d6h",
            "kapot.yaml:7:64: injects[m].channel: 'c' is niet een van 'briefing', 'melding', ",
            "kapot.yaml:8:16: onbekende sleutel 'colour'"]),
    ("en", ["kapot.yaml:7:17: injects[m].at: 'tien minuten' is not a duration; write e.g. 45m, "
            "2h, 1h30m or 1d6h",
            "kapot.yaml:7:64: injects[m].channel: 'c' is not one of 'briefing', 'melding', ",
            "kapot.yaml:8:16: unknown key 'colour'"]),
])
async def test_the_problems_screen_speaks_the_apps_language(
        tmp_path: Path, lang: str, expected: list[str]) -> None:
    problems = _problems(tmp_path)
    app = TabletopApp(lang=lang, start=("home", None))
    async with app.run_test(size=(160, 40)) as pilot:
        await _wait(pilot)
        app.push_screen(ProblemsScreen(tmp_path / "kapot.yaml", problems))
        await pilot.pause()
        shown = app.screen.query_one("#problem-list", OptionList)
        lines = [str(shown.get_option_at_index(i).prompt) for i in range(shown.option_count)]
        assert lines[0] == expected[0]
        assert len(lines) == 3 and all(
            line.startswith(want) for line, want in zip(lines[1:], expected[1:], strict=True))


@pytest.mark.parametrize(("lang", "expected"), [
    ("nl", "regel 1: veld 'seed': hier hoort een geheel getal, gevonden: 'abc'"),
    ("en", "line 1: field 'seed': expected a whole number, found 'abc'"),
])
async def test_the_home_screen_says_why_a_log_is_unusable_in_the_apps_language(
        lang: str, expected: str) -> None:
    folder = Path(os.environ["TABLETOP_LOG_DIR"])
    folder.mkdir(parents=True)
    header = {"type": "header", "format": 2, "scenario": {"id": "s", "path": "s.yaml",
                                                          "hash": "x"},
              "seed": "abc", "participants": {}}
    (folder / "slecht.jsonl").write_text(json.dumps(header) + "\n", encoding="utf-8")
    app = TabletopApp(lang=lang, start=("home", None))
    async with app.run_test(size=(160, 40)) as pilot:
        await _wait(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        logs = home.query_one("#log-list", OptionList)
        label = str(logs.get_option_at_index(0).prompt)
        assert expected in label, label
