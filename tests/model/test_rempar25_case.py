"""The REMPAR25 case (`../shared/cases/rempar25/`), a real exercise written elsewhere in this
format, validates where it lies. It is read in place, never copied into the project."""

from __future__ import annotations

from pathlib import Path

import pytest

from tabletop.cli import main
from tabletop.model.loading import RoleLibrary, load_scenario

pytestmark = pytest.mark.usefixtures("english")  # assertions read in English

CASE = Path(__file__).resolve().parents[2] / ".." / "shared" / "cases" / "rempar25"
SCENARIO = CASE / "scenario.yaml"


@pytest.fixture
def case() -> Path:
    if not SCENARIO.is_file():
        pytest.skip(f"the REMPAR25 case is not here ({SCENARIO.resolve()}); it lives outside "
                    "the project and is never copied in")
    return SCENARIO


def test_rempar25_validates_cleanly(case: Path, roles: RoleLibrary,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    loaded = load_scenario(case, roles)
    assert [str(w) for w in loaded.warnings] == []
    s = loaded.scenario
    assert len([i for i in s.injects if i.at is not None]) == 80
    assert len(s.decisions) == 9
    assert set(loaded.roles) == {r.id for r in s.local_roles}
    assert main(["validate", "--strict", str(case)]) == 0
    assert "1 file: no problems" in capsys.readouterr().err
