"""The control view: what is to come, the true next event, release and skip, rule effects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from apps import ROOT, exercise_app, load_example
from textual.widgets import Button, Input, OptionList

from tabletop.engine.exercise import Exercise
from tabletop.model.events import EffectApplied
from tabletop.model.commands import Decide, Step
from tabletop.tui.control import CommandHistory, true_next, upcoming
from tabletop.tui.screens.exercise import ExerciseScreen
from tabletop.tui.screens.forms import AskScreen, ChoiceScreen


@pytest.mark.parametrize("name", ["voorbeeld.yaml", "konvooi.yaml", "depot.yaml"])
def test_the_next_event_is_where_the_next_step_goes(name: str) -> None:
    """Not the engine's next tick (peek): the minute at which the next step shows something."""
    loaded = load_example(ROOT / "scenarios" / name)
    ex = Exercise(loaded, participants=set(list(loaded.roles)[:2]))
    history = CommandHistory()
    differs = 0
    for turn in range(60):
        if ex.finished:
            break
        expected = true_next(ex, history)
        differs += expected != ex.peek()
        open_now = [v for v in ex.snapshot().open_decisions if not v.simulated]
        if turn % 3 == 0 and open_now:
            spec = loaded.scenario.decision(open_now[0].decision)
            if spec is not None and spec.options:
                ex.apply(Decide(decision=spec.id, option=spec.options[-1].id))
                history.record(ex.now, Decide(decision=spec.id, option=spec.options[-1].id))
                continue
        played = ex.apply(Step())
        assert played and played[0].t == expected
    if name == "konvooi.yaml":
        assert differs, "konvooi's rules tick where nothing shows: peek alone would be wrong"


def test_upcoming_lists_manual_injects_apart_with_trigger_and_guard() -> None:
    loaded = load_example(ROOT / "scenarios" / "depot.yaml")
    items = upcoming(Exercise(loaded))
    manual = [u for u in items if u.manual]
    assert manual and items[-len(manual):] == manual, "manual injects come last, apart"
    timed = [u.t for u in items if u.t is not None and not u.manual]
    assert timed == sorted(timed)
    assert any(u.guard for u in items) or not any(i.if_ for i in loaded.scenario.injects)


async def test_skip_from_the_control_tab_asks_a_reason_and_logs_it(tmp_path: Path) -> None:
    log = tmp_path / "oefening.jsonl"
    app = exercise_app(load_example(), log)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        await pilot.press("space")
        await pilot.press("3")
        await pilot.pause()
        listing = screen.query_one("#control-list", OptionList)
        listing.focus()
        index = next(i for i in range(listing.option_count)
                     if (listing.get_option_at_index(i).id or "").startswith("inject:"))
        inject = (listing.get_option_at_index(index).id or "").removeprefix("inject:")
        listing.highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        app.screen.query_one("#choice-skip", Button).press()
        await pilot.pause()
        assert isinstance(app.screen, AskScreen), "skip asks for a reason"
        app.screen.query_one(Input).value = "Past niet in de tijd"
        await pilot.press("enter")
        await pilot.pause()
        ids = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
        assert f"inject:{inject}" not in ids
    lines = [json.loads(x) for x in log.read_text().splitlines()]
    skipped = [d for d in lines if d["type"] == "inject_skipped" and d["inject"] == inject]
    assert skipped and skipped[0]["why"] == "Past niet in de tijd", "the reason is logged"


async def test_rule_effects_appear_in_the_feed_with_their_rule(tmp_path: Path) -> None:
    app = exercise_app(load_example(ROOT / "scenarios" / "konvooi.yaml"), None)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        for _ in range(200):
            if any(isinstance(e, EffectApplied) and e.source.startswith("rule:")
                   for e in screen.ex.events) or screen.ex.finished:
                break
            if screen.app.screen is not screen:  # a deadline prompt: let it lapse
                await pilot.press("l")
            else:
                await pilot.press("space")
            await pilot.pause()
        rule = next(e for e in screen.ex.events
                    if isinstance(e, EffectApplied) and e.source.startswith("rule:"))
        feed = screen.query_one("#feed", OptionList)
        texts = [str(feed.get_option_at_index(i).prompt) for i in range(feed.option_count)]
        name = rule.source.removeprefix("rule:")
        assert any(f"regel {name}" in text for text in texts)


async def test_the_state_is_adjusted_by_hand_with_its_reason(tmp_path: Path) -> None:
    """Issue 11: manual state adjustment with a reason, logged as a command and shown."""
    from textual.widgets import Label, Select

    from tabletop.journal.verify import verify
    from tabletop.tui.screens.forms import AdjustScreen

    log = tmp_path / "oefening.jsonl"
    app = exercise_app(load_example(), log)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, AdjustScreen)
        dialog: AdjustScreen = app.screen
        dialog.query_one("#variable", Select).value = "spanning"
        dialog.query_one("#value", Input).value = "4"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog, "no reason given: the dialog stays and says why"
        assert "reden" in str(dialog.query_one("#adjust-problem", Label).content)
        dialog.query_one("#reason", Input).value = "De burgemeester meldt rellen in de wijk"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, AdjustScreen), "saved: the dialog closed"
        assert screen.ex.world.state["spanning"] == 4
    lines = [json.loads(x) for x in log.read_text().splitlines()]
    adjusted = [d for d in lines if d["type"] == "adjusted"]
    assert adjusted and adjusted[0]["changes"] == {"spanning": [1, 4]}
    assert adjusted[0]["reason"] == "De burgemeester meldt rellen in de wijk"
    assert verify(log).ok


async def test_what_a_seat_submits_arrives_in_the_console_and_its_log(tmp_path: Path) -> None:
    """Issue 16: a seat's submission (here the OvJ's note, from `tabletop seat`) is taken by
    the facilitator's console, the one writer, in the order it arrived."""
    from tabletop.journal.seats import SeatLink
    from tabletop.journal.store import FileStore
    from tabletop.model.commands import Note

    log = tmp_path / "oefening.jsonl"
    app = exercise_app(load_example(), log)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        await pilot.press("space")
        link = SeatLink(FileStore(log), "om")
        link.submit(Note(text="OvJ: eerst de bron veiligstellen", by="om", origin="seat:om"))
        for _ in range(40):
            await pilot.pause(0.1)
            if any(getattr(e, "text", "") == "OvJ: eerst de bron veiligstellen"
                   for e in screen.ex.events):
                break
        assert any(getattr(e, "text", "") == "OvJ: eerst de bron veiligstellen"
                   for e in screen.ex.events), "the seat's note reached the exercise"
    lines = [json.loads(x) for x in log.read_text().splitlines()]
    origins = [x["command"].get("origin") for x in lines if x["type"] == "command"]
    assert "seat:om" in origins
    assert link.outcomes()[next(iter(link.outcomes()))].state == "applied"
