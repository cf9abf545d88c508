"""Detect the gezagsdilemma's the engine surfaces by itself, and build dilemma events.

Kinds: bevoegdheid (decided without gezag), overlap (several hold the domain), advies
(advice differs from the choice), schaarste (capacity short or claimed twice), termijn
(a deadline passed: nobody decided), beside authored and hand-flagged ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tabletop.model.events import DilemmaSurfaced
from tabletop.model.scenario import Option

if TYPE_CHECKING:
    from tabletop.engine.exercise import Exercise, OpenDecision

KINDS = ("authored", "bevoegdheid", "overlap", "advies", "schaarste", "termijn", "handmatig")


def _bases(ex: Exercise, roles: list[str], domain: str | None) -> tuple[dict[str, Any], ...]:
    out: list[dict[str, Any]] = []
    for rid in roles:
        entries = ex.world.authority_bases(rid, domain) if domain else []
        out.extend(entries or [{"role": rid, "basis": None, "unverified": False}])
    return tuple(out)


def _unique(roles: list[str | None]) -> list[str]:
    return list(dict.fromkeys(r for r in roles if r))


def on_open(ex: Exercise, record: OpenDecision, holders: list[str]) -> list[DilemmaSurfaced]:
    """Overlap of gezag, and two open decisions claiming the same capacity."""
    spec = record.spec
    found = []
    if len(holders) > 1:
        record.overlap_at_open = True
        found.append(DilemmaSurfaced(ex.now, "overlap", None, spec.id, tuple(holders),
                                     _bases(ex, holders, spec.domain),
                                     {"domain": spec.domain, "moment": "opened"}))
    mine = {r for o in spec.options for r in o.uses}
    for other_id, other in ex._open.items():
        if other_id == spec.id:
            continue
        shared = sorted(mine & {r for o in other.spec.options for r in o.uses})
        if shared:
            roles = _unique([record.owner, other.owner])
            found.append(DilemmaSurfaced(
                ex.now, "schaarste", None, spec.id, tuple(roles), _bases(ex, roles, spec.domain),
                {"resources": shared, "with_decision": other_id, "reason": "claimed twice"}))
    return found


def on_take(ex: Exercise, record: OpenDecision, option: Option | None, by: str | None,
            advice: dict[str, str], default: bool) -> list[DilemmaSurfaced]:
    """Termijn, bevoegdheid, overlap at the moment of deciding, and dissenting advice."""
    spec = record.spec
    domain = spec.domain
    holders = ex.world.holders(domain)
    found = []
    if default:
        roles = _unique([record.owner, *spec.consult])
        found.append(DilemmaSurfaced(
            ex.now, "termijn", None, spec.id, tuple(roles), _bases(ex, roles, domain),
            {"deadline_t": record.deadline_t, "default": option.id if option else None}))
        return found
    if by is not None and by in ex.world.roles and by not in holders:
        roles = _unique([by, *holders])
        found.append(DilemmaSurfaced(
            ex.now, "bevoegdheid", None, spec.id, tuple(roles), _bases(ex, roles, domain),
            {"domain": domain, "decided_by": by, "holders": holders}))
    if len(holders) > 1 and not record.overlap_at_open:
        found.append(DilemmaSurfaced(ex.now, "overlap", None, spec.id, tuple(holders),
                                     _bases(ex, holders, domain),
                                     {"domain": domain, "moment": "taken"}))
    if option is not None:
        option_ids = {o.id for o in spec.options}
        dissent = {role: value for role, value in advice.items()
                   if value in option_ids and value != option.id}
        if dissent:
            roles = _unique([by, *dissent])
            found.append(DilemmaSurfaced(
                ex.now, "advies", None, spec.id, tuple(roles), _bases(ex, roles, domain),
                {"chosen": option.id, "advice": dissent}))
    return found


def shortage(ex: Exercise, resource: str, needed: int, free: int,
             source: str, by: str | None = None) -> DilemmaSurfaced:
    """An option needed more capacity than was free: the decider, with the gezag holders."""
    decision_id = source.split("/")[0]
    spec = ex.scenario.decision(decision_id)
    domain = spec.domain if spec else None
    roles = _unique([by if by in ex.world.roles else None,
                     *(ex.world.holders(domain) if domain else [])])
    return DilemmaSurfaced(ex.now, "schaarste", None, decision_id, tuple(roles),
                           _bases(ex, roles, domain),
                           {"resources": [resource], "needed": needed, "free": free,
                            "reason": "short", "option": source.split("/")[-1]})


def authored(ex: Exercise, dilemma_id: str, source: str) -> DilemmaSurfaced | None:
    dil = ex.scenario.dilemma(dilemma_id)
    if dil is None:
        return None
    bases = tuple({"role": None, "basis": b.basis, "unverified": b.unverified}
                  for b in dil.bases)
    decision = source.split("/")[0] if "/" in source else None
    return DilemmaSurfaced(ex.now, "authored", dil.id, decision, tuple(dil.roles), bases,
                           {"source": source})


def flagged(ex: Exercise, text: str, roles: tuple[str, ...]) -> DilemmaSurfaced:
    return DilemmaSurfaced(ex.now, "handmatig", None, None, tuple(roles),
                           _bases(ex, list(roles), None), {}, text)
