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

from tabletop.errors import ScenarioProblems
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

UNSIGNED_NOTE = (
    "not signed (written by a tabletop from before logs were signed): the hash chain and "
    "the re-simulation show that the lines fit together and that the engine's events follow "
    "from the logged actions; they cannot show who wrote the log, nor that rationales, notes, "
    "ratings, names, titles or times were not rewritten with the chain recomputed")


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
    problem: str = ""
    """Why the signatures do not hold (empty when valid or unsigned)."""
    unknown: list[str] = field(default_factory=list)
    """Signers that are neither this installation's key nor trusted."""
    own: str | None = None
    """This installation's fingerprint (None: it has no key yet)."""

    def signer_words(self, fp: str) -> str:
        if fp == self.own:
            return f"{fp} (this installation's key)"
        if fp in self.unknown:
            return f"{fp} (a key this installation does not know)"
        return f"{fp} (a trusted key)"


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
        self.problem = ""
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
                self.problem = f"line {line.number}: the checkpoint's key is not an ed25519 key"
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
            seal.problem = "the header names a signing key but the log has no signed checkpoint"
            return seal
        if not signer:
            seal.problem = "signed checkpoints, but the header names no signing key"
            return seal
        if self.problem:
            seal.problem = self.problem
            return seal
        seal.fingerprints = list(self.fingerprints)
        header_fp = signer.get("fingerprint") if isinstance(signer, dict) else None
        if seal.fingerprints[0] != header_fp:
            seal.problem = ("line 1: the header's signing key is not the key of the first "
                            "checkpoint")
            return seal
        to_check = dict(self._before_resumed)
        to_check.update(self._last_of.values())
        for index in sorted(to_check):
            line = to_check[index]
            fp = fingerprint(unb64(line.payload.get("key")) or b"")
            if not check_checkpoint(line.raw, self._keys[fp]):
                seal.problem = (f"line {line.number}: the signature does not match (the log "
                                "was changed after it was signed)")
                return seal
        last_signed = self._last[1].number if self._last else 0
        if last_line > last_signed:
            first, last = last_signed + 1, last_line
            seal.problem = (f"lines {first}-{last} come after the last signature: they are "
                            "not signed (added after the log was written?)")
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
    try:
        stream = JournalStream(path)
    except JournalError as exc:
        return Verdict(False, clean_text(str(exc)))
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
            problem = (f"{path}: the scenario it was written with does not load:\n"
                       f"{clean_text(str(exc))}")
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
                        continue
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
        return Verdict(False, f"{path}: line {stream.torn_line}: incomplete last line (the "
                              "program stopped while writing it); `tabletop resume` moves it "
                              "aside")
    seal = seals.seal(stream.last_hash, finished, stream.count, trusted)
    if seal.signed and not seal.valid:
        return Verdict(False, f"{path}: {seal.problem}", seal=seal)
    if loaded is None:
        return Verdict(False, problem, seal=seal)
    if not forced and (header.get("scenario") or {}).get("hash") != loaded.content_hash:
        return Verdict(False, f"{path}: scenario changed since this log was written", seal=seal)
    if replay is not None:
        divergence = replay.finish()
    else:
        _, divergence = resimulate(Journal(path, header, kept or []), loaded)
    if divergence is not None:
        return Verdict(False, clean_text(f"{path}: {divergence}"), seal=seal)
    replayed = f"{commands} commands replayed, " if commands else "events only (format 1), "
    lines = [f"{path}: {stream.count} lines, hash chain intact, {replayed}re-simulation "
             f"matches all {count} events"]
    if seal.signed:
        signers = ", ".join(seal.signer_words(fp) for fp in seal.fingerprints)
        lines.append(f"signed by {signers}; final chain head {seal.head}")
    else:
        lines.append(UNSIGNED_NOTE)
    if not finished:
        lines.append(f"unfinished: intact as far as it goes, but it has no end (it stops at "
                     f"story minute {last_t}); `tabletop resume` continues it")
    if seal.unknown:
        fps = ", ".join(seal.unknown)
        lines.append(f"refused: {fps} is neither this installation's key nor a trusted one; if "
                     "the sender confirms it is theirs, check again with `tabletop verify "
                     f"--key {seal.unknown[0]}` or add it to the trusted-keys file")
        return Verdict(False, "\n".join(lines), count, seal)
    return Verdict(True, "\n".join(lines), count, seal)
