"""A seat: one role's (or a staff member's) own screen on a running exercise.

It renders only the view `journal.seatview` made for this seat and submits commands with
`origin="seat:ROLE"` to the inbox; the facilitator's engine applies them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, Select, Static

from tabletop.i18n import Translator
from tabletop.i18n.names import story_time
from tabletop.journal.seats import Advice, SeatLink, seat_by
from tabletop.journal.store import Outcome
from tabletop.model.commands import (
    AdHoc,
    Command,
    Decide,
    Note,
    Observe,
    Release,
    Skip,
)
from tabletop.tui.text import join, lit

KINDS = {
    "role": ["advice", "consent", "position", "decide", "note"],
    "controller": ["release", "skip", "adhoc", "note"],
    "evaluator": ["observe", "note"],
}
"""What each kind of seat can submit from its form (labels: `seat.ui.kind.KIND`)."""

ASKED = (("position", "joint"), ("decide", "mine"), ("consent", "consenting"),
         ("advice", "consulted"))
"""What a role's seat may be asked about an open decision (the view's mark for it), in the
order the form turns to them."""

MAX_RUN_AHEAD = 24 * 60
"""At most this many story minutes are estimated past the last line (as the projector)."""


def local_now() -> datetime:
    return datetime.now().astimezone()


def seat_minute(view: dict[str, Any], now: datetime) -> int:
    """The story minute a seat shows now: the last line's, plus what the facilitator's
    running clock added since (its factor and the wall time of the line that set it),
    never past the minute before a deadline the seat sees (the facilitator's clock stops
    there to ask) and never before the last line. The seat writes nothing for it."""
    t = int(view.get("t", 0))
    clock = view.get("clock") or {}
    factor = float(clock.get("factor") or 0)
    if view.get("ended") or factor <= 0:
        return t
    try:
        wall = datetime.fromisoformat(str(clock.get("wall", "")))
    except ValueError:
        return t
    if wall.tzinfo is None:
        wall = wall.astimezone()
    seconds = max(0.0, (now - wall).total_seconds())
    minute = int(clock.get("t", t)) + min(MAX_RUN_AHEAD, int(seconds * factor))
    stops = [int(d["deadline_t"]) - 1 for d in view.get("open", [])
             if d.get("deadline_t") is not None and not d.get("simulated")]
    if stops:
        minute = min(minute, min(stops))
    return max(t, minute)


CSS = """
SeatScreen #top { height: 1; background: $primary; color: $text; padding: 0 1; }
SeatScreen #main { height: 1fr; }
SeatScreen #feed { width: 1fr; border: round $secondary; padding: 0 1; }
SeatScreen #open { width: 34; border: round $secondary; padding: 0 1; }
SeatScreen #form { height: 2; }
SeatScreen #row1, SeatScreen #row2 { height: 1; }
SeatScreen #kind { width: 18; }
SeatScreen #target { width: 1fr; }
SeatScreen #value { width: 20; }
SeatScreen #text { width: 1fr; }
SeatScreen #send { width: 14; }
SeatScreen #status { height: 1; padding: 0 1; color: $text-muted; }
JoinScreen { align: center middle; }
JoinScreen #box { width: 50; height: auto; border: round $primary; padding: 1 2; }
JoinScreen #why { color: $error; height: 1; }
"""


def _clock(view: dict[str, Any], t: int) -> str:
    try:
        start = datetime.fromisoformat(str(view.get("start")))
    except ValueError:
        return story_time(t)
    return f"{start + timedelta(minutes=t):%H:%M} ({story_time(t)})"


class SeatScreen(Screen[None]):
    """The seat's view and its form."""

    def __init__(self, link: SeatLink, lang: str = "nl",
                 allowed: Callable[[], bool] | None = None,
                 now: Callable[[], datetime] = local_now) -> None:
        super().__init__()
        self.link = link
        self.now = now
        self.lang = lang
        self.t = Translator(lang)
        self.allowed = allowed
        self.view: dict[str, Any] = {}
        self.sent: dict[str, str] = {}
        self.seen: dict[str, str] = {}
        self._stop = threading.Event()
        self._asked: set[str] = set()
        """Open decisions already shown (a new one turns the form to it)."""
        seat = link.seat
        self.kind = seat if seat in ("controller", "evaluator") else "role"

    def compose(self) -> ComposeResult:
        yield Static(self.t("seat.ui.waiting"), id="top")
        with Horizontal(id="main"):
            with VerticalScroll(id="feed"):
                yield Static(self.t("seat.ui.none"), id="feedtext")
            with VerticalScroll(id="open"):
                yield Static("", id="opentext")
        with Vertical(id="form"):
            with Horizontal(id="row1"):
                kinds = [(self.t(f"seat.ui.kind.{k}"), k) for k in KINDS[self.kind]]
                yield Select(kinds, id="kind", allow_blank=False, compact=True)
                yield Select([], id="target", compact=True, prompt="—")
                yield Select([], id="value", compact=True, prompt="—")
            with Horizontal(id="row2"):
                yield Input(placeholder=self.t("seat.ui.text"), id="text", compact=True)
                yield Button(self.t("seat.ui.send"), id="send", compact=True)
        yield Static("", id="status")

    def on_mount(self) -> None:
        self.query_one("#feed").border_title = self.t("seat.ui.injects")
        self.query_one("#open").border_title = self.t("seat.ui.open")
        threading.Thread(target=self._follow, daemon=True).start()
        self.query_one("#text", Input).focus()
        self.set_interval(1.0, self._poll)
        self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        """The clock between lines: the header and the time left move on their own."""
        if self.view:
            self._show_time(seat_minute(self.view, self.now()))

    def on_unmount(self) -> None:
        self._stop.set()

    def _follow(self) -> None:
        try:
            for view in self.link.views(self._stop):
                if self._stop.is_set():
                    return
                self.app.call_from_thread(self.show, view)
        except Exception as exc:  # noqa: BLE001 - shown, never a traceback in a seat
            if not self._stop.is_set():
                self.app.call_from_thread(self._status, str(exc))

    def _status(self, text: str) -> None:
        self.query_one("#status", Static).update(lit(text))

    def _poll(self) -> None:
        if self.allowed is not None and not self.allowed():
            self._stop.set()
            self.app.pop_screen()
            return
        try:
            outcomes = self.link.outcomes()
        except Exception:  # noqa: BLE001 - the store may be away for a moment
            return
        for sid, what in self.sent.items():
            outcome: Outcome | None = outcomes.get(sid)
            if outcome is not None and self.seen.get(sid) != outcome.state:
                self.seen[sid] = outcome.state
                state = self.t(f"seat.ui.state.{outcome.state}")
                self._status(f"{what}: {state}" + (f" — {outcome.message}"
                                                   if outcome.message else ""))

    # -- rendering ------------------------------------------------------------------------
    def show(self, view: dict[str, Any]) -> None:
        self.view = view
        feed: list[Content] = []
        for item in view.get("injects", []):
            head = join(lit(_clock(view, int(item.get("t", 0))).split(" ")[0] + " ", "bold"),
                        lit(str(item.get("channel", "")).upper() + " ", "dim"),
                        lit(str(item.get("title", "")), "bold"),
                        lit(f" — {item['from']}" if item.get("from") else "", "dim"))
            feed.append(head)
            if item.get("text"):
                feed.append(lit(str(item["text"]), "italic" if item.get("classified") else ""))
        if view.get("ended"):
            feed.append(lit(self.t("seat.ui.ended"), "bold"))
        self.query_one("#feedtext", Static).update(
            Content("\n").join(feed) if feed else lit(self.t("seat.ui.none")))
        self._show_time(seat_minute(view, self.now()))
        self.query_one("#feed", VerticalScroll).scroll_end(animate=False)
        new = [d for d in view.get("open", []) if d.get("id") not in self._asked]
        self._asked |= {str(d.get("id")) for d in new}
        if self.kind == "role" and new and not self.query_one("#text", Input).value:
            # something new is asked of this seat: the form turns to it (unless it is typing,
            # or what it shows now is asked too and ranks higher)
            best = next((kind for kind, mark in ASKED if any(d.get(mark) for d in new)), None)
            current = self._kind()
            rank = [kind for kind, _ in ASKED]
            still = current in rank and any(d.get(dict(ASKED)[current])
                                            for d in view.get("open", []))
            if best is not None and not (still and rank.index(current) < rank.index(best)):
                self.query_one("#kind", Select).value = best
        self._targets()

    def _show_time(self, t: int) -> None:
        """The header (story time) and the open decisions' time left, at minute `t`."""
        view = self.view
        running = float((view.get("clock") or {}).get("factor") or 0) > 0 and \
            not view.get("ended")
        # The clock first, with whether it runs: at 80 columns a long role name ("Minister
        # van Defensie / Commandant der Strijdkrachten") leaves no room for more.
        top = [_clock(view, t) + (" ▶" if running else ""), str(view.get("label", ""))]
        if view.get("phase"):
            top.append(str(view["phase"]))
        top.append(str(view.get("title", "")))
        self.query_one("#top", Static).update(lit(" · ".join(top)))
        opened: list[Content] = []
        for dec in view.get("open", []):
            marks = []
            if dec.get("mine"):
                marks.append(self.t("seat.ui.mine"))
            if dec.get("joint"):
                marks.append(self.t("seat.ui.joint"))
            if dec.get("consenting"):
                marks.append(self.t("seat.ui.consent_asked"))
            if dec.get("consulted"):
                marks.append(self.t("seat.ui.consulted"))
            if dec.get("deadline_t") is not None:
                marks.append(self.t("seat.ui.left", minutes=max(0, int(dec["deadline_t"]) - t)))
            opened.append(lit(str(dec.get("question", "")), "bold"))
            if marks:
                opened.append(lit(" · ".join(marks), "dim"))
        self.query_one("#opentext", Static).update(
            Content("\n").join(opened) if opened else lit(self.t("seat.ui.none")))

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "kind":
            self._targets()
        elif event.select.id == "target":
            self._values()

    def _kind(self) -> str:
        value = self.query_one("#kind", Select).value
        return str(value) if isinstance(value, str) else KINDS[self.kind][0]

    def _targets(self) -> None:
        kind = self._kind()
        view = self.view
        options: list[tuple[str, str]] = []
        if kind in ("advice", "consent", "position"):
            mark = {"advice": "consulted", "consent": "consenting", "position": "joint"}[kind]
            options = [(d["question"], d["id"]) for d in view.get("open", []) if d.get(mark)]
        elif kind == "decide":
            options = [(d["question"], d["id"]) for d in view.get("open", []) if d.get("mine")]
        elif kind in ("release", "skip"):
            options = [(i["title"], i["id"]) for i in view.get("pending_injects", [])]
        elif kind == "observe":
            options = [(i["title"], i["id"]) for i in view.get("injects", []) if i.get("id")]
        target = self.query_one("#target", Select)
        old = target.value
        target.set_options([(lit(label), value) for label, value in options])
        if any(value == old for _, value in options):
            target.value = old
        elif options:
            target.value = options[0][1]
        self._values()

    def _values(self) -> None:
        kind = self._kind()
        values: list[tuple[str, str]] = []
        target = self.query_one("#target", Select).value
        if kind in ("advice", "decide", "position"):
            dec = next((d for d in self.view.get("open", []) if d["id"] == target), None)
            values = [(o["label"], o["id"]) for o in (dec or {}).get("options", [])]
        elif kind == "consent":
            values = [(self.t("seat.ui.yes"), "yes"), (self.t("seat.ui.no"), "no")]
        elif kind == "observe":
            values = [(r, r) for r in ("P", "S", "M", "U")]
        select = self.query_one("#value", Select)
        old = select.value
        select.set_options([(lit(label), value) for label, value in values])
        if any(value == old for _, value in values):
            select.value = old
        elif values and kind != "observe":
            select.value = values[0][1]

    # -- submitting -----------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "send":
            self.submit()

    def _chosen(self, widget: str) -> str | None:
        value = self.query_one(f"#{widget}", Select).value
        return value if isinstance(value, str) else None

    def command(self) -> tuple[Command, Advice | None, str]:
        """The command the form describes (ValueError with what is missing)."""
        kind = self._kind()
        if not self.view:
            raise ValueError(self.t("seat.ui.waiting"))
        seat = self.link.seat
        by, origin = seat_by(seat), f"seat:{seat}"
        text = self.query_one("#text", Input).value.strip()
        target, value = self._chosen("target"), self._chosen("value")
        need = self.t("seat.ui.target")
        if kind == "note":
            if not text:
                raise ValueError(self.t("seat.ui.needs", what=self.t("seat.ui.text")))
            return Note(text=text, by=by, origin=origin), None, text
        if kind == "advice":
            if target is None or not (value or text):
                raise ValueError(self.t("seat.ui.needs", what=need))
            dec = next(d for d in self.view.get("open", []) if d["id"] == target)
            label = next((o["label"] for o in dec["options"] if o["id"] == value), "")
            said = ": ".join(x for x in (label, text) if x)
            note = self.t("seat.advice_note", decision=dec["question"], value=said)
            advice = Advice(decision=target, value=value or text)
            return Note(text=note, by=by, origin=origin), advice, note
        if kind in ("consent", "position"):
            if target is None or value is None:
                raise ValueError(self.t("seat.ui.needs", what=need if target is None
                                        else self.t("seat.ui.value")))
            dec = next(d for d in self.view.get("open", []) if d["id"] == target)
            if kind == "consent":
                label = self.t("seat.ui.yes" if value == "yes" else "seat.ui.no")
            else:
                label = next((o["label"] for o in dec["options"] if o["id"] == value), value)
            said = ": ".join(x for x in (label, text) if x)
            note = self.t(f"seat.{kind}_note", decision=dec["question"], value=said)
            voice = Advice(decision=target, value=value, kind=kind)  # type: ignore[arg-type]
            return Note(text=note, by=by, origin=origin), voice, note
        if kind == "decide":
            if target is None:
                raise ValueError(self.t("seat.ui.needs", what=need))
            dec = next(d for d in self.view.get("open", []) if d["id"] == target)
            if value is not None:
                label = next((o["label"] for o in dec["options"] if o["id"] == value), value)
                return (Decide(decision=target, option=value, rationale=text, by=by,
                               origin=origin), None, f"{self.t('seat.ui.kind.decide')}: {label}")
            if not text:
                raise ValueError(self.t("seat.ui.needs", what=self.t("seat.ui.value")))
            return (Decide(decision=target, answer=text, by=by, origin=origin), None,
                    f"{self.t('seat.ui.kind.decide')}: {text}")
        if kind in ("release", "skip"):
            if target is None:
                raise ValueError(self.t("seat.ui.needs", what=need))
            if kind == "release":
                return Release(inject=target, by=by, origin=origin), None, f"{kind} {target}"
            return Skip(inject=target, reason=text, by=by, origin=origin), None, f"{kind} {target}"
        if kind == "adhoc":
            if not text:
                raise ValueError(self.t("seat.ui.needs", what=self.t("seat.ui.text")))
            return AdHoc(title=text, by=by, origin=origin), None, text
        if not text:
            raise ValueError(self.t("seat.ui.needs", what=self.t("seat.ui.text")))
        return (Observe(text=text, inject=target,
                        rating=value if value in ("P", "S", "M", "U") else None,  # type: ignore[arg-type]
                        by=by, origin=origin), None, text)

    def submit(self) -> None:
        try:
            command, advice, what = self.command()
        except ValidationError as exc:
            self._status(str(exc.errors()[0].get("msg", "")))
            return
        except ValueError as exc:
            self._status(str(exc))
            return
        try:
            sid = self.link.submit(command, advice)
        except Exception as exc:  # noqa: BLE001 - the store's message, no traceback
            self._status(str(exc))
            return
        self.sent[sid] = what[:60]
        self.query_one("#text", Input).value = ""
        self._status(self.t("seat.ui.sent", what=what[:60]))


class JoinScreen(Screen[None]):
    """A visitor's first screen: the seat's join code, nothing of the exercise."""

    def __init__(self, join: Callable[[str], tuple[SeatLink, Callable[[], bool]] | None],
                 lang: str = "nl") -> None:
        super().__init__()
        self.join = join
        self.lang = lang
        self.t = Translator(lang)

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(self.t("seat.ui.code"))
            yield Input(password=True, id="code")
            yield Button(self.t("seat.ui.join"), id="join")
            yield Static("", id="why")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._try()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self._try()

    def _try(self) -> None:
        code = self.query_one("#code", Input)
        found = self.join(code.value)
        code.value = ""
        if found is None:
            self.query_one("#why", Static).update(lit(self.t("seat.code_wrong")))
            return
        link, allowed = found
        self.query_one("#why", Static).update("")
        self.app.push_screen(SeatScreen(link, self.lang, allowed))


class SeatApp(App[None]):
    """`tabletop seat` (one seat) or a visitor of `tabletop serve` (the join screen)."""

    CSS = CSS
    TITLE = "tabletop"

    def __init__(self, link: SeatLink | None = None, lang: str = "nl",
                 join: Callable[[str], tuple[SeatLink, Callable[[], bool]] | None] | None = None,
                 ) -> None:
        super().__init__()
        self.link = link
        self.lang = lang
        self.joiner = join

    def on_mount(self) -> None:
        if self.link is not None:
            self.push_screen(SeatScreen(self.link, self.lang))
        elif self.joiner is not None:
            self.push_screen(JoinScreen(self.joiner, self.lang))
