"""Pilot tests: a deadline never passes unseen, nothing typed is lost (issue 11)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from apps import exercise_app, load_example, next_until
from textual.pilot import Pilot
from textual.widgets import Button, Input, RadioSet, TextArea

from tabletop.journal.reader import read_journal
from tabletop.journal.session import LiveSession, SessionSettings
from tabletop.model.commands import Decide
from tabletop.tui.app import TabletopApp
from tabletop.tui.drafts import drafts_path
from tabletop.tui.screens.deadline import DeadlinePrompt
from tabletop.tui.screens.decision import DecisionScreen
from tabletop.tui.screens.exercise import ExerciseScreen
from tabletop.tui.screens.forms import ChoiceScreen, NoteScreen, PickScreen
from tabletop.tui.screens.participant import clock_base


def logged(log: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in log.read_text().splitlines()]


def lapsed_seated(lines: list[dict]) -> list[str]:  # type: ignore[type-arg]
    return [d["decision"] for d in lines if d["type"] == "decision" and d["default"]]


async def test_forty_quick_spaces_lapse_no_decision_of_a_seated_role(tmp_path: Path) -> None:
    log = tmp_path / "oefening.jsonl"
    app = exercise_app(load_example(), log)  # every role at the table
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        for _ in range(40):
            await pilot.press("space")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, DeadlinePrompt), "the clock stopped before a deadline"
        due = prompt.views[0]
        assert due.deadline_t is not None
        assert screen.ex.now == due.deadline_t - 1, "stopped the minute before"
        assert screen.ex.is_open(due.decision)
        assert clock_base(read_journal(log)).t == due.deadline_t - 1, \
            "the log tells the seats and the projector where the clock stopped"
        await pilot.press("enter")  # the focused choice decides; it never lapses
        await pilot.pause()
        assert isinstance(app.screen, DecisionScreen)
    assert lapsed_seated(logged(log)) == []


async def test_lapse_takes_l_and_extend_is_logged(tmp_path: Path) -> None:
    log = tmp_path / "oefening.jsonl"
    app = exercise_app(load_example(), log)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        await next_until(pilot, lambda: False, 20)  # spaces, up to the deadline prompt
        prompt = app.screen
        assert isinstance(prompt, DeadlinePrompt)
        first = prompt.views[0]
        assert first.deadline_t is not None
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, PickScreen)
        await pilot.press("enter")  # 15 minutes later
        await pilot.pause()
        moved = next(v for v in screen.ex.snapshot().open_decisions
                     if v.decision == first.decision)
        assert moved.deadline_t == first.deadline_t + 15
        await next_until(pilot, lambda: False, 20)  # on to the next deadline prompt
        prompt = app.screen
        assert isinstance(prompt, DeadlinePrompt)
        lapse = prompt.views[0].decision
        await pilot.press("l")
        await pilot.pause()
    lines = logged(log)
    extended = [d for d in lines if d["type"] == "deadline_extended"]
    assert extended and extended[0]["decision"] == first.decision
    assert extended[0]["deadline_t"] == first.deadline_t + 15
    assert lapse in lapsed_seated(lines), "l let the deadline lapse: the default applied"


async def test_open_card_with_compressed_clock_lets_no_deadline_pass(tmp_path: Path) -> None:
    loaded = load_example()
    log = tmp_path / "oefening.jsonl"
    settings = SessionSettings(participants={r: "" for r in loaded.roles}, clock_factor=15)
    app = TabletopApp(start=("custom", lambda a: ExerciseScreen(
        LiveSession.start(loaded, settings, log))))
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        screen._stop_clock()
        while not any(not v.simulated for v in screen.ex.snapshot().open_decisions):
            screen.clock_tick()  # a real second of the compressed clock: 15 story minutes
        await pilot.pause()
        screen._start_clock()
        view = next(v for v in screen.ex.snapshot().open_decisions if not v.simulated)
        screen._open_decision_card(view.decision)
        await pilot.pause()
        card = app.screen
        assert isinstance(card, DecisionScreen)
        assert "gepauzeerd" in str(screen.query_one("#ex-clock").render())
        stood = screen.ex.now
        for _ in range(40):  # forty seconds at 1 s = 15 min: ten story hours
            screen.clock_tick()
        await pilot.pause(1.2)
        assert screen.ex.now == stood, "the clock is paused while the card is open"
        assert screen.ex.is_open(view.decision)
        await pilot.press("enter")
        card.query_one("#rationale", Input).value = "Gekozen terwijl de klok liep"
        await pilot.press("ctrl+s")
        await pilot.pause()
    chosen = [d for d in logged(log) if d["type"] == "decision"
              and d["decision"] == view.decision]
    assert chosen and not chosen[0]["default"]
    assert chosen[0]["rationale"] == "Gekozen terwijl de klok liep"
    assert lapsed_seated(logged(log)) == []


async def open_card_with_typing(app: TabletopApp, pilot: Pilot[int], text: str) -> str:
    screen = app.screen
    assert isinstance(screen, ExerciseScreen)
    for _ in range(30):
        if any(not v.simulated for v in screen.ex.snapshot().open_decisions):
            break
        await pilot.press("space")
        await pilot.pause()
    view = next(v for v in screen.ex.snapshot().open_decisions if not v.simulated)
    screen._open_decision_card(view.decision)
    await pilot.pause()
    card = app.screen
    assert isinstance(card, DecisionScreen)
    await pilot.press("down", "enter")  # the second option
    card.query_one("#rationale", Input).value = text
    await pilot.pause()
    return view.decision


async def test_a_crash_with_a_half_filled_card_restores_the_draft_on_resume(
        tmp_path: Path) -> None:
    log = tmp_path / "oefening.jsonl"
    app = exercise_app(load_example(), log)
    async with app.run_test(size=(100, 32)) as pilot:
        decision = await open_card_with_typing(app, pilot, "Halverwege getypt")
        console = app.screen_stack[-2]
        assert isinstance(console, ExerciseScreen)
        writer = console.session.writer
        os.close(writer._fd)  # the crash: the system closes the log (and drops its lock),
        writer._fd = -1  # nothing is saved or closed by the app
        app.exit(1)
    drafts = drafts_path(log)
    assert stat.S_IMODE(drafts.stat().st_mode) == 0o600
    resumed = TabletopApp(start=("resume", log))
    async with resumed.run_test(size=(100, 32)) as pilot:
        screen = resumed.screen
        assert isinstance(screen, ExerciseScreen)
        screen._open_decision_card(decision)
        await pilot.pause()
        card = resumed.screen
        assert isinstance(card, DecisionScreen)
        assert card.query_one("#rationale", Input).value == "Halverwege getypt"
        assert card.query_one(RadioSet).pressed_index == 1
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert not drafts.exists(), "logged: the draft is gone"
    taken = [d for d in logged(log) if d["type"] == "decision" and d["decision"] == decision]
    assert taken[0]["rationale"] == "Halverwege getypt"


async def test_closing_the_card_keeps_the_draft_and_a_refusal_is_in_dutch(tmp_path: Path) -> None:
    log = tmp_path / "oefening.jsonl"
    app = exercise_app(load_example(), log)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        decision = await open_card_with_typing(app, pilot, "Eerste gedachte")
        await pilot.press("escape")
        await pilot.pause()
        choice = app.screen
        assert isinstance(choice, ChoiceScreen), "escape on typed text asks"
        choice.query_one("#choice-keep", Button).press()
        await pilot.pause()
        back = app.screen
        assert isinstance(back, ExerciseScreen)
        screen._open_decision_card(decision)
        await pilot.pause()
        card = app.screen
        assert isinstance(card, DecisionScreen)
        assert card.query_one("#rationale", Input).value == "Eerste gedachte"
        # meanwhile the decision is taken another way (a second console, say)
        spec = card.spec
        screen.session.apply(Decide(decision=decision, option=spec.options[0].id))
        await pilot.press("ctrl+s")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("al genomen" in m and "concept is bewaard" in m for m in messages), messages
        assert not any("already" in m for m in messages)
    assert json.loads(drafts_path(log).read_text())[f"decision:{decision}"]["rationale"] == \
        "Eerste gedachte"


async def test_escape_on_a_typed_note_asks_and_the_note_draft_survives(tmp_path: Path) -> None:
    log = tmp_path / "oefening.jsonl"
    app = exercise_app(load_example(), log)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"Nog uitzoeken")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("enter")  # the focused answer: keep typing
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        assert app.screen.query_one("#text", TextArea).text == "Nog uitzoeken"
        await pilot.press("escape")
        await pilot.pause()
        app.screen.query_one("#choice-keep", Button).press()
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one("#text", TextArea).text == "Nog uitzoeken"


async def test_the_log_says_where_the_clock_stopped_and_how_fast_it_ran(tmp_path: Path) -> None:
    """Followers (the participant view) keep time from the journaled clock."""
    loaded = load_example()
    log = tmp_path / "oefening.jsonl"
    settings = SessionSettings(participants={r: "" for r in loaded.roles}, clock_factor=15)
    app = TabletopApp(start=("custom", lambda a: ExerciseScreen(
        LiveSession.start(loaded, settings, log))))
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        for _ in range(40):
            if isinstance(app.screen, DeadlinePrompt):
                break
            screen.clock_tick()
            await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, DeadlinePrompt)
        deadline = prompt.views[0].deadline_t
        assert deadline is not None
    clocks = [d for d in logged(log) if d["type"] == "clock"]
    assert clocks[0]["factor"] == 15 and clocks[0]["t"] == 0, "running from the start"
    assert clocks[-1]["factor"] == 0 and clocks[-1]["t"] == deadline - 1, \
        "stopped the minute before the deadline, and the log says so"
