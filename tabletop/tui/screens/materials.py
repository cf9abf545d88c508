"""Open the scenario's materials and the delivered injects' attachments."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Label, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from tabletop.model.checks import inside_folder
from tabletop.model.events import Event, InjectDelivered
from tabletop.model.loading import LoadedScenario
from tabletop.model.text import clean_text
from tabletop.tui.screens import TabletopScreen
from tabletop.tui.text import lit, safe_markdown_parser

TEXT_SUFFIXES = {".md", ".markdown", ".txt"}
MAX_SHOWN = 512 * 1024


class MaterialsScreen(TabletopScreen):
    BINDINGS = [Binding("escape", "back", "key.back", id="back", tooltip="tip.back")]

    def __init__(self, loaded: LoadedScenario, feed: list[Event]) -> None:
        super().__init__()
        s = loaded.scenario
        base = loaded.base_dir
        # A path that would leave the scenario's folder is listed but never opened.
        self.files: list[tuple[str, Path | None]] = [
            (m.title, inside_folder(base, m.path)) for m in s.materials]
        for e in feed:
            inj = s.inject(e.inject) if isinstance(e, InjectDelivered) else None
            if inj is not None:
                for rel in inj.attachments:
                    self.files.append((f"{inj.title}: {rel}", inside_folder(base, rel)))

    def compose(self) -> ComposeResult:
        yield Label(lit(self.t("ex.materials"), "bold"), classes="screen-title")
        with Horizontal():
            yield OptionList(*[Option(lit(title)) for title, _ in self.files], id="files")
            yield Markdown(id="file-view", parser_factory=safe_markdown_parser, open_links=False)
        yield Static(id="file-path", classes="dim")
        yield Footer()

    def on_mount(self) -> None:
        if self.files:
            self._show(0)

    @on(OptionList.OptionHighlighted, "#files")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show(event.option_index)

    def _show(self, index: int) -> None:
        _, path = self.files[index]
        view = self.query_one("#file-view", Markdown)
        if path is None:
            self.query_one("#file-path", Static).update(lit(""))
            view.update(self.t("materials.outside"))
            return
        self.query_one("#file-path", Static).update(lit(str(path), "dim"))
        if path.suffix.lower() in TEXT_SUFFIXES and path.is_file():
            view.update(clean_text(path.read_text(encoding="utf-8", errors="replace")[:MAX_SHOWN]))
        else:
            view.update(f"`{path.name}`: open this file outside the terminal.")

    def action_back(self) -> None:
        self.app.pop_screen()
