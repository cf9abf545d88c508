"""Home: the bundled and local scenarios with a preview, recent logs, and problems."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from tabletop.errors import render
from tabletop.model.cache import Heading
from tabletop.tui.library import (
    LogEntry,
    ScenarioEntry,
    load_entries,
    quick_headings,
    recent_logs,
    scenario_files,
)
from tabletop.tui.routes import routes
from tabletop.tui.screens import TabletopScreen
from tabletop.tui.text import join, lit, safe_markdown_parser


class HomeScreen(TabletopScreen):
    """Pick a scenario to play, or a log to resume or replay."""

    BINDINGS = [
        Binding("enter", "open", "key.open", id="open", tooltip="tip.start-the-selected-scenario"),
        Binding("r", "replay", "key.replay", id="replay", tooltip="tip.replay-the-selected-log"),
        Binding("u", "resume", "key.resume", id="resume", tooltip="tip.resume-the-selected-log"),
        Binding("p", "problems", "key.problems", id="problems",
                tooltip="tip.show-the-selected-scenario-s-problems"),
    ]

    def __init__(self, extra: list[Path] | None = None,
                 folders: list[Path] | None = None) -> None:
        super().__init__()
        self.extra = extra
        self.folders = folders
        self.entries: list[ScenarioEntry] = []
        self.logs: list[LogEntry] = []
        self.files: list[Path] = []
        self.quick: list[Heading] = []

    def compose(self) -> ComposeResult:
        t = self.t
        # The titles of scenarios validated before, from the cache, in the first frame; the
        # worker then validates what changed and fills in the rest.
        self.files = scenario_files(self.extra, self.folders)
        self.quick = quick_headings(self.files)
        first = [Option(lit(h.title), id=f"q{i}") for i, h in enumerate(self.quick)]
        if len(self.quick) < len(self.files):
            first.append(Option(lit(t("home.loading"), "dim"), disabled=True))
        with Horizontal(id="home"):
            with Vertical(id="home-lists"):
                yield Label(lit(t("home.scenarios"), "bold"), classes="section-title")
                yield OptionList(*first, id="scenario-list")
                yield Label(lit(t("home.logs"), "bold"), classes="section-title")
                yield OptionList(id="log-list")
            with VerticalScroll(id="home-preview"):
                yield Static(id="preview-head")
        yield Footer()

    def _scenario_options(self) -> list[Option]:
        out = []
        for i, entry in enumerate(self.entries):
            label = lit(entry.title)
            if entry.loaded is None:
                label = join(label, lit(f"  ({self.t('home.invalid')})", "red"))
            out.append(Option(label, id=f"s{i}"))
        return out

    def _log_options(self) -> list[Option]:
        if not self.logs:
            return [Option(lit(self.t("home.no_logs"), "dim"), id="none", disabled=True)]
        return [Option(self._log_label(log) if not log.problem else
                       join(lit(log.title), lit(f"  ({self.t('home.invalid')}: "
                                                f"{render(log.problem, self.t.lang)})", "red")),
                       id=f"l{i}")
                for i, log in enumerate(self.logs)]

    # -- logs: status, and acting on the focused one (tui branch, issue 11) --------------
    def _log_label(self, log: LogEntry) -> Content:
        """Title and status; then date, who sat at the table, and what it is a fork of."""
        from tabletop.i18n.names import story_time
        from tabletop.tui.logstatus import read_status

        t = self.t
        status = read_status(log.path)
        parts: list[Content | str] = [lit(log.title, "bold")]
        if status is None:
            return join(*parts, "\n  ", lit(log.created, "dim"))
        style = {"running": "bold green", "ended": "", "interrupted": "bold yellow"}
        parts += ["  ", lit(t(f"home.status.{status.status}"), style[status.status])]
        details = [log.created, t("home.seated", n=len(status.participants))]
        if status.forked_from:
            at = f" {story_time(status.forked_t)}" if status.forked_t is not None else ""
            details.append(t("home.fork_of", log=status.forked_from, at=at))
        return join(*parts, "\n  ", lit(" · ".join(details), "dim"))

    def _focused_log(self) -> LogEntry | None:
        """The highlighted log when the log list has focus; otherwise say how to pick one."""
        log_list = self.query_one("#log-list", OptionList)
        if not self.logs:
            self.notify(self.t("home.no_logs"), markup=False)
            return None
        if self.focused is not log_list or log_list.highlighted is None:
            log_list.focus()
            if log_list.highlighted is None:
                log_list.highlighted = 0
            self.notify(self.t("home.pick_log"), markup=False)
            return None
        return self.logs[log_list.highlighted]

    def on_mount(self) -> None:
        self.query_one("#scenario-list", OptionList).focus()
        if len(self.quick) < len(self.files):
            # Titles missing from the cache: the validation is what the list waits for, so
            # it starts after the first frame.
            self.call_after_refresh(self._start_load)
        else:
            # Every title shown: after the first frame and the footer's keys too (the footer
            # fills in after the first refresh, as the focus sets the bindings), as the
            # validation in its thread would hold the GIL while they are drawn. The price:
            # the validated list and the preview come about one frame later (~50 ms).
            self.call_after_refresh(self.call_after_refresh, self._start_load)

    def _start_load(self) -> None:
        self.run_worker(self._load, thread=True, exclusive=True, group="home-load")

    def on_screen_resume(self) -> None:
        """Back from an exercise or a replay: the logs may have changed."""
        if self.entries:
            log_list = self.query_one("#log-list", OptionList)
            self.logs = recent_logs()
            log_list.clear_options()
            log_list.add_options(self._log_options())

    def _load(self) -> None:
        """Read and validate the scenarios off the UI thread, so the first frame is quick."""
        entries = load_entries(self.files, self.t.lang)
        logs = recent_logs()
        self.app.call_from_thread(self._show_loaded, entries, logs)

    def _show_loaded(self, entries: list[ScenarioEntry], logs: list[LogEntry]) -> None:
        self.entries, self.logs = entries, logs
        scenarios = self.query_one("#scenario-list", OptionList)
        # Keep the scenario the user moved to in the quick list highlighted.
        was = scenarios.highlighted
        keep = self.quick[was].path if was is not None and was < len(self.quick) else None
        scenarios.clear_options()
        scenarios.add_options(self._scenario_options())
        log_list = self.query_one("#log-list", OptionList)
        log_list.clear_options()
        log_list.add_options(self._log_options())
        if self.entries:
            index = next((i for i, e in enumerate(self.entries) if e.path == keep), 0)
            scenarios.highlighted = index
            self._preview(self.entries[index])

    @on(OptionList.OptionHighlighted, "#scenario-list")
    def _scenario_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        listing = event.option_list
        if event.option_index >= min(len(self.entries), listing.option_count):
            return
        if listing.get_option_at_index(event.option_index) is not event.option:
            return  # from the quick list the loaded one replaced: its index means another
        self._preview(self.entries[event.option_index])

    @on(OptionList.OptionSelected, "#scenario-list")
    def _scenario_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_open()

    @on(OptionList.OptionSelected, "#log-list")
    def _log_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_replay()

    def _preview(self, entry: ScenarioEntry) -> None:
        t = self.t
        from textual.widgets import Markdown  # not needed for the first frame

        head = self.query_one("#preview-head", Static)
        bodies = self.query("#preview-body")
        if bodies:
            body = bodies.first(Markdown)
        else:
            body = Markdown(id="preview-body", parser_factory=safe_markdown_parser,
                            open_links=False)
            self.query_one("#home-preview").mount(body)
        if entry.loaded is None:
            errors = sum(p.is_error for p in entry.problems)
            head.update(join(lit(entry.path.name, "bold"), "\n",
                             lit(t("home.problems", n=errors), "red")))
            body.update("")
            return
        from tabletop.i18n.names import Names
        from tabletop.model.base import format_duration

        s = entry.loaded.scenario
        fill = Names(entry.loaded).fill
        roles = ", ".join(entry.loaded.roles[r].name for r in entry.loaded.roles)
        lines: list[Content | str] = [
                 lit(fill(s.title), "bold"), "\n", lit(fill(s.summary.strip())), "\n\n",
                 lit(f"{t('home.roles')}: ", "bold"), lit(roles), "\n"]
        if s.end is not None:
            lines += [lit(f"{t('home.story')}: ", "bold"), lit(format_duration(s.end)), "  "]
        if s.duration is not None:
            lines += [lit(f"{t('home.session')}: ", "bold"), lit(format_duration(s.duration))]
        from tabletop.i18n.words import plural  # Babel, once a scenario is shown

        lines += ["\n", lit(t("home.counts", injects=plural(t, "home.n.inject", len(s.injects)),
                                decisions=plural(t, "home.n.decision", len(s.decisions)),
                                dilemmas=plural(t, "home.n.dilemma", len(s.dilemmas))), "dim")]
        head.update(join(*lines))
        body.update(s.facilitator)

    # -- actions ---------------------------------------------------------------------
    def _selected_scenario(self) -> ScenarioEntry | None:
        index = self.query_one("#scenario-list", OptionList).highlighted
        return self.entries[index] if index is not None and self.entries else None

    def _selected_log(self) -> LogEntry | None:
        index = self.query_one("#log-list", OptionList).highlighted
        return self.logs[index] if index is not None and self.logs else None

    def action_open(self) -> None:
        entry = self._selected_scenario()
        if entry is None:
            return
        if entry.loaded is None:
            self.action_problems()
            return
        routes(self.app).open_setup(entry.loaded)

    def action_problems(self) -> None:
        entry = self._selected_scenario()
        if entry is not None and entry.problems:
            from tabletop.tui.screens.problems import ProblemsScreen

            self.app.push_screen(ProblemsScreen(entry.path, entry.problems))

    def action_replay(self) -> None:
        log = self._focused_log()
        if log is not None:
            routes(self.app).open_replay(log.path)

    def action_resume(self) -> None:
        log = self._focused_log()
        if log is not None:
            routes(self.app).open_resume(log.path)
