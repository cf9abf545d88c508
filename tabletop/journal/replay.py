"""Re-simulation: feed a log's own decisions and actions back to the engine, compare events."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tabletop.engine.exercise import Exercise, ExerciseError
from tabletop.journal.format import JournalError, LogLine
from tabletop.journal.reader import Journal
from tabletop.model.events import FIELD_DEFAULTS, Event
from tabletop.model.loading import LoadedScenario, load_roles, load_scenario, roles_for


def is_command(line: LogLine) -> bool:
    """Whether a logged event was caused by a person rather than by the engine itself."""
    p = line.payload
    kind = line.type
    if kind == "decision":
        return not p.get("default") and not p.get("simulated")
    if kind == "inject":
        return bool(p.get("released")) and p.get("by") == "facilitator"
    if kind == "inject_skipped":
        return p.get("reason") == "facilitator"
    if kind == "expectation":
        return p.get("status") == "met"
    if kind == "dilemma":
        return p.get("kind") == "handmatig" or (
            p.get("kind") == "authored" and (p.get("detail") or {}).get("source") == "facilitator")
    if kind == "end":
        return p.get("by") == "facilitator"
    return kind in ("note", "observation", "adhoc_inject")


def apply_command(ex: Exercise, line: LogLine) -> list[Event]:
    """Carry out the action a command line records."""
    p = line.payload
    kind = line.type
    if kind == "decision":
        return ex.decide(p["decision"], p.get("option"), by=p.get("by") or "facilitator",
                         advice=p.get("advice") or {}, rationale=p.get("rationale", ""),
                         forum=p.get("forum", ""), answer=p.get("answer", ""),
                         action_owner=p.get("action_owner"))
    if kind == "inject":
        return ex.release(p["inject"], "facilitator")
    if kind == "inject_skipped":
        return ex.skip(p["inject"])
    if kind == "expectation":
        return ex.mark_met(p["inject"], p.get("by") or "facilitator")
    if kind == "dilemma":
        if p.get("kind") == "authored":
            return ex.flag_dilemma(p.get("dilemma"))
        return ex.flag_dilemma(None, p.get("text", ""), tuple(p.get("roles") or ()))
    if kind == "end":
        return ex.end("facilitator")
    if kind == "note":
        return ex.note(p["text"], p.get("by", "facilitator"), bool(p.get("lovp")),
                       p.get("question"), p.get("owner"))
    if kind == "observation":
        return ex.observe(p["text"], p.get("by", "observator"), p.get("inject"),
                          p.get("rating"))
    if kind == "adhoc_inject":
        return ex.adhoc(p["title"], p.get("text", ""), p.get("sender", "facilitator"),
                        tuple(p.get("to") or ()), p.get("channel", "melding"))
    raise ExerciseError(f"cannot replay a '{kind}' line")  # pragma: no cover


@dataclass
class Divergence:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def describe(payload: dict[str, Any] | None) -> str:
    if payload is None:
        return "nothing"
    ident = next((payload[k] for k in ("inject", "decision", "dilemma", "phase", "resource",
                                       "source", "outcome", "kind") if payload.get(k)), "")
    extra = payload.get("option") or payload.get("kind") if payload.get("type") in (
        "decision", "dilemma") else None
    return f"{payload.get('type')} {ident}" + (f" ({extra})" if extra and extra != ident else "")


def without_new_defaults(data: dict[str, Any], logged: dict[str, Any]) -> dict[str, Any]:
    """Leave out fields a log predates: absent in its line and at their default here.

    Why: event types gain fields over time (additively, with defaults); a log written
    before a field existed must still verify.
    """
    defaults = FIELD_DEFAULTS.get(str(data.get("type")), {})
    return {k: v for k, v in data.items()
            if k in logged or k not in defaults or v != defaults[k]}


def _first_difference(a: dict[str, Any], b: dict[str, Any]) -> str:
    for key in sorted(set(a) | set(b)):
        if a.get(key) != b.get(key):
            return key
    return ""


def resimulate(journal: Journal, loaded: LoadedScenario, upto: int | None = None,
               on_events: Callable[[list[Event]], None] | None = None,
               tail: list[Event] | None = None,
               ) -> tuple[Exercise, Divergence | None]:
    """Replay a log's commands into a fresh exercise and compare what it produces.

    Args:
        upto: stop after the line with this seq (for forking); None: the whole log.
        tail: collects what the engine produces after the log's last line at its last
            moment, instead of calling that a divergence. Why: a crash can cut a batch of
            one moment's events short; `resume` appends the rest.
    """
    header = journal.header
    ex = Exercise(loaded, seed=int(header.get("seed", 0)),
                  participants=set(header.get("participants") or loaded.roles))
    expected = [ln for ln in journal.lines if ln.is_engine_event
                and (upto is None or ln.seq <= upto)]
    index = 0

    def check(produced: list[Event]) -> Divergence | None:
        nonlocal index
        if on_events:
            on_events(produced)
        for event in produced:
            data = event.to_dict()
            if index >= len(expected):
                if upto is not None:
                    return None
                if tail is not None:
                    tail.append(event)
                    continue
                last = journal.lines[-1].number if journal.lines else 1
                return Divergence(last, f"the engine produced {describe(data)} after the "
                                        "log's last line")
            line = expected[index]
            data = without_new_defaults(data, line.payload)
            if data != line.payload:
                field = _first_difference(data, line.payload)
                where = f" (field '{field}')" if field and data.get("type") == line.type else ""
                return Divergence(line.number, f"the engine produced {describe(data)} where "
                                               f"the log has {describe(line.payload)}{where}")
            index += 1
        return None

    for line in expected:
        if not is_command(line):
            continue
        if line.t < ex.now:
            return ex, Divergence(line.number, f"story time {line.t} lies before {ex.now}")
        divergence = check(ex.run_until(line.t))
        if divergence:
            return ex, divergence
        if index >= len(expected) or expected[index] is not line:
            shown = expected[index] if index < len(expected) else None
            return ex, Divergence(
                shown.number if shown else line.number,
                f"the engine produced nothing where the log has "
                f"{describe(shown.payload if shown else None)}")
        try:
            produced = apply_command(ex, line)
        except (ExerciseError, KeyError) as exc:
            return ex, Divergence(line.number, f"the logged action cannot be replayed: {exc}")
        divergence = check(produced)
        if divergence:
            return ex, divergence
    if expected:
        divergence = check(ex.run_until(max(expected[-1].t, ex.now)))
        if divergence:
            return ex, divergence
    if index < len(expected):
        line = expected[index]
        return ex, Divergence(line.number, f"the log has {describe(line.payload)} but the "
                                           "engine produced nothing more")
    return ex, None


def load_for(journal: Journal, scenario_path: Path | None = None,
             roles_dir: Path | None = None) -> LoadedScenario:
    """The scenario a journal was written with (its recorded path, unless given)."""
    recorded = journal.header.get("scenario") or {}
    path = scenario_path or Path(recorded.get("path", ""))
    if not path.is_file():
        raise JournalError(f"{journal.path}: the scenario it was written with is missing: "
                           f"{path} (give it with --scenario)")
    return load_scenario(path, load_roles(roles_dir or roles_for(path)))


def scenario_changed(journal: Journal, loaded: LoadedScenario) -> bool:
    return (journal.header.get("scenario") or {}).get("hash") != loaded.content_hash
