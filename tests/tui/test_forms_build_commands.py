"""The console's dialogs return the commands they built; what a command refuses is said in
the dialog, which stays open with what was typed (never a traceback)."""

from __future__ import annotations

import json
from pathlib import Path

from apps import exercise_app, load_example
from textual.widgets import Input, TextArea

from tabletop.tui.screens.forms import AdHocScreen


def logged(log: Path, kind: str) -> list[dict[str, object]]:
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()[1:]]
    return [ln["command"] for ln in lines
            if ln["type"] == "command" and ln["command"]["kind"] == kind]


async def test_an_adhoc_inject_with_a_sender_too_long_stays_in_its_dialog(
        tmp_path: Path) -> None:
    log = tmp_path / "oefening.jsonl"
    app = exercise_app(load_example(), log)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AdHocScreen)
        dialog.query_one("#title", Input).value = "Persbericht"
        dialog.query_one("#sender", Input).value = "Woordvoering " * 10  # 130 characters
        dialog.query_one("#text", TextArea).text = "De driehoek komt bijeen."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog, "the dialog closed on a field the command refuses"
        shown = [n.message for n in app._notifications]
        assert any("de afzender is te lang (hoogstens 80 tekens)" in m for m in shown), shown
        assert logged(log, "adhoc") == []

        dialog.query_one("#sender", Input).value = "Woordvoering"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not dialog
    sent = logged(log, "adhoc")
    assert len(sent) == 1
    assert sent[0]["title"] == "Persbericht" and sent[0]["sender"] == "Woordvoering"
    assert sent[0]["text"] == "De driehoek komt bijeen."


async def test_a_decision_with_a_rationale_too_long_stays_on_its_card(tmp_path: Path) -> None:
    from test_exercise_flow import take_open_decision

    from tabletop.tui.screens.decision import DecisionScreen
    from tabletop.tui.screens.exercise import ExerciseScreen

    log = tmp_path / "oefening.jsonl"
    app = exercise_app(load_example(), log)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        for _ in range(50):
            if screen.ex.snapshot().open_decisions:
                break
            await pilot.press("space")
            await pilot.pause()
        opened = screen.ex.snapshot().open_decisions[0].decision
        await take_open_decision(app, pilot, opened, "x" * 20_001)
        assert isinstance(app.screen, DecisionScreen), "the card closed on a refused field"
        shown = [n.message for n in app._notifications]
        assert any("de motivering is te lang (hoogstens 20000 tekens)" in m for m in shown)
        assert logged(log, "decide") == []
        app.screen.query_one("#rationale", Input).value = "Kort en goed."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, DecisionScreen)
    decided = logged(log, "decide")
    assert [d["decision"] for d in decided] == [opened]
    assert decided[0]["rationale"] == "Kort en goed."


def test_a_refusal_other_than_length_says_what_the_loader_would() -> None:
    import pytest
    from pydantic import ValidationError

    from tabletop.i18n import Translator
    from tabletop.model.commands import Observe
    from tabletop.tui.screens.forms import refused

    with pytest.raises(ValidationError) as caught:
        Observe.model_validate({"text": "x", "rating": "Q"})
    assert refused(Translator("nl"), caught.value) == (
        "Niet opgeslagen: de beoordeling is niet geldig ('Q' is hier niet toegestaan "
        "(verwacht: 'P', 'S', 'M' of 'U')).")
    assert refused(Translator("en"), caught.value).startswith(
        "Not saved: the rating is not valid ('Q' is not allowed here")
