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


class Moving:
    """A context whose state a test changes between questions."""

    def __init__(self) -> None:
        self.state: dict[str, object] = {}
        self.phase: str | None = None
        self.t = 0
        self.levels: dict[str, int] = {}

    def decided(self, decision_id: str) -> str | None:
        return None

    def delivered(self, inject_id: str) -> bool:
        return False

    def met(self, inject_id: str) -> bool:
        return False

    def present(self, role_id: str) -> bool:
        return True


def test_a_kept_answer_follows_what_the_conditions_read(example: LoadedScenario) -> None:
    """The engine asks the same question at every decision and in every run: the index keeps
    answers, keyed by the values the `when:` conditions read. When such a value changes, the
    answer is the new one (the mayor's public-order gezag passes to the chair of the
    safety region once the crisis is bovenlokaal: `when: not (bovenlokaal and crisis)`)."""
    roles = example.roles
    index = AuthorityIndex(roles)
    context = Moving()
    seen = []
    for bovenlokaal in (False, True, False, True):
        context.state["bovenlokaal"] = bovenlokaal
        for crisis in (True, False):
            fast = holders(roles, "openbare-orde", context, crisis=crisis, index=index)
            plain = holders(roles, "openbare-orde", context, crisis=crisis)
            assert fast == plain
            seen.append((bovenlokaal, crisis, tuple(fast.ids)))
    assert ("burgemeester",) in {ids for _, _, ids in seen}
    assert ("voorzitter-vr",) in {ids for b, c, ids in seen if b and c}
    assert index.memo, "the answers were kept"
    again = holders(roles, "openbare-orde", context, crisis=True, index=index)
    assert again is holders(roles, "openbare-orde", context, crisis=True, index=index)


def test_every_domain_kept_or_not_agrees_with_a_fresh_answer(example: LoadedScenario) -> None:
    roles = example.roles
    index = AuthorityIndex(roles)
    domains = sorted({e.domain for r in roles.values() for e in r.authority})
    whens = [e.when for r in roles.values() for e in r.authority if e.when is not None]
    whens += [m.when for r in roles.values() for m in r.mandate if m.when is not None]
    names = sorted({ref.name for w in whens for ref in w.references if ref.kind == "state"})
    assert names, "the bundled roles' conditions read state"
    context = Moving()
    for round_ in range(8):
        for n, name in enumerate(names):
            context.state[name] = bool((round_ >> (n % 3)) & 1)
        for domain in domains:
            for purpose in (None, "openbare-orde", "opsporing"):
                fast = holders(roles, domain, context, purpose=purpose, index=index)
                assert fast == holders(roles, domain, context, purpose=purpose), domain
