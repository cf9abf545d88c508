"""Who holds gezag over a decision: the one function the engine, the checks and the replay
view share (gezag model version 2).

A role holds a domain when one of its `authority:` entries names it and its `when:` holds,
read with the decision's framing as `purpose` and whether it concerns the crisis as
`crisis`, and when the role is placed where the decision is: in one of its areas, in the
region of one of them, or nowhere (everywhere). A mandataris (`acts_for:`) holds nothing of
its own: it may decide where its mandator holds the domain, under a `mandate:` entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

from tabletop.model.expressions import Expression, reads_builtin
from tabletop.model.role import Role

A = TypeVar("A")


@dataclass(frozen=True)
class Holding:
    """One role's gezag over a domain (or, with `on_behalf_of`, its mandate)."""

    role: str
    basis: str
    unverified: bool = False
    on_behalf_of: str | None = None
    """For a mandataris: the mandator in whose name it decides."""


@dataclass(frozen=True)
class Gezag:
    """The holders of one domain in some areas at one moment, and the mandatarissen."""

    domain: str
    holders: tuple[Holding, ...] = ()
    mandataries: tuple[Holding, ...] = ()

    @cached_property
    def ids(self) -> tuple[str, ...]:
        """The holders' role ids, in order (worked out once: a kept answer is read often)."""
        return tuple(h.role for h in self.holders)

    def may_decide(self, role_id: str | None) -> tuple[bool, str | None]:
        """Whether the role may decide, and in whose name (a mandataris: its mandator)."""
        if role_id in self.ids:
            return True, None
        for m in self.mandataries:
            if m.role == role_id:
                return True, m.on_behalf_of
        return False, None


class Framed:
    """An expression context seen for one decision: `purpose` and `crisis` beside it."""

    _COPIED = ("state", "phase", "t")
    """Read once, at the one moment the view is for (what most conditions read: a copy is
    found without a second lookup through `__getattr__`)."""

    def __init__(self, context: Any, purpose: str | None, crisis: bool) -> None:
        self._context = context
        self.purpose = purpose
        self.crisis = crisis
        for name in self._COPIED:
            if hasattr(context, name):
                setattr(self, name, getattr(context, name))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)


def _reader(whens: list[Expression]) -> Callable[[Any], tuple[Any, ...]] | None:
    """A function giving the values the conditions read from a context (the key of a kept
    `holders` answer), or None when one reads the clock `t`."""
    if any(reads_builtin(w, "t") for w in whens):
        return None
    refs = list(dict.fromkeys(r for w in whens for r in w.references))
    phase = any(reads_builtin(w, "phase") for w in whens)
    state = tuple(r.name for r in refs if r.kind == "state")
    levels = tuple(r.name for r in refs if r.kind == "resource")
    calls = tuple((r.kind, r.name.partition("/")[0] if r.kind == "option" else r.name)
                  for r in refs if r.kind in ("decision", "option", "inject", "role"))
    asks = {"decision": "decided", "option": "decided", "role": "present"}
    if not (phase or levels or calls):  # state variables only (the bundled roles' kind)
        def read_state(context: Any) -> tuple[Any, ...]:
            return tuple(map(context.state.get, state))  # (an unknown name: None)

        return read_state

    def read(context: Any) -> tuple[Any, ...]:
        got: list[Any] = [context.phase] if phase else []
        if state:
            values = context.state
            got.extend(values.get(name, False) for name in state)
        if levels:
            have = context.levels
            got.extend(have.get(name) for name in levels)
        for kind, name in calls:
            if kind == "inject":
                got.append((context.delivered(name), context.met(name)))
            else:
                got.append(getattr(context, asks[kind])(name))
        return tuple(got)

    return read


def covers(role: Role, areas: Iterable[str], places: Mapping[str, str | None]) -> bool:
    """Whether a role's place covers at least one of the areas (none given: every area)."""
    wanted = list(areas)
    if role.area is None and role.region is None:
        return True
    if not wanted:
        return True
    if role.area is not None:
        return role.area in wanted
    return any(places.get(a) == role.region for a in wanted)


_UNREAD = object()
"""A domain whose conditions' reader is not worked out yet."""


class AuthorityIndex:
    """The roles' `authority:` and `mandate:` entries by domain, in the roles' order: what
    `holders` reads, built once for a set of roles instead of scanned on every call.
    `AuthorityIndex.of(roles)` keeps the last few, keyed by which role objects are in the
    mapping under which id (roles are replaced, never changed in place, once loaded)."""

    _kept: dict[tuple[tuple[str, int], ...], tuple[list[Role], AuthorityIndex]] = {}

    @classmethod
    def of(cls, roles: Mapping[str, Role]) -> AuthorityIndex:
        last = cls._last
        if last is not None and last[0] is roles and list(roles) == last[1] and \
                list(roles.values()) == last[2]:  # (each role is the same object, or equal)
            return last[3]
        index = cls._of(roles)
        cls._last = (roles, list(roles), list(roles.values()), index)
        return index

    _last: tuple[Mapping[str, Role], list[str], list[Role], AuthorityIndex] | None = None
    """The mapping asked for last, its ids and roles then, and its index: an exercise asks
    for the same roles at every run of a batch."""

    @classmethod
    def _of(cls, roles: Mapping[str, Role]) -> AuthorityIndex:
        key = tuple((rid, id(role)) for rid, role in roles.items())
        kept = cls._kept.get(key)
        if kept is not None:
            return kept[1]
        index = cls(roles)
        if len(cls._kept) >= 16:
            cls._kept.pop(next(iter(cls._kept)))
        cls._kept[key] = (list(roles.values()), index)  # held: the ids stay theirs
        return index

    MEMO_SIZE = 4096
    """Answers kept (per index): enough for a batch run's distinct moments; then cleared."""

    def __init__(self, roles: Mapping[str, Role]) -> None:
        self.authority: dict[str, list[tuple[str, Role, list[Any]]]] = {}
        self.mandate: dict[str, list[tuple[str, Role, list[Any]]]] = {}
        for rid, role in roles.items():
            table, entries = ((self.authority, role.authority) if role.acts_for is None
                              else (self.mandate, role.mandate))
            by_domain: dict[str, list[Any]] = {}
            for entry in entries:
                by_domain.setdefault(entry.domain, []).append(entry)
            for domain, found in by_domain.items():
                table.setdefault(domain, []).append((rid, role, found))
        self._readers: dict[str, Callable[[Any], tuple[Any, ...]] | None] = {}
        self.memo: dict[tuple[Any, ...], Any] = {}
        """`holders` answers (and the engine's `bases`) by what they depend on (see
        `reader`)."""

    def answer(self, domain: str, question: tuple[Any, ...], context: Any,
               compute: Callable[..., A], *args: Any) -> A:
        """`compute(*args)`, kept by the question and by the values the domain's conditions
        read in `context` (never kept when they read the clock). Why: the engine asks the
        same question at every decision of a run and in every run of a batch, and the
        answer depends on nothing else (the roles are this index's). (A function and its
        arguments rather than a closure: nothing is made for an answer that is kept.)"""
        reader = self.reader(domain)
        if reader is None:
            return compute(*args)
        key = (domain, question, reader(context))
        kept: A | None = self.memo.get(key)
        if kept is None:
            kept = compute(*args)
            if len(self.memo) >= self.MEMO_SIZE:
                self.memo.clear()
            self.memo[key] = kept
        return kept

    def reader(self, domain: str) -> Callable[[Any], tuple[Any, ...]] | None:
        """What the `when:` conditions of a domain's entries read, as a function of the
        context (None: one reads the clock, so an answer holds for one minute only)."""
        found = self._readers.get(domain, _UNREAD)
        if found is not _UNREAD:
            return found  # type: ignore[return-value]
        whens = [e.when for table in (self.authority, self.mandate)
                 for _, _, entries in table.get(domain, ()) for e in entries
                 if e.when is not None]
        reader = _reader(whens)
        self._readers[domain] = reader
        return reader


def holders(roles: Mapping[str, Role], domain: str, context: Any, *,
            areas: Iterable[str] = (), places: Mapping[str, str | None] | None = None,
            purpose: str | None = None, crisis: bool = True,
            index: AuthorityIndex | None = None) -> Gezag:
    """Who holds `domain` in `areas` now, with their bases; mandatarissen resolved.

    Args:
        roles: the roles that take part, by id (in the scenario's order).
        context: what `when:` reads (the world, a replay's folded state).
        areas: the decision's areas; none: every area.
        places: area id -> its region id (the scenario's `areas:`).
        purpose: the framing, readable as `purpose` (default: the domain itself).
        crisis: whether the decision concerns the crisis, readable as `crisis`.
        index: `AuthorityIndex(roles)`, for a caller that asks often (the engine).
    """
    return ask(index if index is not None else AuthorityIndex(roles),
               Question.of(domain, areas, places, purpose, crisis), context)


@dataclass(frozen=True)
class Question:
    """What `holders` asks, worked out once: for a caller that asks it again and again (the
    engine, at every decision of every run), and the key its kept answers are found by."""

    domain: str
    key: tuple[Any, ...]
    areas: tuple[str, ...]
    places: Mapping[str, str | None]
    purpose: str
    crisis: bool

    @classmethod
    def of(cls, domain: str, areas: Iterable[str] = (),
           places: Mapping[str, str | None] | None = None, purpose: str | None = None,
           crisis: bool = True) -> Question:
        wanted = tuple(areas)
        places = places or {}
        purpose = purpose if purpose is not None else domain
        return cls(domain, ("holders", wanted, tuple(places.get(a) for a in wanted), purpose,
                            crisis), wanted, places, purpose, crisis)


def ask(index: AuthorityIndex, question: Question, context: Any) -> Gezag:
    """The answer to a `Question` in `context` now (kept by the index; see `answer`)."""
    q = question
    return index.answer(q.domain, q.key, context, _holders, index, q.domain, context, q.areas,
                        q.places, q.purpose, q.crisis)


def _holders(index: AuthorityIndex, domain: str, context: Any, wanted: tuple[str, ...],
             places: Mapping[str, str | None], purpose: str, crisis: bool) -> Gezag:
    framed = Framed(context, purpose, crisis)
    found: list[Holding] = []
    for rid, role, entries in index.authority.get(domain, ()):
        if not covers(role, wanted, places):
            continue
        for entry in entries:
            if entry.when is None or entry.when.holds(framed):
                found.append(Holding(rid, entry.basis, entry.unverified))
                break
    acting: list[Holding] = []
    if found:
        held = {h.role for h in found}
        for rid, role, entries in index.mandate.get(domain, ()):
            if role.acts_for not in held or not covers(role, wanted, places):
                continue
            for mandate in entries:
                if mandate.when is None or mandate.when.holds(framed):
                    acting.append(Holding(rid, mandate.basis, mandate.unverified,
                                          role.acts_for))
                    break
    return Gezag(domain, tuple(found), tuple(acting))


def bases(roles: Mapping[str, Role], role_ids: Iterable[str], domain: str | None,
          context: Any, *, purpose: str | None = None,
          crisis: bool = True) -> list[dict[str, Any]]:
    """Each role's entries for `domain` (authority, and mandate in its mandator's name),
    with whether they hold now: what a dilemma names as the roles' legal bases."""
    out: list[dict[str, Any]] = []
    framed = Framed(context, purpose if purpose is not None else domain, crisis)
    for rid in role_ids:
        role = roles.get(rid)
        entries: list[dict[str, Any]] = []
        if role is not None and domain:
            for e in role.authority:
                if e.domain == domain:
                    entries.append({"role": rid, "basis": e.basis, "unverified": e.unverified,
                                    "active": e.when is None or e.when.holds(framed),
                                    "when": str(e.when) if e.when is not None else None})
            for m in role.mandate:
                if m.domain == domain:
                    entries.append({"role": rid, "basis": m.basis, "unverified": m.unverified,
                                    "active": m.when is None or m.when.holds(framed),
                                    "when": str(m.when) if m.when is not None else None,
                                    "on_behalf_of": role.acts_for})
        out.extend(entries or [{"role": rid, "basis": None, "unverified": False}])
    return out


def domains_held(roles: Mapping[str, Role]) -> list[str]:
    """Every domain any role holds or decides under mandate, sorted."""
    return sorted({e.domain for r in roles.values() for e in r.authority}
                  | {m.domain for r in roles.values() for m in r.mandate})
