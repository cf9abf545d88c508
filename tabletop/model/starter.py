"""The commented starter scenario `tabletop new NAME` writes."""

from __future__ import annotations

STARTER = """\
# yaml-language-server: $schema={schema}
# A starter scenario: replace the texts, add injects and decisions, then check it with
#   uv run tabletop validate {filename}
# The format by example: scenarios/README.md in the tabletop repository.
format: 1
id: {ident}
title: {title}
summary: >
  Eén of twee zinnen: wat gebeurt er, waar, en welk gezagsvraagstuk staat centraal?
start: 2027-03-14T06:00:00+01:00   # wall-clock time of minute 0 of the story
end: 4h                            # the story ends here at the latest
duration: 1h                       # real time the session takes
roles: [burgemeester, politie, om] # roles from roles/ that take part
facilitator: |
  **Doel.** Wat moet de tafel na afloop beter kunnen?
  **Wie aan tafel.** Burgemeester, politiechef, officier van justitie.

state:                             # numbers or true/false; expressions name them
  spanning: {{label: Spanning openbare orde, initial: 1, min: 0, max: 5, key: true}}

resources:                         # scarce capacity that options claim
  me-pelotons: {{label: ME-pelotons beschikbaar, capacity: 2}}

phases:
  - id: aanloop
    title: Aanloop
    questions:
      - Wie heeft hier het gezag, en op grond waarvan?

injects:
  - id: eerste-melding
    at: 10m                        # minutes from the start
    from: Meldkamer
    to: [politie, burgemeester]
    channel: melding
    title: Eerste melding
    text: |
      Wat de deelnemers lezen (Markdown).
    facilitator:                   # never shown to participants
      expect: Wat de spelers zouden moeten doen.
      guidance: Hoe u dit inject speelt.

decisions:
  - id: eerste-besluit
    on: eerste-melding             # opens when that inject is delivered
    question: Wat doet u?
    domain: openbare-orde
    owner: burgemeester
    consult: [politie, om]
    forum: driehoek
    deadline: 30m                  # counted from the opening; then the default applies
    default: afwachten
    options:
      - id: optreden
        label: Laten optreden door de ME
        uses: {{me-pelotons: 1}}
        for: 2h
        effects:
          - add: {{spanning: -1}}
      - id: afwachten
        label: Afwachten
        effects:
          - add: {{spanning: 1}}

outcomes:
  - {{id: beheerst, final: true, when: spanning <= 2, title: Beheerst afgerond}}
  - {{id: onrustig, final: true, title: Onrustig afgerond}}
"""


def starter_text(ident: str, filename: str, schema: str) -> str:
    title = ident.replace("-", " ").capitalize()
    return STARTER.format(ident=ident, title=title, filename=filename, schema=schema)
