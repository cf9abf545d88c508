"""Engine test helpers: build an exercise from an inline scenario; events as `(t, type, id)`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from tabletop.engine.exercise import Exercise
from tabletop.model.events import Event
from tabletop.model.loading import LoadedScenario

Trace = list[tuple[int, str, Any]]


def event_id(event: Event) -> Any:
    """The one value that says which event this is, per type."""
    data = event.to_dict()
    kind = data["type"]
    if kind in ("inject", "inject_skipped"):
        return data["inject"]
    if kind == "expectation":
        return f"{data['inject']}:{data['status']}"
    if kind == "decision_opened":
        return data["decision"]
    if kind == "decision":
        return f"{data['decision']}:{data['option'] or data['answer']}"
    if kind == "effect":
        return data["source"]
    if kind == "capacity":
        return f"{data['resource']}{data['change']:+d}"
    if kind == "dilemma":
        return f"{data['kind']}:{data['dilemma'] or data['decision'] or data['text']}"
    if kind == "phase":
        return data["phase"]
    if kind == "end":
        return data["outcome"]
    if kind == "adhoc_inject":
        return data["title"]
    if kind in ("note", "observation"):
        return data["text"]
    raise AssertionError(f"unknown event type {kind}")


def as_trace(events: Iterable[Event]) -> Trace:
    """Events as the literal tuples the tests compare."""
    return [(e.t, e.to_dict()["type"], event_id(e)) for e in events]


@pytest.fixture
def trace() -> Callable[[Iterable[Event]], Trace]:
    return as_trace


@pytest.fixture
def make(scenario: Callable[..., LoadedScenario]) -> Callable[..., Exercise]:
    """An Exercise of an inline scenario body (the standard header is added)."""
    def _make(body: str, roles_line: str = "roles: [burgemeester, politie, om]",
              participants: Iterable[str] | None = None, seed: int = 0) -> Exercise:
        loaded = scenario(body, roles_line)
        return Exercise(loaded, seed=seed,
                        participants=None if participants is None else set(participants))
    return _make


@pytest.fixture(autouse=True)
def _messages_in_english() -> Iterable[None]:
    """Engine tests read refusals in English (`--lang en`); the catalogue test checks both."""
    from tabletop.i18n import current_language, set_language

    before = current_language()
    set_language("en")
    yield
    set_language(before)
