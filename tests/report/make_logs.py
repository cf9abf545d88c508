"""Write the committed logs in tests/data/logs (run once; commit the result).

    uv run python tests/report/make_logs.py          # writes only the logs that are missing
    uv run python tests/report/make_logs.py --force  # rewrites every log

Why not `tabletop run --log`: the golden tests want logs that are byte-for-byte
reproducible (a fixed wall clock), with a region, a facilitator and named participants,
which `run` does not set. The play itself is the same: `play_script` on a scripted course.
The header records the scenario path relative to the repository root, so the logs work in
any checkout when tabletop runs from the root (the tests pass the path explicitly anyway).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tabletop.engine.exercise import Exercise
from tabletop.engine.script import play_script
from tabletop.journal.session import LiveSession, SessionSettings
from tabletop.journal.writer import JournalWriter, new_header
from tabletop.model.loading import load_roles, load_scenario
from tabletop.model.scripted import load_script

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "tests" / "data" / "logs"
SCENARIO = LOGS / "scenarios" / "spoorblokkade.yaml"
ROLES = LOGS / "roles"

PEOPLE = {"burgemeester": "A. de Vries", "politie": "B. Jansen", "om": "C. Bakker",
          "minister-jenv": "D. Visser"}


@dataclass(frozen=True)
class Spec:
    title: str
    region: str
    facilitator: str
    day: int
    people: dict[str, str]


EXERCISES = {
    "noord": Spec("Driehoeksoefening Noord", "Eenheid Noord-Nederland", "E. Smit", 1, PEOPLE),
    "oost": Spec("Driehoeksoefening Oost", "Eenheid Oost-Nederland", "F. Meijer", 2, PEOPLE),
    "zuid": Spec("Driehoeksoefening Zuid", "Eenheid Limburg", "G. de Boer", 3, PEOPLE),
    "vijandig": Spec("<script>alert('titel')</script> **Oefening** [bold]",
                     "Regio | met <b>pijp</b>", "[red]Oefenleider[/red]", 4,
                     {**PEOPLE, "burgemeester": "<i>Burgemeester</i> | **X**"}),
}


def fixed_clock(day: int) -> Callable[[], datetime]:
    """A wall clock that starts at 09:00 on a fixed day and ticks a minute per reading."""
    moment = [datetime(2026, 3, day, 9, 0, tzinfo=timezone(timedelta(hours=1)))]

    def clock() -> datetime:
        moment[0] += timedelta(minutes=1)
        return moment[0]

    return clock


def write_log(name: str, force: bool = False) -> Path:
    spec = EXERCISES[name]
    path = LOGS / f"{name}.jsonl"
    if path.exists():
        if not force:
            return path
        path.unlink()
    loaded = load_scenario(SCENARIO, load_roles(ROLES))
    clock = fixed_clock(spec.day)
    header = new_header(loaded, seed=0, participants=dict(spec.people), title=spec.title,
                        region=spec.region, facilitator=spec.facilitator, clock=clock)
    header["scenario"]["path"] = str(SCENARIO.relative_to(ROOT))
    entries = load_script(LOGS / "courses" / f"{name}.yaml", loaded)
    ex = Exercise(loaded, seed=0, participants=set(loaded.roles))
    with JournalWriter.create(path, header, clock) as writer:
        session = LiveSession(loaded, ex, writer, SessionSettings.from_header(header))
        play_script(ex, entries, session.apply)
        session.close()
    path.chmod(0o644)
    return path


def main(argv: list[str]) -> int:
    force = "--force" in argv
    for name in EXERCISES:
        print(write_log(name, force))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
