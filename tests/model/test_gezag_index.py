"""`holders` gives the same answer with the engine's index as without, and the kept index
follows the roles a mapping holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from tabletop.model.gezag import AuthorityIndex, holders
from tabletop.model.loading import LoadedScenario, RoleLibrary, load_scenario
from tabletop.model.role import Role

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture(scope="module")
def example(roles: RoleLibrary) -> LoadedScenario:
    """The bundled example with the bundled roles: every authority kind, with conditions."""
    return load_scenario(SCENARIOS / "voorbeeld.yaml", roles)


class Context:
    state: dict[str, object] = {"bovenlokaal": True}
    phase = None
    t = 0


def test_holders_with_and_without_the_index_agree(example: LoadedScenario) -> None:
    roles = example.roles
    index = AuthorityIndex.of(roles)
    domains = {e.domain for r in roles.values() for e in r.authority}
    assert domains
    for domain in sorted(domains):
        for crisis in (True, False):
            plain = holders(roles, domain, Context(), crisis=crisis)
            fast = holders(roles, domain, Context(), crisis=crisis, index=index)
            assert fast == plain, domain


def test_a_replaced_role_gets_a_new_index(example: LoadedScenario) -> None:
    roles: dict[str, Role] = dict(example.roles)
    first = AuthorityIndex.of(roles)
    assert AuthorityIndex.of(roles) is first
    rid = next(r for r, role in roles.items() if role.authority and role.acts_for is None)
    roles[rid] = roles[rid].model_copy(update={"authority": []})
    again = AuthorityIndex.of(roles)
    assert again is not first
    assert all(held != rid for entries in again.authority.values() for held, _, _ in entries)
