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

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tabletop.errors import Msg, ScenarioProblems
from tabletop.journal.format import JournalError
from tabletop.journal.reader import Journal, read_journal
from tabletop.journal.replay import load_for, resimulate, scenario_changed
from tabletop.journal.signing import (
    check_checkpoint,
    fingerprint,
    normal_fingerprint,
    own_fingerprint,
    trusted_fingerprints,
    unb64,
)
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
    own = own_fingerprint()
    known = {normal_fingerprint(k) for k in trusted} | trusted_fingerprints()
    seal = Seal(signed=bool(journal.checkpoints) or bool(journal.header.get("signer")),
                head=journal.last_hash, finished=journal.finished, own=own)
    if not seal.signed:
        return seal
    if not journal.checkpoints:
        seal.problem = Msg("jr.seal.no_checkpoint")
        return seal
    if not journal.header.get("signer"):
        seal.problem = Msg("jr.seal.no_header_key")
        return seal
    last_of: dict[str, int] = {}
    keys: dict[str, bytes] = {}
    fingerprint_of: dict[object, str] = {}
    """Per key as written: its fingerprint (a log has a checkpoint per batch, one key)."""
    for index, line in enumerate(journal.checkpoints):
        written = line.payload.get("key")
        fp = fingerprint_of.get(written) if isinstance(written, str) else None
        if fp is None:
            key = unb64(written)
            if key is None or len(key) != 32:
                seal.problem = Msg("jr.line", line=line.number, message=Msg("jr.seal.bad_key"))
                return seal
            fp = fingerprint(key)
            keys[fp] = key
            if isinstance(written, str):
                fingerprint_of[written] = fp
        last_of[fp] = index
        if fp not in seal.fingerprints:
            seal.fingerprints.append(fp)
    header_fp = (journal.header.get("signer") or {}).get("fingerprint")
    if seal.fingerprints[0] != header_fp:
        seal.problem = Msg("jr.line", line=1, message=Msg("jr.seal.header_key"))
        return seal
    # Each signer's last checkpoint covers everything before it; so does the last one before
    # each resumption (a session that resumed a changed log would otherwise sign over it).
    resumed_at = [ln.number for ln in journal.lines if ln.type == "resumed"]
    to_check = set(last_of.values())
    for number in resumed_at:
        before = [i for i, ln in enumerate(journal.checkpoints) if ln.number < number]
        if before:
            to_check.add(before[-1])
    for index in sorted(to_check):
        line = journal.checkpoints[index]
        fp = fingerprint(unb64(line.payload.get("key")) or b"")
        if not check_checkpoint(line.raw, keys[fp]):
            seal.problem = Msg("jr.line", line=line.number, message=Msg("jr.seal.mismatch"))
            return seal
    last = journal.checkpoints[-1].number
    after = [ln for ln in journal.lines if ln.number > last]
    if after:
        seal.problem = Msg("jr.seal.unsigned_tail", first=after[0].number,
                           last=after[-1].number)
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

    Args:
        trusted: fingerprints to accept besides this installation's and the trusted-keys
            file's (`verify --key`).
    """
    try:
        journal = read_journal(path)
    except JournalError as exc:
        return Verdict(False, clean_text(str(exc)))
    if journal.torn is not None:
        return Verdict(False, str(Msg("jr.at_line", path=str(path), line=journal.torn_line,
                                      problem=Msg("jr.verify.torn"))))
    seal = log_seal(journal, trusted)
    if seal.signed and not seal.valid:
        return Verdict(False, f"{path}: {seal.problem}", seal=seal)  # a Msg: rendered
    try:
        loaded = load_for(journal, scenario_path, roles_dir)
    except JournalError as exc:
        return Verdict(False, clean_text(str(exc)), seal=seal)
    except ScenarioProblems as exc:
        return Verdict(False, str(Msg("jr.verify.scenario_broken", path=str(path),
                                      problems=clean_text(str(exc)))), seal=seal)
    if scenario_changed(journal, loaded):
        forced = [ln for ln in journal.lines if ln.type == "force_scenario"]
        if not forced:
            return Verdict(False, str(Msg("jr.verify.scenario_changed", path=str(path))),
                           seal=seal)
    _, divergence = resimulate(journal, loaded)
    if divergence is not None:
        return Verdict(False, clean_text(f"{path}: {divergence}"), seal=seal)  # rendered
    count = sum(1 for ln in journal.lines if ln.is_engine_event)
    commands = sum(1 for ln in journal.lines if ln.is_command)
    replayed = Msg("jr.verify.replayed", n=commands) if commands else Msg(
        "jr.verify.events_only")
    lines = [str(Msg("jr.verify.ok", path=str(path), lines=journal.line_count,
                     replayed=replayed, events=count))]
    if seal.signed:
        signers = ", ".join(seal.signer_words(fp) for fp in seal.fingerprints)
        lines.append(str(Msg("jr.verify.signed", signers=signers, head=seal.head)))
    else:
        lines.append(str(UNSIGNED_NOTE))
    if not journal.finished:
        last_t = journal.lines[-1].t if journal.lines else 0
        lines.append(str(Msg("jr.verify.unfinished", t=last_t)))
    if seal.unknown:
        fps = ", ".join(seal.unknown)
        lines.append(str(Msg("jr.verify.refused_key", fingerprints=fps,
                             first=seal.unknown[0])))
        return Verdict(False, "\n".join(lines), count, seal)
    return Verdict(True, "\n".join(lines), count, seal)
