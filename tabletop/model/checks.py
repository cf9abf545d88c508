"""Cross-reference and sense checks of a scenario that field validation cannot see."""

from __future__ import annotations

import re
import string
from collections import defaultdict
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

from tabletop.errors import Msg, Number, Problem
from tabletop.model.cast import RoleLibrary, placed_roles
from tabletop.model.expressions import Expression, reads_builtin, resource_name
from tabletop.model.locate import position, suggest
from tabletop.model.scenario import (
    AddEffect,
    Effect,
    EndEffect,
    PhaseEffect,
    Scenario,
    ScheduleEffect,
    SetEffect,
    SurfaceEffect,
)

BUILTINS = {"t", "phase", "purpose", "crisis"}

_PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)\}(?!\})")


class _StartContext:
    """The world at minute 0, as expressions see it, for the reachability check."""

    def __init__(self, scenario: Scenario) -> None:
        self.state: dict[str, Any] = {k: v.initial for k, v in scenario.state.items()}
        # An unknown resource is reported by `expressions()`; here it must not raise.
        self.levels: defaultdict[str, int] = defaultdict(int, {
            resource_name(k): r.capacity for k, r in scenario.resources.items()})
        self.t = 0.0
        self.phase = scenario.phases[0].id if scenario.phases else None

    def decided(self, decision_id: str) -> str | None:
        return None

    def delivered(self, inject_id: str) -> bool:
        return False

    def met(self, inject_id: str) -> bool:
        return False

    def present(self, role_id: str) -> bool:
        return True


class _Checker:
    def __init__(self, scenario: Scenario, raw: Any, lib: RoleLibrary, path: Path,
                 shown: str) -> None:
        self.s = scenario
        self.raw = raw
        self.lib = lib
        self.path = path
        self.shown = shown
        self.problems: list[Problem] = []
        self.roles = dict(lib.roles)
        self.roles.update({r.id: r for r in scenario.local_roles})
        self.placed, self.role_files = placed_roles(scenario, lib.roles)
        self.roles.update(self.placed)
        self.playing = [r for r in scenario.all_role_ids if r in self.roles]
        self.domains = set(lib.domains) | set(scenario.local_domains)
        self.injects = {i.id for i in scenario.injects}
        self.decisions = {d.id: d for d in scenario.decisions}
        self.events = self.injects | set(self.decisions)
        self.phases = {p.id for p in scenario.phases}
        self.objectives = {o.id for o in scenario.objectives}
        self.dilemmas = {d.id for d in scenario.dilemmas}
        self.outcomes = {o.id for o in scenario.outcomes}
        self.resources = {resource_name(r): r for r in scenario.resources}

    # -- reporting -------------------------------------------------------------------
    def add(self, path: tuple[Any, ...], message: Msg, severity: str = "error",
            at_key: bool = False) -> None:
        line, col = position(self.raw, path, at_key=at_key)
        self.problems.append(Problem(self.shown, line, col, message, severity))

    def ref(self, path: tuple[Any, ...], value: str, known: Collection[str], what: str,
            at_key: bool = False) -> bool:
        """Is `value` one of `known` (a set or mapping: one lookup, not a scan per call)?"""
        if value in known:
            return True
        self.add(path, Msg("load.unknown_ref", what=_what(what), value=value,
                           hint=suggest(value, known)), at_key=at_key)
        return False

    # -- checks ----------------------------------------------------------------------
    def run(self) -> list[Problem]:
        self.format_version()
        self.places()
        self.mandates()
        self.gezag_refs()
        self.defaults_invoke_no_power()
        self.duplicates()
        self.role_refs()
        self.inject_refs()
        self.decision_refs()
        self.dilemma_refs()
        self.effects_everywhere()
        self.expressions()
        self.placeholders()
        self.files()
        self.run_cost()
        self.cycles()
        self.reachability()
        self.coverage_warnings()
        return self.problems

    def duplicates(self) -> None:
        groups: list[tuple[str, str, list[str]]] = [
            ("injects", "inject", [i.id for i in self.s.injects]),
            ("decisions", "decision", [d.id for d in self.s.decisions]),
            ("phases", "phase", [p.id for p in self.s.phases]),
            ("objectives", "objective", [o.id for o in self.s.objectives]),
            ("dilemmas", "dilemma", [d.id for d in self.s.dilemmas]),
            ("outcomes", "outcome", [o.id for o in self.s.outcomes]),
            ("local_roles", "local role", [r.id for r in self.s.local_roles]),
        ]
        for key, what, ids in groups:
            seen: set[str] = set()
            for i, ident in enumerate(ids):
                if ident in seen:
                    self.add((key, i, "id"), Msg("load.duplicate_id", what=_what(what),
                                                 id=ident))
                seen.add(ident)
        for i, d in enumerate(self.s.decisions):
            if d.id in self.injects:
                self.add(("decisions", i, "id"), Msg("load.inject_and_decision", id=d.id))
            seen = set()
            for j, o in enumerate(d.options):
                if o.id in seen:
                    self.add(("decisions", i, "options", j, "id"),
                             Msg("load.duplicate_option", option=o.id, decision=d.id))
                seen.add(o.id)
        for i, rid in enumerate(self.s.role_ids):
            if rid in {r.id for r in self.s.local_roles}:
                self.add(("roles", i), Msg("load.role_and_local", role=rid))
        listed: set[str] = set()
        for i, rid in enumerate(self.s.role_ids):
            if rid in listed:
                self.add(("roles", i), Msg("load.role_twice", role=rid))
            listed.add(rid)

    def role_refs(self) -> None:
        for i, listed in enumerate(self.s.roles):
            if isinstance(listed, str):
                self.ref(("roles", i), listed, self.lib.roles, "role")
            else:
                self.ref(("roles", i, "role"), listed.role, self.lib.roles, "role")
        for i, role in enumerate(self.s.local_roles):
            for j, entry in enumerate(role.authority):
                self.ref(("local_roles", i, "authority", j, "domain"), entry.domain,
                         self.domains, "domain")

    def inject_refs(self) -> None:
        for i, inj in enumerate(self.s.injects):
            base = ("injects", i)
            for j, rid in enumerate(inj.to):
                self.ref(base + ("to", j), rid, self.playing, "role")
            if inj.phase:
                self.ref(base + ("phase",), inj.phase, self.phases, "phase")
            for j, oid in enumerate(inj.objectives):
                self.ref(base + ("objectives", j), oid, self.objectives, "objective")
            for j, rel in enumerate(inj.relates):
                self.ref(base + ("relates", j), rel, self.injects, "inject")
            if inj.after:
                self.ref(base + ("after", "event"), inj.after.event, self.events,
                         "inject or decision")
            if inj.expect and inj.expect.else_:
                self.ref(base + ("expect", "else"), inj.expect.else_, self.injects, "inject")
            if self.s.end is not None and inj.at is not None and inj.at > self.s.end:
                self.add(base + ("at",), Msg("load.after_end", inject=inj.id), "warning")

    def decision_refs(self) -> None:
        for i, d in enumerate(self.s.decisions):
            base = ("decisions", i)
            if d.on:
                self.ref(base + ("on",), d.on, self.events, "inject or decision")
            if d.after:
                self.ref(base + ("after", "event"), d.after.event, self.events,
                         "inject or decision")
            if d.domains:
                for j, dom in enumerate(d.domains):
                    self.ref(base + ("domains", j), dom, self.domains, "domain")
            else:
                self.ref(base + ("domain",), d.domain or "", self.domains, "domain")
            if isinstance(d.owner, str):
                self.ref(base + ("owner",), d.owner, self.playing, "role")
            for j, rid in enumerate(d.owner if isinstance(d.owner, list) else []):
                self.ref(base + ("owner", j), rid, self.playing, "role")
            for j, c in enumerate(d.consult):
                if isinstance(c, str):
                    self.ref(base + ("consult", j), c, self.playing, "role")
                else:
                    self.ref(base + ("consult", j, "role"), c.role, self.playing, "role")
            for j, oid in enumerate(d.objectives):
                self.ref(base + ("objectives", j), oid, self.objectives, "objective")
            deciders = self.deciders(d)
            for j, opt in enumerate(d.options):
                obase = base + ("options", j)
                for res, amount in opt.uses.items():
                    if self.ref(obase + ("uses", res), res, self.s.resources, "resource",
                                at_key=True):
                        cap = self.s.resources[res].capacity
                        if amount > cap:
                            self.add(obase + ("uses", res), Msg(
                                "load.claims_over", option=opt.id, amount=amount, resource=res,
                                capacity=cap))
                if opt.power:
                    powers = {p.id for r in deciders if r in self.roles
                              for p in self.roles[r].powers}
                    if opt.power not in powers:
                        who = ", ".join(deciders) or Msg("load.no_role")
                        self.add(obase + ("power",), Msg(
                            "load.not_a_power", power=opt.power, who=who,
                            hint=suggest(opt.power, powers)))
                if opt.for_ is not None and not opt.uses:
                    self.add(obase + ("for",), Msg("load.for_without_uses"), "warning")

    # -- gezag model version 2 -------------------------------------------------------
    def t(self, message_key: str, **values: object) -> Msg:
        return Msg(message_key, **values)

    def gz_ref(self, path: tuple[Any, ...], value: str, known: Iterable[str], what: str,
               severity: str = "error") -> bool:
        """A reference of the v2 keys, with "did you mean" in the user's language."""
        known = list(known)
        if value in known:
            return True
        close = suggest(value, known)
        hint = self.t("gz.hint", word=close.values["word"]) if isinstance(close, Msg) else ""
        self.add(path, self.t("gz.unknown", what=self.t(f"gz.what.{what}"), value=value,
                              hint=hint), severity)
        return False

    def format_version(self) -> None:
        """A format-1 file that uses a key of version 2 is told to say `format: 2`."""
        if self.s.format != 1:
            return
        raw = self.raw if isinstance(self.raw, dict) else {}
        used: list[tuple[tuple[Any, ...], str]] = []
        for key in ("areas", "regions", "crisis"):
            if key in raw:
                used.append(((key,), key))
        for i, entry in enumerate(self.s.roles):
            if not isinstance(entry, str):
                used.append((("roles", i), "roles: {role: ...}"))
        for i, role in enumerate(self.s.local_roles):
            for key in ("acts_for", "mandate", "area", "region"):
                if getattr(role, key):
                    used.append((("local_roles", i, key), key))
        for i, inj in enumerate(self.s.injects):
            for key in ("area", "classification", "need_to_know", "effects"):
                if getattr(inj, key):
                    used.append((("injects", i, key), key))
        for i, d in enumerate(self.s.decisions):
            for key in ("domains", "area", "crisis", "consent", "rests_on"):
                if getattr(d, key) not in (None, []):
                    used.append((("decisions", i, key), key))
            if isinstance(d.owner, list):
                used.append((("decisions", i, "owner"), "owner: [...]"))
            if d.together != "any":
                used.append((("decisions", i, "together"), "together"))
            for j, c in enumerate(d.consult):
                if not isinstance(c, str):
                    used.append((("decisions", i, "consult", j), "consult: {role: ...}"))
        for path, key in used:
            self.add(path, self.t("gz.format2", keys=f"'{key}'"))

    def places(self) -> None:
        areas, regions = self.s.areas, self.s.regions
        for name, area in areas.items():
            if area.region is not None:
                self.gz_ref(("areas", name, "region"), area.region, regions, "region")
        for i, entry in enumerate(self.s.roles):
            if isinstance(entry, str):
                continue
            if entry.area is not None:
                self.gz_ref(("roles", i, "area"), entry.area, areas, "area")
            if entry.region is not None:
                self.gz_ref(("roles", i, "region"), entry.region, regions, "region")
        for i, role in enumerate(self.s.local_roles):
            if role.area is not None:
                self.gz_ref(("local_roles", i, "area"), role.area, areas, "area")
            if role.region is not None:
                self.gz_ref(("local_roles", i, "region"), role.region, regions, "region")
        sites: list[tuple[str, list[Any]]] = [("injects", list(self.s.injects)),
                                              ("decisions", list(self.s.decisions))]
        for key, items in sites:
            for i, item in enumerate(items):
                names = item.areas
                if names and not areas:
                    self.add((key, i, "area"), self.t("gz.no_areas", key="area"))
                    continue
                for j, name in enumerate(names):
                    path = (key, i, "area", j) if isinstance(item.area, list) else (
                        key, i, "area")
                    self.gz_ref(path, name, areas, "area")
        for name in ("purpose", "crisis"):
            if name in self.s.state:
                self.add(("state", name), self.t("gz.builtin_var", name=name), at_key=True)

    def mandates(self) -> None:
        local = {r.id: i for i, r in enumerate(self.s.local_roles)}
        for rid in self.playing:
            role = self.roles[rid]
            if role.acts_for is None:
                continue
            if rid in local:
                path: tuple[Any, ...] = ("local_roles", local[rid], "acts_for")
                if not self.gz_ref(path, role.acts_for, self.playing, "role"):
                    continue
            elif role.acts_for not in self.playing and any(
                    rid in d.owners for d in self.s.decisions):
                index = self.s.role_ids.index(rid) if rid in self.s.role_ids else 0
                self.add(("roles", index), self.t("gz.acts_for_absent", role=rid,
                                                  mandator=role.acts_for), "warning")
        for i, role in enumerate(self.s.local_roles):
            for j, entry in enumerate(role.mandate):
                self.gz_ref(("local_roles", i, "mandate", j, "domain"), entry.domain,
                            self.domains, "domain")

    def gezag_refs(self) -> None:
        for i, inj in enumerate(self.s.injects):
            for j, rid in enumerate(inj.need_to_know or []):
                self.gz_ref(("injects", i, "need_to_know", j), rid, self.playing, "role")
        for i, d in enumerate(self.s.decisions):
            base = ("decisions", i)
            ids = [o.id for o in d.options]
            for j, c in enumerate(d.consent):
                self.gz_ref(base + ("consent", j, "role"), c.role, self.playing, "role")
                for k, oid in enumerate(c.options):
                    self.gz_ref(base + ("consent", j, "options", k), oid, ids, "option")
            for j, iid in enumerate(d.rests_on):
                self.gz_ref(base + ("rests_on", j), iid, self.injects, "inject")
            if d.together == "all" and len(d.owners) < 2:
                self.add(base + ("together",), self.t("gz.together_one"), "warning")

    def defaults_invoke_no_power(self) -> None:
        """When nobody decides, nothing is decided: a default may not exercise a power."""
        for i, d in enumerate(self.s.decisions):
            option = d.option(d.default_option) if d.default_option else None
            if option is not None and option.power is not None:
                self.add(("decisions", i, "default"),
                         self.t("gz.default_power", option=option.id, power=option.power))

    def deciders(self, d: Any) -> list[str]:
        """Who may decide: the owners, else every role that holds (or decides under
        mandate) one of the decision's candidate domains, whatever its `when`."""
        if d.owners:
            return list(d.owners)
        framings = set(d.framings)
        return [r for r in self.playing
                if any(a.domain in framings for a in self.roles[r].authority)
                or any(m.domain in framings for m in self.roles[r].mandate)]

    def dilemma_refs(self) -> None:
        for i, dil in enumerate(self.s.dilemmas):
            for j, rid in enumerate(dil.roles):
                self.ref(("dilemmas", i, "roles", j), rid, self.roles, "role")

    def effect_lists(self) -> Iterable[tuple[tuple[Any, ...], list[Effect]]]:
        for i, inj in enumerate(self.s.injects):
            if inj.effects:
                yield ("injects", i, "effects"), inj.effects
        for i, d in enumerate(self.s.decisions):
            for j, o in enumerate(d.options):
                yield ("decisions", i, "options", j, "effects"), o.effects
        for i, rule in enumerate(self.s.rules):
            yield ("rules", i, "effects"), rule.effects

    def effects_everywhere(self) -> None:
        for base, effects in self.effect_lists():
            for k, eff in enumerate(effects):
                path = base + (k,)
                if isinstance(eff, (SetEffect, AddEffect)):
                    key = "set" if isinstance(eff, SetEffect) else "add"
                    values = eff.set if isinstance(eff, SetEffect) else eff.add
                    for var, value in values.items():
                        vpath = path + (key, var)
                        if not self.ref(vpath, var, self.s.state, "state variable", at_key=True):
                            continue
                        is_bool = self.s.state[var].is_bool
                        if key == "add" and is_bool:
                            self.add(vpath, Msg("load.bool_add", var=var))
                        elif key == "set" and is_bool != isinstance(value, bool):
                            self.add(vpath, Msg("load.takes_bool" if is_bool
                                                else "load.takes_number", var=var))
                elif isinstance(eff, ScheduleEffect):
                    self.ref(path + ("schedule", "inject"), eff.schedule.inject, self.injects,
                             "inject")
                elif isinstance(eff, SurfaceEffect):
                    self.ref(path + ("surface",), eff.surface, self.dilemmas, "dilemma")
                elif isinstance(eff, PhaseEffect):
                    self.ref(path + ("phase",), eff.phase, self.phases, "phase")
                elif isinstance(eff, EndEffect):
                    self.ref(path + ("end",), eff.end, self.outcomes, "outcome")

    def expression_sites(self) -> Iterable[tuple[tuple[Any, ...], Expression]]:
        for i, inj in enumerate(self.s.injects):
            if inj.when:
                yield ("injects", i, "when"), inj.when
            if inj.if_:
                yield ("injects", i, "if"), inj.if_
        for i, d in enumerate(self.s.decisions):
            if d.when:
                yield ("decisions", i, "when"), d.when
            if d.if_:
                yield ("decisions", i, "if"), d.if_
        for i, rule in enumerate(self.s.rules):
            if rule.if_:
                yield ("rules", i, "if"), rule.if_
        for i, out in enumerate(self.s.outcomes):
            if out.when:
                yield ("outcomes", i, "when"), out.when
        for i, role in enumerate(self.s.local_roles):
            for j, entry in enumerate(role.authority):
                if entry.when:
                    yield ("local_roles", i, "authority", j, "when"), entry.when
            for j, mandate in enumerate(role.mandate):
                if mandate.when:
                    yield ("local_roles", i, "mandate", j, "when"), mandate.when

    def expressions(self) -> None:
        known = {"state": set(self.s.state), "resource": set(self.resources),
                 "decision": set(self.decisions), "inject": self.injects,
                 "role": set(self.roles)}
        what = {"state": "name", "resource": "resource", "decision": "decision",
                "inject": "inject", "role": "role"}
        for path, expr in self.expression_sites():
            for ref in expr.references:
                if ref.kind != "option" and ref.name not in known[ref.kind]:
                    choices = known[ref.kind] | (BUILTINS if ref.kind == "state" else set())
                    shown = f"res.{ref.name}" if ref.kind == "resource" else ref.name
                    hint = suggest(ref.name, choices)
                    if ref.kind == "state" and not hint and ref.name.replace("_", "-") in \
                            self.s.resources:
                        hint = Msg("load.hint_resource", name=ref.name)
                    self.add(path, Msg("load.unknown_in_expression", what=_what(what[ref.kind]),
                                       name=shown, source=expr.source, hint=hint))
            for ref in expr.references:
                if ref.kind != "option":
                    continue
                decision_id, _, option_id = ref.name.partition("/")
                dec = self.decisions.get(decision_id)
                if dec is not None and dec.options and not dec.option(option_id):
                    ids = [o.id for o in dec.options]
                    self.add(path, Msg("load.no_such_option", decision=decision_id,
                                       option=option_id, hint=suggest(option_id, ids)))

    def texts(self) -> Iterable[tuple[tuple[Any, ...], str]]:
        yield ("title",), self.s.title
        yield ("summary",), self.s.summary
        for i, inj in enumerate(self.s.injects):
            base = ("injects", i)
            yield base + ("title",), inj.title
            yield base + ("text",), inj.text
            yield base + ("from",), inj.from_
            if inj.facilitator:
                yield base + ("facilitator", "expect"), inj.facilitator.expect
                yield base + ("facilitator", "guidance"), inj.facilitator.guidance
            if inj.expect:
                yield base + ("expect", "what"), inj.expect.what
        for i, d in enumerate(self.s.decisions):
            yield ("decisions", i, "question"), d.question
            yield ("decisions", i, "context"), d.context
            for j, o in enumerate(d.options):
                yield ("decisions", i, "options", j, "label"), o.label
                yield ("decisions", i, "options", j, "description"), o.description

    def placeholders(self) -> None:
        used: set[str] = set()
        for path, text in self.texts():
            for name in _PLACEHOLDER.findall(text):
                used.add(name)
                if name not in self.s.parameters:
                    self.add(path, Msg("load.unknown_parameter", name=name,
                                       hint=suggest(name, self.s.parameters)))
            try:
                list(string.Formatter().parse(text))
            except ValueError as exc:
                self.add(path, Msg("load.unbalanced_braces", said=str(exc)))
        for name in self.s.parameters:
            if name not in used:
                self.add(("parameters", name), Msg("load.parameter_unused", name=name),
                         "warning", at_key=True)

    def files(self) -> None:
        base = self.path.resolve().parent
        for i, inj in enumerate(self.s.injects):
            for j, rel in enumerate(inj.attachments):
                outside = outside_reason(base, rel)
                if outside:
                    self.add(("injects", i, "attachments", j),
                             Msg("load.attachment", name=rel, why=outside))
                elif not (base / rel).is_file():
                    self.add(("injects", i, "attachments", j),
                             Msg("load.attachment", name=rel, why=Msg("load.path.missing")))
        for i, mat in enumerate(self.s.materials):
            outside = outside_reason(base, mat.path)
            if outside:
                self.add(("materials", i, "path"), Msg("load.material", name=mat.path,
                                                       why=outside))
            elif not (base / mat.path).is_file():
                self.add(("materials", i, "path"), Msg("load.material", name=mat.path,
                                                       why=Msg("load.path.missing")))

    def run_cost(self) -> None:
        """One run costs at most a bounded amount (see MAX_RULE_FIRINGS, MAX_CLOCK_CHECKS)."""
        s = self.s
        times = [i.at for i in s.injects if i.at is not None]
        times += [d.at for d in s.decisions if d.at is not None]
        horizon = s.end if s.end is not None else max(times, default=0) + 1440
        firings: list[tuple[int, tuple[Any, ...]]] = [
            (horizon // rule.every, ("rules", i, "every")) for i, rule in enumerate(s.rules)]
        firings += [(horizon // inj.expect.every, ("injects", i, "expect", "every"))
                    for i, inj in enumerate(s.injects)
                    if inj.expect is not None and inj.expect.every]
        total = sum(n for n, _ in firings)
        if total > MAX_RULE_FIRINGS:
            _, worst = max(firings)
            self.add(worst, Msg("load.rule_firings", total=Number(total),
                                horizon=Number(horizon), limit=Number(MAX_RULE_FIRINGS)))
        scanning = [path for path, expr in self.expression_sites()
                    if path[-1] == "when" and path[0] in ("injects", "decisions")
                    and reads_builtin(expr, "t") and _scans_minutes(expr.source)]
        tries = horizon * len(scanning)
        if scanning and tries > WARN_CLOCK_CHECKS:
            limit = MAX_CLOCK_CHECKS if tries > MAX_CLOCK_CHECKS else WARN_CLOCK_CHECKS
            self.add(scanning[0], Msg("load.clock_scans", n=len(scanning),
                                      horizon=Number(horizon), tries=Number(tries),
                                      limit=Number(limit)),
                     "error" if tries > MAX_CLOCK_CHECKS else "warning")

    def cycles(self) -> None:
        follows: dict[str, str] = {}
        for inj in self.s.injects:
            if inj.after:
                follows[inj.id] = inj.after.event
        for d in self.s.decisions:
            if d.on or d.after:
                follows[d.id] = d.on or (d.after.event if d.after else "")
        reported: set[str] = set()
        explored: set[str] = set()  # each chain is walked once: linear, not quadratic
        for start in follows:
            chain = [start]
            on_chain = {start}
            node = start
            while node in follows and node not in explored:
                node = follows[node]
                if node in on_chain:
                    loop = chain[chain.index(node):] + [node]
                    if not reported & set(loop):
                        reported |= set(loop)
                        self.add(self.event_path(start),
                                 Msg("load.cycle", loop=" -> ".join(loop)))
                    break
                chain.append(node)
                on_chain.add(node)
            explored |= on_chain

    def event_path(self, ident: str) -> tuple[Any, ...]:
        for i, inj in enumerate(self.s.injects):
            if inj.id == ident:
                return ("injects", i, "after")
        for i, d in enumerate(self.s.decisions):
            if d.id == ident:
                return ("decisions", i, "on" if d.on else "after")
        return ()

    def changed_names(self) -> set[str]:
        changed: set[str] = set()
        for _, effects in self.effect_lists():
            for eff in effects:
                if isinstance(eff, SetEffect):
                    changed |= set(eff.set)
                elif isinstance(eff, AddEffect):
                    changed |= set(eff.add)
        for d in self.s.decisions:
            for o in d.options:
                changed |= {resource_name(r) for r in o.uses}
        return changed

    def reachability(self) -> None:
        """Warn about injects and decisions whose trigger can never happen."""
        changed = self.changed_names()
        context = _StartContext(self.s)
        possible: set[str] = set()
        scheduled = {eff.schedule.inject for _, effs in self.effect_lists() for eff in effs
                     if isinstance(eff, ScheduleEffect)}
        contingent = {i.expect.else_ for i in self.s.injects if i.expect and i.expect.else_}

        def when_possible(expr: Expression) -> bool:
            if expr.holds(context):
                return True
            return any(r.kind != "state" or r.name in changed or r.name in BUILTINS
                       for r in expr.references) or reads_builtin(expr, "t", "phase")

        dead_when: set[str] = set()
        for inj in self.s.injects:
            if inj.manual or inj.at is not None or inj.id in scheduled or inj.id in contingent:
                possible.add(inj.id)
            elif inj.when is not None:
                if when_possible(inj.when):
                    possible.add(inj.id)
                else:
                    dead_when.add(inj.id)
        for d in self.s.decisions:
            if d.at is not None:
                possible.add(d.id)
            elif d.when is not None:
                if when_possible(d.when):
                    possible.add(d.id)
                else:
                    dead_when.add(d.id)
        changed_any = True
        while changed_any:
            changed_any = False
            for inj in self.s.injects:
                if inj.id not in possible and inj.after and inj.after.event in possible:
                    possible.add(inj.id)
                    changed_any = True
            for d in self.s.decisions:
                source = d.on or (d.after.event if d.after else None)
                if d.id not in possible and source in possible:
                    possible.add(d.id)
                    changed_any = True
        for i, inj in enumerate(self.s.injects):
            if inj.id not in possible:
                why = Msg("load.why.dead_when" if inj.id in dead_when else "load.why.dead_follow")
                self.add(("injects", i, "id"), Msg("load.never_fires", inject=inj.id, why=why),
                         "warning")
        for i, d in enumerate(self.s.decisions):
            if d.id not in possible:
                why = Msg("load.why.dead_when" if d.id in dead_when else "load.why.dead_follow")
                self.add(("decisions", i, "id"), Msg("load.never_opens", decision=d.id, why=why),
                         "warning")

    def coverage_warnings(self) -> None:
        held = {a.domain for r in self.playing for a in self.roles[r].authority}
        for i, d in enumerate(self.s.decisions):
            for dom in d.framings:
                if dom in self.domains and dom not in held:
                    self.add(("decisions", i, "domains" if d.domains else "domain"),
                             Msg("load.nobody_holds", domain=dom), "warning")
        reached = {r for i in self.s.injects for r in i.to}
        for d in self.s.decisions:
            reached |= set(d.consult_ids) | {c.role for c in d.consent}
            reached |= set(self.deciders(d))
        for i, rid in enumerate(self.s.role_ids):
            if rid in self.roles and rid not in reached:
                self.add(("roles", i), Msg("load.role_idle", role=rid), "warning")
        surfaced = {eff.surface for _, effs in self.effect_lists() for eff in effs
                    if isinstance(eff, SurfaceEffect)}
        for i, dil in enumerate(self.s.dilemmas):
            if dil.id not in surfaced:
                self.add(("dilemmas", i, "id"), Msg("load.never_surfaced", dilemma=dil.id),
                         "warning")


MAX_RULE_FIRINGS = 20_000
"""Most times the rules and recurring expectations may come due in one run (each: story
minutes / its `every`)."""
MAX_CLOCK_CHECKS = 10_000_000
WARN_CLOCK_CHECKS = 1_000_000
"""Most minute-by-minute tries of conditions in one run (an error beyond; a warning beyond
WARN_CLOCK_CHECKS, about 5 s on a laptop). A condition that compares `t` with
a value (`t >= 120 + x`) is found at its breakpoints, at no cost per minute; one that uses
`t` otherwise (`t % 7 == 3`) is tried every minute (as engine/clock.py does)."""


def _scans_minutes(source: str) -> bool:
    """Whether a condition uses `t` other than in comparisons with values that do not read
    `t` (then the engine tries it every minute; see `engine.clock.breakpoints`)."""
    import ast

    tree = ast.parse(source, mode="eval")

    def is_t(node: ast.AST) -> bool:
        return isinstance(node, ast.Name) and node.id == "t"

    allowed: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(
                node.ops[0], (ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq)):
            for here, other in ((node.left, node.comparators[0]),
                                (node.comparators[0], node.left)):
                if is_t(here) and not any(is_t(n) for n in ast.walk(other)):
                    allowed.add(id(here))
    return any(is_t(n) and id(n) not in allowed for n in ast.walk(tree))


def outside_reason(base: Path, rel: str) -> Msg | None:
    """Why a material's or attachment's path does not stay inside the scenario's folder
    `base` (empty when it does). Absolute paths and `..` are refused as written; what is
    left must still resolve inside `base` after following symlinks."""
    if not rel or "\x00" in rel:
        return Msg("load.path.not_a_name")
    given = Path(rel)
    if given.is_absolute() or rel.startswith(("~", "\\")) or ":" in given.parts[0]:
        return Msg("load.path.absolute")
    if ".." in given.parts:
        return Msg("load.path.dotdot")
    try:
        resolved = (base / given).resolve()
        resolved.relative_to(base.resolve())
    except ValueError:
        return Msg("load.path.symlink")
    except OSError:
        return Msg("load.path.unresolved")
    return None


def inside_folder(base: Path, rel: str) -> Path | None:
    """The file a material or attachment names, or None when it would leave `base`."""
    if outside_reason(base, rel):
        return None
    return (base / rel).resolve()


def check_scenario(scenario: Scenario, raw: Any, lib: RoleLibrary, path: Path,
                   shown: str) -> list[Problem]:
    """Every reference and sense problem of a validated scenario (messages are keys,
    rendered in the user's language when shown)."""
    return _Checker(scenario, raw, lib, path, shown).run()


def _what(label: str) -> Msg:
    """The kind of thing a reference names (`state variable`), as a message."""
    return Msg("load.what." + label.replace(" ", "_"))
