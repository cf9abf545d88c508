"""Export then import gives the same injects: ids, triggers and times, senders, recipients,
titles, texts and the facilitator's notes, for every bundled scenario and for REMPAR25."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mselkit import REMPAR, SCENARIOS, cli

from tabletop.model.loading import LoadedScenario, load_scenario

NOT_IN_A_SHEET = {"expect", "tags", "relates", "attachments", "effects"}
"""What the sheet does not carry (the import's header comment says so): the players'
expectations, tags, related injects, attachments, and the effects of an inject."""


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
                lang: str = "nl", fmt: str = "xlsx") -> tuple[LoadedScenario, LoadedScenario]:
    sheet = folder / f"{source.stem}.{fmt}"
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


BUNDLED = sorted(p.name for p in SCENARIOS.glob("*.yaml"))


def test_format_2_scenarios_are_bundled() -> None:
    """The round trip below covers format 2 (placed roles, areas, candidate framings,
    joint owners, consent, need to know), not only format 1."""
    formats = {load_scenario(SCENARIOS / name).scenario.format for name in BUNDLED}
    assert formats == {1, 2}


@pytest.mark.parametrize("name", BUNDLED)
def test_every_bundled_scenario_comes_back(name: str, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    before, after = _round_trip(SCENARIOS / name, tmp_path, capsys)
    assert _injects(after) == _injects(before)
    a, b = before.scenario, after.scenario
    assert (b.format, b.id, b.title, b.start, b.end, b.crisis) == (
        a.format, a.id, a.title, a.start, a.end, a.crisis)
    assert [(p.id, p.title) for p in b.phases] == [(p.id, p.title) for p in a.phases]
    assert _decisions(after) == _decisions(before)
    assert _places(after) == _places(before)


def _places(loaded: LoadedScenario) -> tuple[Any, ...]:
    """Areas, regions and the roles that take part, each with its place, name and file."""
    s = loaded.scenario
    return ({k: v.model_dump() for k, v in s.areas.items()},
            {k: v.model_dump() for k, v in s.regions.items()},
            [p.model_dump() for p in s.placements],
            {rid: (r.name, r.short, r.area, r.region, r.acts_for,
                   [m.model_dump() for m in r.mandate]) for rid, r in loaded.roles.items()},
            loaded.role_files)


def _decisions(loaded: LoadedScenario) -> list[tuple[Any, ...]]:
    """What the decisions sheet carries (options without their effects)."""
    return [(d.id, d.on, d.at, d.after, d.question.strip(), d.domain, d.framings, d.areas,
             d.crisis, d.owner, d.together, [c if isinstance(c, str) else c.model_dump()
                                             for c in d.consult],
             [c.model_dump() for c in d.consent], d.rests_on, d.deadline, d.default_option,
             [(o.id, " ".join(o.label.split())) for o in d.options])
            for d in loaded.scenario.decisions]


@pytest.mark.parametrize(("name", "lang"), [("introductie.yaml", "nl"),
                                          ("niet-mag-weten.yaml", "nl"),
                                          ("bewaken-onder-druk.yaml", "en")])
def test_csv_files_come_back_too(name: str, lang: str, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A CSV export is the injects' file and, beside it, one file per other sheet; the
    import of the injects' file reads them back."""
    before, after = _round_trip(SCENARIOS / name, tmp_path, capsys, lang=lang, fmt="csv")
    stem = SCENARIOS.joinpath(name).stem
    words = ("decisions", "roles") if lang == "en" else ("besluiten", "rollen")
    assert sorted(p.name for p in tmp_path.glob("*.csv")) == sorted(
        [f"{stem}.csv", f"{stem}.{words[0]}.csv", f"{stem}.{words[1]}.csv",
         f"{stem}.scenario.csv"])
    assert _injects(after) == _injects(before)
    assert _decisions(after) == _decisions(before)
    assert _places(after) == _places(before)


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
