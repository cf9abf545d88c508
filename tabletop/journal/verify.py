"""`tabletop verify`: header, hash chain, and a re-simulation that must match the log."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tabletop.errors import ScenarioProblems
from tabletop.journal.format import JournalError
from tabletop.journal.reader import read_journal
from tabletop.journal.replay import load_for, resimulate, scenario_changed


@dataclass
class Verdict:
    ok: bool
    message: str
    events: int = 0


def verify(path: Path, scenario_path: Path | None = None, roles_dir: Path | None = None) -> Verdict:
    """Check a log completely; the message names the first divergence."""
    try:
        journal = read_journal(path)
    except JournalError as exc:
        return Verdict(False, str(exc))
    if journal.torn is not None:
        return Verdict(False, f"{path}: line {journal.torn_line}: incomplete last line (the "
                              "program stopped while writing it); `tabletop resume` moves it "
                              "aside")
    try:
        loaded = load_for(journal, scenario_path, roles_dir)
    except JournalError as exc:
        return Verdict(False, str(exc))
    except ScenarioProblems as exc:
        return Verdict(False, f"{path}: the scenario it was written with does not load:\n{exc}")
    if scenario_changed(journal, loaded):
        forced = [ln for ln in journal.lines if ln.type == "force_scenario"]
        if not forced:
            return Verdict(False, f"{path}: scenario changed since this log was written")
    _, divergence = resimulate(journal, loaded)
    if divergence is not None:
        return Verdict(False, f"{path}: {divergence}")
    count = sum(1 for ln in journal.lines if ln.is_engine_event)
    commands = sum(1 for ln in journal.lines if ln.is_command)
    replayed = f"{commands} commands replayed, " if commands else "events only (format 1), "
    return Verdict(True, f"{path}: {len(journal.lines) + 1} lines, hash chain intact, "
                         f"{replayed}re-simulation matches all {count} events", count)
