"""Deliveries: injects going out (on time, on a trigger, released, scheduled, skipped) and
the expectations they arm (`expect: within / every / else`)."""

from __future__ import annotations

from tabletop.engine.effects import Effects
from tabletop.engine.ledger import Ledger
from tabletop.engine.schedule import Schedule
from tabletop.engine.world import World
from tabletop.model.events import ExpectationChanged, InjectDelivered, InjectSkipped
from tabletop.model.scenario import Inject, Scenario


class Deliveries:
    """Which injects are out or skipped, and which expectations are met how often."""

    def __init__(self, ledger: Ledger, schedule: Schedule, effects: Effects, world: World,
                 scenario: Scenario) -> None:
        self.ledger = ledger
        self.schedule = schedule
        self.effects = effects
        self.world = world
        self.scenario = scenario
        self._done: set[str] = set()
        """Injects delivered or skipped."""
        self._met_counts: dict[str, int] = {}

    def is_done(self, inject_id: str) -> bool:
        """Delivered or skipped: it will not come (again)."""
        return inject_id in self._done

    @property
    def done(self) -> frozenset[str]:
        return frozenset(self._done)

    def trigger(self, inj: Inject, by: str | None = None) -> None:
        """Its trigger came: delivered, or skipped when its `if:` does not hold."""
        if inj.id in self._done:
            return
        if inj.if_ is not None and not inj.if_.holds(self.world):
            self._done.add(inj.id)
            self.ledger.emit(InjectSkipped(self.ledger.now, inj.id, "guard"))
            return
        self.deliver(inj, False, by)

    def scheduled(self, inj: Inject, source: str) -> None:
        """A `schedule:` effect's inject arrives (unless it already came or was skipped)."""
        if inj.id not in self._done:
            self.deliver(inj, by=source)

    def deliver(self, inj: Inject, released: bool = False, by: str | None = None) -> None:
        ledger, world = self.ledger, self.world
        self._done.add(inj.id)
        if inj.phase and inj.phase != world.phase:
            self.effects.set_phase(inj.phase)
        world.delivered_ids.add(inj.id)
        ledger.emit(InjectDelivered(ledger.now, inj.id, world.phase, released, by))
        if inj.effects:
            self.effects.apply(inj.effects, f"inject:{inj.id}")
        if inj.expect is not None:
            self._arm_expectation(inj)
        self.schedule.happened(inj.id)
        self.schedule.changed()

    def skip(self, inj: Inject, reason: str, by: str) -> None:
        """The facilitator skips an inject that has not come yet."""
        self._done.add(inj.id)
        self.ledger.emit(InjectSkipped(self.ledger.now, inj.id, "facilitator", reason, by))

    def mark_met(self, inj: Inject, by: str) -> None:
        """The facilitator marks a delivered inject's expectation met (once more)."""
        self.world.met_ids.add(inj.id)
        self._met_counts[inj.id] = self._met_counts.get(inj.id, 0) + 1
        self.ledger.emit(ExpectationChanged(self.ledger.now, inj.id, "met", by))
        self.schedule.changed()

    def _arm_expectation(self, inj: Inject) -> None:
        expect = inj.expect
        assert expect is not None
        ledger = self.ledger
        self._met_counts[inj.id] = 0
        if expect.within is not None:
            def due() -> None:
                if inj.id not in self.world.met_ids:
                    ledger.emit(ExpectationChanged(ledger.now, inj.id, "missed"))
                    target = self.scenario.inject(expect.else_) if expect.else_ else None
                    if target is not None and target.id not in self._done:
                        self.deliver(target, by=f"contingency:{inj.id}")
            self.schedule.later(expect.within, due)
        if expect.every is not None:
            self.schedule.every(expect.every, _Recurring(self, inj).check)

    def met_count(self, inject_id: str) -> int:
        """How often the facilitator marked the inject's expectation met."""
        return self._met_counts.get(inject_id, 0)


class _Recurring:
    """An `every:` expectation, checked at every period: missed when it was not met since
    the check before (`Schedule.every` ticks it; it keeps what it saw)."""

    __slots__ = ("deliveries", "inj", "seen")

    def __init__(self, deliveries: Deliveries, inj: Inject) -> None:
        self.deliveries, self.inj, self.seen = deliveries, inj, 0

    def check(self) -> None:
        deliveries = self.deliveries
        count = deliveries.met_count(self.inj.id)
        if count == self.seen:
            ledger = deliveries.ledger
            ledger.emit(ExpectationChanged(ledger.now, self.inj.id, "missed"))
        self.seen = count
