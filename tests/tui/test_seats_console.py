"""Issue 16 in the facilitator's console: the seats' advice on the decision card, and a
queue of the seats' decisions that wait for the facilitator's confirmation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from apps import load_example
from textual.widgets import Input, Label, OptionList, RadioButton, Select, Static

from tabletop.journal.seats import Advice, SeatLink
from tabletop.journal.session import LiveSession, SessionSettings
from tabletop.journal.store import FileStore
from tabletop.journal.verify import verify
from tabletop.model.commands import Decide, Note
from tabletop.model.loading import LoadedScenario
from tabletop.tui.app import TabletopApp
from tabletop.tui.screens.decision import DecisionScreen
from tabletop.tui.screens.exercise import ExerciseScreen
from tabletop.tui.screens.forms import AskScreen, ChoiceScreen

DECISION = "blokkade-aanpak"


def _app(loaded: LoadedScenario, log: Path, mode: str = "apply") -> TabletopApp:
    settings = SessionSettings(title="Testoefening", participants={r: "" for r in loaded.roles},
                               seat_decisions=mode)

    def screen(app: TabletopApp) -> ExerciseScreen:
        return ExerciseScreen(LiveSession.start(loaded, settings, log))

    return TabletopApp(start=("custom", screen))


async def _until(pilot: Any, predicate: Any, tries: int = 60) -> bool:
    for _ in range(tries):
        if predicate():
            return True
        await pilot.pause(0.1)
    return bool(predicate())


async def _open_blockade(pilot: Any, screen: ExerciseScreen) -> None:
    for _ in range(20):
        if screen.ex.is_open(DECISION):
            return
        await pilot.press("space")
        await pilot.pause()
    assert screen.ex.is_open(DECISION)


def _lines(log: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in log.read_text().splitlines()]


async def test_the_decision_card_opens_with_a_seats_advice(tmp_path: Path) -> None:
    log = tmp_path / "oefening.jsonl"
    app = _app(load_example(), log)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        await _open_blockade(pilot, screen)
        police = SeatLink(FileStore(log), "politie")
        police.submit(Note(text="Advies: ontruimen", by="politie", origin="seat:politie"),
                      Advice(decision=DECISION, value="ontruimen"))
        assert await _until(pilot, lambda: screen.seat_host is not None and
                            screen.seat_host.advice_for(DECISION) == {"politie": "ontruimen"})
        screen._open_decision_card(DECISION)  # what `b` opens for this decision
        await pilot.pause()
        card = app.screen
        assert isinstance(card, DecisionScreen)
        advice = card.query_one("#advice-politie", Select)
        assert advice.value == "ontruimen", "prefilled with what the seat advised"
        labels = " ".join(str(label.render()) for label in card.query(Label))
        assert "◂ via seat:politie: Laten beëindigen" in labels, "marked as from the seat"
        assert labels.count("via seat:") == 1
        assert card.query_one("#advice-om", Select).value == Select.NULL
        assert not card.typed(), "the seat's advice is not something the facilitator typed"
        card.query_one("#advice-om", Select).value = "gedogen"  # the facilitator adds one
        card.query_one("#opt-ontruimen", RadioButton).value = True
        card.query_one("#rationale", Input).value = "Doorgang herstellen"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not screen.ex.is_open(DECISION)
    decide = next(x["command"] for x in _lines(log) if x["type"] == "command"
                  and x["command"]["kind"] == "decide")
    assert decide["advice"] == {"politie": "ontruimen", "om": "gedogen"}
    assert decide.get("origin", "facilitator") == "facilitator"
    assert verify(log).ok


async def test_a_seats_decision_waits_in_the_control_tab_then_confirm_and_reject(
        tmp_path: Path) -> None:
    log = tmp_path / "oefening.jsonl"
    app = _app(load_example(), log, mode="confirm")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        await _open_blockade(pilot, screen)
        mayor = SeatLink(FileStore(log), "burgemeester")
        first = mayor.submit(Decide(decision=DECISION, option="gedogen", rationale="Rust eerst",
                                    by="burgemeester", origin="seat:burgemeester"))
        assert await _until(pilot, lambda: screen.pending_seats())
        assert screen.ex.is_open(DECISION), "it waits: nothing is applied yet"
        header = str(screen.query_one("#ex-clock", Static).render())
        assert "1 wacht op bevestiging" in header
        screen.action_tab("tab-control")
        await pilot.pause()
        listing = screen.query_one("#control-list", OptionList)
        rows = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert "Wacht op bevestiging (1)" in rows[0]
        assert "Gedogen" in rows[1] and "Rust eerst" in rows[1]
        # reject, with a reason the seat is told
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, AskScreen)
        app.screen.query_one("#value", Input).value = "Eerst de driehoek"
        await pilot.press("enter")
        await pilot.pause()
        assert not screen.pending_seats() and screen.ex.is_open(DECISION)
        outcome = mayor.outcomes()[first]
        assert (outcome.state, outcome.message) == ("rejected", "Eerst de driehoek")
        # a second one, confirmed from the list (enter, then confirm)
        second = mayor.submit(Decide(decision=DECISION, option="ontruimen",
                                     by="burgemeester", origin="seat:burgemeester"))
        assert await _until(pilot, lambda: screen.pending_seats())
        listing.focus()
        listing.highlighted = 1
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        app.screen.dismiss("confirm")
        await pilot.pause()
        assert not screen.ex.is_open(DECISION), "confirmed: applied through the one writer"
        assert mayor.outcomes()[second].state == "applied"
        assert "wacht op bevestiging" not in str(screen.query_one("#ex-clock", Static).render())
    commands = [x["command"] for x in _lines(log) if x["type"] == "command"
                and x["command"]["kind"] == "decide"]
    assert [(c["option"], c["origin"]) for c in commands] == [("ontruimen",
                                                               "seat:burgemeester")]
    assert _lines(log)[0]["seat_decisions"] == "confirm"
    notes = [x["command"]["text"] for x in _lines(log) if x["type"] == "command"
             and x["command"]["kind"] == "note"]
    assert len(notes) == 1, "the log keeps what was turned down, and why"
    assert notes[0].startswith("Afgewezen (van de plaats van ")
    assert "Gedogen" in notes[0] and notes[0].endswith("Reden: Eerst de driehoek")
    assert verify(log).ok


async def test_the_confirm_key_and_a_decision_that_closed_meanwhile(tmp_path: Path) -> None:
    log = tmp_path / "oefening.jsonl"
    app = _app(load_example(), log, mode="confirm")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        await _open_blockade(pilot, screen)
        mayor = SeatLink(FileStore(log), "burgemeester")
        sid = mayor.submit(Decide(decision=DECISION, option="afwachten", by="burgemeester",
                                  origin="seat:burgemeester"))
        assert await _until(pilot, lambda: screen.pending_seats())
        await pilot.press("c")  # the only one waiting: confirmed at once
        await pilot.pause()
        assert not screen.ex.is_open(DECISION) and mayor.outcomes()[sid].state == "applied"
        await pilot.press("c")
        await pilot.pause()
        assert not screen.pending_seats()


async def test_a_waiting_decision_the_facilitator_took_meanwhile_is_refused(
        tmp_path: Path) -> None:
    log = tmp_path / "oefening.jsonl"
    app = _app(load_example(), log, mode="confirm")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        await _open_blockade(pilot, screen)
        mayor = SeatLink(FileStore(log), "burgemeester")
        late = mayor.submit(Decide(decision=DECISION, option="ontruimen", by="burgemeester",
                                   origin="seat:burgemeester"))
        assert await _until(pilot, lambda: screen.pending_seats())
        screen.perform(Decide(decision=DECISION, option="afwachten", by="burgemeester"))
        assert await _until(pilot, lambda: late in mayor.outcomes() and
                            mayor.outcomes()[late].state == "refused")
        assert "niet meer open" in mayor.outcomes()[late].message
        assert not screen.pending_seats()
    options = [x["command"]["option"] for x in _lines(log) if x["type"] == "command"
               and x["command"]["kind"] == "decide"]
    assert options == ["afwachten"], "the seat's decision was never applied"


async def test_the_seat_mode_is_chosen_in_the_set_up_and_toggled_in_the_log(
        tmp_path: Path) -> None:
    from tabletop.tui.screens.setup import SeatBox, SetupScreen

    log = tmp_path / "oefening.jsonl"
    loaded = load_example()
    app = TabletopApp(start=("custom", lambda app: SetupScreen(loaded, log_path=log)))
    async with app.run_test(size=(100, 40)) as pilot:
        app.screen.query_one("#seat-confirm", SeatBox).value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        assert screen.session.settings.seat_decisions == "confirm"
        await pilot.press("space")
        await pilot.press("s")
        await pilot.pause()
        assert screen.session.settings.seat_decisions == "apply"
        signals = str(screen.query_one("#signal-list", Static).render())
        assert "gelden direct" in signals
        screen.session.close()  # as leaving the exercise does (the log's lock is released)
    lines = _lines(log)
    assert lines[0]["seat_decisions"] == "confirm"
    assert [x["mode"] for x in lines if x["type"] == "seat_mode"] == ["apply"]
    assert verify(log).ok
    resumed = TabletopApp(start=("resume", log))
    async with resumed.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = resumed.screen
        assert isinstance(screen, ExerciseScreen)
        assert screen.session.settings.seat_decisions == "apply", "the last mode set"
