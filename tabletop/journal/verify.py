"""`tabletop verify`: header, hash chain, signatures, and a re-simulation that must match.

What each part proves:

- the hash chain: the lines fit together (no line was changed, added or removed without
  recomputing every later hash);
- re-simulation: the engine's events follow from the scenario, the seed and the logged
  actions;
- the signatures (logs written since tabletop signs them): the whole log up to its last
  checkpoint was written by the holder of the signing key named, so nothing in it (a
  rationale, a note, a name, a time) was rewritten by anyone else.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tabletop.errors import Msg, ScenarioProblems
from tabletop.journal.format import COMMAND_TYPE, JournalError, LogLine
from tabletop.journal.reader import CHECKPOINT, Journal, JournalStream
from tabletop.journal.replay import CommandReplay, exercise_for, load_for_header, resimulate
from tabletop.journal.signing import (
    check_checkpoint,
    fingerprint,
    normal_fingerprint,
    own_fingerprint,
    trusted_fingerprints,
    unb64,
)
from tabletop.model.events import EVENT_TYPES
from tabletop.model.loading import LoadedScenario, collector_paused
from tabletop.model.text import clean_text

UNSIGNED_NOTE = Msg("jr.verify.unsigned")


@dataclass
class Seal:
    """What a log's signatures say: for verify, the debrief and the report."""

    signed: bool
    valid: bool = False
    """Every signer's last checkpoint verifies and nothing follows the last checkpoint."""
    fingerprints: list[str] = field(default_factory=list)
    """The signers, in the order they first signed (resumed elsewhere: more than one)."""
    head: str = ""
    """The final chain head: the hash of the log's last line."""
    finished: bool = False
    problem: Msg | str = ""
    """Why the signatures do not hold (empty when valid or unsigned)."""
    unknown: list[str] = field(default_factory=list)
    """Signers that are neither this installation's key nor trusted."""
    own: str | None = None
    """This installation's fingerprint (None: it has no key yet)."""

    def signer_words(self, fp: str) -> str:
        if fp == self.own:
            return str(Msg("jr.verify.own_key", fingerprint=fp))
        if fp in self.unknown:
            return str(Msg("jr.verify.unknown_key", fingerprint=fp))
        return str(Msg("jr.verify.trusted_key", fingerprint=fp))


def log_seal(journal: Journal, trusted: Iterable[str] = ()) -> Seal:
    """Check a journal's signatures (the TUI debrief and the report show the result)."""
    check = SealCheck(journal.header)
    resumed = (ln for ln in journal.lines if ln.type == "resumed")
    for line in heapq.merge(resumed, journal.checkpoints, key=lambda ln: ln.number):
        check.feed(line)
    return check.seal(journal.last_hash, journal.finished, journal.line_count, trusted)


class SealCheck:
    """A log's signatures checked line by line, fed every line after the header in order.

    What it keeps does not grow with the log: per signer its last checkpoint, and the last
    checkpoint before each resumption (a session that resumed a changed log would otherwise
    sign over it); only those are verified (each covers everything before it).
    """

    def __init__(self, header: dict[str, object]) -> None:
        self.header = header
        self.checkpoints = 0
        self.problem: Msg | str = ""
        """The first checkpoint whose key is not an ed25519 key (found while reading)."""
        self.fingerprints: list[str] = []
        self._fingerprint_of: dict[str, str] = {}
        """Per key as written: its fingerprint (a log has a checkpoint per batch, one key)."""
        self._keys: dict[str, bytes] = {}
        self._last_of: dict[str, tuple[int, LogLine]] = {}
        """Per signer: the index and line of its last checkpoint."""
        self._before_resumed: dict[int, LogLine] = {}
        self._last: tuple[int, LogLine] | None = None

    def feed(self, line: LogLine) -> None:
        """Take a checkpoint or a `resumed` line (the others need not be fed: what follows
        the last checkpoint is told by the number of the log's last line)."""
        kind = line.type
        if kind != CHECKPOINT:
            if kind == "resumed" and self._last is not None:
                self._before_resumed[self._last[0]] = self._last[1]
            return
        index = self.checkpoints
        self.checkpoints += 1
        if self.problem:
            return
        written = line.payload.get("key")
        fp = self._fingerprint_of.get(written) if isinstance(written, str) else None
        if fp is None:
            key = unb64(written)
            if key is None or len(key) != 32:
                self.problem = Msg("jr.line", line=line.number, message=Msg("jr.seal.bad_key"))
                return
            fp = fingerprint(key)
            self._keys[fp] = key
            if isinstance(written, str):
                self._fingerprint_of[written] = fp
        self._last_of[fp] = (index, line)
        self._last = (index, line)
        if fp not in self.fingerprints:
            self.fingerprints.append(fp)

    def seal(self, head: str, finished: bool, last_line: int,
             trusted: Iterable[str] = ()) -> Seal:
        """What the signatures of the lines fed say; `last_line`: the number of the log's
        last whole line."""
        own = own_fingerprint()
        known = {normal_fingerprint(k) for k in trusted} | trusted_fingerprints()
        header = self.header
        signer = header.get("signer")
        seal = Seal(signed=bool(self.checkpoints) or bool(signer), head=head,
                    finished=finished, own=own)
        if not seal.signed:
            return seal
        if not self.checkpoints:
            seal.problem = Msg("jr.seal.no_checkpoint")
            return seal
        if not signer:
            seal.problem = Msg("jr.seal.no_header_key")
            return seal
        if self.problem:
            seal.problem = self.problem
            return seal
        seal.fingerprints = list(self.fingerprints)
        header_fp = signer.get("fingerprint") if isinstance(signer, dict) else None
        if seal.fingerprints[0] != header_fp:
            seal.problem = Msg("jr.line", line=1, message=Msg("jr.seal.header_key"))
            return seal
        to_check = dict(self._before_resumed)
        to_check.update(self._last_of.values())
        for index in sorted(to_check):
            line = to_check[index]
            fp = fingerprint(unb64(line.payload.get("key")) or b"")
            if not check_checkpoint(line.raw, self._keys[fp]):
                seal.problem = Msg("jr.line", line=line.number,
                                   message=Msg("jr.seal.mismatch"))
                return seal
        last_signed = self._last[1].number if self._last else 0
        if last_line > last_signed:
            first, last = last_signed + 1, last_line
            seal.problem = Msg("jr.seal.unsigned_tail", first=first, last=last)
            return seal
        seal.unknown = [fp for fp in seal.fingerprints if fp != own and fp not in known]
        seal.valid = True
        return seal


@dataclass
class Verdict:
    ok: bool
    message: str
    events: int = 0
    seal: Seal | None = None


def verify(path: Path, scenario_path: Path | None = None, roles_dir: Path | None = None,
           trusted: Iterable[str] = ()) -> Verdict:
    """Check a log completely; the message names the first divergence.

    The log is read once, line by line: each line is checked (fields, hash chain), fed to
    the signatures' check and to the re-simulation, and let go, so that memory follows the
    engine's state, not the log's size. What is wrong is told in the order of the checks:
    an unreadable line anywhere, then the signatures, then the scenario, then the first
    divergence.

    Args:
        trusted: fingerprints to accept besides this installation's and the trusted-keys
            file's (`verify --key`).
    """
    return _verify(path, scenario_path, roles_dir, trusted, None)


def verify_and_read(path: Path, scenario_path: Path | None = None) -> tuple[Verdict, Journal]:
    """`verify`, keeping the lines as `read_journal` would: for a caller that needs the
    whole log after checking it (the report), so that the file is read once, not twice.
    The journal holds what was read before a line was refused (the verdict says which)."""
    journal = Journal(path, {}, [])
    return _verify(path, scenario_path, None, (), journal), journal


def _verify(path: Path, scenario_path: Path | None, roles_dir: Path | None,
            trusted: Iterable[str], journal: Journal | None) -> Verdict:
    try:
        stream = JournalStream(path)
    except JournalError as exc:
        return Verdict(False, clean_text(str(exc)))
    try:
        return _verify_stream(stream, path, scenario_path, roles_dir, trusted, journal)
    finally:
        if journal is not None:
            journal.close_from(stream)


def _verify_stream(stream: JournalStream, path: Path, scenario_path: Path | None,
                   roles_dir: Path | None, trusted: Iterable[str],
                   journal: Journal | None) -> Verdict:
    kept_lines = journal.lines if journal is not None else None
    kept_checkpoints = journal.checkpoints if journal is not None else None
    with stream:
        header = stream.header
        seals = SealCheck(header)
        loaded: LoadedScenario | None = None
        problem = ""
        try:
            loaded = load_for_header(path, header, scenario_path, roles_dir)
        except JournalError as exc:
            problem = clean_text(str(exc))
        except ScenarioProblems as exc:
            problem = str(Msg("jr.verify.scenario_broken", path=str(path),
                              problems=clean_text(str(exc))))
        streamed = int(header.get("format", 1)) >= 2
        replay: CommandReplay | None = None
        kept: list[LogLine] | None = None
        if loaded is not None:
            if streamed:
                replay = CommandReplay(exercise_for(header, loaded))
            else:
                kept = []  # format 1: the commands are inferred from the whole log
        count = commands = 0
        finished = forced = False
        last_t = 0
        # The collector paused: what a line makes is freed by reference counting as the
        # next is read; only the engine's state grows (its scans were a tenth of the time).
        try:
            with collector_paused():
                for line in stream:
                    kind = line.type
                    if kind == CHECKPOINT:
                        seals.feed(line)
                        if kept_checkpoints is not None:
                            kept_checkpoints.append(line)
                        continue
                    if kept_lines is not None:
                        kept_lines.append(line)
                    last_t = line.t
                    if kind in EVENT_TYPES:
                        count += 1
                        if kind == "end":
                            finished = True
                    elif kind == COMMAND_TYPE:
                        commands += 1
                    elif kind == "force_scenario":
                        forced = True
                    elif kind == "resumed":
                        seals.feed(line)
                    if replay is not None:
                        replay.feed(line)  # (after a divergence it takes no more)
                    elif kept is not None:
                        kept.append(line)
        except JournalError as exc:
            return Verdict(False, clean_text(str(exc)))
    if stream.torn is not None:
        return Verdict(False, str(Msg("jr.at_line", path=str(path), line=stream.torn_line,
                                      problem=Msg("jr.verify.torn"))))
    seal = seals.seal(stream.last_hash, finished, stream.count, trusted)
    if seal.signed and not seal.valid:
        return Verdict(False, f"{path}: {seal.problem}", seal=seal)  # a Msg: rendered
    if loaded is None:
        return Verdict(False, problem, seal=seal)
    if not forced and (header.get("scenario") or {}).get("hash") != loaded.content_hash:
        return Verdict(False, str(Msg("jr.verify.scenario_changed", path=str(path))),
                       seal=seal)
    if replay is not None:
        divergence = replay.finish()
    else:
        _, divergence = resimulate(Journal(path, header, kept or []), loaded)
    if divergence is not None:
        return Verdict(False, clean_text(f"{path}: {divergence}"), seal=seal)  # rendered
    replayed = Msg("jr.verify.replayed", n=commands) if commands else Msg(
        "jr.verify.events_only")
    lines = [str(Msg("jr.verify.ok", path=str(path), lines=stream.count,
                     replayed=replayed, events=count))]
    if seal.signed:
        signers = ", ".join(seal.signer_words(fp) for fp in seal.fingerprints)
        lines.append(str(Msg("jr.verify.signed", signers=signers, head=seal.head)))
    else:
        lines.append(str(UNSIGNED_NOTE))
    if not finished:
        lines.append(str(Msg("jr.verify.unfinished", t=last_t)))
    if seal.unknown:
        fps = ", ".join(seal.unknown)
        lines.append(str(Msg("jr.verify.refused_key", fingerprints=fps,
                             first=seal.unknown[0])))
        return Verdict(False, "\n".join(lines), count, seal)
    return Verdict(True, "\n".join(lines), count, seal)
