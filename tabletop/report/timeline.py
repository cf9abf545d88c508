"""The plain-text timeline of an exercise (`tabletop run`, `tabletop log`)."""

from __future__ import annotations

from dataclasses import dataclass

from tabletop.i18n.names import Names, story_time
from tabletop.model.events import (
    AdHocInject,
    CapacityChanged,
    ClockSet,
    DeadlineExtended,
    DecisionOpened,
    DecisionTaken,
    DilemmaSurfaced,
    EffectApplied,
    Event,
    ExerciseEnded,
    ExpectationChanged,
    InjectDelivered,
    InjectSkipped,
    NoteAdded,
    ObservationAdded,
    PhaseChanged,
    StateAdjusted,
)


@dataclass(frozen=True)
class TimelineLine:
    t: int
    kind: str
    """The event type, for colouring."""
    label: str
    text: str
    details: tuple[str, ...] = ()

    def plain(self) -> str:
        head = f"{story_time(self.t)}  {self.label:<12} {self.text}"
        return "\n".join([head, *(f"{'':19}{d}" for d in self.details)])


def dilemma_summary(e: DilemmaSurfaced, n: Names) -> str:
    """One line saying what collided, in the reader's language."""
    t = n.t
    d = e.detail
    if e.kind == "authored":
        return n.dilemma(e.dilemma)
    if e.kind == "bevoegdheid":
        return t("tl.decided_without", by=n.role(d.get("decided_by"), True),
                 holders=n.roles(d.get("holders", [])))
    if e.kind == "overlap":
        return t("tl.holders", holders=n.roles(e.roles))
    if e.kind == "advies":
        advice = ", ".join(f"{n.role(r, True)}: {n.option(e.decision or '', o)}"
                           for r, o in d.get("advice", {}).items())
        return t("tl.advice_differs", chosen=n.option(e.decision or "", d.get("chosen")),
                 advice=advice)
    if e.kind == "schaarste":
        resources = ", ".join(n.resource(r) for r in d.get("resources", []))
        if d.get("reason") == "short":
            return t("tl.shortfall", resource=resources, needed=d.get("needed"),
                     free=d.get("free"))
        return t("tl.claimed_twice", resources=resources,
                 other=n.decision(d.get("with_decision")))
    if e.kind == "termijn":
        return t("tl.default_applied", option=n.option(e.decision or "", d.get("default")))
    return e.text


def render_event(e: Event, n: Names) -> TimelineLine | None:
    t = n.t
    label = t(f"tl.{e.type}")
    if isinstance(e, InjectDelivered):
        inj = n.s.inject(e.inject) if n.s else None
        extra = []
        if inj:
            sender = n.role(inj.from_, True) if n.loaded and inj.from_ in n.loaded.roles \
                else n.fill(inj.from_)
            to = f" → {n.roles(inj.to)}" if inj.to else ""
            extra.append(f"{sender}{to} · {inj.channel.value}")
        if e.released:
            extra.append(t("tl.released") + (f" ({e.by})" if e.by and e.by != "facilitator"
                                             else ""))
        elif e.by:
            extra.append(e.by)
        return TimelineLine(e.t, e.type, label, n.inject(e.inject), tuple(extra))
    if isinstance(e, InjectSkipped):
        return TimelineLine(e.t, e.type, label, n.inject(e.inject),
                            (t(f"tl.skipped.{e.reason}"),))
    if isinstance(e, AdHocInject):
        return TimelineLine(e.t, e.type, label, e.title, (e.text,) if e.text else ())
    if isinstance(e, PhaseChanged):
        return TimelineLine(e.t, e.type, label, n.phase(e.phase))
    if isinstance(e, DecisionOpened):
        bits = [t("tl.owner", owner=n.role(e.owner, True)) if e.owner else t("tl.no_owner")]
        if e.deadline_t is not None:
            bits.append(t("tl.deadline", time=story_time(e.deadline_t)))
        if e.simulated:
            bits.append(t("tl.simulated"))
        return TimelineLine(e.t, e.type, label, n.decision(e.decision), ("; ".join(bits),))
    if isinstance(e, DecisionTaken):
        choice = n.option(e.decision, e.option) if e.option else (e.answer.strip() or "—")
        who = t("tl.default") if e.default else t("tl.by", who=n.role(e.by, True))
        if e.simulated:
            who += f" ({t('tl.simulated')})"
        details = [f"{n.decision(e.decision)}"]
        if e.advice:
            spec = n.s.decision(e.decision) if n.s else None
            details.append(t("tl.advice") + ": " + "; ".join(
                f"{n.role(r, True)}: {n.option(e.decision, v) if spec and spec.option(v) else v}"
                for r, v in e.advice.items()))
        if e.rationale:
            details.append(t("tl.rationale") + ": " + e.rationale)
        if e.forum:
            details.append(t("tl.forum") + ": " + e.forum)
        if e.basis:
            unverified = f" ({t('tl.unverified')})" if e.basis_unverified else ""
            details.append(t("tl.basis") + ": " + e.basis + unverified)
        return TimelineLine(e.t, e.type, label, f"{choice} — {who}", tuple(details))
    if isinstance(e, EffectApplied):
        changes = ", ".join(f"{n.variable(k)} {n.value(v[0])} → {n.value(v[1])}"
                            for k, v in e.changes.items())
        return TimelineLine(e.t, e.type, label, changes, (e.source,))
    if isinstance(e, StateAdjusted):
        changes = ", ".join(f"{n.variable(k)} {n.value(v[0])} → {n.value(v[1])}"
                            for k, v in e.changes.items())
        return TimelineLine(e.t, e.type, label, changes,
                            (t("tl.reason") + ": " + e.reason, n.role(e.by, True)))
    if isinstance(e, DeadlineExtended):
        return TimelineLine(e.t, e.type, label, n.decision(e.decision),
                            (t("tl.deadline", time=story_time(e.deadline_t)),
                             n.role(e.by, True)))
    if isinstance(e, ClockSet):
        text = t("tl.clock_paused") if e.factor == 0 else t("tl.clock_runs", factor=f"{e.factor:g}")
        return TimelineLine(e.t, e.type, label, text, (n.role(e.by, True),))
    if isinstance(e, CapacityChanged):
        if e.change < 0 or e.requested:
            text = t("tl.claimed", n=-e.change) if e.requested <= -e.change else t(
                "tl.short", needed=e.requested, free=-e.change)
        else:
            text = t("tl.returned", n=e.change)
        return TimelineLine(e.t, e.type, label,
                            f"{n.resource(e.resource)}: {text}; {t('tl.free', level=e.level)}")
    if isinstance(e, DilemmaSurfaced):
        kind = t(f"kind.{e.kind}")
        details = []
        if e.decision:
            details.append(n.decision(e.decision))
        if e.roles:
            details.append(n.roles(e.roles))
        return TimelineLine(e.t, e.type, label, f"[{kind}] {dilemma_summary(e, n)}",
                            tuple(details))
    if isinstance(e, ExpectationChanged):
        return TimelineLine(e.t, e.type, label, f"{n.inject(e.inject)}: {t(f'tl.{e.status}')}")
    if isinstance(e, NoteAdded):
        flag = f" [{t('tl.lovp')}]" if e.lovp else ""
        return TimelineLine(e.t, e.type, label, e.text + flag, (n.role(e.by, True),))
    if isinstance(e, ObservationAdded):
        rating = f" [{e.rating}]" if e.rating else ""
        return TimelineLine(e.t, e.type, label, e.text + rating, (n.role(e.by, True),))
    if isinstance(e, ExerciseEnded):
        text = f"{t('tl.outcome')}: {n.outcome(e.outcome)}"
        details = [", ".join(f"{n.variable(k)} {n.value(v)}" for k, v in e.state.items())]
        if e.by:
            details.append(t("tl.ended_by", who=n.role(e.by, True)))
        return TimelineLine(e.t, e.type, label, text, tuple(d for d in details if d))
    return None


def timeline(events: list[Event], names: Names) -> list[TimelineLine]:
    return [line for e in events if (line := render_event(e, names)) is not None]
