"""Seats: submissions from a role's (or a staff member's) own screen, taken by the engine.

One writer: the facilitator's process applies commands; a seat only *submits* them to the
store's inbox, each with an id (a second submission with the same id changes nothing).
`SeatHost` (in the facilitator's process) takes the inbox in order, checks each submission
against the seat that sent it, and applies it through `LiveSession.apply`; a seat's own
decisions apply at once or wait for the facilitator's confirmation (a per-exercise setting).

The seat side is `SeatLink`: the views to render and the way to submit. On PostgreSQL a seat
reads only its own row of `seat_views` (filtered by `journal.seatview` in the facilitator's
process) and its own submissions' outcomes: it never receives a journal line. In the
embedded file mode a seat folds the log file itself, through the same filter; a local user
who can read the log file (owner-only, 0600) can read everything in it anyway.
"""

from __future__ import annotations

import json
import secrets
import threading
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tabletop.engine.exercise import ExerciseError
from tabletop.engine.visibility import STAFF_SEATS
from tabletop.errors import LocalizedError
from tabletop.journal.format import JournalError
from tabletop.journal.seatview import SeatView, seat_names
from tabletop.journal.session import LiveSession
from tabletop.journal.store import FileStore, JournalStore, Outcome, Stored
from tabletop.model.base import Id
from tabletop.model.commands import Command, Decide, Note, Voice, command_from_dict, command_to_dict
from tabletop.model.events import Event
from tabletop.model.loading import LoadedScenario

SEAT_KINDS: dict[str, frozenset[str]] = {
    "role": frozenset({"decide", "note", "flag"}),
    "controller": frozenset({"release", "skip", "adhoc", "met", "note", "extend"}),
    "evaluator": frozenset({"observe", "note"}),
}
"""What each kind of seat may submit."""

MAX_SUBMISSION = 64_000
"""Bytes of one submission as sent: more is refused before it is parsed."""


class SubmissionError(LocalizedError):
    """A submission that cannot be taken; the message says why (never a traceback)."""


VOICE_KINDS = ("advice", "consent", "position")
"""What a role may say about a decision it does not take alone: advice (a consulted role),
consent (instemming: a role whose consent an option needs, `yes` or `no`) and a position
(an owner of a joint decision, `together: all`: an option id)."""


Advice = Voice
"""A role's voice on an open decision (see VOICE_KINDS and `model.commands.Voice`).
Journalled with the seat's note (`Note.voice`); given to the decision when it is taken from
a seat, and offered to the facilitator's decision card (prefilled, marked as from the seat),
also after a resume (`SeatHost` reads the voices back from the journal)."""


@dataclass
class Voices:
    """What the seats said about one decision, by role (to prefill the decision card)."""

    advice: dict[str, str] = field(default_factory=dict)
    consent: dict[str, bool] = field(default_factory=dict)
    positions: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.advice or self.consent or self.positions)


class Submission(BaseModel):
    """What a seat sends: an id, the seat, one command, and for advice what it advises."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[A-Za-z0-9_-]{8,64}$")
    seat: Id
    command: Command
    advice: Advice | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "seat": self.seat,
                                "command": command_to_dict(self.command)}
        if self.advice is not None:
            data["advice"] = self.advice.model_dump()
        return data


def new_submission_id() -> str:
    return secrets.token_urlsafe(12)


def parse_submission(data: Any) -> Submission:
    """A submission from what a seat sent (bytes, text or a JSON object); SubmissionError
    with the first problem's place otherwise."""
    if isinstance(data, (bytes, str)):
        if len(data) > MAX_SUBMISSION:
            raise SubmissionError("seat.too_long", limit=MAX_SUBMISSION)
        try:
            data = json.loads(data)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise SubmissionError("seat.not_json") from None
    if not isinstance(data, dict):
        raise SubmissionError("seat.not_object")
    try:
        return Submission.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "-"
        raise SubmissionError("seat.invalid", where=where, reason=first.get("msg", "")) from None
    except (ValueError, TypeError, RecursionError):
        raise SubmissionError("seat.invalid", where="-", reason="unreadable") from None


def seat_by(seat: str) -> str:
    """Whom a seat's commands are `by`: the role itself, or the staff member."""
    return STAFF_SEATS.get(seat, seat)


def check_seat(sub: Submission, stored_role: str, loaded: LoadedScenario,
               exercise: Any) -> None:
    """Refuse (SubmissionError) what this seat may not do; the engine checks the rest."""
    seat = sub.seat
    if seat != stored_role or (seat not in loaded.roles and seat not in STAFF_SEATS):
        raise SubmissionError("seat.no_seat", seat=seat)
    command = sub.command
    if command.origin != f"seat:{seat}" or command.by != seat_by(seat):
        raise SubmissionError("seat.not_yours", seat=seat, by=command.by,
                              origin=command.origin)
    kind = "role" if seat in loaded.roles else seat
    if command.kind not in SEAT_KINDS[kind]:
        raise SubmissionError("seat.kind_refused", seat=seat, kind=command.kind)
    if isinstance(command, Decide):
        record = exercise.open_decision(command.decision)
        if record is not None:
            holders = exercise.world.holders(record.spec.domain)
            owners = record.spec.owners  # a joint decision: each of its owners
            if seat != record.owner and seat not in owners and not (
                    record.owner is None and seat in holders):
                raise SubmissionError("seat.not_owner", seat=seat, decision=command.decision)
    if isinstance(command, Note) and command.voice is not None:
        raise SubmissionError("seat.voice_in_note")  # sent as `advice`, checked below
    if sub.advice is not None:
        check_voice(sub.advice, seat, command, exercise)


def check_voice(voice: Advice, seat: str, command: Command, exercise: Any) -> None:
    """A voice (advice, consent, position) only from the role asked for it, on an open
    decision, with a value the decision can take; journalled as the seat's note."""
    if command.kind != "note":
        raise SubmissionError("seat.voice_not_note", kind=command.kind)
    record = exercise.open_decision(voice.decision)
    if record is None:
        raise SubmissionError("seat.advice_closed", decision=voice.decision)
    spec = record.spec
    if voice.kind == "advice":
        if seat not in spec.consult_ids:
            raise SubmissionError("seat.not_consulted", seat=seat, decision=voice.decision)
    elif voice.kind == "consent":
        if seat not in {c.role for c in spec.consent}:
            raise SubmissionError("seat.no_consent_asked", seat=seat, decision=voice.decision)
        if voice.value not in ("yes", "no"):
            raise SubmissionError("seat.consent_value", value=voice.value[:40])
    else:
        if not (spec.joint and seat in spec.owners):
            raise SubmissionError("seat.not_joint", seat=seat, decision=voice.decision)
        if spec.option(voice.value) is None:
            raise SubmissionError("seat.no_option", value=voice.value[:40],
                                  decision=voice.decision)


def hear(voices: dict[str, Voices], seat: str, voice: Voice) -> None:
    """Keep what a seat said about a decision (its latest word of each kind counts)."""
    book = voices.setdefault(voice.decision, Voices())
    if voice.kind == "consent":
        book.consent[seat] = voice.value == "yes"
    elif voice.kind == "position":
        book.positions[seat] = voice.value
    else:
        book.advice[seat] = voice.value


def voices_in(lines: list[tuple[int, bytes]]) -> dict[str, Voices]:
    """What the seats said, from a journal's lines: the voices of the notes the writer
    took from seats (origin `seat:ROLE`, checked when the seat sent them)."""
    voices: dict[str, Voices] = {}
    for _, raw in lines:
        if b'"voice"' not in raw:
            continue
        try:
            obj = json.loads(raw)
            command = command_from_dict(obj["command"]) if obj.get("type") == "command" \
                else None
        except (ValueError, KeyError, TypeError, ValidationError):
            continue  # a line the reader refuses says so itself; here it says nothing
        if isinstance(command, Note) and command.voice is not None and \
                command.origin.startswith("seat:"):
            hear(voices, command.origin.removeprefix("seat:"), command.voice)
    return voices


@dataclass
class Taken:
    """What became of one submission."""

    id: str
    seat: str
    state: str
    """applied, refused, pending (waits for the facilitator) or rejected."""
    submission: Submission | None = None
    events: list[Event] = field(default_factory=list)
    message: str = ""


class SeatHost:
    """The facilitator's side of the seats, for one live exercise.

    Call `tick()` on a timer (every 0.2-1 s) from the console: it takes the inbox in order
    (`take_submissions`), and on PostgreSQL publishes each seat's view. A `JournalError`
    from it (the store is away) means nothing was taken: show it, and the next tick tries
    again. With `confirm_decisions=True` a seat's own decision waits in `pending` until
    `confirm(id)` or `reject(id, reason)`.
    """

    def __init__(self, session: LiveSession, store: JournalStore, *,
                 confirm_decisions: bool = False, lang: str = "nl",
                 apply: Callable[[Command], list[Event]] | None = None) -> None:
        self.session = session
        self.store = store
        self.confirm_decisions = confirm_decisions
        self.lang = lang
        self.apply = apply or session.apply
        """How a submission is applied: `LiveSession.apply`, or the console's own path to
        it (which also keeps the console's history); it raises ExerciseError on refusal."""
        self.pending: dict[str, tuple[Stored, Submission]] = {}
        lines = self.store.read(-1)  # once: the header, and what the seats said so far
        self.voices: dict[str, Voices] = voices_in(lines)
        """decision -> what the seats said about it (advice, consent, positions): read
        back from the journal (a resumed exercise's card is prefilled as before), then
        kept up as seats speak."""
        header: dict[str, Any] = json.loads(lines[0][1]) if lines else {}
        self.views = {seat: SeatView(session.loaded, seat, header, lang)
                      for seat in seat_names(session.loaded)}
        self._seq = 0
        self._published: dict[str, str] = {}

    @property
    def advice(self) -> dict[str, dict[str, str]]:
        """decision -> role -> advised option (or text), from the seats."""
        return {d: dict(v.advice) for d, v in self.voices.items() if v.advice}

    def advice_for(self, decision: str) -> dict[str, str]:
        """What the seats advised on a decision (to prefill the decision card)."""
        return dict(self.voices_for(decision).advice)

    def voices_for(self, decision: str) -> Voices:
        """Advice, consent and positions the seats gave on a decision (a copy)."""
        found = self.voices.get(decision) or Voices()
        return Voices(dict(found.advice), dict(found.consent), dict(found.positions))

    def take_submissions(self) -> list[Taken]:
        """Apply the waiting submissions in the order they arrived."""
        out = []
        for stored in self.store.waiting():
            if stored.id in self.pending:
                continue
            try:
                sub = parse_submission(stored.data)
                check_seat(sub, stored.role, self.session.loaded, self.session.exercise)
            except SubmissionError as exc:
                message = exc.render(self.lang)
                self.store.settle(stored.id, "refused", message)
                out.append(Taken(stored.id, stored.role, "refused", None, [], message))
                continue
            if (self.confirm_decisions and isinstance(sub.command, Decide)
                    and sub.seat in self.session.loaded.roles):
                self.pending[stored.id] = (stored, sub)
                self.store.settle(stored.id, "pending")
                out.append(Taken(stored.id, sub.seat, "pending", sub))
                continue
            out.append(self._apply(stored, sub))
        return out

    def _apply(self, stored: Stored, sub: Submission) -> Taken:
        command = sub.command
        if sub.advice is not None and isinstance(command, Note):
            command = command.model_copy(update={"voice": sub.advice})  # journalled with it
        said = self.voices.get(command.decision) if isinstance(command, Decide) else None
        if isinstance(command, Decide) and said:
            spec = self.session.loaded.scenario.decision(command.decision)
            positions = said.positions if spec is not None and spec.joint else {}
            command = command.model_copy(update={
                "advice": {**said.advice, **command.advice},
                "consent": {**said.consent, **command.consent},
                "positions": {**positions, **command.positions}})
        try:
            events = self.apply(command)
        except ExerciseError as exc:
            message = exc.render(self.lang)
            self.store.settle(stored.id, "refused", message)
            return Taken(stored.id, sub.seat, "refused", sub, [], message)
        if sub.advice is not None:
            hear(self.voices, sub.seat, sub.advice)
        self.store.settle(stored.id, "applied")
        return Taken(stored.id, sub.seat, "applied", sub, events)

    def confirm(self, sid: str) -> Taken:
        """Apply a seat's decision that waited for confirmation (through `apply`, the one
        writer; a JournalError from it propagates, and the decision stays pending)."""
        stored, sub = self.pending[sid]
        taken = self._apply(stored, sub)
        del self.pending[sid]
        return taken

    def reject(self, sid: str, reason: str = "") -> Taken:
        """Turn a waiting decision down; the seat sees "afgewezen" and the reason."""
        stored, sub = self.pending[sid]
        self.store.settle(stored.id, "rejected", reason)
        del self.pending[sid]
        return Taken(stored.id, sub.seat, "rejected", sub, [], reason)

    def drop_closed(self) -> list[Taken]:
        """Waiting decisions whose decision closed meanwhile (taken, lapsed, ended):
        refused, with the reason told to the seat. A lapsed deadline decides nothing, and
        a confirmation later must not take a decision that is no longer open."""
        out = []
        for sid, (stored, sub) in list(self.pending.items()):
            command = sub.command
            if isinstance(command, Decide) and not self.session.exercise.is_open(
                    command.decision):
                message = SubmissionError("seat.closed_meanwhile",
                                          decision=command.decision).render(self.lang)
                self.store.settle(stored.id, "refused", message)
                del self.pending[sid]
                out.append(Taken(stored.id, sub.seat, "refused", sub, [], message))
        return out

    def refresh(self) -> bool:
        """Fold the journal's new lines into every seat's view; True when there were."""
        lines = self.store.read(self._seq)
        for seq, raw in lines:
            if seq == 0:
                continue
            obj = json.loads(raw)
            for view in self.views.values():
                view.feed(obj)
            self._seq = seq
        return bool(lines)

    def publish_views(self) -> None:
        """On PostgreSQL: write each seat's view that changed (the seats read only these)."""
        publish = getattr(self.store, "publish_view", None)
        self.refresh()
        if publish is None:
            return
        for seat, view in self.views.items():
            data = view.view()
            key = json.dumps(data, sort_keys=True)
            if self._published.get(seat) != key:
                publish(seat, data)
                self._published[seat] = key

    def tick(self) -> list[Taken]:
        """Take the inbox, then publish the seats' views."""
        taken = self.drop_closed() + self.take_submissions()
        self.publish_views()
        return taken


_HOSTS: weakref.WeakKeyDictionary[LiveSession, SeatHost] = weakref.WeakKeyDictionary()


def take_submissions(session: LiveSession, store: JournalStore) -> list[Taken]:
    """The console's timer call: take the seats' waiting submissions (one SeatHost per
    session, made on the first call, applying seats' decisions at once)."""
    host = _HOSTS.get(session)
    if host is None or host.store is not store:
        host = _HOSTS[session] = SeatHost(session, store, lang=session.settings.lang)
    return host.tick()


# -- the seat's side -------------------------------------------------------------------
class SeatLink:
    """What a seat process uses: its views as they change, submit, the outcomes."""

    def __init__(self, store: JournalStore, seat: str) -> None:
        self.store = store
        self.seat = seat

    def views(self, stop: threading.Event) -> Iterator[dict[str, Any]]:
        raise NotImplementedError

    def submit(self, command: Command, advice: Advice | None = None,
               sid: str | None = None) -> str:
        """Put a command in the inbox; returns the submission's id."""
        sub = Submission(id=sid or new_submission_id(), seat=self.seat, command=command,
                         advice=advice)
        self.store.submit(sub.id, self.seat, sub.to_dict())
        return sub.id

    def outcomes(self) -> dict[str, Outcome]:
        return self.store.outcomes(self.seat)


class FileSeatLink(SeatLink):
    """Embedded mode: fold the log file through the seat filter in the seat's process."""

    def __init__(self, store: FileStore, seat: str, loaded: LoadedScenario,
                 header: dict[str, Any], lang: str = "nl") -> None:
        super().__init__(store, seat)
        self.loaded = loaded
        self.header = header
        self.lang = lang

    def views(self, stop: threading.Event) -> Iterator[dict[str, Any]]:
        view = SeatView(self.loaded, self.seat, self.header, self.lang)
        store = FileStore(Path(self.store.label))
        batch = 0
        lines = store.follow(-1, stop, poll=0.2)
        yield view.view()
        for seq, raw in lines:
            view.feed_raw(seq, raw)
            batch += 1
            if not store.path.exists() or seq >= self._last(store):
                yield view.view()
                batch = 0

    @staticmethod
    def _last(store: FileStore) -> int:
        return store._seen


class PgSeatLink(SeatLink):
    """Across sites: only this seat's row of `seat_views`, never the journal's lines."""

    def views(self, stop: threading.Event) -> Iterator[dict[str, Any]]:
        follow = getattr(self.store, "follow_view", None)
        if follow is None:
            raise JournalError("jr.store.no_seat_views", where=self.store.label)
        yield from follow(self.seat, stop)


def check_seat_name(seat: str, loaded: LoadedScenario) -> None:
    if seat not in seat_names(loaded):
        raise SubmissionError("seat.unknown", seat=seat, seats=", ".join(seat_names(loaded)))
