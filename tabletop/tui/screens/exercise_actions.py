"""The facilitator's actions on the exercise screen: decide, send, skip, write, flag, end.

A mixin of `ExerciseScreen`: each action gathers input in a dialog, then hands one engine
call to `perform`, which logs its events and shows them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import OptionList, TabbedContent

from tabletop.model.commands import (
    AdHoc,
    Adjust,
    Decide,
    End,
    Flag,
    MarkMet,
    Note,
    Observe,
    Release,
    Skip,
)
from tabletop.model.events import InjectDelivered
from tabletop.tui.screens.decision import DISCARD, DecisionScreen
from tabletop.tui.screens.forms import (
    AdHocScreen,
    AdjustScreen,
    AskScreen,
    ChoiceScreen,
    ConfirmScreen,
    FlagScreen,
    NoteScreen,
    ObservationScreen,
    PickScreen,
)
from tabletop.tui.text import join, lit


class FacilitatorActions:
    """Actions bound to keys on the exercise screen (see `ExerciseScreen.BINDINGS`)."""

    session: Any
    ex: Any
    names: Any
    t: Any
    feed: list[Any]
    app: Any

    drafts: Any

    if TYPE_CHECKING:  # provided by ExerciseScreen and Textual's Screen
        def perform(self, command: Any) -> list[Any]: ...
        def query_one(self, *args: Any) -> Any: ...
        def notify(self, *args: Any, **kwargs: Any) -> None: ...
        def control_highlighted(self) -> tuple[str, str] | None: ...
        def seat_voices(self, decision: str) -> Any: ...

    def action_decide(self) -> None:
        snap = self.ex.snapshot()
        if not snap.open_decisions:
            self.notify(self.t("ex.no_open"), markup=False)
            return
        listing = self.query_one("#open-decisions", OptionList)
        highlighted = listing.highlighted
        if len(snap.open_decisions) == 1:
            self._open_decision_card(snap.open_decisions[0].decision)
        elif highlighted is not None and self.query_one("#tabs", TabbedContent).active == \
                "tab-decisions":
            option = listing.get_option_at_index(highlighted)
            if option.id:
                self._open_decision_card(option.id)
        else:
            items = [(v.decision, lit(self.names.decision(v.decision)))
                     for v in snap.open_decisions]
            def picked(key: object) -> None:
                if isinstance(key, str):
                    self._open_decision_card(key)

            self.app.push_screen(PickScreen(self.t("pick.decision"), items), picked)

    def _open_decision_card(self, decision_id: str) -> None:
        snap = self.ex.snapshot()
        view = next((v for v in snap.open_decisions if v.decision == decision_id), None)
        if view is None:
            return

        key = f"decision:{decision_id}"

        def done(result: object) -> None:
            if result == DISCARD:
                self.drafts.drop(key)
            elif isinstance(result, Decide):
                events = self.perform(result)
                if events:  # logged: the draft has done its work (else it stays)
                    self.drafts.drop(key)

        self.app.push_screen(DecisionScreen(
            self.session.loaded, view, snap, self.names, draft=self.drafts.get(key),
            on_draft=lambda draft: self.drafts.put(key, draft),
            voices=self.seat_voices(decision_id)), done)

    def inject_menu(self, inject_id: str) -> None:
        """Release or skip one inject (from the control tab)."""
        def chosen(key: object) -> None:
            if key == "release":
                self.release_inject(inject_id)
            elif key == "skip":
                self.skip_inject(inject_id)

        self.app.push_screen(ChoiceScreen(
            self.names.inject(inject_id), self.t("ctl.inject_what"),
            [("back", self.t("key.back")), ("release", self.t("key.release")),
             ("skip", self.t("key.skip"))]), chosen)

    def release_inject(self, inject_id: str) -> None:
        self.perform(Release(inject=inject_id))

    def skip_inject(self, inject_id: str) -> None:
        """Skip an inject, after asking why (the reason is logged with the skip)."""
        def reason(text: object) -> None:
            if not isinstance(text, str) or not text.strip():
                self.notify(self.t("ctl.skip_needs_reason"), markup=False)
                return
            self.perform(Skip(inject=inject_id, reason=text.strip()))

        self.app.push_screen(AskScreen(self.t("ctl.skip_reason",
                                              inject=self.names.inject(inject_id))), reason)

    def action_release(self) -> None:
        chosen = self.control_highlighted()
        if chosen is not None and chosen[0] == "inject":
            self.release_inject(chosen[1])
            return
        s = self.session.loaded.scenario
        delivered = set(self.ex.world.delivered_ids)
        items = []
        for inj in s.injects:
            if inj.id in delivered:
                continue
            kind = self.t("pick.manual") if inj.manual else self.t("pick.pending")
            items.append((inj.id, join(lit(self.names.inject(inj.id)), lit(f"  ({kind})", "dim"))))
        manual = {inj.id for inj in s.injects if inj.manual}
        items.sort(key=lambda item: 0 if item[0] in manual else 1)
        def release(key: object) -> None:
            if isinstance(key, str):
                self.release_inject(key)

        self.app.push_screen(PickScreen(self.t("pick.release"), items), release)

    def action_skip(self) -> None:
        chosen = self.control_highlighted()
        if chosen is not None and chosen[0] == "inject":
            self.skip_inject(chosen[1])
            return
        s = self.session.loaded.scenario
        items = [(inj.id, lit(self.names.inject(inj.id))) for inj in s.injects
                 if not self.ex.is_done(inj.id) and not inj.manual]
        def skip(key: object) -> None:
            if isinstance(key, str):
                self.skip_inject(key)

        self.app.push_screen(PickScreen(self.t("pick.skip"), items), skip)

    def action_adjust(self) -> None:
        """Set a state variable by hand, with the reason (logged; shown in the feed)."""
        state = self.session.loaded.scenario.state
        variables = [(var, spec.label, spec.is_bool) for var, spec in state.items()]
        if not variables:
            self.notify(self.t("form.adjust_none"), markup=False)
            return

        def done(result: object) -> None:
            if isinstance(result, Adjust):
                self.perform(result)
        self.app.push_screen(AdjustScreen(variables), done)

    def action_adhoc(self) -> None:
        def done(result: object) -> None:
            if isinstance(result, AdHoc):
                self.perform(result)
        self.app.push_screen(AdHocScreen(), done)

    def action_met(self) -> None:
        s = self.session.loaded.scenario
        world = self.ex.world
        items = [(inj.id, lit(self.names.fill(inj.expect.what)))
                 for inj in s.injects if inj.expect and inj.id in world.delivered_ids
                 and (inj.id not in world.met_ids or inj.expect.every)]
        self.app.push_screen(PickScreen(self.t("pick.met"), items),
                             lambda key: key and self.perform(MarkMet(inject=key)))

    def _note_dialog(self, question: str | None = None) -> None:
        questions = [(f"{p.id}/{i}", q) for p in self.session.loaded.scenario.phases
                     for i, q in enumerate(p.questions, start=1)]

        key = "note"

        def done(result: object) -> None:
            if result == "discard":
                self.drafts.drop(key)
            elif isinstance(result, Note):
                if self.perform(result):
                    self.drafts.drop(key)
        roles = [(rid, role.name) for rid, role in self.session.loaded.roles.items()]
        self.app.push_screen(NoteScreen(questions, question, roles, draft=self.drafts.get(key),
                                        on_draft=lambda d: self.drafts.put(key, d)), done)

    def action_note(self) -> None:
        self._note_dialog()

    def action_observe(self) -> None:
        injects = [(e.inject, self.names.inject(e.inject)) for e in self.feed
                   if isinstance(e, InjectDelivered)]

        def done(result: object) -> None:
            if isinstance(result, Observe):
                self.perform(result)
        self.app.push_screen(ObservationScreen(injects), done)

    def action_flag(self) -> None:
        dilemmas = [(d.id, d.title) for d in self.session.loaded.scenario.dilemmas]

        def done(result: object) -> None:
            if isinstance(result, Flag):
                self.perform(result)
        self.app.push_screen(FlagScreen(dilemmas), done)

    def action_materials(self) -> None:
        from tabletop.tui.screens.materials import MaterialsScreen

        self.app.push_screen(MaterialsScreen(self.session.loaded, self.feed))

    def action_end(self) -> None:
        if self.ex.finished:
            self.action_debrief()
            return

        def done(result: object) -> None:
            if result is True:
                self.perform(End())
        self.app.push_screen(ConfirmScreen(self.t("ex.end_title"), self.t("ex.end_body"),
                                           self.t("key.end")), done)

    def action_debrief(self) -> None:
        from tabletop.tui.screens.debrief import DebriefScreen

        self.app.push_screen(DebriefScreen(self.session))

