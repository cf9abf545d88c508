"""The committed JSON Schemas equal the models; they accept the bundled files and reject
what the loader rejects; `tabletop new` writes a starter that validates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tabletop.cli import main
from tabletop.model.loading import RoleLibrary, load_scenario
from tabletop.model.schema import schema_text
from tabletop.model.yamlsafe import load_yaml

pytestmark = pytest.mark.usefixtures("english")  # assertions read in English

ROOT = Path(__file__).resolve().parents[2]
SCENARIO_SCHEMA = ROOT / "scenarios" / "scenario.schema.json"
ROLE_SCHEMA = ROOT / "roles" / "role.schema.json"
BUNDLED = sorted({"voorbeeld.yaml", "konvooi.yaml", "depot.yaml", "grijze-zone.yaml"}
                 | {p.name for p in (ROOT / "scenarios").glob("*.yaml")})
"""The example and the real scenarios (named ones are skipped until they exist)."""


def read_yaml(path: Path) -> Any:
    """A file as tabletop reads it (YAML 1.2: `on:` stays a key, not `True`)."""
    value, problems = load_yaml(path.read_bytes(), str(path))
    assert not problems, problems
    return value


@pytest.mark.parametrize(("kind", "path"), [("scenario", SCENARIO_SCHEMA),
                                            ("roles", ROLE_SCHEMA)])
def test_the_committed_schema_equals_the_models(kind: str, path: Path) -> None:
    assert path.is_file(), f"{path} is missing: uv run tabletop schema {kind} > {path}"
    assert path.read_text(encoding="utf-8") == schema_text(kind), (
        f"{path.name} is out of date: uv run tabletop schema {kind} > "
        f"{path.relative_to(ROOT)}")


@pytest.mark.parametrize("kind", ["scenario", "roles"])
def test_the_schema_command_prints_the_committed_schema(
        kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", kind]) == 0
    printed = capsys.readouterr().out
    assert printed == schema_text(kind)
    jsonschema.Draft202012Validator.check_schema(json.loads(printed))


@pytest.fixture(scope="module")
def scenario_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCENARIO_SCHEMA.read_text()))


@pytest.mark.parametrize("name", BUNDLED)
def test_the_schema_accepts_the_bundled_scenario(
        name: str, scenario_validator: jsonschema.Draft202012Validator) -> None:
    path = ROOT / "scenarios" / name
    if not path.is_file():
        pytest.skip(f"scenarios/{name} does not exist yet")
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in scenario_validator.iter_errors(read_yaml(path))]
    assert errors == []


def test_the_schema_accepts_every_role_file() -> None:
    validator = jsonschema.Draft202012Validator(json.loads(ROLE_SCHEMA.read_text()))
    files = sorted((ROOT / "roles").glob("*.yaml"))
    assert len(files) > 9
    for path in files:
        errors = [e.message for e in validator.iter_errors(read_yaml(path))]
        assert errors == [], path.name


MINIMAL = """\
format: 1
id: basis
title: Basis
start: 2027-03-14T06:00:00+01:00
roles: [burgemeester]
injects:
  - id: melding
    at: 10m
    from: Meldkamer
    to: [burgemeester]
    channel: melding
    title: Melding
decisions:
  - id: aanpak
    on: melding
    question: Wat doet u?
    domain: openbare-orde
    options: [{id: a, label: A}]
"""


@pytest.mark.parametrize(("change", "fragment"), [
    (("title: Basis\n", "tittle: Basis\n"), "Additional properties are not allowed"),
    (("    at: 10m\n", "    at: soon\n"), "'soon' is not valid"),
    (("    channel: melding\n", "    channel: fax\n"), "'fax' is not one of"),
    (("id: basis\n", "id: Basis\n"), "does not match"),
])
def test_the_schema_rejects_what_the_loader_rejects(
        change: tuple[str, str], fragment: str,
        scenario_validator: jsonschema.Draft202012Validator) -> None:
    good, _ = load_yaml(MINIMAL.encode(), "s.yaml")
    assert list(scenario_validator.iter_errors(good)) == []
    bad, _ = load_yaml(MINIMAL.replace(*change).encode(), "s.yaml")
    messages = [e.message for e in scenario_validator.iter_errors(bad)]
    assert any(fragment in m for m in messages), messages


def test_tabletop_new_writes_a_starter_that_validates(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, roles: RoleLibrary,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "mijn_oefening"]) == 0
    path = tmp_path / "mijn_oefening.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    loaded = load_scenario(path, roles)
    assert loaded.scenario.id == "mijn-oefening"
    assert loaded.warnings == []
    assert "wrote mijn_oefening.yaml" in capsys.readouterr().err
    assert main(["validate", "--strict", str(path)]) == 0
    # the starter also passes the committed schema
    validator = jsonschema.Draft202012Validator(json.loads(SCENARIO_SCHEMA.read_text()))
    assert list(validator.iter_errors(read_yaml(path))) == []


def test_tabletop_new_refuses_an_existing_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bestaat.yaml").write_text("keep me")
    assert main(["new", "bestaat"]) == 2
    assert "bestaat.yaml: already exists; choose another name" in capsys.readouterr().err
    assert (tmp_path / "bestaat.yaml").read_text() == "keep me"
    assert main(["new", "nergens/x"]) == 2
    assert "nergens: no such folder" in capsys.readouterr().err
