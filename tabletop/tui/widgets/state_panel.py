"""State gauges with a sparkline of each variable's history, capacity, and who holds gezag."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Label, ProgressBar, Sparkline, Static

from tabletop.engine.snapshot import ExerciseSnapshot
from tabletop.i18n import Translator
from tabletop.i18n.names import Names
from tabletop.model.loading import LoadedScenario
from tabletop.tui.text import join, lit


class StatePanel(VerticalScroll):
    """Gauges for every state variable and resource; the gezag per domain below them."""

    def __init__(self, loaded: LoadedScenario, names: Names, t: Translator,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.loaded = loaded
        self.names = names
        self.t = t

    def compose(self) -> ComposeResult:
        s = self.loaded.scenario
        for var, spec in s.state.items():
            with Horizontal(classes="gauge"):
                yield Label(lit(spec.label), classes="gauge-label")
                yield Label("", id=f"value-{var}", classes="gauge-value")
                if not spec.is_bool and spec.min is not None and spec.max is not None:
                    yield ProgressBar(total=spec.max - spec.min, show_eta=False,
                                      show_percentage=False, id=f"bar-{var}")
                if not spec.is_bool:
                    yield Sparkline([], id=f"spark-{var}", classes="spark")
        if s.resources:
            yield Label(lit(self.t("ex.resources"), "bold"), classes="section-title")
            for rid, res in s.resources.items():
                with Horizontal(classes="gauge"):
                    yield Label(lit(res.label), classes="gauge-label")
                    yield Label("", id=f"free-{rid}", classes="gauge-value")
                    yield ProgressBar(total=max(res.capacity, 1), show_eta=False,
                                      show_percentage=False, id=f"cap-{rid}")
        yield Label(lit(self.t("ex.gezag"), "bold"), classes="section-title")
        yield Static(id="gezag-table")

    def show(self, snap: ExerciseSnapshot) -> None:
        s = self.loaded.scenario
        for var, spec in s.state.items():
            value = snap.state.get(var)
            unit = spec.unit
            shown = self.names.value(value, unit)
            if spec.max is not None and not spec.is_bool and not unit:
                shown += f"/{spec.max:g}"
            self.query_one(f"#value-{var}", Label).update(lit(shown))
            if not spec.is_bool and spec.min is not None and spec.max is not None:
                self.query_one(f"#bar-{var}", ProgressBar).update(
                    progress=float(value or 0) - spec.min)
            if not spec.is_bool:
                history = [float(v) for _, v in snap.history.get(var, ())]
                # a flat line says nothing (and Sparkline would draw it as full bars)
                points = history[-40:] if len(set(history)) > 1 else []
                self.query_one(f"#spark-{var}", Sparkline).data = points
        for rid in s.resources:
            free, cap = snap.capacity[rid]
            self.query_one(f"#free-{rid}", Label).update(lit(f"{free}/{cap}"))
            self.query_one(f"#cap-{rid}", ProgressBar).update(progress=free)
        lines = []
        for domain, holders in snap.gezag.items():
            label = self.loaded.domains[domain].label if domain in self.loaded.domains else domain
            who = self.names.roles(holders) if holders else "—"
            style = "bold red" if len(holders) > 1 else ""
            lines += [lit(f"{label}: ", "dim"), lit(who, style), lit("\n")]
        self.query_one("#gezag-table", Static).update(join(*lines[:-1]) if lines else lit("—"))
