"""Build the report model of one exercise from its journal and the scenario it was played with."""

from __future__ import annotations

from collections.abc import Sequence

from tabletop.i18n.names import Names
from tabletop.journal.reader import Journal
from tabletop.model.events import (
    AdHocInject,
    CapacityChanged,
    DecisionOpened,
    DecisionTaken,
    DilemmaSurfaced,
    Event,
    ExerciseEnded,
    ExpectationChanged,
    InjectDelivered,
    InjectSkipped,
    NoteAdded,
    ObservationAdded,
    PhaseChanged,
)
from tabletop.model.loading import LoadedScenario
from tabletop.report.dilemmas import agenda, dilemma_entries
from tabletop.report.document import clean
from tabletop.report.model import (
    Advice,
    Answer,
    CapacityUse,
    CourseItem,
    DecisionRow,
    ExerciseReport,
    ExpectationRow,
    Heading,
    ObjectiveRow,
    Observation,
    Participant,
    PendingDecision,
    PhaseCourse,
    Question,
)
from tabletop.report.series import state_series


def role_name(role_id: str | None, names: Names) -> str:
    if role_id == "observator":
        return names.t("rp.observer")
    return names.role(role_id)


def _heading(journal: Journal, loaded: LoadedScenario, names: Names,
             anonymise: bool) -> Heading:
    h = journal.header
    people = []
    for role_id, person in journal.participants.items():
        people.append(Participant(role_name(role_id, names),
                                  "" if anonymise else clean(person)))
    created = str(h.get("created") or "")
    return Heading(
        title=clean(h.get("title") or loaded.scenario.title),
        scenario_id=loaded.scenario.id, scenario_title=clean(loaded.scenario.title),
        date=created[:10], region=clean(h.get("region")),
        facilitator="" if anonymise else clean(h.get("facilitator")),
        participants=tuple(people), story_start=loaded.scenario.start.isoformat(),
        log_name=journal.path.name, log_lines=journal.line_count,
        last_hash=journal.last_hash, signer=_signer(journal))


def _signer(journal: Journal) -> str:
    from tabletop.journal.verify import log_seal

    seal = log_seal(journal)
    return seal.fingerprints[-1] if seal.valid and seal.fingerprints else ""


def _course(events: Sequence[Event], loaded: LoadedScenario, names: Names,
            end_t: int) -> tuple[list[PhaseCourse], list[tuple[int, str]]]:
    n = names
    s = loaded.scenario
    current = s.phases[0].id if s.phases else ""
    starts: list[tuple[str, int]] = [(current, 0)]
    buckets: dict[int, list[CourseItem]] = {0: []}

    def add(item: CourseItem) -> None:
        buckets[len(starts) - 1].append(item)

    for e in events:
        if isinstance(e, PhaseChanged):
            if not buckets[len(starts) - 1] and starts[-1][1] == e.t:
                starts[-1] = (e.phase, e.t)
            else:
                starts.append((e.phase, e.t))
                buckets[len(starts) - 1] = []
        elif isinstance(e, InjectDelivered):
            inj = s.inject(e.inject)
            sender = ""
            if inj is not None:
                sender = role_name(inj.from_, n) if inj.from_ in loaded.roles else n.fill(
                    inj.from_)
                if inj.to:
                    sender += " → " + ", ".join(role_name(r, n) for r in inj.to)
            add(CourseItem(e.t, "inject", n.inject(e.inject), sender))
        elif isinstance(e, InjectSkipped):
            add(CourseItem(e.t, "skipped", n.inject(e.inject), n.t(f"tl.skipped.{e.reason}")))
        elif isinstance(e, AdHocInject):
            add(CourseItem(e.t, "adhoc", e.title, e.text))
        elif isinstance(e, DecisionTaken):
            chosen = n.option(e.decision, e.option) if e.option else e.answer
            kind = "default" if e.default else "decision"
            who = "" if e.default else role_name(e.by, n)
            add(CourseItem(e.t, kind, n.decision(e.decision), clean(chosen), who))
        elif isinstance(e, DilemmaSurfaced):
            title = n.dilemma(e.dilemma) if e.kind == "authored" else (
                e.text if e.kind == "handmatig" else n.t(f"kind.{e.kind}.long"))
            add(CourseItem(e.t, "dilemma", title, n.decision(e.decision) if e.decision else ""))
        elif isinstance(e, ExpectationChanged):
            add(CourseItem(e.t, e.status, n.inject(e.inject)))
        elif isinstance(e, ExerciseEnded):
            add(CourseItem(e.t, "end", n.outcome(e.outcome)))
    phases = []
    for index, (phase_id, start) in enumerate(starts):
        stop = starts[index + 1][1] if index + 1 < len(starts) else end_t
        title = n.phase(phase_id) if phase_id else n.t("rp.course.whole")
        phases.append(PhaseCourse(phase_id, title, start, stop, tuple(buckets[index])))
    return phases, [(start, n.phase(pid) if pid else "") for pid, start in starts if pid]


def _decisions(events: Sequence[Event], loaded: LoadedScenario,
               names: Names) -> tuple[list[DecisionRow], list[PendingDecision]]:
    n = names
    s = loaded.scenario
    opened: dict[str, DecisionOpened] = {}
    rows: list[DecisionRow] = []
    claims: dict[str, list[CapacityChanged]] = {}
    returns: dict[tuple[str, str], int] = {}
    for e in events:
        if isinstance(e, CapacityChanged):
            if e.change < 0 or e.requested:
                claims.setdefault(e.source, []).append(e)
            else:
                returns.setdefault((e.source, e.resource), e.t)
    for e in events:
        if isinstance(e, DecisionOpened):
            opened[e.decision] = e
        if not isinstance(e, DecisionTaken):
            continue
        spec = s.decision(e.decision)
        record = opened.pop(e.decision, None)
        owner = record.owner if record else (spec.owner if spec else None)
        rejected = tuple(n.fill(o.label) for o in (spec.options if spec else [])
                         if o.id != e.option)
        option_ids = {o.id for o in spec.options} if spec else set()
        advice = tuple(
            Advice(role_name(r, n), n.option(e.decision, v) if v in option_ids else clean(v),
                   v in option_ids and e.option is not None and v != e.option)
            for r, v in e.advice.items())
        source = f"{e.decision}/{e.option}"
        capacity = tuple(
            CapacityUse(n.resource(c.resource), -c.change, c.requested or -c.change, c.level,
                        returns.get((source, c.resource)))
            for c in claims.get(source, []))
        chosen = n.option(e.decision, e.option) if e.option else clean(e.answer)
        rows.append(DecisionRow(
            t=e.t, decision_id=e.decision, question=clean(n.decision(e.decision)),
            chosen=clean(chosen) or "—", answered=e.option is None,
            decided_by=role_name(e.by or owner, n), owner=role_name(owner, n),
            forum=clean(e.forum), rejected=rejected, basis=clean(e.basis) or None,
            basis_unverified=e.basis_unverified,
            basis_elsewhere=_basis_elsewhere(e, loaded, n), advice=advice,
            rationale=clean(e.rationale), capacity=capacity, default=e.default,
            simulated=e.simulated,
            action_owner=role_name(e.action_owner, n) if e.action_owner else None,
            option_id=e.option))
    pending = [PendingDecision(o.t, clean(n.decision(o.decision)), role_name(o.owner, n),
                               o.deadline_t) for o in opened.values()]
    return rows, pending


def _basis_elsewhere(e: DecisionTaken, loaded: LoadedScenario, names: Names) -> str | None:
    """The role whose power the basis belongs to, when the decider does not hold it."""
    spec = loaded.scenario.decision(e.decision)
    option = spec.option(e.option) if (spec and e.option) else None
    if option is None or option.power is None or not e.basis:
        return None
    decider = loaded.roles.get(e.by or "")
    if decider is None or decider.power(option.power) is not None:
        return None
    holder = next((r for r in loaded.roles.values() if r.power(option.power)), None)
    return role_name(holder.id, names) if holder else None


def _objectives(events: Sequence[Event], loaded: LoadedScenario,
                names: Names) -> list[ObjectiveRow]:
    s = loaded.scenario
    via: dict[str, list[str]] = {o.id: [] for o in s.objectives}
    for e in events:
        items: list[str] = []
        label = ""
        if isinstance(e, InjectDelivered) and (inj := s.inject(e.inject)):
            items, label = inj.objectives, names.inject(e.inject)
        elif isinstance(e, DecisionTaken) and (dec := s.decision(e.decision)):
            items, label = dec.objectives, names.decision(e.decision)
        for objective in items:
            if objective in via and clean(label) not in via[objective]:
                via[objective].append(clean(label))
    return [ObjectiveRow(o.id, clean(o.title), bool(via[o.id]), tuple(via[o.id]))
            for o in s.objectives]


def _questions(events: Sequence[Event], loaded: LoadedScenario, names: Names,
               reached: set[str]) -> list[Question]:
    notes = [e for e in events if isinstance(e, NoteAdded) and e.question]
    out = []
    for phase in loaded.scenario.phases:
        for number, text in enumerate(phase.questions, start=1):
            ref = f"{phase.id}/{number}"
            answers = tuple(Answer(e.t, role_name(e.by, names), clean(e.text), e.lovp)
                            for e in notes if e.question == ref)
            out.append(Question(names.phase(phase.id), number, clean(names.fill(text)),
                                phase.id in reached, answers))
    return out


def build_exercise(journal: Journal, loaded: LoadedScenario, lang: str = "nl",
                   anonymise: bool = False) -> ExerciseReport:
    """The report of one logged exercise (pure: reads nothing but its arguments)."""
    names = Names(loaded, lang, journal.participants, anonymise=True,
                  parameters=journal.header.get("parameters") or {})
    events = [line.event() for line in journal.lines if line.is_engine_event]
    end = next((e for e in reversed(events) if isinstance(e, ExerciseEnded)), None)
    end_t = max([e.t for e in events] + [0])
    s = loaded.scenario
    outcome = s.outcome(end.outcome) if end and end.outcome else None
    report = ExerciseReport(
        heading=_heading(journal, loaded, names, anonymise), lang=names.t.lang,
        scenario_summary=clean(names.fill(s.summary)), end_t=end_t,
        outcome=names.outcome(end.outcome) if end and end.outcome else None,
        outcome_text=clean(names.fill(outcome.description)) if outcome else "",
        ended_by_hand=bool(end and end.by))
    report.phases, report.phase_starts = _course(events, loaded, names, end_t)
    report.decisions, report.pending = _decisions(events, loaded, names)
    report.objectives = _objectives(events, loaded, names)
    for e in events:
        if isinstance(e, ExpectationChanged):
            inj = s.inject(e.inject)
            what = clean(names.fill(inj.expect.what)) if inj and inj.expect else ""
            report.expectations.append(ExpectationRow(e.t, clean(names.inject(e.inject)), what,
                                                      e.status, role_name(e.by, names)
                                                      if e.by else ""))
        elif isinstance(e, ObservationAdded):
            report.observations.append(Observation(
                e.t, role_name(e.by, names), clean(e.text), e.rating,
                clean(names.inject(e.inject)) if e.inject else None))
    reached = {p.phase_id for p in report.phases}
    report.questions = _questions(events, loaded, names, reached)
    by_decision = {row.decision_id: row for row in report.decisions}
    owners = {e.decision: e.action_owner for e in events if isinstance(e, DecisionTaken)}
    report.dilemmas = dilemma_entries([e for e in events if isinstance(e, DilemmaSurfaced)],
                                      by_decision, names, owners)
    report.agenda = agenda(report.dilemmas, [e for e in events if isinstance(e, NoteAdded)],
                           names)
    report.series = state_series(events, loaded, names)
    return report
