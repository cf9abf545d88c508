"""The examples of the format page (shared/design/scenario-format.md) keep loading."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tabletop.errors import ScenarioProblems
from tabletop.model.commands import RunUntil
from tabletop.model.loading import load_roles, load_scenario
from tabletop.model.role import DomainRegistry, Role
from tabletop.model.yamlsafe import load_yaml

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT.parent / "shared" / "design" / "scenario-format.md"


def examples() -> list[str]:
    if not PAGE.is_file():
        pytest.skip(f"{PAGE} is not here (the shared design folder lies beside the project)")
    return re.findall(r"```yaml\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)


def test_the_role_and_domain_examples_load() -> None:
    domains, role = examples()[:2]
    raw, problems = load_yaml(domains.encode(), "domains.yaml")
    assert problems == [] and DomainRegistry.model_validate(raw).domains
    raw, problems = load_yaml(role.encode(), "burgemeester.yaml")
    assert problems == [] and Role.model_validate(raw).id == "burgemeester"


def test_the_scenario_example_loads_and_plays(tmp_path: Path) -> None:
    scenario = next(block for block in examples() if block.lstrip().startswith("# yaml-lang"))
    path = tmp_path / "konvooi.yaml"
    path.write_text(scenario, encoding="utf-8")
    try:
        loaded = load_scenario(path, load_roles(ROOT / "roles"))
    except ScenarioProblems as exc:  # pragma: no cover - the failure message is the point
        raise AssertionError(str(exc)) from None
    from tabletop.engine.exercise import Exercise

    ex = Exercise(loaded)
    ex.apply(RunUntil(until=ex.horizon))
    assert ex.finished
