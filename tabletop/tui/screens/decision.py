"""The decision card, following BOB: beeld (what is known), oordeel (options, gezag,
advice), besluit (choice, by whom, rationale, forum, legal basis, actiehouder)."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Select, Static

from tabletop.engine.snapshot import ExerciseSnapshot, OpenDecisionView
from tabletop.i18n.names import Names, story_time
from tabletop.model.loading import LoadedScenario
from tabletop.model.role import invoked_power
from tabletop.model.scenario import Option
from tabletop.tui.format import countdown
from tabletop.tui.screens import TabletopModal
from tabletop.tui.screens.forms import picked
from tabletop.tui.text import join, lit

FORUMS = ("driehoek", "GBT", "RBT", "ICCb", "MCCb", "LOVP", "bilateraal", "eenheidsoverleg")


@dataclass(frozen=True)
class DecisionInput:
    decision: str
    option: str | None
    by: str
    advice: dict[str, str] = field(default_factory=dict)
    rationale: str = ""
    forum: str = ""
    answer: str = ""
    action_owner: str | None = None


class DecisionScreen(TabletopModal):
    BINDINGS = [
        Binding("escape", "cancel", "key.cancel", id="cancel",
                tooltip="tip.close-without-deciding"),
        Binding("ctrl+s", "save", "key.save", id="save", tooltip="tip.record-the-decision"),
    ]

    def __init__(self, loaded: LoadedScenario, view: OpenDecisionView,
                 snapshot: ExerciseSnapshot, names: Names) -> None:
        super().__init__()
        self.loaded = loaded
        self.view = view
        self.snapshot = snapshot
        self.names = names
        spec = loaded.scenario.decision(view.decision)
        assert spec is not None
        self.spec = spec

    def compose(self) -> ComposeResult:
        t, n, spec, view = self.t, self.names, self.spec, self.view
        roles = list(self.loaded.roles)
        with VerticalScroll(classes="dialog decision-card"):
            yield Label(lit(t("dec.title", question=n.fill(spec.question)), "bold"),
                        classes="dialog-title")
            # beeld
            yield Label(lit(t("dec.beeld"), "bold"), classes="bob")
            beeld = [lit(n.fill(spec.context.strip()))] if spec.context.strip() else []
            state = ", ".join(f"{n.variable(k)} {n.value(v)}"
                              for k, v in self.snapshot.state.items())
            capacity = ", ".join(f"{n.resource(r)} {free}/{cap}"
                                 for r, (free, cap) in self.snapshot.capacity.items())
            beeld += [lit("\n" if beeld else ""), lit(state, "dim")]
            if capacity:
                beeld += [lit("\n"), lit(capacity, "dim")]
            yield Static(join(*beeld), id="beeld")
            # oordeel
            yield Label(lit(t("dec.oordeel"), "bold"), classes="bob")
            yield Static(self._gezag_line(), id="gezag")
            if spec.options:
                with RadioSet(id="options"):
                    for opt in spec.options:
                        yield RadioButton(self._option_label(opt), id=f"opt-{opt.id}")
                yield Static(id="chosen")
            for role in spec.consult:
                yield Label(lit(t("dec.advice_of", role=n.role(role))))
                if spec.options:
                    yield Select([(lit(n.fill(o.label)), o.id) for o in spec.options],
                                 prompt=t("dec.no_advice"), id=f"advice-{role}")
                else:
                    yield Input(placeholder=t("dec.no_advice"), id=f"advice-{role}")
            # besluit
            yield Label(lit(t("dec.besluit"), "bold"), classes="bob")
            if not spec.options:
                yield Label(lit(t("dec.answer")))
                yield Input(id="answer")
            with Horizontal(classes="row"):
                yield Select([(lit(n.role(r)), r) for r in roles + ["facilitator"]],
                             value=view.owner if view.owner in roles else Select.NULL,
                             prompt=t("dec.by"), id="by", allow_blank=False)
                forums = list(dict.fromkeys(([spec.forum] if spec.forum else []) + list(FORUMS)))
                yield Select([(lit(f), f) for f in forums], prompt=t("dec.forum"), id="forum",
                             value=spec.forum if spec.forum else Select.NULL)
            yield Static(lit(f"{t('dec.basis')}: {t('dec.no_basis')}", "dim"), id="basis")
            yield Input(placeholder=t("dec.rationale"), id="rationale")
            yield Select([(lit(n.role(r)), r) for r in roles], prompt=t("dec.action_owner"),
                         id="action-owner")
            with Horizontal(classes="buttons"):
                yield Button(t("key.save"), id="save", variant="primary")
                yield Button(t("key.cancel"), id="cancel")

    def _gezag_line(self) -> Content:
        t, n, view = self.t, self.names, self.view
        parts = [lit(f"{t('dec.owner')}: ", "bold"), lit(n.role(view.owner))]
        if view.simulated:
            parts.append(lit(f" ({t('ex.simulated')})", "dim"))
        if view.deadline_t is not None:
            left = view.deadline_t - self.snapshot.t
            parts += [lit(f"  {t('dec.deadline')}: ", "bold"),
                      lit(f"{story_time(view.deadline_t)} ({countdown(t, left)})")]
        parts += [lit(f"\n{t('ex.gezag')}: ", "bold")]
        holders = []
        for rid in view.holders:
            bases = "; ".join(
                e.basis + (f" ({t('tl.unverified')})" if e.unverified else "")
                for e in self.loaded.roles[rid].authority if e.domain == self.spec.domain)
            holders.append(f"{n.role(rid, True)} ({bases})")
        parts.append(lit("; ".join(holders) or t("tl.nobody")))
        if view.disputed:
            parts.append(lit(f"  ⚠ {t('ex.disputed')}", "bold red"))
        return join(*parts)

    def _option_label(self, opt: Option) -> Content:
        n = self.names
        label = n.fill(opt.label)
        if opt.uses:
            used = ", ".join(f"{amount} {n.resource(r)} ({self.snapshot.capacity.get(r, (0, 0))[0]}"
                             f" {self.t('dec.free')})" for r, amount in opt.uses.items())
            label += f" — {self.t('dec.uses', what=used)}"
        return lit(label)

    def on_mount(self) -> None:
        if self.spec.options:
            self.query_one("#options", RadioSet).focus()
        else:
            self.query_one("#answer", Input).focus()

    @on(RadioSet.Changed, "#options")
    def _option_changed(self, event: RadioSet.Changed) -> None:
        option = self._chosen()
        basis = self.t("dec.no_basis")
        label = self._option_label(option) if option is not None else lit("")
        if option is not None and option.power:
            # the same lookup the engine makes when the decision is taken
            found = invoked_power(self.loaded.roles, option.power,
                                  (picked(self.query_one("#by", Select)), self.view.owner))
            if found is not None:
                power = found[1]
                unverified = f" ({self.t('tl.unverified')})" if power.unverified else ""
                basis = f"{power.label}: {power.basis}{unverified}"
        self.query_one("#chosen", Static).update(label)
        self.query_one("#basis", Static).update(lit(f"{self.t('dec.basis')}: {basis}", "dim"))

    def _chosen(self) -> Option | None:
        if not self.spec.options:
            return None
        pressed = self.query_one("#options", RadioSet).pressed_button
        if pressed is None or pressed.id is None:
            return None
        return self.spec.option(pressed.id.removeprefix("opt-"))

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        spec = self.spec
        option = self._chosen()
        answer = ""
        if spec.options and option is None:
            self.notify(self.t("dec.choose_option"), severity="warning")
            return
        if not spec.options:
            answer = self.query_one("#answer", Input).value.strip()
            if not answer:
                self.query_one("#answer", Input).focus()
                return
        advice = {}
        for role in spec.consult:
            if spec.options:
                value = picked(self.query_one(f"#advice-{role}", Select))
                if value is not None:
                    advice[role] = value
            else:
                text = self.query_one(f"#advice-{role}", Input).value.strip()
                if text:
                    advice[role] = text
        self.dismiss(DecisionInput(
            spec.id, option.id if option else None,
            picked(self.query_one("#by", Select)) or "facilitator",
            advice, self.query_one("#rationale", Input).value.strip(),
            picked(self.query_one("#forum", Select)) or "", answer,
            picked(self.query_one("#action-owner", Select))))
