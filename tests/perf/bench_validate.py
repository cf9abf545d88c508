"""`tabletop validate` of a generated 1,000-inject scenario, as a whole process, against a
whole process that only parses the same file with PyYAML's C loader.

Targets (issue 2): under 1 s, and within 3x of the plain C parse.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from common import PYTHON, best_of, process, report

ROLES = ["burgemeester", "politie", "om", "voorzitter-vr", "nctv", "defensie"]


def generate(injects: int = 1000) -> str:
    """A realistic scenario: texts, facilitator notes, every trigger kind, decisions."""
    parts = [f"""format: 1
id: groot
title: Groot scenario
start: 2027-03-14T06:00:00+01:00
end: 20d
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
    text: |
      Er is een nieuwe ontwikkeling bij knooppunt {i % 17}. Demonstranten verzamelen zich
      en de politie meldt dat de situatie **gespannen** is. Wat doet u?
    facilitator:
      expect: De tafel deelt het beeld en besluit over de inzet.
      guidance: Laat de deelnemers eerst het beeld delen; vraag door op de grondslag.
    objectives: [od{1 + i % 2}]
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


def run() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "groot.yaml"
        path.write_text(generate(), encoding="utf-8")
        validate = process([PYTHON, "-m", "tabletop", "validate", "--strict", str(path)])
        parse = process([PYTHON, "-c", "import sys, yaml; "
                         "yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)",
                         str(path)])
        validate()  # warm the file cache and the bytecode
        ours = best_of(validate, 7)
        plain = best_of(parse, 7)
        size = path.stat().st_size / 1048576
    report("validate 1,000 injects", f"{ours:.3f} s ({size:.2f} MiB)", ours / plain,
           f"vs yaml CSafeLoader process {plain:.3f} s", "< 1 s and <= 3x")
