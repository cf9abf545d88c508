"""A seat's view of a running exercise, folded from the journal's lines.

The view is a plain JSON object: what one role (or a staff seat) may see now. It is what a
seat process receives on PostgreSQL (the facilitator's process writes it to `seat_views`)
and what a seat renders in either mode. Inject text goes through
`engine.visibility.visible_text`, the one function that decides need to know.
"""

from __future__ import annotations

import json
from typing import Any

from tabletop.engine.visibility import STAFF_SEATS, classified, may_read, visible_text
from tabletop.i18n.names import Names
from tabletop.model.base import MAX_MINUTES
from tabletop.model.loading import LoadedScenario


def seat_names(loaded: LoadedScenario) -> list[str]:
    """Every seat an exercise can have: its roles, then the staff seats."""
    return [*loaded.roles, *STAFF_SEATS]


def quiet_minute(command: Any) -> int:
    """Where a `run_until` command moved the stopped clock to (0 for any other command):
    the minute a follower shows when the step caused no event to say so."""
    if isinstance(command, dict) and command.get("kind") == "run_until":
        until = command.get("until")
        if isinstance(until, int) and not isinstance(until, bool) and \
                0 <= until <= MAX_MINUTES:  # (what a logged command may say)
            return until
    return 0


class SeatView:
    """Feed it journal lines in order; `view()` is what the seat may see after them."""

    def __init__(self, loaded: LoadedScenario, seat: str, header: dict[str, Any],
                 lang: str = "nl") -> None:
        self.loaded = loaded
        self.seat = seat
        self.lang = lang
        self.names = Names(loaded, lang, dict(header.get("participants") or {}), False,
                           header.get("parameters"))
        self.staff = seat in STAFF_SEATS
        self.seq = 0
        self.t = 0
        phases = loaded.scenario.phases
        self.phase = phases[0].title if phases else ""
        """The phase the exercise is in: the first until a line says otherwise (as the
        engine starts)."""
        self.ended = False
        clock = header.get("clock")
        self.factor = float(header.get("clock_factor") or (
            clock.get("factor", 0) if isinstance(clock, dict) else 0) or 0)
        self.wall = str(header.get("created", ""))
        self.clock_t = 0
        """Where the facilitator's clock stood at `wall` (the last line that moved or set
        it): with `factor` (story minutes per real second, 0 when stopped) a seat's clock
        runs on between lines, as the projector's does."""
        self.injects: list[dict[str, Any]] = []
        self.open: dict[str, dict[str, Any]] = {}
        self.taken: list[dict[str, Any]] = []
        self.notes: list[dict[str, Any]] = []
        self.done_injects: set[str] = set()
        self.title = str(header.get("title", ""))
        self.start = loaded.scenario.start.isoformat()

    def feed_raw(self, seq: int, raw: bytes) -> None:
        if seq == 0:
            return
        self.feed(json.loads(raw))

    def feed(self, obj: dict[str, Any]) -> None:
        """One journal line (its JSON object)."""
        self.seq = int(obj.get("seq", self.seq))
        self.t = max(self.t, int(obj.get("t", 0)))
        kind = obj.get("type")
        if kind not in ("command", "checkpoint", "force_scenario"):
            self.clock_t, self.wall = int(obj.get("t", 0)), str(obj.get("wall", ""))
        elif kind == "command" and self.factor == 0:
            self.t = max(self.t, quiet_minute(obj.get("command")))
        if kind == "resumed":
            self.factor = 0.0  # a resumed exercise steps until a clock line says more
        fill = self.names.fill
        if kind == "inject":
            self.done_injects.add(str(obj.get("inject")))
            inj = self.loaded.scenario.inject(str(obj.get("inject")))
            if inj is None or not (self.staff or self.seat in inj.to):
                return
            readable = may_read(inj, self.seat)
            self.injects.append({
                "seq": self.seq, "t": obj.get("t", 0), "id": inj.id,
                "title": fill(inj.title) if readable else classified(self.lang),
                "from": fill(inj.from_) if readable else "",
                "channel": str(getattr(inj.channel, "value", inj.channel)),
                "text": fill(visible_text(self.loaded, inj, self.seat, self.lang)),
                "classified": not readable})
        elif kind == "inject_skipped":
            self.done_injects.add(str(obj.get("inject")))
        elif kind == "adhoc_inject":
            to = list(obj.get("to") or [])
            if self.staff or not to or self.seat in to:
                self.injects.append({
                    "seq": self.seq, "t": obj.get("t", 0), "id": "",
                    "title": str(obj.get("title", "")), "from": str(obj.get("sender", "")),
                    "channel": str(obj.get("channel", "")), "text": str(obj.get("text", "")),
                    "classified": False})
        elif kind == "decision_opened":
            self._opened(obj)
        elif kind == "decision":
            record = self.open.pop(str(obj.get("decision")), None)
            if record is not None:
                self.taken.append({"id": record["id"], "question": record["question"],
                                   "option": obj.get("option"), "answer": obj.get("answer", ""),
                                   "by": obj.get("by"), "t": obj.get("t", 0)})
        elif kind == "decision_lapsed":  # a lapsed deadline decides nothing: no longer open
            self.open.pop(str(obj.get("decision")), None)
        elif kind == "deadline_extended":
            record = self.open.get(str(obj.get("decision")))
            if record is not None:
                record["deadline_t"] = obj.get("deadline_t")
        elif kind == "phase":
            phase = next((p for p in self.loaded.scenario.phases if p.id == obj.get("phase")),
                         None)
            self.phase = phase.title if phase is not None else str(obj.get("phase", ""))
        elif kind == "clock":
            self.factor = float(obj.get("factor", 0.0))
        elif kind == "end":
            self.ended = True
            self.open.clear()
        elif kind == "note" and obj.get("by") == self._by():
            self.notes.append({"t": obj.get("t", 0), "text": str(obj.get("text", ""))})

    def _by(self) -> str:
        return STAFF_SEATS.get(self.seat, self.seat)

    def _opened(self, obj: dict[str, Any]) -> None:
        dec = next((d for d in self.loaded.scenario.decisions if d.id == obj.get("decision")),
                   None)
        if dec is None:
            return
        owner = obj.get("owner")
        holders = list(obj.get("holders") or [])
        consult = list(obj.get("consult") or [])
        consent = list(obj.get("consent") or [])
        mine = self.seat == owner or self.seat in dec.owners or (
            owner is None and self.seat in holders)
        joint = dec.joint and self.seat in dec.owners
        if not (self.staff or mine or joint or self.seat in consult or self.seat in holders
                or self.seat in consent):
            return
        needs = [c for c in dec.consent if c.role == self.seat]
        self.open[dec.id] = {
            "id": dec.id, "question": self.names.fill(dec.question),
            "context": self.names.fill(dec.context), "owner": owner, "holders": holders,
            "consult": consult, "deadline_t": obj.get("deadline_t"), "opened_t": obj.get("t"),
            "simulated": bool(obj.get("simulated")),
            "mine": mine, "consulted": self.seat in consult,
            "consenting": bool(needs), "joint": joint,
            "consent_options": sorted({o for c in needs for o in c.options}),
            "options": [{"id": o.id, "label": self.names.fill(o.label)} for o in dec.options]}

    def view(self) -> dict[str, Any]:
        """The seat's view now: JSON-ready, and nothing in it the seat may not see."""
        pending = []
        if self.seat == "controller":
            pending = [{"id": i.id, "title": self.names.fill(i.title), "manual": i.manual}
                       for i in self.loaded.scenario.injects if i.id not in self.done_injects]
        objectives = []
        if self.seat == "evaluator":
            objectives = [{"id": o.id, "title": o.title}
                          for o in self.loaded.scenario.objectives]
        label = (self.names.role(self.seat) if self.seat in self.loaded.roles
                 else self.seat)
        return {
            "seat": self.seat, "label": label, "by": self._by(), "title": self.title,
            "start": self.start, "seq": self.seq, "t": self.t, "phase": self.phase,
            "ended": self.ended,
            "clock": {"factor": self.factor, "wall": self.wall, "t": self.clock_t},
            "injects": list(self.injects), "open": [dict(d) for d in self.open.values()],
            "taken": list(self.taken), "notes": list(self.notes), "pending_injects": pending,
            "objectives": objectives, "lang": self.lang}
