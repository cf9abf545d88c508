"""The gezagsdilemma's the engine surfaces by itself (gezag model version 2), and the
events for authored and hand-flagged ones.

Nine kinds, each naming its roles and their legal bases (`gezag-model.md`):

- bevoegdheid: a role decides that holds no gezag over the domain in any of the decision's
  areas, and acts for no one who does;
- overlap: two or more distinct roles, none acting for another, hold the domain there at
  that moment, and at least two of them take part in the decision;
- doel: the candidate framings of a decision have different holders;
- advies: the choice differs from a formal voice (advies, zienswijze, bezwaar), or a formal
  voice was not heard (informal dissent is recorded, not surfaced);
- instemming: a required consent is refused or missing for the option chosen;
- verdeeld: the owners of a joint decision take different positions;
- informatie: a decider, consenter or formal adviser was not allowed to see an inject the
  decision rests on;
- schaarste: an option needs more of a resource than is free, or two open decisions claim
  more of it together than is free;
- termijn: a deadline passed and nobody decided (lapsed, or a power-free default applied).

Every function takes what it needs as arguments; none reads the Exercise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from tabletop.model.events import DilemmaSurfaced
from tabletop.model.gezag import Gezag
from tabletop.model.scenario import Decision, Inject, Option, Scenario

KINDS = ("authored", "bevoegdheid", "overlap", "doel", "advies", "instemming", "verdeeld",
         "informatie", "schaarste", "termijn", "handmatig")
AUTOMATIC = ("bevoegdheid", "overlap", "doel", "advies", "instemming", "verdeeld",
             "informatie", "schaarste", "termijn")

Bases = Callable[[Sequence[str], str | None], tuple[dict[str, Any], ...]]
"""(roles, domain) -> each role's legal bases for the domain (`gezag.bases`)."""


def _unique(roles: Iterable[str | None]) -> list[str]:
    """The roles given, each once, in order; none for nobody (None or "")."""
    found = dict.fromkeys(roles)
    found.pop(None, None)
    found.pop("", None)
    return list(found)  # type: ignore[arg-type]


def involved(owner: str | None, owners: Iterable[str], asked: Iterable[str],
             by: str | None = None, advice: Mapping[str, str] | None = None,
             consent: Mapping[str, bool] | None = None,
             positions: Mapping[str, str] | None = None) -> list[str]:
    """The roles that take part in a decision: owner and owners, decider, the roles it asks
    (consulted, then consenting: `plan.Facts.asked`), and who gave advice, consent or a
    position."""
    return _unique([owner, *owners, by, *asked, *(advice or {}), *(consent or {}),
                    *(positions or {})])


def overlap(t: int, spec: Decision, gezag: Gezag, taking_part: list[str], bases: Bases,
            moment: str) -> DilemmaSurfaced | None:
    """Two or more distinct holders (a mandataris is none), at least two of them taking part;
    not for a joint decision whose owners are exactly the holders."""
    holders = gezag.ids
    if len(holders) < 2:
        return None
    present = [h for h in holders if h in taking_part]
    if len(present) < 2:
        return None
    if spec.joint and set(spec.owners) == set(holders):
        return None
    return DilemmaSurfaced(t, "overlap", None, spec.id, tuple(holders),
                           bases(holders, gezag.domain),
                           {"domain": gezag.domain, "moment": moment,
                            "taking_part": present})


def doel(t: int, spec: Decision, framings: Mapping[str, Gezag],
         bases: Bases) -> DilemmaSurfaced | None:
    """The candidate framings have different holders: whose decision depends on its purpose."""
    if len(framings) < 2:
        return None
    by_framing = {d: list(g.ids) for d, g in framings.items()}
    if len({tuple(sorted(h)) for h in by_framing.values()}) < 2:
        return None
    roles = _unique(r for h in by_framing.values() for r in h)
    found: list[dict[str, Any]] = []
    for domain, gezag in framings.items():
        found.extend(b for b in bases(gezag.ids, domain) if b.get("basis"))
    return DilemmaSurfaced(t, "doel", None, spec.id, tuple(roles), tuple(found),
                           {"framings": by_framing})


def claimed_twice(t: int, spec: Decision, owner: str | None, mine: Mapping[str, int],
                  others: Iterable[tuple[Decision, str | None, Mapping[str, int]]],
                  free: Mapping[str, int], bases: Bases) -> list[DilemmaSurfaced]:
    """Another open decision claims the same resource, and together they want more of it
    than is free (`mine`, `theirs`: the largest claim of each, see `plan.largest_claims`)."""
    found = []
    for other, other_owner, theirs in others:
        shared = sorted(r for r in mine.keys() & theirs.keys()
                        if mine[r] + theirs[r] > free.get(r, 0))
        if shared:
            roles = _unique([owner, other_owner])
            found.append(DilemmaSurfaced(
                t, "schaarste", None, spec.id, tuple(roles), bases(roles, spec.domain),
                {"resources": shared, "with_decision": other.id, "reason": "claimed twice"}))
    return found


def bevoegdheid(t: int, spec: Decision, gezag: Gezag, by: str | None, known_roles: Iterable[str],
                bases: Bases) -> DilemmaSurfaced | None:
    """The decider holds no gezag there and acts for no one who does."""
    if by is None or by not in set(known_roles):
        return None
    allowed, _ = gezag.may_decide(by)
    if allowed:
        return None
    holders = list(gezag.ids)
    roles = _unique([by, *holders])
    return DilemmaSurfaced(t, "bevoegdheid", None, spec.id, tuple(roles),
                           bases(roles, gezag.domain),
                           {"domain": gezag.domain, "decided_by": by, "holders": holders})


def advies(t: int, spec: Decision, option: Option, by: str | None,
           advice: Mapping[str, str], bases: Bases,
           domain: str) -> DilemmaSurfaced | None:
    """A formal voice differs from the choice, or was not heard."""
    voices = spec.formal_voices
    if not voices:
        return None
    option_ids = {o.id for o in spec.options}
    differs = {v.role: advice[v.role] for v in voices if v.role in advice
               and advice[v.role] in option_ids and advice[v.role] != option.id}
    not_heard = [v.role for v in voices if v.role not in advice]
    if not differs and not not_heard:
        return None
    roles = _unique([by, *differs, *not_heard])
    found = list(bases(_unique([by]), domain)) if by else []
    found += [{"role": v.role, "basis": v.basis, "unverified": v.unverified, "kind": v.kind}
              for v in voices if v.role in differs or v.role in not_heard]
    return DilemmaSurfaced(t, "advies", None, spec.id, tuple(roles), tuple(found),
                           {"chosen": option.id, "advice": differs, "not_heard": not_heard,
                            "kinds": {v.role: v.kind for v in voices}})


def informal_dissent(spec: Decision, option: Option | None,
                     advice: Mapping[str, str]) -> dict[str, str]:
    """Advice of informal consultees that differs from the choice: counted, not a dilemma."""
    if option is None:
        return {}
    formal = {v.role for v in spec.formal_voices}
    option_ids = {o.id for o in spec.options}
    return {r: v for r, v in advice.items()
            if r not in formal and v in option_ids and v != option.id}


def instemming(t: int, spec: Decision, option: Option, consent: Mapping[str, bool],
               by: str | None, bases: Bases) -> DilemmaSurfaced | None:
    """A consent the option needs is refused or missing."""
    needed = spec.consents_for(option.id)
    refused = [c.role for c in needed if consent.get(c.role) is False]
    missing = [c.role for c in needed if c.role not in consent]
    if not refused and not missing:
        return None
    roles = _unique([by, *refused, *missing])
    found = [{"role": c.role, "basis": c.basis, "unverified": c.unverified}
             for c in needed if c.role in refused or c.role in missing]
    return DilemmaSurfaced(t, "instemming", None, spec.id, tuple(roles),
                           tuple(list(bases(_unique([by]), spec.domain)) + found),
                           {"option": option.id, "refused": refused, "missing": missing})


def verdeeld(t: int, spec: Decision, positions: Mapping[str, str], domain: str,
             bases: Bases) -> DilemmaSurfaced | None:
    """The owners of a joint decision take different positions."""
    if not spec.joint:
        return None
    given = {o: positions[o] for o in spec.owners if o in positions}
    if len(set(given.values())) < 2:
        return None
    return DilemmaSurfaced(t, "verdeeld", None, spec.id, tuple(given), bases(list(given), domain),
                           {"positions": given, "together": spec.together})


def informatie(t: int, spec: Decision, rests_on: Iterable[Inject], deciders: Iterable[str],
               consenters: Iterable[str], advisers: Iterable[str], domain: str,
               bases: Bases) -> DilemmaSurfaced | None:
    """A decider, consenter or formal adviser was not allowed to see what it rests on."""
    unseen: dict[str, list[str]] = {}
    for inj in rests_on:
        for role in _unique([*deciders, *consenters, *advisers]):
            if not inj.may_see(role):
                unseen.setdefault(role, []).append(inj.id)
    if not unseen:
        return None
    roles = list(unseen)
    return DilemmaSurfaced(t, "informatie", None, spec.id, tuple(roles), bases(roles, domain),
                           {"unseen": unseen,
                            "injects": _unique(i for ids in unseen.values() for i in ids)})


def termijn(t: int, spec: Decision, roles: Sequence[str], deadline_t: int | None,
            default: str | None, bases: Bases) -> DilemmaSurfaced:
    """Nobody decided before the deadline: it lapsed, or a power-free default applied.
    `roles`: its owner, owners and consulted roles, each once (`Facts.termijn_roles`)."""
    return DilemmaSurfaced(t, "termijn", None, spec.id, tuple(roles), bases(roles, spec.domain),
                           {"deadline_t": deadline_t, "default": default,
                            "lapsed": default is None})


def shortage(t: int, spec: Decision | None, decision_id: str, resource: str, needed: int,
             free: int, option_id: str, roles: list[str], bases: Bases) -> DilemmaSurfaced:
    """An option needed more capacity than was free: the decider, with the gezag holders."""
    domain = spec.domain if spec else None
    return DilemmaSurfaced(t, "schaarste", None, decision_id, tuple(roles), bases(roles, domain),
                           {"resources": [resource], "needed": needed, "free": free,
                            "reason": "short", "option": option_id})


def authored(t: int, scenario: Scenario, dilemma_id: str,
             source: str) -> DilemmaSurfaced | None:
    """An authored dilemma of `scenario` surfaces (None: it has no such dilemma)."""
    dil = scenario.dilemma(dilemma_id)
    if dil is None:
        return None
    found = tuple({"role": None, "basis": b.basis, "unverified": b.unverified}
                  for b in dil.bases)
    decision = source.split("/")[0] if "/" in source else None
    return DilemmaSurfaced(t, "authored", dil.id, decision, tuple(dil.roles), found,
                           {"source": source})


def flagged(t: int, text: str, roles: tuple[str, ...],
            found: tuple[dict[str, Any], ...]) -> DilemmaSurfaced:
    """A dilemma flagged by hand, with the roles' bases (`found`)."""
    return DilemmaSurfaced(t, "handmatig", None, None, tuple(roles), found, {}, text)
