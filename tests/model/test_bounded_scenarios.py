"""Finding 6 (scenarios that validate, then explode): expressions, durations and rule
frequency are bounded at load, YAML depth is checked before any recursive pass, and a
control character in a YAML file has a line and column."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tabletop.errors import ScenarioProblems
from tabletop.model.expressions import ExpressionError, parse_expression
from tabletop.model.loading import LoadedScenario
from tabletop.model.yamlsafe import load_yaml

pytestmark = pytest.mark.usefixtures("english")  # assertions read in English


class _Ctx:
    state = {"x": 10**9, "s": "a"}
    levels: dict[str, int] = {}
    t = 0.0
    phase = None

    def decided(self, decision_id: str) -> str | None:
        return None

    def delivered(self, inject_id: str) -> bool:
        return False

    def met(self, inject_id: str) -> bool:
        return False

    def present(self, role_id: str) -> bool:
        return False


@pytest.mark.parametrize(("source", "message"), [
    ('"a" * 99999999999', "builds a text longer than 1000 characters"),
    ('"%9999999999d" % 1 == ""', "formats text with '%'"),
    ('"a" * 10**21', "operator not allowed"),
    ("x > 99999999999999999999", "the number is too large"),
    ("+".join(["x"] * 30_000), "characters long; at most 1000"),
    (" and ".join(["x"] * 150), "more than 200 parts"),
])
def test_an_expression_that_would_build_too_much_is_refused_at_load(
        source: str, message: str) -> None:
    started = time.perf_counter()
    with pytest.raises(ExpressionError) as refused:
        parse_expression(source)
    assert message in str(refused.value)
    assert time.perf_counter() - started < 0.5


def test_at_run_time_a_bound_makes_the_condition_false() -> None:
    for source in ('s * x == ""', 's % 1 == ""', "x * x * x > 1"):
        started = time.perf_counter()
        assert parse_expression(source).holds(_Ctx()) is False
        assert time.perf_counter() - started < 0.1
    assert parse_expression('s * 3 == "aaa"').holds(_Ctx())


BODY = """
injects:
  - {id: a, at: 10m, from: x, to: [burgemeester], channel: melding, title: A}
"""


@pytest.mark.parametrize(("text", "message"), [
    ("end: 999999999m\n" + BODY, "is longer than a story may be (about 19 years"),
    (BODY.replace("at: 10m", "at: 100000000000000000m"), "is longer than a story may be"),
    ("end: 90d\nstate: {x: {label: X, initial: 0}}\nrules:\n"
     "  - {every: 1m, effects: [{add: {x: 1}}]}\n" + BODY, "would come due 129,600 times"),
    ("end: 90d\n" + BODY.replace("title: A}", "title: A, expect: {what: sitrap, every: 5m}}"),
     "the rules and recurring expectations would come due 25,920 times"),
    ("end: 1000d\n" + BODY + "".join(
        f"  - {{id: c{i}, when: t % 7 == {i % 7}, from: x, to: [burgemeester], "
        f"channel: melding, title: C}}\n" for i in range(20)), "tried every minute"),
])
def test_a_scenario_that_would_run_unbounded_is_refused(
        scenario: Callable[[str], LoadedScenario], text: str, message: str) -> None:
    with pytest.raises(ScenarioProblems) as refused:
        scenario(text)
    assert any(message in p.message and p.line > 0 for p in refused.value.problems), \
        refused.value.problems


def test_conditions_compared_with_t_are_not_counted_per_minute(
        scenario: Callable[[str], LoadedScenario]) -> None:
    """The engine finds `t >= X` at its breakpoints: a long story with many is fine."""
    loaded = scenario("end: 4000000m\n" + BODY + "".join(
        f"  - {{id: c{i}, when: t >= {i * 1000} + 3, from: x, to: [burgemeester], "
        f"channel: melding, title: C}}\n" for i in range(20)))
    assert loaded.scenario.end == 4_000_000


def test_deep_yaml_is_refused_before_any_recursive_pass() -> None:
    for opener, closer in ((b"[", b"]"), (b"{a: ", b"}")):
        for alias in (b"", b"*a"):  # an alias makes the loader size the whole document
            data = b"y: &a 1\nx: " + opener * 999 + (alias or b"1") + closer * 999 + b"\n"
            _, problems = load_yaml(data, "s.yaml")
            assert (2, "nested too deeply (more than 200 levels)") in [
                (p.line, p.message) for p in problems]
            assert all(p.line == 2 for p in problems)


@pytest.mark.parametrize("char", ["\x1b", "\x07", "\x00", "\x9b", "\x7f"])
def test_a_control_character_in_yaml_has_a_line_and_column(char: str) -> None:
    data = f"format: 1\nid: t\ntitle: Ti{char}tel\n".encode()
    _, problems = load_yaml(data, "s.yaml")
    assert len(problems) == 1
    assert (problems[0].line, problems[0].col) == (3, 10)
    assert "control character" in problems[0].message


def test_the_limits_are_documented() -> None:
    readme = (Path(__file__).resolve().parents[2] / "scenarios" / "README.md").read_text()
    assert "### What one run costs" in readme and "20,000" in readme and "10,000,000" in readme
