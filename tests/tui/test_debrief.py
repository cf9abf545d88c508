"""The debrief shows expectations and observations as the report does; the hot wash is kept."""

from __future__ import annotations

import json
from pathlib import Path

from test_snapshots import app_on, played_log
from textual.widgets import TextArea

from tabletop.journal.verify import verify
from tabletop.tui.drafts import drafts_path
from tabletop.tui.screens.debrief import DebriefScreen
from tabletop.tui.screens.forms import NoteScreen


async def test_expectations_observations_and_a_hot_wash_note(tmp_path: Path) -> None:
    session, log = played_log(tmp_path)
    app = app_on(lambda a: DebriefScreen(session))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        expectations = str(screen.query_one("#debrief-expectations").render())
        assert "gehaald" in expectations and "gemist" in expectations
        assert " open" in expectations  # the counts line names all three
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        app.screen.query_one(TextArea).text = "Hot wash: de driehoek kwam te laat bijeen"
        await pilot.press("ctrl+s")
        await pilot.pause()
        shown = str(screen.query_one("#debrief-hotwash").render())
        assert "de driehoek kwam te laat bijeen" in shown
    lines = [json.loads(x) for x in log.read_text().splitlines()]
    logged = any(d["type"] == "note" and "te laat" in d["text"] for d in lines)
    kept = drafts_path(log).is_file() and "te laat" in drafts_path(log).read_text()
    assert logged or kept, "the hot-wash note is in the log, or kept beside it"
    assert verify(log).ok, "the log stays verifiable"
