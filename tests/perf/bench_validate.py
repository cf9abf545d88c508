"""`tabletop validate` of a generated 1,000-inject scenario, as a whole process, against a
whole process that only parses the same file with PyYAML's C loader; and how it grows to
10,000 injects.

Targets (issue 14): a changed 1,000-inject file, cold, at most 2.5x the C-parse process;
10,000 injects at most 4.5x the 1,000-inject time. "Changed" and "cold": every timed run
validates a file edited since the last run, so no cache of validated scenarios can answer.

Figures are CPU time (user + system) of each whole process, the least of several runs:
on a machine shared with other work, wall time measures the wait for a core as much as
the program. The main figures run with warm bytecode caches (in a private
PYTHONPYCACHEPREFIX, written by the first, untimed run). Also shown (no target): both
processes as the environment runs them, which here sets PYTHONDONTWRITEBYTECODE: only
bytecode compiled at install (`[tool.uv] compile-bytecode`) is used, and tabletop's own
modules are compiled every time.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from common import PYTHON, measured_run, report

ROLES = ["burgemeester", "politie", "om", "voorzitter-vr", "nctv", "defensie"]


def generate(injects: int = 1000, lean: bool = False, title: str = "Groot scenario") -> str:
    """A realistic scenario: texts, facilitator notes, every trigger kind, decisions.

    `lean` leaves out the texts and facilitator notes (10,000 full injects would pass the
    4 MiB limit of a scenario file)."""
    parts = [f"""format: 1
id: groot
title: {title}
start: 2027-03-14T06:00:00+01:00
end: {max(20, injects // 144 + 2)}d
roles: [{", ".join(ROLES)}]
state:
  spanning: {{label: Spanning, initial: 1, min: 0, max: 5}}
  vertrouwen: {{label: Vertrouwen, initial: 70, min: 0, max: 100}}
  bovenlokaal: {{label: Bovenlokaal, initial: false}}
resources:
  me-pelotons: {{label: ME, capacity: 8}}
objectives:
  - {{id: od1, title: Afstemmen}}
  - {{id: od2, title: Opschalen}}
phases:
  - {{id: aanloop, title: Aanloop, questions: [Wie besluit?]}}
  - {{id: uitvoering, title: Uitvoering}}
dilemmas:
  - {{id: dil, title: Dilemma, roles: [burgemeester, om], bases: [Wom art. 2]}}
injects:
"""]
    for i in range(1, injects + 1):
        trigger = f"at: {i * 10}m" if i % 4 else f"after: {{event: i{i - 1}, delay: 5m}}"
        if i % 50 == 7:
            trigger = f"when: spanning >= {1 + i % 4}"
        guard = "\n    if: vertrouwen > 20" if i % 9 == 0 else ""
        parts.append(f"""  - id: i{i}
    {trigger}{guard}
    phase: {"aanloop" if i < injects // 2 else "uitvoering"}
    from: Meldkamer
    to: [{ROLES[i % 6]}, {ROLES[(i + 1) % 6]}]
    channel: melding
    title: Melding nummer {i} over de situatie bij knooppunt {i % 17}
{"" if lean else TEXT.format(k=i % 17)}    objectives: [od{1 + i % 2}]
    tags: [melding, knooppunt-{i % 17}]
""")
    parts.append("decisions:\n")
    for k in range(1, injects // 20 + 1):
        parts.append(f"""  - id: d{k}
    on: i{k * 20}
    question: Wat doet u bij melding {k * 20}?
    domain: openbare-orde
    consult: [politie, om]
    forum: driehoek
    deadline: 45m
    default: wachten
    options:
      - id: ontruimen
        label: Ontruimen
        uses: {{me-pelotons: 2}}
        for: 2h
        effects: [{{add: {{spanning: 1, vertrouwen: -3}}}}, {{surface: dil}}]
      - {{id: wachten, label: Wachten, effects: [{{add: {{spanning: 1}}}}]}}
""")
    parts.append("""rules:
  - {id: onrust, every: 1h, if: spanning >= 3, effects: [{add: {vertrouwen: -1}}]}
outcomes:
  - {id: ontsporing, when: spanning >= 5 and vertrouwen < 30, title: Ontsporing}
  - {id: klaar, final: true, title: Klaar}
""")
    return "".join(parts)


TEXT = """\
    text: |
      Er is een nieuwe ontwikkeling bij knooppunt {k}. Demonstranten verzamelen zich
      en de politie meldt dat de situatie **gespannen** is. Wat doet u?
    facilitator:
      expect: De tafel deelt het beeld en besluit over de inzet.
      guidance: Laat de deelnemers eerst het beeld delen; vraag door op de grondslag.
"""

_EDITS = itertools.count()


def changed(path: Path, injects: int, lean: bool = False) -> Callable[[], None]:
    """Before each call: the file edited (its title), so the content is new every time."""
    def edit() -> None:
        path.write_text(generate(injects, lean, f"Groot scenario {next(_EDITS)}"),
                        encoding="utf-8")
    return edit


def timed_process(args: list[str], before: Callable[[], None] | None = None,
                  env: dict[str, str] | None = None) -> Callable[[], tuple[float, float]]:
    """A whole process run to its end; returns (wall, CPU) seconds (`before` not counted).

    `env` entries are added to the environment; an empty value removes the variable."""
    full = {**os.environ, **(env or {})}
    full = {k: v for k, v in full.items() if v}

    def run() -> tuple[float, float]:
        if before is not None:
            before()
        return measured_run(args, full)
    return run


def fastest(fn: Callable[[], tuple[float, float]], repeat: int) -> float:
    """The least CPU time of `repeat` runs (the figure least disturbed by other work)."""
    return min(fn()[1] for _ in range(repeat))


def run() -> None:
    with tempfile.TemporaryDirectory() as folder:
        cache = {"TABLETOP_CACHE_DIR": str(Path(folder) / "cache")}
        warm = {**cache, "PYTHONDONTWRITEBYTECODE": "",
                "PYTHONPYCACHEPREFIX": str(Path(folder) / "pycache")}
        validate: dict[str, float] = {}
        sizes: dict[str, float] = {}
        for name, injects, lean in (("1k", 1000, False), ("1k-lean", 1000, True),
                                    ("10k-lean", 10000, True)):
            path = Path(folder) / f"{name}.yaml"
            edit = changed(path, injects, lean)
            edit()
            once = timed_process([PYTHON, "-m", "tabletop", "validate", "--strict", str(path)],
                                 edit, warm)
            once()  # warm the file cache and the bytecode
            validate[name] = fastest(once, 3 if injects > 1000 else 7)
            sizes[name] = path.stat().st_size / 1048576
        path = Path(folder) / "1k.yaml"
        parse_args = [PYTHON, "-c", "import sys, yaml; "
                      "yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)", str(path)]
        parse = timed_process(parse_args, env=warm)
        parse()
        plain = fastest(parse, 7)
        edit = changed(path, 1000)
        cold_validate = fastest(timed_process(
            [PYTHON, "-m", "tabletop", "validate", "--strict", str(path)], edit, cache), 5)
        cold_plain = fastest(timed_process(parse_args), 5)
    ours = validate["1k"]
    report("validate 1,000 injects", f"{ours:.3f} s ({sizes['1k']:.2f} MiB, changed)",
           ours / plain, f"vs yaml CSafeLoader process {plain:.3f} s", "<= 2.5x")
    report("  as the environment runs it", f"{cold_validate:.3f} s", cold_validate / cold_plain,
           f"vs the same parse so run {cold_plain:.3f} s", "none")
    report("validate 10,000 injects", f"{validate['10k-lean']:.3f} s "
           f"({sizes['10k-lean']:.2f} MiB, lean)", validate["10k-lean"] / ours,
           f"vs 1,000 full injects {ours:.3f} s", "<= 4.5x")
    report("  lean vs lean", f"1,000 lean {validate['1k-lean']:.3f} s",
           validate["10k-lean"] / validate["1k-lean"], "10,000 lean / 1,000 lean", "none")

