"""A refused consent and a lapse in a logged exercise: the log verifies (the refused attempt
is replayed), and the report shows the attempt that was not taken, the lapse as a lapse
(not as a decision), the consent given and the dissent counted."""

from __future__ import annotations

from pathlib import Path

import pytest

from tabletop.cli import main

SCENARIO = """\
format: 2
id: c
title: Bijstand
start: 2027-03-14T06:00:00+01:00
end: 3h
roles: [minister-jenv, defensie, korpschef, burgemeester]
decisions:
  - id: militaire-bijstand
    at: 10m
    question: Verleent u KMar-bijstand?
    domain: militaire-bijstand
    owner: minister-jenv
    consult: [korpschef]
    consent:
      - {role: defensie, basis: Politiewet 2012 art. 57 lid 3, options: [verlenen]}
    deadline: 2h
    options:
      - {id: verlenen, label: Bijstand verlenen, power: kmar-bijstand-verlenen}
      - {id: beperkt, label: Beperkte bijstand}
  - id: noodbevel
    at: 20m
    question: Geeft u een noodbevel?
    domain: noodbevoegdheden
    owner: burgemeester
    deadline: 30m
    default: none
    options: [{id: geven, label: Geven, power: noodbevel}, {id: niet, label: Niet}]
"""
COURSE = """\
- decision: militaire-bijstand
  option: verlenen
  by: minister-jenv
  consent: {defensie: false}
- decision: militaire-bijstand
  option: beperkt
  by: minister-jenv
  advice: {korpschef: verlenen}
  at: 40m
"""


def test_a_refusal_and_a_lapse_are_logged_replayed_and_reported(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "s.yaml").write_text(SCENARIO, encoding="utf-8")
    (tmp_path / "d.yaml").write_text(COURSE, encoding="utf-8")
    log = tmp_path / "l.jsonl"
    assert main(["run", str(tmp_path / "s.yaml"), "--decisions", str(tmp_path / "d.yaml"),
                 "--log", str(log)]) == 0
    assert main(["verify", str(log)]) == 0
    out = tmp_path / "r.md"
    assert main(["report", str(log), "--format", "md", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    capsys.readouterr()
    assert "Er is 1 besluit genomen." in text  # the lapse is not counted as a decision
    assert "1 besluitpunt verviel: niemand besloot vóór de termijn." in text
    assert "Bij 1 besluit was er afwijkend advies." in text
    assert "**Niet genomen:** Verleent u KMar-bijstand? (Bijstand verlenen: instemming " \
        "geweigerd: Minister van Defensie / Commandant der Strijdkrachten)" in text
    assert "**Vervallen:** Geeft u een noodbevel?" in text
    assert "het besluit verviel en er gebeurde niets" in text
    assert "1 over instemming" in text and "1 over een verstreken termijn" in text
