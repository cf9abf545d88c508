"""Every event is stamped with the minute the clock reads when it happens, however the
clock is driven (the ledger keeps the minute as the schedule moves the clock)."""

from __future__ import annotations

from collections.abc import Callable

from tabletop.engine.exercise import Exercise
from tabletop.engine.policies import autoplay
from tabletop.model.commands import RunUntil, Step
from tabletop.model.events import Event

Make = Callable[..., Exercise]

BODY = """
    end: 6h
    state:
      spanning: {label: S, initial: 1, min: 0, max: 9}
    injects:
      - {id: melding, at: 10m, from: X, to: [burgemeester], channel: melding, title: M,
         expect: {what: Sitrap, within: 25m, every: 1h}}
      - {id: volgt, after: {event: melding, delay: 7m}, from: X, to: [om], channel: melding,
         title: V}
      - {id: klok, when: t >= 95 and t % 5 == 2, from: X, to: [om], channel: melding,
         title: K}
      - {id: hoog, when: spanning >= 4, from: X, to: [om], channel: melding, title: H}
    decisions:
      - id: aanpak
        on: volgt
        question: Q
        domain: openbare-orde
        deadline: 45m
        default: wachten
        options:
          - {id: wachten, label: W, effects: [{add: {spanning: 1}}]}
          - {id: ingrijpen, label: I, effects: [{add: {spanning: 2}}]}
    rules:
      - {id: regel, every: 50m, effects: [{add: {spanning: 1}}]}
"""


def stamped(ex: Exercise) -> list[tuple[int, int]]:
    """(the event's minute, the clock's minute) for every event from now on."""
    seen: list[tuple[int, int]] = []

    def listen(event: Event) -> None:
        seen.append((event.t, int(ex.env.now)))

    ex.ledger.listen(listen)
    return seen


def test_stepped_run_and_played_runs_stamp_the_clocks_minute(make: Make) -> None:
    stepped = make(BODY)
    seen = stamped(stepped)
    while not stepped.finished:
        stepped.apply(Step())
    ran = make(BODY)
    seen_ran = stamped(ran)
    for minute in (5, 17, 17, 96, 97, 200, 10**6):
        ran.apply(RunUntil(until=minute))
    played = make(BODY, participants=[])
    seen_played = stamped(played)
    autoplay(played, "random", 4)
    for found in (seen, seen_ran, seen_played):
        assert len(found) > 10
        assert [t for t, _ in found] == [clock for _, clock in found]
    assert [e.to_dict() for e in stepped.events] == [e.to_dict() for e in ran.events]
    assert (97, 97) in seen  # the clocked `when`, found between events
