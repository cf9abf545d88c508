"""The seats in the facilitator's console: take what they submit, and the confirmation queue.

A mixin of `ExerciseScreen`. Every 0.5 s `take_seats` takes the inbox through
`journal.seats.SeatHost` (waiting while a dialog is open, as the clock does). What a seat
submits is applied through `apply_command`, the console's own path to `LiveSession.apply`
(the one writer). When the exercise is set so that a seat's own decisions wait
(`seat_decisions: confirm`, chosen in the set-up or toggled here with `s`, and journalled),
they wait in `SeatHost.pending`: listed at the top of the control tab, counted in the
header, confirmed with `c` and rejected with `w` (with a reason the seat is told).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.content import Content
from textual.widgets import OptionList, TabbedContent
from textual.widgets.option_list import Option

from tabletop.journal.format import JournalError
from tabletop.model.commands import Decide, Note
from tabletop.tui.screens.forms import AskScreen, ChoiceScreen, PickScreen
from tabletop.tui.text import join, lit

if TYPE_CHECKING:
    from tabletop.journal.seats import SeatHost, Submission, Taken, Voices
    from tabletop.journal.store import JournalStore


class SeatConsole:
    """The seats' part of the exercise screen (see the module's docstring)."""

    session: Any
    ex: Any
    names: Any
    t: Any
    app: Any
    seat_host: SeatHost | None
    store: JournalStore | None
    log_failure: str | None

    if TYPE_CHECKING:  # provided by ExerciseScreen and Textual's Screen
        def apply_command(self, command: Any) -> list[Any]: ...
        def perform(self, command: Any) -> list[Any]: ...
        def log_failed(self, exc: JournalError) -> None: ...
        def refresh_view(self, events: list[Any]) -> None: ...
        def notify(self, *args: Any, **kwargs: Any) -> None: ...
        def query_one(self, *args: Any) -> Any: ...
        def _control(self) -> None: ...
        def _header(self, snap: Any) -> None: ...

    # -- taking the inbox -----------------------------------------------------------------
    def _seat_store(self) -> JournalStore | None:
        """The store the seats submit to: the session's store, or the log's inbox once a
        seat has written one (until then there is nothing to read)."""
        if self.store is not None:
            return self.store
        log = self.session.log_path
        if log is None or not log.with_name(log.name + ".inbox").exists():
            return None
        from tabletop.journal.store import FileStore

        return FileStore(log)

    def ensure_seat_host(self) -> SeatHost | None:
        if self.seat_host is None:
            store = self._seat_store()
            if store is None:
                return None
            from tabletop.journal.seats import SeatHost

            self.seat_host = SeatHost(
                self.session, store, lang=self.t.lang, apply=self.apply_command,
                confirm_decisions=self.session.settings.seat_decisions == "confirm")
        return self.seat_host

    def take_seats(self) -> None:
        """Apply what the seats (`tabletop seat`, `tabletop serve`) sent, in the order it
        arrived, through the one writer: this console. Waits while a dialog is open, as the
        clock does (the seats' views are still published), and once the log cannot be
        written."""
        if self.session.writer is None or self.log_failure is not None:
            return
        host = self.ensure_seat_host()
        if host is None:
            return
        try:
            if self.app.screen is not self:
                host.publish_views()  # the seats still see the clock stop for the dialog
                return
            taken = host.tick()
        except JournalError as exc:
            if self.log_failure is None:  # the store is away: the next tick tries again
                self.notify(exc.render(self.t.lang), severity="error", markup=False)
            return
        self.show_taken(taken)

    def show_taken(self, taken: list[Taken]) -> None:
        waiting = False
        for item in taken:
            who = self.seat_label(item.seat)
            if item.state == "applied":
                self.refresh_view(item.events)
                self.notify(self.t("seat.arrived", seat=who), markup=False)
            elif item.state == "pending" and item.submission is not None:
                waiting = True
                self.notify(self.t("seat.waits", seat=who, what=self.seat_what(item.submission)),
                            severity="warning", markup=False, timeout=12)
            elif item.state == "rejected":
                self.notify(self.t("seat.rejected", seat=who), markup=False)
            elif item.message:
                self.notify(self.t("seat.refused", seat=who, reason=item.message),
                            severity="warning", markup=False)
        if waiting or any(item.state != "applied" for item in taken):
            self._control()
            self._header(self.ex.snapshot())

    def seat_label(self, seat: str) -> str:
        if seat in self.session.loaded.roles:
            return str(self.names.role(seat, True))
        return seat

    def seat_what(self, sub: Submission) -> str:
        """A waiting decision in a few words: the decision and the option (or answer)."""
        command = sub.command
        if not isinstance(command, Decide):
            return command.kind
        n = self.names
        choice = n.option(command.decision, command.option) if command.option else \
            command.answer.strip()[:60]
        return f"{n.decision(command.decision)} → {choice}"

    def seat_voices(self, decision: str) -> Voices | None:
        """What the seats said about a decision (for the decision card)."""
        host = self.ensure_seat_host()
        return host.voices_for(decision) if host is not None else None

    # -- the confirmation queue -----------------------------------------------------------
    def pending_seats(self) -> list[tuple[str, Submission]]:
        host = self.seat_host
        if host is None:
            return []
        return [(sid, sub) for sid, (_, sub) in host.pending.items()]

    def pending_options(self) -> list[Option]:
        """The control tab's first rows: the seats' decisions waiting for confirmation."""
        pending = self.pending_seats()
        if not pending:
            return []
        t = self.t
        rows = [Option(lit(t("ctl.pending", n=len(pending)), "bold yellow"), disabled=True)]
        for sid, sub in pending:
            parts: list[Content | str] = [lit(f"{self.seat_label(sub.seat)}: ", "bold"),
                                          lit(self.seat_what(sub))]
            rationale = getattr(sub.command, "rationale", "")
            if rationale:
                parts += ["\n   ", lit(rationale[:120], "dim")]
            parts += ["\n   ", lit(t("ctl.pending_keys"), "dim")]
            rows.append(Option(join(*parts), id=f"pending:{sid}"))
        return rows

    def seat_mode_line(self) -> Content:
        mode = self.session.settings.seat_decisions
        return join(lit(self.t("ctl.seat_mode") + ": ", "bold"),
                    lit(self.t(f"ctl.seat_mode.{mode}")), lit("  (s)", "dim"))

    def _chosen_pending(self, then: Any) -> None:
        """The waiting decision highlighted in the control tab, the only one, or picked."""
        pending = self.pending_seats()
        if not pending:
            self.notify(self.t("ctl.pending_none"), markup=False)
            return
        tabs = self.query_one("#tabs", TabbedContent)
        listing = self.query_one("#control-list", OptionList)
        if tabs.active == "tab-control" and listing.highlighted is not None:
            ident = listing.get_option_at_index(listing.highlighted).id or ""
            if ident.startswith("pending:"):
                then(ident.removeprefix("pending:"))
                return
        if len(pending) == 1:
            then(pending[0][0])
            return
        items = [(sid, join(lit(f"{self.seat_label(sub.seat)}: ", "bold"),
                            lit(self.seat_what(sub)))) for sid, sub in pending]

        def picked(key: object) -> None:
            if isinstance(key, str):
                then(key)

        self.app.push_screen(PickScreen(self.t("ctl.pending_pick"), items), picked)

    def action_confirm_seat(self) -> None:
        self._chosen_pending(self.confirm_seat)

    def action_reject_seat(self) -> None:
        self._chosen_pending(self.reject_seat)

    def pending_menu(self, sid: str) -> None:
        """Enter on a waiting decision in the control tab: confirm, reject or back."""
        host = self.seat_host
        if host is None or sid not in host.pending:
            return
        sub = host.pending[sid][1]

        def chosen(key: object) -> None:
            if key == "confirm":
                self.confirm_seat(sid)
            elif key == "reject":
                self.reject_seat(sid)

        self.app.push_screen(ChoiceScreen(
            self.t("ctl.pending_title", seat=self.seat_label(sub.seat)), self.seat_what(sub),
            [("back", self.t("key.back")), ("confirm", self.t("key.confirm_seat")),
             ("reject", self.t("key.reject_seat"))]), chosen)

    def confirm_seat(self, sid: str) -> None:
        """Apply a seat's waiting decision, through the one writer."""
        host = self.seat_host
        if host is None or sid not in host.pending or self.log_failure is not None:
            return
        try:
            taken = host.confirm(sid)
        except JournalError:
            return  # `apply_command` stopped the exercise and said why
        self.show_taken([taken])
        self._control()

    def reject_seat(self, sid: str) -> None:
        """Turn a seat's waiting decision down, after asking why (the seat is told)."""
        host = self.seat_host
        if host is None or sid not in host.pending:
            return
        sub = host.pending[sid][1]

        def reason(text: object) -> None:
            if not isinstance(text, str) or not text.strip():
                self.notify(self.t("ctl.reject_needs_reason"), markup=False)
                return
            if self.seat_host is None or sid not in self.seat_host.pending:
                return
            try:
                self.show_taken([self.seat_host.reject(sid, text.strip())])
            except JournalError as exc:
                self.notify(exc.render(self.t.lang), severity="error", markup=False)
            else:  # the decision log keeps what was turned down, and why
                self.perform(Note(text=self.t("seat.rejected_note",
                                              seat=self.seat_label(sub.seat),
                                              what=self.seat_what(sub),
                                              reason=text.strip())[:20_000]))
            self._control()
            self._header(self.ex.snapshot())

        self.app.push_screen(AskScreen(self.t("ctl.reject_reason",
                                              seat=self.seat_label(sub.seat),
                                              what=self.seat_what(sub))), reason)

    def action_seat_mode(self) -> None:
        """Toggle whether a seat's own decisions apply at once or wait (journalled)."""
        if self.log_failure is not None:
            return
        mode = "apply" if self.session.settings.seat_decisions == "confirm" else "confirm"
        try:
            self.session.set_seat_decisions(mode)
        except JournalError as exc:
            self.log_failed(exc)
            return
        if self.seat_host is not None:
            self.seat_host.confirm_decisions = mode == "confirm"
        self.notify(self.t("ctl.seat_mode_now", mode=self.t(f"ctl.seat_mode.{mode}")),
                    markup=False)
        self._control()
