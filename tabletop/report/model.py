"""The terugkoppeling as data: what one exercise (or several) produced for the LOVP.

Names are resolved (role names, option labels, question texts) but no prose is written
here; `layout` turns these records into sentences in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Participant:
    role: str
    person: str = ""
    """Empty when anonymised or not recorded."""


@dataclass(frozen=True)
class CourseItem:
    t: int
    kind: str
    """inject, adhoc, skipped, decision, default, dilemma, met, missed, end."""
    subject: str
    detail: str = ""
    who: str = ""


@dataclass(frozen=True)
class PhaseCourse:
    phase_id: str
    title: str
    start_t: int
    end_t: int
    items: tuple[CourseItem, ...]


@dataclass(frozen=True)
class Advice:
    role: str
    text: str
    dissent: bool
    """The advice named another option than the one chosen."""


@dataclass(frozen=True)
class CapacityUse:
    resource: str
    claimed: int
    requested: int
    free_after: int
    returns_t: int | None = None


@dataclass(frozen=True)
class DecisionRow:
    t: int
    decision_id: str
    question: str
    chosen: str
    answered: bool
    """An open decision answered in text (no options)."""
    decided_by: str
    owner: str
    forum: str
    rejected: tuple[str, ...]
    basis: str | None
    basis_unverified: bool
    basis_elsewhere: str | None
    """The role whose power supplied the basis when the decider does not hold it."""
    advice: tuple[Advice, ...]
    rationale: str
    capacity: tuple[CapacityUse, ...]
    default: bool
    simulated: bool
    action_owner: str | None
    option_id: str | None = None


@dataclass(frozen=True)
class PendingDecision:
    """A decision point that opened and was still open when the log ends."""

    t: int
    question: str
    owner: str
    deadline_t: int | None


@dataclass(frozen=True)
class ObjectiveRow:
    objective_id: str
    title: str
    exercised: bool
    via: tuple[str, ...]


@dataclass(frozen=True)
class ExpectationRow:
    t: int
    inject: str
    what: str
    status: str
    by: str


@dataclass(frozen=True)
class Observation:
    t: int
    by: str
    text: str
    rating: str | None
    inject: str | None


@dataclass(frozen=True)
class Answer:
    t: int
    by: str
    text: str
    lovp: bool


@dataclass(frozen=True)
class Question:
    phase: str
    number: int
    text: str
    reached: bool
    """The story reached the question's phase."""
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class BasisItem:
    role: str | None
    basis: str | None
    unverified: bool


@dataclass(frozen=True)
class Occurrence:
    t: int
    decision: str | None
    outcome: str | None
    """What was chosen (or answered) at that decision, and by whom, if it was taken."""
    summary: str
    """What collided, in words."""


@dataclass(frozen=True)
class DilemmaEntry:
    key: str
    """Stable identity across exercises of one scenario (kind and id or decision)."""
    kind: str
    title: str
    situation: str
    roles: tuple[str, ...]
    bases: tuple[BasisItem, ...]
    occurrences: tuple[Occurrence, ...]
    question: str
    owner: str
    """Who should take it up at the LOVP."""


@dataclass(frozen=True)
class AgendaItem:
    question: str
    owners: tuple[str, ...]
    sources: tuple[str, ...]
    exercises: tuple[str, ...] = ()
    """In a many-exercise report: the exercises that raised it."""


@dataclass(frozen=True)
class StateSeries:
    var: str
    label: str
    unit: str
    points: tuple[tuple[int, float], ...]
    low: float | None
    high: float | None
    boolean: bool
    capacity: bool = False


@dataclass(frozen=True)
class Heading:
    title: str
    scenario_id: str
    scenario_title: str
    date: str
    """The day the exercise was held (from the log), ISO `YYYY-MM-DD`."""
    region: str
    facilitator: str
    participants: tuple[Participant, ...]
    story_start: str
    """Wall-clock time of story minute 0, ISO."""
    log_name: str
    log_lines: int
    last_hash: str
    signer: str = ""
    """The fingerprint of the key that signed the log last ('' for an unsigned log)."""


@dataclass
class ExerciseReport:
    heading: Heading
    lang: str
    scenario_summary: str
    end_t: int
    outcome: str | None
    outcome_text: str
    ended_by_hand: bool
    phases: list[PhaseCourse] = field(default_factory=list)
    decisions: list[DecisionRow] = field(default_factory=list)
    pending: list[PendingDecision] = field(default_factory=list)
    objectives: list[ObjectiveRow] = field(default_factory=list)
    expectations: list[ExpectationRow] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    dilemmas: list[DilemmaEntry] = field(default_factory=list)
    agenda: list[AgendaItem] = field(default_factory=list)
    series: list[StateSeries] = field(default_factory=list)
    phase_starts: list[tuple[int, str]] = field(default_factory=list)

    @property
    def label(self) -> str:
        """How a many-exercise report names this exercise."""
        h = self.heading
        return f"{h.title} ({h.region})" if h.region and h.region not in h.title else h.title


@dataclass(frozen=True)
class RankedDilemma:
    title: str
    kind: str
    exercises: tuple[str, ...]
    question: str


@dataclass(frozen=True)
class SharedDecision:
    question: str
    choices: tuple[tuple[str, DecisionRow | None], ...]
    """(exercise label, its row, or None when it did not decide)."""
    distinct: int
    """How many different choices the exercises made."""


@dataclass
class CombinedReport:
    lang: str
    exercises: list[ExerciseReport]
    dilemmas: list[RankedDilemma]
    shared: list[SharedDecision]
    agenda: list[AgendaItem]
