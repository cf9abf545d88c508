"""Pilot tests: play the example scenario through the UI, quit and resume, literal text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from apps import exercise_app, load_example
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, RadioSet, Select, TextArea

from tabletop.journal.verify import verify
from tabletop.tui.app import TabletopApp
from tabletop.tui.screens.deadline import DeadlinePrompt
from tabletop.tui.screens.debrief import DebriefScreen
from tabletop.tui.screens.decision import DecisionScreen
from tabletop.tui.screens.exercise import ExerciseScreen
from tabletop.tui.screens.forms import ConfirmScreen, PickScreen


async def take_open_decision(app: TabletopApp, pilot: Pilot[int], decision_id: str,
                             rationale: str) -> str:
    """Open the decision card with `b`, choose the first option, advise, motivate, save."""
    await pilot.press("b")
    await pilot.pause()
    if isinstance(app.screen, PickScreen):
        keys = [key for key, _ in app.screen.items]
        app.screen.query_one(OptionList).highlighted = keys.index(decision_id)
        await pilot.press("enter")
        await pilot.pause()
    card = app.screen
    assert isinstance(card, DecisionScreen)
    assert card.spec.id == decision_id
    spec = card.spec
    if spec.options:
        await pilot.press("enter")  # the radio set has focus: choose the first option
        await pilot.pause()
        assert card.query_one(RadioSet).pressed_index == 0
        for role in spec.consult:
            card.query_one(f"#advice-{role}", Select).value = spec.options[-1].id
    else:
        card.query_one("#answer", Input).value = "De burgemeester, met de NCTV."
    card.query_one("#rationale", Input).value = rationale
    await pilot.press("ctrl+s")
    await pilot.pause()
    return spec.id


@pytest.mark.parametrize("every_card", [False, pytest.param(True, marks=pytest.mark.slow)],
                         ids=["some-cards", "every-card"])
async def test_play_the_example_to_its_end_through_the_ui(tmp_path: Path,
                                                          every_card: bool) -> None:
    """Play the example to its end with the keys. With `-m slow`, every decision of a role at
    the table is taken on its card; by default (a card costs a second) the first decision with
    options and every open question are, and the others lapse at their deadline prompt (`l`)."""
    loaded = load_example()
    log = tmp_path / "oefening.jsonl"
    participants = {r: "" for r in loaded.roles if r != "spoorbeheerder"}
    app = exercise_app(loaded, log, participants=participants)
    taken: list[str] = []
    lapsed: list[str] = []
    left: list[str] = []  # open, not on a card: they lapse at their deadline
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        for _ in range(200):
            if screen.ex.finished:
                break
            if isinstance(app.screen, DeadlinePrompt):
                lapsed.extend(v.decision for v in app.screen.views)
                await pilot.press("l")
                await pilot.pause()
                continue
            played = [v.decision for v in screen.ex.snapshot().open_decisions
                      if not v.simulated and v.decision not in taken + lapsed + left]
            chosen = [d for d in played if every_card or not taken
                      or not loaded.scenario.decision(d).options]
            left.extend(d for d in played if d not in chosen)
            if chosen:
                taken.append(await take_open_decision(app, pilot, chosen[0],
                                                      f"Motivering {len(taken)}"))
                continue
            await pilot.press("space")
            await pilot.pause()
        assert screen.ex.finished
        assert isinstance(app.screen, DebriefScreen)
        feed = screen.query_one("#feed", OptionList)
        assert feed.option_count == len(screen.feed) > 3
    assert taken, "no decision was taken through the card"
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    lines = [d for d in lines if d["type"] != "checkpoint"]  # the signatures
    decisions = {d["decision"]: d for d in lines if d["type"] == "decision" and not d["default"]}
    for index, decision_id in enumerate(taken):
        logged = decisions[decision_id]
        assert logged["rationale"] == f"Motivering {index}"
        spec = loaded.scenario.decision(decision_id)
        assert spec is not None
        if spec.options:
            assert logged["option"] == spec.options[0].id
            assert set(logged["advice"]) == set(spec.consult)
        else:
            assert logged["answer"] == "De burgemeester, met de NCTV."
    cards = [loaded.scenario.decision(d) for d in taken]
    assert any(c and c.options for c in cards) and any(c and not c.options for c in cards), \
        "a card with options and one with an open question"
    defaults = {d["decision"] for d in lines if d["type"] == "decision" and d["default"]}
    assert every_card or lapsed, "a decision left open lapsed at its prompt"
    assert set(lapsed) <= defaults, "what lapsed at its prompt took its default"
    assert any(d["type"] == "decision" and d["simulated"] for d in lines), \
        "the spoorbeheerder, not at the table, decides through the simulator"
    assert lines[-1]["type"] == "end"
    assert verify(log).ok


async def test_quit_mid_exercise_asks_then_resume_continues(tmp_path: Path) -> None:
    loaded = load_example()
    log = tmp_path / "oefening.jsonl"
    app = exercise_app(loaded, log)
    async with app.run_test(size=(100, 32)) as pilot:
        for _ in range(3):
            await pilot.press("space")
            await pilot.pause()
        console = app.screen
        assert isinstance(console, ExerciseScreen)
        before = console.ex.now
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
    assert app.return_value == 0
    written = log.read_bytes()
    assert b'"type":"inject"' in written

    resumed = TabletopApp(start=("resume", log))
    async with resumed.run_test(size=(100, 32)) as pilot:
        screen = resumed.screen
        assert isinstance(screen, ExerciseScreen)
        assert screen.ex.now == before
        assert len(screen.feed) >= 1  # what was delivered before is on the screen again
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        resumed.screen.query_one("#text", TextArea).text = "Na hervatten: [bold]letterlijk[/bold]"
        await pilot.press("ctrl+s")
        await pilot.pause()
    after = log.read_bytes()
    assert after.startswith(written), "nothing that was logged is rewritten"
    assert b'"type":"resumed"' in after
    assert "[bold]letterlijk[/bold]" in after.decode()
    assert verify(log).ok


async def test_text_from_scenarios_is_shown_literally(tmp_path: Path) -> None:
    source = load_example().path.read_text(encoding="utf-8")
    hostile = source.replace('title: Dreigingsbeeld rond de transportroute',
                             'title: "[bold red]Dreiging[/bold red] \\e[31mrood"')
    path = tmp_path / "scenarios" / "voorbeeld.yaml"
    path.parent.mkdir()
    path.write_text(hostile, encoding="utf-8")
    for name in ("materiaal",):
        (path.parent / name).mkdir()
        for f in (load_example().path.parent / name).iterdir():
            (path.parent / name / f.name).write_bytes(f.read_bytes())
    loaded = load_example(path)
    app = exercise_app(loaded, None)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("space")
        await pilot.pause()
        feed = app.screen.query_one("#feed", OptionList)
        shown = str(feed.get_option_at_index(0).prompt)
        assert "[bold red]Dreiging[/bold red]" in shown
        assert "\x1b" not in shown and "rood" in shown


async def test_debrief_exports_the_report_next_to_the_log(tmp_path: Path) -> None:
    loaded = load_example()
    log = tmp_path / "oefening.jsonl"
    app = exercise_app(loaded, log)
    async with app.run_test(size=(100, 32)) as pilot:
        for _ in range(3):
            await pilot.press("space")
            await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("y")  # confirm ending
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("ctrl+e")
        await pilot.pause()
    html = log.with_suffix(".html").read_text(encoding="utf-8")
    assert "<html" in html and "Testoefening" in html
    assert log.with_suffix(".md").read_text(encoding="utf-8").startswith("#")


async def test_the_app_speaks_english_with_lang_en(tmp_path: Path) -> None:
    app = exercise_app(load_example(), None, lang="en")
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("space")
        await pilot.pause()
        screen = app.screen
        descriptions = {b.description for bs in screen._bindings.key_to_bindings.values()
                        for b in bs}
        assert {"Next", "Decide", "Send inject"} <= descriptions
        header = str(screen.query_one("#ex-clock").render())
        assert "next T+" in header
        await pilot.press("question_mark")
        await pilot.pause()
        texts = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "Every action has a key" in texts and "Next" in texts


async def test_compressed_real_time_runs_and_pauses(tmp_path: Path) -> None:
    from tabletop.journal.session import LiveSession, SessionSettings
    from tabletop.tui.screens.exercise import ExerciseScreen

    loaded = load_example()
    settings = SessionSettings(participants={r: "" for r in loaded.roles}, clock_factor=15)
    app = TabletopApp(start=("custom", lambda a: ExerciseScreen(
        LiveSession.start(loaded, settings, None))))
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        await pilot.pause(2.3)  # with a factor, the clock runs from the start
        assert screen.ex.now >= 15, "the clock advanced by itself"
        await pilot.press("r")
        await pilot.pause()  # the pause has taken effect (a busy machine may tick once more)
        paused_at = screen.ex.now
        await pilot.pause(1.5)
        assert screen.ex.now == paused_at, "paused: the story stands still"


async def test_every_action_is_in_the_command_palette(tmp_path: Path) -> None:
    from tabletop.tui.screens.forms import NoteScreen

    app = exercise_app(load_example(), None)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Notitie")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, NoteScreen)


async def test_a_log_that_cannot_be_written_stops_the_exercise(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import os

    from tabletop.tui.screens.forms import MessageScreen

    log = tmp_path / "oefening.jsonl"
    app = exercise_app(load_example(), log)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("space")
        await pilot.pause()
        written = log.read_bytes()
        console = app.screen
        assert isinstance(console, ExerciseScreen)
        before = console.ex.now

        def full(fd: int, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "write", full)
        await pilot.press("space")
        await pilot.pause()
        message = app.screen
        assert isinstance(message, MessageScreen)
        assert "disk is full" in message.body
        await pilot.press("escape")
        await pilot.pause()
        monkeypatch.undo()
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        now = screen.ex.now
        await pilot.press("space")
        await pilot.pause()
        assert screen.ex.now == now, "no further actions once the log failed"
    assert log.read_bytes() == written
    assert before <= now


async def test_escape_goes_home_after_asking_and_the_log_is_listed(tmp_path: Path) -> None:
    from tabletop.tui.screens.home import HomeScreen

    log_dir = tmp_path / "logs"
    log_dir.mkdir()
    loaded = load_example()
    log = log_dir / "oefening.jsonl"
    app = TabletopApp(start=("home", None))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        from tabletop.journal.session import LiveSession, SessionSettings
        from tabletop.tui.screens.exercise import ExerciseScreen

        settings = SessionSettings(title="Oefening Zeestad",
                                   participants={r: "" for r in loaded.roles})
        await app.push_screen(ExerciseScreen(LiveSession.start(loaded, settings, log)))
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is home
        assert any(entry.path == log for entry in home.logs)
