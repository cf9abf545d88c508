"""Export then import gives the same injects: ids, triggers and times, senders, recipients,
titles, texts and the facilitator's notes, for every bundled scenario and for REMPAR25."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mselkit import REMPAR, SCENARIOS, cli

from tabletop.model.loading import LoadedScenario, load_scenario

NOT_IN_A_SHEET = {"expect", "tags", "relates", "attachments"}


def _injects(loaded: LoadedScenario) -> list[dict[str, Any]]:
    out = []
    for inj in loaded.scenario.injects:
        item = inj.model_dump(exclude=NOT_IN_A_SHEET)
        item["text"] = item["text"].rstrip("\n")  # a block's final newline is not content
        if item["facilitator"]:
            item["facilitator"] = {k: v.rstrip("\n") for k, v in item["facilitator"].items()}
        out.append(item)
    return out


def _round_trip(source: Path, folder: Path, capsys: pytest.CaptureFixture[str],
                lang: str = "nl") -> tuple[LoadedScenario, LoadedScenario]:
    sheet = folder / f"{source.stem}.xlsx"
    code, _, err = cli(capsys, "msel", "export", str(source), "-o", str(sheet), "--lang", lang)
    assert code == 0, err
    # Written beside the source, so that the same roles folder applies.
    target = folder / f"{source.stem}.yaml"
    code, out, err = cli(capsys, "msel", "import", str(sheet), "-o", str(target), "--roles",
                         str(source.resolve().parent.parent / "roles"
                             if (source.resolve().parent.parent / "roles").is_dir()
                             else SCENARIOS.parent / "roles"))
    assert code == 0, out + err
    code, out, err = cli(capsys, "validate", str(target))
    assert code == 0, out + err
    return load_scenario(source), load_scenario(target)


FORMAT_1 = sorted(p.name for p in SCENARIOS.glob("*.yaml")
                  if "\nformat: 1\n" in "\n" + p.read_text(encoding="utf-8"))
"""The sheet does not carry format 2 yet (placed roles, candidate framings, joint owners):
the scenarios written on it (issue 13) are left out until it does (issue 17 stays open)."""


@pytest.mark.parametrize("name", FORMAT_1)
def test_every_bundled_scenario_comes_back(name: str, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    before, after = _round_trip(SCENARIOS / name, tmp_path, capsys)
    assert _injects(after) == _injects(before)
    a, b = before.scenario, after.scenario
    assert (b.id, b.title, b.start, b.end) == (a.id, a.title, a.start, a.end)
    assert [(p.id, p.title) for p in b.phases] == [(p.id, p.title) for p in a.phases]
    assert _decisions(after) == _decisions(before)


def _decisions(loaded: LoadedScenario) -> list[tuple[Any, ...]]:
    """What the decisions sheet carries (options without their effects)."""
    return [(d.id, d.on, d.at, d.after, d.question.strip(), d.domain, d.owner, d.consult,
             d.deadline, d.default, [(o.id, " ".join(o.label.split())) for o in d.options])
            for d in loaded.scenario.decisions]


def test_english_headers_come_back_too(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    before, after = _round_trip(SCENARIOS / "konvooi.yaml", tmp_path, capsys, lang="en")
    assert _injects(after) == _injects(before)


def test_rempar25_keeps_its_80_stimuli(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    if not REMPAR.is_file():
        pytest.skip(f"the REMPAR25 case is not here ({REMPAR}); it lives outside the project "
                    "and is never copied in")
    before, after = _round_trip(REMPAR, tmp_path, capsys)
    timed = [i for i in after.scenario.injects if i.at is not None]
    assert len(timed) == 80
    assert _injects(after) == _injects(before)
    assert [r.id for r in after.scenario.local_roles] == [
        r.id for r in before.scenario.local_roles]
    assert after.scenario.parameters.keys() == before.scenario.parameters.keys()
