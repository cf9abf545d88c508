"""The decision card, following BOB: beeld (what is known), oordeel (options, gezag,
advice), besluit (choice, by whom, rationale, forum, legal basis, actiehouder)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content, ContentText
from textual.geometry import Size
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Select, Static
from textual.widgets.select import InvalidSelectValueError

from tabletop.engine.snapshot import ExerciseSnapshot, OpenDecisionView
from tabletop.i18n.names import Names, story_time
from tabletop.model.commands import Decide
from tabletop.model.loading import LoadedScenario
from tabletop.model.role import invoked_power
from tabletop.model.scenario import Option
from tabletop.report.dilemmas import domain_name
from tabletop.tui.format import countdown
from tabletop.tui.screens import TabletopModal
from tabletop.tui.screens.forms import ChoiceScreen, picked, refused
from tabletop.tui.text import join, lit

FORUMS = ("driehoek", "GBT", "RBT", "ICCb", "MCCb", "LOVP", "bilateraal", "eenheidsoverleg")


class OptionButton(RadioButton):
    """A radio button whose label wraps over as many lines as it needs (what an option
    uses and the legal basis it invokes sit on lines of their own)."""

    DEFAULT_CSS = "OptionButton { text-wrap: wrap; height: auto; }"

    def _make_label(self, label: ContentText) -> Content:
        # Why: a toggle button keeps only its label's first line
        return Content.from_text(label).rstrip()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self.render().wrap(max(1, width))))


DISCARD = "discard"
"""What the card dismisses with when its draft is thrown away."""


class DecisionScreen(TabletopModal):
    BINDINGS = [
        Binding("escape", "cancel", "key.cancel", id="cancel",
                tooltip="tip.close-without-deciding"),
        Binding("ctrl+s", "save", "key.save", id="save", tooltip="tip.record-the-decision"),
    ]

    def __init__(self, loaded: LoadedScenario, view: OpenDecisionView,
                 snapshot: ExerciseSnapshot, names: Names, draft: dict[str, Any] | None = None,
                 on_draft: Callable[[dict[str, Any]], None] | None = None,
                 voices: Any = None) -> None:
        super().__init__()
        self.loaded = loaded
        self.view = view
        self.snapshot = snapshot
        self.names = names
        spec = loaded.scenario.decision(view.decision)
        assert spec is not None
        self.spec = spec
        self.draft = dict(draft or {})
        """What was typed before (closing the card, or a crash): restored on mount."""
        self.on_draft = on_draft
        self._restoring = False
        self.prefill = self._seat_prefill(voices)
        """What the seats submitted (advice, consent, positions), by draft key: the card
        opens with it filled in, marked as coming from the seat, and the facilitator may
        change it."""

    def _seat_prefill(self, voices: Any) -> dict[str, str]:
        """`journal.seats.Voices` as the card's field values (only what the card asks)."""
        if not voices:
            return {}
        spec = self.spec
        out: dict[str, str] = {}
        for role, value in voices.advice.items():
            if role in spec.consult_ids and (not spec.options or spec.option(value)):
                out[f"advice:{role}"] = value
        for role, agreed in voices.consent.items():
            if role in {c.role for c in spec.consent}:
                out[f"consent:{role}"] = "yes" if agreed else "no"
        for role, value in voices.positions.items():
            if spec.joint and role in spec.owners and spec.option(value):
                out[f"position:{role}"] = value
        return out

    def _voice_label(self, key: str, text: str) -> Content:
        """A field's label; with what the seat submitted for it, marked `seat:ROLE`."""
        value = self.prefill.get(key)
        if value is None:
            return lit(text)
        role = key.partition(":")[2]
        if key.startswith("consent:"):
            shown = self.t("dec.consent_yes" if value == "yes" else "dec.consent_no")
        elif self.spec.options:
            shown = self.names.option(self.spec.id, value)
        else:
            shown = value
        return join(lit(text), lit("  ◂ ", "bold"),
                    lit(self.t("dec.from_seat", origin=f"seat:{role}", value=shown),
                        "bold italic"))

    def compose(self) -> ComposeResult:
        t, n, spec = self.t, self.names, self.spec
        with Vertical(classes="dialog decision-card"):
            yield Label(lit(t("dec.title", question=n.fill(spec.question)), "bold"),
                        classes="dialog-title")
            yield from self._body()
            with Horizontal(classes="buttons"):
                yield Button(t("key.save"), id="save", variant="primary")
                yield Button(t("key.cancel"), id="cancel")

    def _body(self) -> ComposeResult:
        """Beeld, oordeel, besluit: scrolls between the question and the buttons."""
        t, n, spec, view = self.t, self.names, self.spec, self.view
        roles = list(self.loaded.roles)
        with VerticalScroll(id="card-body"):
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
                        yield OptionButton(self._option_label(opt), id=f"opt-{opt.id}")
                yield Static(id="chosen")
            if len(spec.framings) > 1:
                yield Label(lit(t("dec.framing")))
                yield Select([(lit(domain_name(d, n)), d) for d in spec.framings], id="framing",
                             value=spec.framings[0], allow_blank=False)
            for role in dict.fromkeys(c.role for c in spec.consent):
                yield Label(self._voice_label(f"consent:{role}",
                                              t("dec.consent_of", role=n.role(role))))
                yield Select([(lit(t("dec.consent_yes")), "yes"),
                              (lit(t("dec.consent_no")), "no")],
                             prompt=t("dec.no_consent"), id=f"consent-{role}")
            for role in spec.owners if spec.joint else []:
                yield Label(self._voice_label(f"position:{role}",
                                              t("dec.position_of", role=n.role(role))))
                yield Select([(lit(n.fill(o.label)), o.id) for o in spec.options],
                             prompt=t("dec.no_position"), id=f"position-{role}")
            for role in spec.consult_ids:
                yield Label(self._voice_label(f"advice:{role}",
                                              t("dec.advice_of", role=n.role(role))))
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
        parts: list[Content | str] = [lit(label)]
        if opt.uses:
            capacity = self.snapshot.capacity
            used = "; ".join(self.t("dec.use", resource=n.resource(r), amount=amount,
                                    free=capacity.get(r, (0, 0))[0])
                             for r, amount in opt.uses.items())
            parts += ["\n    ", lit(self.t("dec.uses", what=used), "dim")]
        basis = self._basis_of(opt, self.view.owner)
        if basis:
            parts += ["\n    ", lit(f"{self.t('dec.basis')}: {basis}", "dim")]
        return join(*parts)

    def _basis_of(self, option: Option, by: str | None) -> str:
        """The legal basis the option invokes (the lookup the engine makes), or ''."""
        if not option.power:
            return ""
        found = invoked_power(self.loaded.roles, option.power, (by, self.view.owner))
        if found is None:
            return ""
        power = found[1]
        unverified = f" ({self.t('tl.unverified')})" if power.unverified else ""
        return f"{power.label}: {power.basis}{unverified}"

    def on_mount(self) -> None:
        if self.spec.options:
            self.query_one("#options", RadioSet).focus()
        else:
            self.query_one("#answer", Input).focus()
        if self.draft or self.prefill:
            self._restore(self._with_seats(self.draft))

    def _with_seats(self, draft: dict[str, Any]) -> dict[str, Any]:
        """The draft, with what the seats submitted where the facilitator has not changed
        it (an empty field, or the seat's earlier value the card was opened with)."""
        merged = dict(draft)
        seat = draft.get("seat")
        before: dict[str, Any] = seat if isinstance(seat, dict) else {}
        for key, value in self.prefill.items():
            if not merged.get(key) or merged.get(key) == before.get(key):
                merged[key] = value
        return merged

    # -- drafts: what is typed survives closing the card and a crash ----------------------
    def _fields(self) -> dict[str, Input | Select[str]]:
        """Widgets whose value is part of the draft, by draft key (extend here)."""
        fields: dict[str, Input | Select[str]] = {
            "by": self.query_one("#by", Select), "forum": self.query_one("#forum", Select),
            "rationale": self.query_one("#rationale", Input),
            "action_owner": self.query_one("#action-owner", Select)}
        if not self.spec.options:
            fields["answer"] = self.query_one("#answer", Input)
        for role in self.spec.consult_ids:
            advice = self.query_one(f"#advice-{role}")
            assert isinstance(advice, (Input, Select))
            fields[f"advice:{role}"] = advice
        for role in dict.fromkeys(c.role for c in self.spec.consent):
            fields[f"consent:{role}"] = self.query_one(f"#consent-{role}", Select)
        for role in self.spec.owners if self.spec.joint else []:
            fields[f"position:{role}"] = self.query_one(f"#position-{role}", Select)
        return fields

    def current_draft(self) -> dict[str, Any]:
        option = self._chosen()
        out: dict[str, Any] = {"option": option.id if option else None}
        for key, widget in self._fields().items():
            out[key] = widget.value if isinstance(widget, Input) else picked(widget)
        if self.prefill:
            out["seat"] = dict(self.prefill)
        return out

    def typed(self) -> bool:
        """Whether anything was typed or chosen that the card did not start with (what
        the seats submitted is not typed)."""
        d = self.current_draft()
        return bool(d.get("option") or d.get("rationale") or d.get("answer")
                    or any(v and v != self.prefill.get(k) for k, v in d.items()
                           if k.startswith(("advice:", "consent:", "position:")))
                    or d.get("action_owner"))

    def _restore(self, draft: dict[str, Any]) -> None:
        self._restoring = True
        try:
            option = draft.get("option")
            if option and self.spec.option(option) is not None:
                self.query_one(f"#opt-{option}", RadioButton).value = True
            for key, widget in self._fields().items():
                value = draft.get(key)
                if not isinstance(value, str) or not value:
                    continue
                if isinstance(widget, Input):
                    widget.value = value
                else:
                    try:
                        widget.value = value
                    except InvalidSelectValueError:  # the scenario changed since
                        pass
        finally:
            self._restoring = False
        self._changed()

    @on(Input.Changed)
    @on(Select.Changed)
    @on(RadioSet.Changed)
    def _changed(self) -> None:
        if self.on_draft is not None and not self._restoring and self.is_mounted:
            self.on_draft(self.current_draft())

    @on(RadioSet.Changed, "#options")
    def _option_changed(self, event: RadioSet.Changed) -> None:
        option = self._chosen()
        label = lit(f"→ {self.names.fill(option.label)}", "bold") if option else lit("")
        # the same lookup the engine makes when the decision is taken
        basis = (self._basis_of(option, picked(self.query_one("#by", Select)))
                 if option is not None else "") or self.t("dec.no_basis")
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
        """Close; with something typed, ask first (the draft is kept unless discarded)."""
        if not self.typed():
            self.dismiss(None)
            return

        def answer(choice: object) -> None:
            if choice == "keep":
                self.dismiss(None)
            elif choice == "discard":
                self.dismiss(DISCARD)

        self.app.push_screen(ChoiceScreen(
            self.t("draft.close_title"), self.t("draft.close_body"),
            [("stay", self.t("draft.stay")), ("keep", self.t("draft.keep")),
             ("discard", self.t("draft.discard"))]), answer)

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
        for role in spec.consult_ids:
            if spec.options:
                value = picked(self.query_one(f"#advice-{role}", Select))
                if value is not None:
                    advice[role] = value
            else:
                text = self.query_one(f"#advice-{role}", Input).value.strip()
                if text:
                    advice[role] = text
        try:
            command = Decide(
                decision=spec.id, option=option.id if option else None,
                by=picked(self.query_one("#by", Select)) or "facilitator", advice=advice,
                rationale=self.query_one("#rationale", Input).value.strip(),
                forum=picked(self.query_one("#forum", Select)) or "", answer=answer,
                action_owner=picked(self.query_one("#action-owner", Select)),
                framing=picked(self.query_one("#framing", Select))
                if len(spec.framings) > 1 else None,
                consent={role: value == "yes"
                         for role in dict.fromkeys(c.role for c in spec.consent)
                         if (value := picked(self.query_one(f"#consent-{role}", Select)))
                         is not None},
                positions={role: value for role in (spec.owners if spec.joint else [])
                           if (value := picked(self.query_one(f"#position-{role}", Select)))
                           is not None})
        except ValidationError as exc:  # the card stays open with what was typed
            self.notify(refused(self.t, exc), severity="error", markup=False)
            return
        self.dismiss(command)
