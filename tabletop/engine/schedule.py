"""The schedule: the simpy clock, what is due when, and the `when` conditions waiting.

The plan's timed triggers are simpy timeouts whose value is the trigger (`arm`);
`after:`/`on:` triggers wait for an event id and are timed when it happens (`happened`);
`when:` triggers are watchers, re-evaluated only when an event touched something they read
(`touched`, fed by the ledger) or, for those that read `t`, at the minutes where they can
flip (`engine/clock.py`). `later` and `every` time the rest (deadlines, expectations, rule
ticks). The schedule does not know what a trigger does: the exercise hands it a `fire`
callback. It is the one part that moves the clock, and it keeps the ledger's minute.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import simpy

from tabletop.engine.clock import ANYTHING, Key, first_minute, touched_by
from tabletop.engine.ledger import Ledger
from tabletop.engine.plan import Plan, Trigger
from tabletop.engine.world import World
from tabletop.model.events import Event
from tabletop.model.expressions import Expression

_SILENT_STEPS = 100_000

Watcher = tuple[str, Any]
"""What waits on a `when`: ("inject" | "decision" | "outcome", the spec)."""


class _AtMinute:
    """The world as an expression sees it at another story minute."""

    def __init__(self, world: World, minute: int) -> None:
        self._world = world
        self.t = minute

    def __getattr__(self, name: str) -> Any:
        return getattr(self._world, name)


Timeout = simpy.Timeout
"""The one kind of simpy event the schedule makes, made directly (`Timeout(env, delay)`):
`env.timeout` is the same class reached through a descriptor at every call (simpy binds it
early on its own Environment, not on a subclass)."""


class StoryClock(simpy.Environment):
    """simpy's environment, which can let go of what is still scheduled once the story has
    ended (see `let_go`)."""

    _EARLY_BOUND = ("process", "timeout", "event", "all_of", "any_of")

    def let_go(self) -> None:
        """Drop everything still scheduled. Why: at the end nothing scheduled can happen any
        more, yet the pending events hold the callbacks of the exercise's parts, which hold
        this environment: cycles that only the cycle collector would free. Without them a
        finished exercise is freed the moment its last reference goes, which is what a
        batch of thousands of runs does with each. (Any early-bound method is dropped too:
        simpy binds them on an instance of its own class, where each holds the instance,
        but not on a subclass's; should that change, this keeps the clock free of cycles.
        `_queue` and those names are simpy's: tests/engine/test_let_go.py fails if they
        change.)"""
        self._queue.clear()
        for name in self._EARLY_BOUND:
            self.__dict__.pop(name, None)


class _Every:
    """The ticks of `Schedule.every`: each calls its function if its condition holds, and
    re-arms the next (an object, not a closure that names itself: that would be a cycle)."""

    __slots__ = ("env", "ledger", "period", "fn", "when", "context")

    def __init__(self, env: simpy.Environment, ledger: Ledger, period: float,
                 fn: Callable[[], None], when: Expression | None, context: Any) -> None:
        self.env, self.ledger, self.period, self.fn = env, ledger, period, fn
        self.when, self.context = when, context

    def __call__(self, _event: simpy.Event) -> None:
        if not self.ledger.finished:
            if self.when is None or self.when.holds(self.context):
                self.fn()
            Timeout(self.env, self.period).callbacks.append(self)


def _due(ledger: Ledger) -> Callable[[simpy.Event], None]:
    """The callback of every `later` timeout: its value is what to call, unless the story
    has ended. (A function of the ledger alone, made once per schedule: a bound method of
    the schedule would be made at every call.)"""
    def due(event: simpy.Event) -> None:
        if not ledger.finished:
            fn = event.value
            assert fn is not None
            fn()

    return due


def _fires(ledger: Ledger, fire: Callable[[str, Any], None]) -> Callable[[simpy.Event], None]:
    """The callback of a trigger's timeout: its value is the trigger, for `fire`."""
    def fires(event: simpy.Event) -> None:
        if not ledger.finished:
            trigger = event.value
            assert trigger is not None
            fire(*trigger)

    return fires


def _no_fire(_kind: str, _item: Any) -> None:
    pass


def _unarmed(_event: simpy.Event) -> None:
    """A trigger's timeout before the triggers are armed or after the end: nothing."""


class Schedule:
    """The clock of one exercise and everything waiting on it."""

    def __init__(self, env: simpy.Environment, ledger: Ledger, world: World,
                 horizon: int) -> None:
        self.env = env
        self.ledger = ledger
        self.world = world
        self.horizon = horizon
        self.factor = 0.0
        """Story minutes per real second of the console's clock (0: stepped or paused)."""
        self._followers: dict[str, tuple[tuple[int, Trigger], ...]] = {}
        """Per event id, the triggers that follow it, with their delay (the plan's)."""
        self._fire: Callable[[str, Any], None] = _no_fire
        self._fires: Callable[[simpy.Event], None] = _unarmed
        self._due = _due(ledger)
        self._watch_list: list[Watcher | None] = []
        """The watchers in scenario order; None where one has fired."""
        self._clocked: frozenset[int] = frozenset()
        """Watchers whose `when` reads the clock: they can come due between events."""
        self._readers: Mapping[Key, Sequence[int]] = {}
        """Per key an event can touch, the watchers whose `when` reads it."""
        self._stale: list[int] = []
        """A heap of the watchers to evaluate in this pass (each may have changed)."""
        self._stale_set: set[int] = set()
        self._stale_next: set[int] = set()
        """Watchers touched during a pass at or before its position: the next pass's."""
        self._position = -1
        """The watcher the current pass is at (-1: no pass)."""
        self._stale_at: float = -1.0
        """The minute at which the clocked watchers were last evaluated."""
        self._started = False
        self._checking = False
        self._dirty = False
        self._clock_cache: tuple[Any, int | None] = (None, None)
        self._checked: tuple[int, float | None] | None = None
        """(events, minute) at the last full check of the watchers."""

    @property
    def now(self) -> int:
        return int(self.env.now)

    # -- what waits -------------------------------------------------------------------
    def later(self, delay: float, fn: Callable[[], None]) -> None:
        """Call `fn` `delay` minutes from now (unless the exercise has ended by then)."""
        Timeout(self.env, delay, fn).callbacks.append(self._due)

    def every(self, period: float, fn: Callable[[], None],
              when: Expression | None = None) -> None:
        """Call `fn` every `period` minutes (at each tick where `when` holds in the world),
        the first time `period` minutes from now, until the exercise has ended. Each tick
        is timed before `fn` runs and the next is timed after it, as `later(period, ...)` at
        the end of `fn` would (the order of equal-time events is the order they were timed
        in). Why not `later`: a rule ticks at every period of a run, and this is one
        timeout and one call per tick."""
        Timeout(self.env, period).callbacks.append(
            _Every(self.env, self.ledger, period, fn, when, self.world))

    def happened(self, event_id: str) -> None:
        """The inject or decision `event_id` happened: what follows it is timed."""
        found = self._followers.pop(event_id, None)
        if found is not None:
            env, fires = self.env, self._fires
            for delay, trigger in found:
                Timeout(env, delay, trigger).callbacks.append(fires)

    def arm(self, plan: Plan, fire: Callable[[str, Any], None]) -> None:
        """Arm the plan's triggers: the timed ones now, those that follow an event for when
        it happens, and the `when` watchers (each fires once, when its condition holds).
        `fire(kind, item)` carries a trigger out."""
        self._fire = fire
        self._fires = fires = _fires(self.ledger, fire)
        env = self.env
        for minute, trigger in plan.timed:
            Timeout(env, minute - env.now, trigger).callbacks.append(fires)
        self._followers = dict(plan.followers)
        self.ledger.listen(self.touched, plan.unheard)
        self._watch_list = list(plan.watchers)
        self._clocked = plan.clocked
        self._readers = plan.readers
        self._stale = list(range(len(self._watch_list)))
        self._stale_set = set(self._stale)

    def touched(self, event: Event) -> None:
        """An event happened: the watchers reading what it touched may hold now."""
        if not self._watch_list:
            return
        readers = self._readers
        for key in touched_by(event):
            found = readers.get(key)
            if found is not None:
                self._mark_stale(found)
            elif key == ANYTHING:
                self._mark_stale(range(len(self._watch_list)))

    def _mark_stale(self, indices: Iterable[int]) -> None:
        """These watchers may hold now: evaluate them later in this pass, else in the next.
        Why the split: a pass evaluates the watchers in scenario order, as it always did,
        so that what fires first does not depend on which watchers were skipped."""
        for index in indices:
            if index in self._stale_set or self._watch_list[index] is None:
                continue
            if index <= self._position:
                self._stale_next.add(index)
            else:
                self._stale_set.add(index)
                heapq.heappush(self._stale, index)

    def changed(self) -> None:
        """Fire `when` triggers and outcomes that now hold, until nothing more changes."""
        if not self._stale and not self._clocked:
            # No event touched what a waiting `when` reads (or nothing waits on one): each is
            # as false as before. (Within a pass, the pass sees what is touched later.)
            return
        if self._checking:
            self._dirty = True
            return
        ledger = self.ledger
        # Why: every change an expression can see (state, capacity, deliveries, decisions,
        # expectations, phase) is emitted as an event, so with no new event (and, for
        # watchers that read `t`, no new minute) every `when` is as false as last time.
        marker = (len(ledger.events), self.env.now if self._clocked else None)
        if marker == self._checked:
            return
        self._checking = True
        try:
            self._dirty = True
            while self._dirty and not ledger.finished:
                self._dirty = False
                if self._clocked and self._stale_at != self.env.now:
                    self._stale_at = self.env.now
                    self._mark_stale(self._clocked)
                while self._stale and not ledger.finished:
                    index = heapq.heappop(self._stale)
                    self._stale_set.discard(index)
                    self._position = index
                    watcher = self._watch_list[index]
                    if watcher is None:
                        continue
                    kind, item = watcher
                    if item.when.holds(self.world):
                        self._watch_list[index] = None
                        self._fire(kind, item)
                self._position = -1
                if self._stale_next:
                    self._dirty = True
                    later, self._stale_next = self._stale_next, set()
                    self._mark_stale(later)
        finally:
            self._checking = False
        self._checked = (len(ledger.events), self.env.now if self._clocked else None)

    def let_go(self) -> None:
        """The story has ended, and nothing that waits can come any more (every callback
        asks whether it has ended): what would hold the exercise's parts from here is
        dropped, the pending events, the trigger callback and the ledger hearing this
        schedule (see `StoryClock.let_go`). What waits on the plan's data stays."""
        assert self.ledger.finished
        self._fire = _no_fire
        self._fires = _unarmed
        self.ledger.unlisten(self.touched)
        if isinstance(self.env, StoryClock):
            self.env.let_go()

    # -- the clock --------------------------------------------------------------------
    def _clock_moment(self, until: float) -> int | None:
        """The first whole minute in (now, until] at which a pending `when` that reads `t`
        holds. Why: such a trigger must fire at that minute however the clock is driven
        (step by step, or run to a time), or a replay would not match the exercise."""
        if not self._clocked or self.ledger.finished:
            return None
        key = (len(self.ledger.events), self.env.now, until)
        if self._clock_cache[0] == key:  # asked again before anything changed
            return self._clock_cache[1]
        pending = [entry[1].when for i in sorted(self._clocked)
                   if (entry := self._watch_list[i]) is not None]
        last = self.horizon if math.isinf(until) else int(until)
        found = first_minute(pending, lambda minute: _AtMinute(self.world, minute),
                             self.world, int(self.env.now) + 1, last) if pending else None
        self._clock_cache = (key, found)
        return found

    def _next_time(self, limit: float) -> float:
        """When something next happens: a scheduled event, or a clocked `when` before it."""
        nxt = self.env.peek()
        if not self._clocked:
            return nxt
        moment = self._clock_moment(min(nxt, limit))
        return nxt if moment is None or moment >= nxt else moment

    def start(self) -> None:
        """Before the first command: whatever holds at minute 0 fires."""
        if not self._started:
            self.advance_to(self.env.now)

    def advance_to(self, t: float) -> None:
        """Play everything due up to and including `t`."""
        if not self._started:
            self._started = True
            self.changed()
        env = self.env
        ledger = self.ledger
        now = env.now
        peek, step, changed = env.peek, env.step, self.changed
        clocked = bool(self._clocked)  # (the plan's: it does not change during a run)
        while not ledger.finished:
            nxt = self._next_time(t) if clocked else peek()
            if nxt > t:
                break
            if clocked and nxt < peek():  # a clocked `when` comes due between events
                self._move_clock(nxt)
                now = nxt
                changed()
                continue
            if nxt == now:
                step()
            else:  # the step moves the clock to the next event's minute
                ledger.now = int(nxt)
                step()
                now = nxt
                if self._stale or clocked:  # (what `changed` asks first)
                    changed()
        if not ledger.finished and now < t and not math.isinf(t):
            self._move_clock(t)
            self.changed()
        elif not ledger.finished:
            self.changed()

    def _move_clock(self, to: float) -> None:
        """Set the clock to `to`, before which nothing is scheduled. Why not `env.run(until=)`:
        it makes an event and raises and catches an exception to stop, at every step."""
        assert self.env.peek() > to
        self.ledger.now = int(to)
        Timeout(self.env, to - self.env.now)
        self.env.step()

    def peek(self) -> int | None:
        """Story minute of the next scheduled engine event (None: nothing scheduled)."""
        if self.ledger.finished:
            return None
        nxt = self._next_time(math.inf)
        return None if math.isinf(nxt) else int(nxt)

    def step(self) -> list[Event]:
        """Advance to the next moment at which something happens, and play all of it."""
        events = self.ledger.events
        start = len(events)
        self.start()
        silent = 0
        while not self.ledger.finished and len(events) == start and silent < _SILENT_STEPS:
            nxt = self._next_time(math.inf)
            if math.isinf(nxt):
                break
            self.advance_to(nxt)
            silent += 1
        return events[start:]

    def run_until(self, t: int) -> list[Event]:
        """Play everything up to and including story minute `t`; the clock then reads `t`."""
        events = self.ledger.events
        start = len(events)
        self.advance_to(t)
        return events[start:]
