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
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tabletop.engine.exercise import Exercise
from tabletop.engine.script import play_script
from tabletop.journal.writer import JournalWriter, new_header
from tabletop.model.loading import load_roles, load_scenario
from tabletop.model.scripted import load_script

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "tests" / "data" / "logs"
SCENARIO = LOGS / "scenarios" / "spoorblokkade.yaml"
ROLES = LOGS / "roles"

PEOPLE = {"burgemeester": "A. de Vries", "politie": "B. Jansen", "om": "C. Bakker",
          "minister-jenv": "D. Visser"}
EXERCISES = {
    "noord": dict(title="Driehoeksoefening Noord", region="Eenheid Noord-Nederland",
                  facilitator="E. Smit", day=1, people=PEOPLE),
    "oost": dict(title="Driehoeksoefening Oost", region="Eenheid Oost-Nederland",
                 facilitator="F. Meijer", day=2, people=PEOPLE),
    "zuid": dict(title="Driehoeksoefening Zuid", region="Eenheid Limburg",
                 facilitator="G. de Boer", day=3, people=PEOPLE),
    "vijandig": dict(title="<script>alert('titel')</script> **Oefening** [bold]",
                     region="Regio | met <b>pijp</b>", facilitator="[red]Oefenleider[/red]",
                     day=4, people={**PEOPLE, "burgemeester": "<i>Burgemeester</i> | **X**"}),
}


def fixed_clock(day: int):  # type: ignore[no-untyped-def]
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
    clock = fixed_clock(int(spec["day"]))  # type: ignore[arg-type]
    header = new_header(loaded, seed=0, participants=dict(spec["people"]),  # type: ignore[arg-type]
                        title=str(spec["title"]), region=str(spec["region"]),
                        facilitator=str(spec["facilitator"]), clock=clock)
    header["scenario"]["path"] = str(SCENARIO.relative_to(ROOT))
    entries = load_script(LOGS / "courses" / f"{name}.yaml", loaded)
    ex = Exercise(loaded, seed=0, participants=list(loaded.roles))
    with JournalWriter.create(path, header, clock) as writer:
        play_script(ex, entries, writer.append_events)
    path.chmod(0o644)
    return path


def main(argv: list[str]) -> int:
    force = "--force" in argv
    for name in EXERCISES:
        print(write_log(name, force))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
